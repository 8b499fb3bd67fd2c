"""Authorization matrix over the whole URLconf: every URL pattern has an expected outcome for every role, for GET
and POST. A new URL without an entry fails this test. Each request runs in a savepoint that is rolled back. POSTs
carry a body that succeeds for the roles allowed to send it (and must then store something), so a refused request
that leaves every table untouched (PostgreSQL's per-transaction row counts) was refused by the rules.

Codes per role (anonym, gast, kusel, cochem, federfuehrung, lenkungsausschuss, gs_andere, geschaeftsstelle):
O ok (200 or a redirect that is not to the sign-in), L redirect to /anmelden/, A redirect to the admin sign-in,
F 403, N 404, M 405, B 400.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client

from tests.rechte import matrix as mx

CODES = {"O": mx.OK, "L": mx.LOGIN, "A": mx.ADMIN, "F": "403", "N": "404", "M": "405", "B": "400"}

# name: (code of the Maßnahme or None, GET, POST)
ERWARTUNG = {
    "portal:startseite": (None, "LOOOOOOO", "LMMMMMMM"),
    "strategie:anmelden": (None, "OOOOOOOO", "OOOOOOOO"),
    "strategie:abmelden": (None, "MMMMMMMM", "OOOOOOOO"),
    "strategie:passwort_vergessen": (None, "OOOOOOOO", "OOOOOOOO"),
    "strategie:passwort_gesendet": (None, "OOOOOOOO", "MMMMMMMM"),
    "strategie:passwort_neu": (None, "OOOOOOOO", "OOOOOOOO"),
    "strategie:passwort_fertig": (None, "OOOOOOOO", "MMMMMMMM"),
    "strategie:einladung": (None, "BBBBBBBB", "BBBBBBBB"),
    "portal:barrierefreiheit": (None, "OOOOOOOO", "MMMMMMMM"),
    "portal:impressum": (None, "OOOOOOOO", "MMMMMMMM"),
    "portal:datenschutz": (None, "OOOOOOOO", "MMMMMMMM"),
    "portal:healthz": (None, "OOOOOOOO", "MMMMMMMM"),
    "portal:meine_meldungen": (None, "LOOOOOOO", "LMMMMMMM"),
    "portal:detail": (None, "LOOOOONO", "LMMMMMMM"),
    "portal:handlungsfeld": (None, "LOOOOONO", "LMMMMMMM"),
    "strategie:rolleneinladung": (None, "LNNNNNNN", "LNNNNNNN"),
    "massnahmen:detail": ("I.2", "LOOOOONO", "LMMMMMMM"),
    "massnahmen:melden": ("I.2", "LFOOFFNF", "LFOOFFNF"),
    "massnahmen:beteiligung": ("I.2", "LFOOOFNO", "LFOOOFNO"),
    "massnahmen:verlauf": ("IV.1", "LFFFOONO", "LMMMMMMM"),
    "massnahmen:bearbeiten": ("IV.1", "LFFFOFNO", "LFFFOFNO"),
    "massnahmen:meilenstein_neu": ("IV.1", "LMMMMMMM", "LFFFOFNO"),
    "massnahmen:meilenstein": ("IV.1", "LMMMMMMM", "LFFFOFNO"),
    "strategie:benutzer_liste": (None, "LFFFFFNO", "LMMMMMMM"),
    "strategie:benutzer_einladen": (None, "LFFFFFNO", "LFFFFFNO"),
    "strategie:einladung_zurueckziehen": (None, "LMMMMMMM", "LFFFFFNO"),
    "strategie:sichtbarkeit": (None, "LMMMMMMM", "LFFFFFNO"),
    "strategie:rolle_aendern": (None, "LMMMMMMM", "LFFFFFNO"),
    "strategie:rolle_entziehen": (None, "LMMMMMMM", "LFFFFFNO"),
    "strategie:benutzer_deaktivieren": (None, "LFFFFFNO", "LFFFFFNO"),
    "strategie:benutzer_reaktivieren": (None, "LFFFFFNO", "LFFFFFNO"),
    "strategie:benutzer_entsperren": (None, "LMMMMMMM", "LFFFFFNO"),
    "strategie:benutzer_verlauf": (None, "LFFFFFNO", "LMMMMMMM"),
    "massnahmen:berichtsrunde_liste": (None, "LFOOOONO", "LMMMMMMM"),
    "massnahmen:berichtsrunde_eroeffnen": (None, "LFFFFFNO", "LFFFFFNO"),
    "massnahmen:berichtsrunde_detail": (None, "LFOOOONO", "LMMMMMMM"),
    "massnahmen:berichtsrunde_schliessen": (None, "LFFFFFNO", "LFFFFFNO"),
    "massnahmen:berichtsrunde_aendern": (None, "LFFFFFNO", "LFFFFFNO"),
    "massnahmen:berichtsrunde_wieder_oeffnen": (None, "LFFFFFNO", "LFFFFFNO"),
    "massnahmen:berichtsrunde_loeschen": (None, "LFFFFFNO", "LFFFFFNO"),
    "massnahmen:berichtsrunde_erinnern": (None, "LMMMMMMM", "LFFFFFNO"),
    "meldebogen:seite": (None, "LFOOOFNO", "LMMMMMMM"),
    "meldebogen:herunterladen": (None, "LFOOOFNO", "LMMMMMMM"),
    "meldebogen:hochladen": (None, "LMMMMMMM", "LFOOOFNO"),
    "meldebogen:import": (None, "LNONNNNN", "LMMMMMMM"),
    # Berichte: drafts for Geschäftsstelle and Lenkungsausschuss; released ones also for Berichterstattung
    "berichte:liste": (None, "LFOOOONO", "LMMMMMMM"),
    "berichte:anlegen": (None, "LFFFFFNO", "LFFFFFNO"),
    "berichte:detail": (None, "LNNNNONO", "LMMMMMMM"),
    "berichte:status": (None, "LNNNNONO", "LMMMMMMM"),
    "berichte:text": (None, "LMMMMMMM", "LNNNNFNO"),
    "berichte:pdf_erzeugen": (None, "LMMMMMMM", "LNNNNFNO"),
    "berichte:freigeben": (None, "LMMMMMMM", "LNNNNONF"),
    "berichte:neue_version": (None, "LMMMMMMM", "LNFFFFNO"),
    "berichte:herunterladen": (None, "LNOOOONO", "LMMMMMMM"),
    "berichte:dashboard": (None, "LOOOOONO", "LMMMMMMM"),
    "berichte:dashboard_export": (None, "LOOOOONO", "LMMMMMMM"),
    "berichte:organisationsprofil": (None, "LNOOOONO", "LMMMMMMM"),
    "berichte:organisationsprofil_export": (None, "LNOOOONO", "LMMMMMMM"),
}
ADMIN_OFFEN = {"admin:login": ("OOOOOOOO", "OOOOOOOO"), "admin:logout": ("OOOOOOOO", "OOOOOOOO")}
ADMIN_SONST = ("AAAAAAAA", "AAAAAAAA")


# POSTs that must store something whenever they are allowed: proves the payloads are valid, so a refused request
# that stores nothing was refused by the rules, not by a malformed body.
SCHREIBEND = {name for name, (_, _, post) in ERWARTUNG.items() if "O" in post} - {
    "strategie:anmelden",
    "strategie:abmelden",
    "strategie:passwort_vergessen",
    "strategie:passwort_neu",
}


def _schreibzugriffe() -> dict[str, int]:
    """Rows inserted, updated or deleted so far in this transaction, per table (PostgreSQL's own statistics, so no
    table can be forgotten)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables")
        return {tabelle: n for tabelle, n in cursor.fetchall() if n}


