"""Shared machinery of the authorization matrix: roles, URL arguments, outcome classification."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver

from massnahmen.models import Berichtsrunde, Massnahme, Meilenstein, Meldebogenimport
from strategie.models import Mitgliedschaft, Organisation, Strategie

RLP, KGRZ = "rlp-digitalisierungsstrategie", "kgrz-koblenz"
ROLLEN = ["anonym", "gast", "kusel", "cochem", "federfuehrung", "lenkungsausschuss", "gs_andere", "geschaeftsstelle"]
BENUTZER = {
    "gast": "demo-gast",
    "kusel": "demo-kusel",
    "cochem": "demo-cochem-zell",
    "federfuehrung": "test-federfuehrung",
    "lenkungsausschuss": "demo-lenkungsausschuss",
    "gs_andere": "demo-kgrz",
    "geschaeftsstelle": "demo-geschaeftsstelle",
}

# Outcomes: OK (200, or a redirect that is not to the sign-in), LOGIN (redirect to /anmelden/), ADMIN (redirect to
# the admin sign-in), 403, 404, 405, 400.
OK, LOGIN, ADMIN = "ok", "login", "admin"


def alle_urlmuster() -> list[tuple[str, str]]:
    """(name, route) of every URL pattern, with namespaces."""
    ergebnis = []

    def durchlaufe(resolver, praefix="", namensraum=None):
        for muster in resolver.url_patterns:
            if isinstance(muster, URLResolver):
                ns = namensraum
                if muster.namespace:
                    ns = f"{namensraum}:{muster.namespace}" if namensraum else muster.namespace
                durchlaufe(muster, praefix + str(muster.pattern), ns)
            elif isinstance(muster, URLPattern):
                name = f"{namensraum}:{muster.name}" if namensraum else str(muster.name)
                ergebnis.append((name, praefix + str(muster.pattern)))

    durchlaufe(get_resolver())
    return ergebnis


def admin_pfad(route: str) -> str:
    """A concrete path for an admin route: every parameter becomes 1."""
    pfad = re.sub(r"<[^>]+>", "1", route)
    pfad = re.sub(r"\(\?P<app_label>[^)]*\)", "strategie", pfad)
    pfad = re.sub(r"\(\?P<url>\.\*\)", "gibt-es-nicht/", pfad)
    pfad = re.sub(r"\(\[\^/\]\+\)", "1", pfad)
    return "/" + pfad.replace("^", "").replace("$", "")


def klassifiziere(response) -> str:
    if response.status_code in (301, 302):
        ziel = response["Location"]
        if ziel.startswith("/anmelden/"):
            return LOGIN
        if ziel.startswith("/admin/login/"):
            return ADMIN
        return OK
    if response.status_code == 200:
        return OK
    return str(response.status_code)


@dataclass
class Kontext:
    """Objects the URL arguments refer to, created once per test."""

    runde: Berichtsrunde
    meilenstein: Meilenstein
    kusel_import: Meldebogenimport
    kusel_mitgliedschaft: Mitgliedschaft
    kusel_user_id: int


def baue_kontext() -> Kontext:
    from django.core.files.base import ContentFile

    from strategie.services.mitgliedschaften import grant_rolle

    User = get_user_model()
    rlp = Strategie.objects.get(slug=RLP)
    landkreistag = Organisation.objects.get(kennung="landkreistag")
    federfuehrung, _ = User.objects.get_or_create(username="test-federfuehrung", defaults={"first_name": "Fritz"})
    federfuehrung.set_password("demo")
    federfuehrung.save()
    grant_rolle(actor=None, user=federfuehrung, strategie=rlp, organisation=landkreistag, rolle="berichterstattung")
    kusel = User.objects.get(username="demo-kusel")
    import_ = Meldebogenimport.objects.create(
        strategie=rlp, organisation=Organisation.objects.get(schluessel="07336"), von=kusel,
        datei=ContentFile(b"Kennziffer;Organisation\n", name="matrix.csv"), dateiname="matrix.csv", zustand="fertig",
        fortschritt=100,
    )  # fmt: skip
    return Kontext(
        runde=Berichtsrunde.objects.filter(strategie=rlp).first(),
        meilenstein=Meilenstein.objects.filter(massnahme__strategie=rlp, massnahme__code="IV.1").first(),
        kusel_import=import_,
        kusel_mitgliedschaft=kusel.mitgliedschaften.get(strategie=rlp),
        kusel_user_id=kusel.pk,
    )


def massnahme(code: str) -> Massnahme:
    return Massnahme.objects.get(strategie__slug=RLP, code=code)
