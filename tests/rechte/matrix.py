"""Shared machinery of the authorization matrix: roles, URL arguments, outcome classification."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver

from massnahmen.models import Berichtsrunde, Massnahme, Meilenstein
from meldebogen.models import Meldebogenimport
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

    def walk(resolver, praefix="", namensraum=None):
        for muster in resolver.url_patterns:
            if isinstance(muster, URLResolver):
                ns = namensraum
                if muster.namespace:
                    ns = f"{namensraum}:{muster.namespace}" if namensraum else muster.namespace
                walk(muster, praefix + str(muster.pattern), ns)
            elif isinstance(muster, URLPattern):
                name = f"{namensraum}:{muster.name}" if namensraum else str(muster.name)
                ergebnis.append((name, praefix + str(muster.pattern)))

    walk(get_resolver())
    return ergebnis


def admin_pfad(route: str) -> str:
    """A concrete path for an admin route: every parameter becomes 1."""
    pfad = re.sub(r"<[^>]+>", "1", route)
    pfad = re.sub(r"\(\?P<app_label>[^)]*\)", "strategie", pfad)
    pfad = re.sub(r"\(\?P<url>\.\*\)", "gibt-es-nicht/", pfad)
    pfad = re.sub(r"\(\[\^/\]\+\)", "1", pfad)
    return "/" + pfad.replace("^", "").replace("$", "")


def classify(response) -> str:
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
    deaktiviert_user_id: int  # a deactivated Berichterstattung of Cochem-Zell, for reactivation
    geschlossene_runde: Berichtsrunde  # a closed round (I.1 only, Stichtag 31.12.2024), for reopening
    organisation_pk: dict[str, int]  # the organisation each role acts for; roles without one forge Kusel's
    bericht_entwurf: int = 0
    bericht_fertig: int = 0  # finished, waiting for the release
    bericht_freigegeben: int = 0
    einladung_kennung: str = ""  # an open invitation of RLP (a new account never used), for withdrawing it


def build_kontext() -> Kontext:
    from django.core.files.base import ContentFile

    from strategie.selectors import EINLADUNG_NEU, einladungskennung
    from strategie.services.mitgliedschaften import grant_rolle

    User = get_user_model()
    rlp = Strategie.objects.get(slug=RLP)
    landkreistag = Organisation.objects.get(kennung="landkreistag")
    federfuehrung, _ = User.objects.get_or_create(username="test-federfuehrung", defaults={"first_name": "Fritz"})
    federfuehrung.set_password("demo")
    federfuehrung.save()
    grant_rolle(actor=None, user=federfuehrung, strategie=rlp, organisation=landkreistag, rolle="berichterstattung")
    kusel = User.objects.get(username="demo-kusel")
    kusel_org = Organisation.objects.get(schluessel="07336")
    cochem = Organisation.objects.get(schluessel="07135")
    deaktiviert, _ = User.objects.get_or_create(username="test-deaktiviert", defaults={"is_active": False})
    grant_rolle(actor=None, user=deaktiviert, strategie=rlp, organisation=cochem, rolle="berichterstattung")
    import_ = Meldebogenimport.objects.create(
        strategie=rlp,
        organisation=kusel_org,
        von=kusel,
        datei=ContentFile(b"Kennziffer;Organisation\n", name="matrix.csv"),
        dateiname="matrix.csv",
        zustand="fertig",
        fortschritt=100,
    )
    eingeladen = User(username="test-eingeladen", email="eingeladen@example.org", first_name="Ida")
    eingeladen.set_unusable_password()
    eingeladen.save()
    einladung = grant_rolle(actor=None, user=eingeladen, strategie=rlp, organisation=kusel_org, rolle="gast")
    berichte = build_berichte(rlp)
    return Kontext(
        **berichte,
        runde=Berichtsrunde.objects.filter(strategie=rlp).first(),
        geschlossene_runde=_geschlossene_runde(rlp),
        meilenstein=Meilenstein.objects.filter(massnahme__strategie=rlp, massnahme__code="IV.1").first(),
        kusel_import=import_,
        kusel_mitgliedschaft=kusel.mitgliedschaften.get(strategie=rlp),
        kusel_user_id=kusel.pk,
        deaktiviert_user_id=deaktiviert.pk,
        einladung_kennung=einladungskennung(strategie=rlp, art=EINLADUNG_NEU, pk=einladung.pk),
        organisation_pk={
            rolle: {"cochem": cochem.pk, "federfuehrung": landkreistag.pk, "geschaeftsstelle": landkreistag.pk}.get(
                rolle, kusel_org.pk
            )
            for rolle in ROLLEN
        },
    )


def build_berichte(rlp: Strategie) -> dict[str, int]:
    """A draft, a finished and a released Bericht (the files are placeholders: only access is tested here)."""
    import datetime as dt

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from berichte.models import Bericht

    User = get_user_model()
    geschaeftsstelle = User.objects.get(username="demo-geschaeftsstelle")
    ausschuss = User.objects.get(username="demo-lenkungsausschuss")
    ids = {}
    for schluessel, jahr in (("bericht_entwurf", 2025), ("bericht_fertig", 2024), ("bericht_freigegeben", 2023)):
        bericht = Bericht(
            strategie=rlp,
            art="alk_jahresbericht",
            berichtsjahr=jahr,
            stichtag=dt.date(jahr, 12, 31),
            created_by=geschaeftsstelle,
        )
        if jahr < 2025:
            inhalt = b"%PDF-1.7 Rechtematrix"
            bericht.datei.save(f"rechtematrix-{jahr}.pdf", ContentFile(inhalt), save=False)
            bericht.zustand, bericht.datenstand, bericht.sha256 = "fertig", timezone.now(), "0" * 64
            bericht.groesse, bericht.seiten = len(inhalt), 1
        if jahr == 2023:
            bericht.freigegeben_von, bericht.freigegeben_am = ausschuss, timezone.now()
        bericht.save()
        ids[schluessel] = bericht.pk
    return ids


def _geschlossene_runde(rlp) -> Berichtsrunde:
    import datetime as dt

    from massnahmen.services import close_berichtsrunde, open_berichtsrunde

    runde = open_berichtsrunde(
        actor=None,
        strategie=rlp,
        titel="Rechtematrix geschlossen",
        stichtag=dt.date(2024, 12, 31),
        frist=dt.date(2025, 2, 15),
        massnahmen=[massnahme("I.1")],
    )
    return close_berichtsrunde(actor=None, berichtsrunde=runde)


def massnahme(code: str) -> Massnahme:
    return Massnahme.objects.get(strategie__slug=RLP, code=code)


def nutzlast(name: str, rolle: str, k: Kontext, client) -> dict:
    """A POST body that succeeds (and writes) for a role allowed to make the request; a refused role sends the
    same kind of body for its own organisation or, without one, forges Kusel's. Names not listed here change
    nothing worth forging (sign-in, password reset) and are posted empty."""
    from django.utils import timezone

    from massnahmen.models import Umsetzungsstand

    org = k.organisation_pk[rolle]
    if name == "massnahmen:melden":
        stand = Umsetzungsstand.objects.filter(massnahme=massnahme("I.2"), organisation_id=org).first()
        praefix = f"m{massnahme('I.2').pk}-o{org}"
        felder = {
            "organisation": org,
            "stichtag": timezone.localdate().isoformat(),
            "status": "in_umsetzung",
            "fortschritt": 100,
            "text": "Rechtematrix",
            "version": stand.version if stand else 0,
            "aktion": "einreichen",
        }
        return {f"{praefix}-{feld}": wert for feld, wert in felder.items()}
    if name == "massnahmen:beteiligung":  # an organisation already taking part declares entfällt, another joins
        if massnahme("I.2").beteiligungen.filter(organisation_id=org).exists():
            return {"organisation": org, "aktion": "entfaellt", "begruendung": "Rechtematrix"}
        return {"organisation": org, "aktion": "beitreten", "seit": "2026-01-01"}
    if name == "massnahmen:bearbeiten":
        return {"beschreibung": "Rechtematrix"}
    if name in ("massnahmen:meilenstein_neu", "massnahmen:meilenstein"):
        praefix = "neu" if name.endswith("_neu") else f"ms{k.meilenstein.pk}"
        return {f"{praefix}-titel": "Rechtematrix", f"{praefix}-faellig_am": "2027-06-30"}
    if name == "strategie:benutzer_einladen":
        return {
            "email": "matrix@example.org",
            "vorname": "Maria",
            "nachname": "Matrix",
            "organisation": org,
            "rolle": "gast",
        }
    if name == "strategie:sichtbarkeit":
        return {"sichtbarkeit": "aggregiert" if Strategie.objects.get(slug=RLP).sichtbarkeit == "offen" else "offen"}
    if name == "strategie:rolle_aendern":
        return {"organisation": org, "rolle": "gast"}
    if name == "massnahmen:berichtsrunde_aendern":
        return {"titel": k.runde.titel, "stichtag": k.runde.stichtag.isoformat(), "frist": "2099-12-31"}
    if name == "massnahmen:berichtsrunde_wieder_oeffnen":
        return {"grund": "Rechtematrix"}
    if name == "massnahmen:berichtsrunde_eroeffnen":
        return {
            "titel": "Rechtematrix",
            "stichtag": "2025-12-31",
            "frist": "2026-02-15",
            "erinnerung_tage_vor_frist": 7,
            "massnahmen": [massnahme("I.1").pk],
        }
    if name == "berichte:anlegen":
        return {"art": "alk_jahresbericht", "berichtsjahr": 2022}
    if name == "berichte:text":
        return {"text": "Rechtematrix", "version": 0}
    if name == "meldebogen:hochladen":
        return {"organisation": org, "runde": "alle", "datei": meldebogen_csv(org, client)}
    return {}


def meldebogen_csv(org: int, client):
    """The role's own Meldebogen as CSV, downloaded as the user would; a role that cannot download one uploads a
    file without rows (the request must be refused before the file is looked at)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    antwort = client.get(f"/{RLP}/meldebogen/meldebogen.csv", {"organisation": org, "runde": "alle"})
    inhalt = antwort.content if antwort.status_code == 200 else b"Kennziffer;Organisation\n"
    return SimpleUploadedFile("meldebogen.csv", inhalt, content_type="text/csv")