def _geschrieben(vorher: dict[str, int]) -> list[str]:
    return sorted(t for t, n in _schreibzugriffe().items() if n != vorher.get(t, 0))


def _pfad(name: str, route: str, k: mx.Kontext, code: str | None) -> str:
    if name.startswith("admin:"):
        return mx.admin_pfad(route)
    werte = {
        "slug": mx.RLP,
        "nummer": "I",
        "code": code or "I.2",
        "format": "xlsx",
        "uidb64": "MQ",
        "token": "a-b",
        "user_id": k.deaktiviert_user_id if name == "strategie:benutzer_reaktivieren" else k.kusel_user_id,
        "feld": "vorwort",
        "kennung": "07336",
        "tabelle": "massnahmen",
        "einladung": k.einladung_kennung,
    }
    werte["pk"] = {
        "massnahmen:meilenstein": k.meilenstein.pk,
        "massnahmen:berichtsrunde_detail": k.runde.pk,
        "massnahmen:berichtsrunde_schliessen": k.runde.pk,
        "massnahmen:berichtsrunde_aendern": k.runde.pk,
        "massnahmen:berichtsrunde_wieder_oeffnen": k.geschlossene_runde.pk,
        "massnahmen:berichtsrunde_loeschen": k.runde.pk,
        "massnahmen:berichtsrunde_erinnern": k.runde.pk,
        "meldebogen:import": k.kusel_import.pk,
        "strategie:rolle_aendern": k.kusel_mitgliedschaft.pk,
        "strategie:rolle_entziehen": k.kusel_mitgliedschaft.pk,
        "berichte:freigeben": k.bericht_fertig,
        "berichte:neue_version": k.bericht_freigegeben,
        "berichte:herunterladen": k.bericht_freigegeben,
    }.get(name, k.bericht_entwurf if name.startswith("berichte:") else 1)
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(werte[m.group(1)]), route)


