"""Authorization matrix over the whole URLconf: every URL pattern has an expected outcome for every role, for GET
and POST. A new URL without an entry fails this test. Each request runs in a savepoint that is rolled back, and a
refused request must leave the database unchanged.

Codes per role (anonym, gast, kusel, cochem, federfuehrung, lenkungsausschuss, gs_andere, geschaeftsstelle):
O ok (200 or a redirect that is not to the sign-in), L redirect to /anmelden/, A redirect to the admin sign-in,
F 403, N 404, M 405, B 400.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Sum
from django.test import Client

from massnahmen.models import Berichtsrunde, Beteiligung, Massnahme, Meilenstein, Meldebogenimport, Statusmeldung
from strategie.models import Mitgliedschaft
from tests.rechte import matrix as mx

CODES = {"O": mx.OK, "L": mx.LOGIN, "A": mx.ADMIN, "F": "403", "N": "404", "M": "405", "B": "400"}

# name: (code of the Maßnahme or None, GET, POST)
ERWARTUNG = {
    "strategie:startseite":         (None,   "LOOOOOOO", "LMMMMMMM"),
    "strategie:anmelden":           (None,   "OOOOOOOO", "OOOOOOOO"),
    "strategie:abmelden":           (None,   "MMMMMMMM", "OOOOOOOO"),
    "strategie:passwort_vergessen": (None,   "OOOOOOOO", "OOOOOOOO"),
    "strategie:passwort_gesendet":  (None,   "OOOOOOOO", "MMMMMMMM"),
    "strategie:passwort_neu":       (None,   "OOOOOOOO", "OOOOOOOO"),
    "strategie:passwort_fertig":    (None,   "OOOOOOOO", "MMMMMMMM"),
    "strategie:einladung":          (None,   "BBBBBBBB", "BBBBBBBB"),
    "strategie:barrierefreiheit":   (None,   "OOOOOOOO", "MMMMMMMM"),
    "strategie:impressum":          (None,   "OOOOOOOO", "MMMMMMMM"),
    "strategie:datenschutz":        (None,   "OOOOOOOO", "MMMMMMMM"),
    "strategie:healthz":            (None,   "OOOOOOOO", "MMMMMMMM"),
    "strategie:meine_meldungen":    (None,   "LOOOOOOO", "LMMMMMMM"),
    "strategie:detail":             (None,   "LOOOOONO", "LMMMMMMM"),
    "handlungsfelder:detail":       (None,   "LOOOOONO", "LMMMMMMM"),
    "massnahmen:detail":            ("I.2",  "LOOOOONO", "LMMMMMMM"),
    "massnahmen:melden":            ("I.2",  "LFOOFFNF", "LFOOFFNF"),
    "massnahmen:beteiligung":       ("I.2",  "LFOOOFNO", "LFOOOFNO"),
    "massnahmen:verlauf":           ("IV.1", "LFFFOONO", "LMMMMMMM"),
    "massnahmen:bearbeiten":        ("IV.1", "LFFFOFNO", "LFFFOFNO"),
    "massnahmen:meilenstein_neu":   ("IV.1", "LMMMMMMM", "LFFFOFNO"),
    "massnahmen:meilenstein":       ("IV.1", "LMMMMMMM", "LFFFOFNO"),
    "benutzer:liste":               (None,   "LFFFFFNO", "LMMMMMMM"),
    "benutzer:einladen":            (None,   "LFFFFFNO", "LFFFFFNO"),
    "benutzer:sichtbarkeit":        (None,   "LMMMMMMM", "LFFFFFNO"),
    "benutzer:rolle_aendern":       (None,   "LMMMMMMM", "LFFFFFNO"),
    "benutzer:rolle_entziehen":     (None,   "LMMMMMMM", "LFFFFFNO"),
    "benutzer:deaktivieren":        (None,   "LMMMMMMM", "LFFFFFNO"),
    "benutzer:entsperren":          (None,   "LMMMMMMM", "LFFFFFNO"),
    "benutzer:verlauf":             (None,   "LFFFFFNO", "LMMMMMMM"),
    "berichtsrunden:liste":         (None,   "LFOOOONO", "LMMMMMMM"),
    "berichtsrunden:eroeffnen":     (None,   "LFFFFFNO", "LFFFFFNO"),
    "berichtsrunden:detail":        (None,   "LFOOOONO", "LMMMMMMM"),
    "berichtsrunden:schliessen":    (None,   "LFFFFFNO", "LFFFFFNO"),
    "meldebogen:seite":             (None,   "LFOOOFNF", "LMMMMMMM"),
    "meldebogen:herunterladen":     (None,   "LFOOOFNF", "LMMMMMMM"),
    "meldebogen:hochladen":         (None,   "LMMMMMMM", "LFOOOFNF"),
    "meldebogen:import":            (None,   "LNONNNNN", "LMMMMMMM"),
}  # fmt: skip
ADMIN_OFFEN = {"admin:login": ("OOOOOOOO", "OOOOOOOO"), "admin:logout": ("OOOOOOOO", "OOOOOOOO")}
ADMIN_SONST = ("AAAAAAAA", "AAAAAAAA")


def _abbild() -> tuple:
    """What a refused request must not change."""
    User = get_user_model()
    return (
        Statusmeldung.objects.count(),
        tuple(Mitgliedschaft.objects.order_by("pk").values_list("pk", "organisation_id", "rolle")),
        Beteiligung.objects.aggregate(
            n=Count("pk"), entfallen=Count("pk", filter=__import__("django").db.models.Q(entfaellt=True))
        ),
        tuple(Massnahme.objects.order_by("pk").values_list("beschreibung", flat=True)),
        tuple(Meilenstein.objects.order_by("pk").values_list("titel", "faellig_am", "erreicht_am")),
        tuple(Berichtsrunde.objects.order_by("pk").values_list("pk", "zustand")),
        Meldebogenimport.objects.count(),
        tuple(User.objects.order_by("pk").values_list("pk", "is_active", "password")),
        Beteiligung.objects.aggregate(s=Sum("pk")),
    )


def _pfad(name: str, route: str, k: mx.Kontext, code: str | None) -> str:
    if name.startswith("admin:"):
        return mx.admin_pfad(route)
    werte = {"slug": mx.RLP, "nummer": "I", "code": code or "I.2", "format": "xlsx", "uidb64": "MQ", "token": "a-b",
             "user_id": k.kusel_user_id}  # fmt: skip
    werte["pk"] = {
        "massnahmen:meilenstein": k.meilenstein.pk, "berichtsrunden:detail": k.runde.pk,
        "berichtsrunden:schliessen": k.runde.pk, "meldebogen:import": k.kusel_import.pk,
        "benutzer:rolle_aendern": k.kusel_mitgliedschaft.pk, "benutzer:rolle_entziehen": k.kusel_mitgliedschaft.pk,
    }.get(name, 1)  # fmt: skip
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(werte[m.group(1)]), route)


def test_every_url_has_an_entry():
    namen = {name for name, _ in mx.alle_urlmuster() if not name.startswith("admin:")}

    assert namen - set(ERWARTUNG) == set(), "Für diese URLs fehlt eine Erwartung in der Rechtematrix."
    assert set(ERWARTUNG) - namen == set(), "Diese Einträge der Rechtematrix haben keine URL mehr."


@pytest.mark.parametrize("methode", ["GET", "POST"])
def test_matrix(daten, methode):
    k = mx.baue_kontext()
    User = get_user_model()
    clients = {"anonym": Client()}
    for rolle in mx.ROLLEN[1:]:
        clients[rolle] = Client()
        clients[rolle].force_login(User.objects.get(username=mx.BENUTZER[rolle]))
    abweichungen = []
    for name, route in mx.alle_urlmuster():
        if name.startswith("admin:"):
            erwartet = ADMIN_OFFEN.get(name, ADMIN_SONST)[0 if methode == "GET" else 1]
            code = None
        else:
            code, get, post = ERWARTUNG[name]
            erwartet = get if methode == "GET" else post
        pfad = _pfad(name, route, k, code)
        for rolle, zeichen in zip(mx.ROLLEN, erwartet, strict=True):
            vorher = _abbild()
            with transaction.atomic():
                client = clients[rolle]
                antwort = client.get(pfad) if methode == "GET" else client.post(pfad, {})
                ergebnis = mx.klassifiziere(antwort)
                veraendert = _abbild() != vorher
                transaction.set_rollback(True)
            if ergebnis != CODES[zeichen]:
                abweichungen.append(
                    f"{methode} {pfad} ({name}) als {rolle}: erwartet {CODES[zeichen]}, war {ergebnis}"
                )
            if ergebnis not in (mx.OK,) and veraendert:
                abweichungen.append(f"{methode} {pfad} als {rolle}: abgelehnt ({ergebnis}), aber Datenbank verändert")
            if rolle != "anonym" and name == "strategie:abmelden" and methode == "POST":
                clients[rolle].force_login(User.objects.get(username=mx.BENUTZER[rolle]))
    assert abweichungen == [], "\n".join(abweichungen)