def test_every_url_has_an_entry():
    namen = {name for name, _ in mx.alle_urlmuster() if not name.startswith("admin:")}

    assert namen - set(ERWARTUNG) == set(), "Für diese URLs fehlt eine Erwartung in der Rechtematrix."
    assert set(ERWARTUNG) - namen == set(), "Diese Einträge der Rechtematrix haben keine URL mehr."


@pytest.mark.parametrize("methode", ["GET", "POST"])
def test_matrix(daten, methode):
    k = mx.build_kontext()
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
            client = clients[rolle]
            with transaction.atomic():
                vorher = _schreibzugriffe()
                if methode == "GET":
                    antwort = client.get(pfad)
                else:
                    antwort = client.post(pfad, mx.nutzlast(name, rolle, k, client))
                ergebnis = mx.classify(antwort)
                geschrieben = _geschrieben(vorher)
                if ergebnis == mx.LOGIN and methode == "POST":  # the form's input, kept for after signing in again
                    geschrieben = [t for t in geschrieben if t != "django_session"]
                transaction.set_rollback(True)
            if ergebnis != CODES[zeichen]:
                abweichungen.append(
                    f"{methode} {pfad} ({name}) als {rolle}: erwartet {CODES[zeichen]}, war {ergebnis}"
                )
            elif ergebnis != mx.OK and geschrieben:
                abweichungen.append(
                    f"{methode} {pfad} als {rolle}: abgelehnt ({ergebnis}), aber geschrieben: {', '.join(geschrieben)}"
                )
            elif methode == "POST" and ergebnis == mx.OK and name in SCHREIBEND and not geschrieben:
                abweichungen.append(f"POST {pfad} als {rolle}: erlaubt, aber nichts gespeichert (Nutzlast ungültig?)")
            if rolle != "anonym" and name == "strategie:abmelden" and methode == "POST":
                clients[rolle].force_login(User.objects.get(username=mx.BENUTZER[rolle]))
    assert abweichungen == [], "\n".join(abweichungen)
