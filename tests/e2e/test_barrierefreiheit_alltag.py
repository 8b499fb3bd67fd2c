"""axe-core finds no WCAG 2.1 A/AA violation on the pages issue 13 changed or added: sign-in after an expired
session, the Startseite of the Geschäftsstelle, users (deactivate, reactivate), opening, changing, reopening and
deleting a round with its reminders, a correction from the history, two open rounds in "Meine Meldungen", open
invitations of both kinds with their "Einladung zurückziehen", and the result of a Meldebogen re-saved by LibreOffice
with one row confirmed unchanged."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.e2e.conftest import axe_verstoesse

pytestmark = pytest.mark.e2e

RLP = "/rlp-digitalisierungsstrategie"


def _angemeldet(page, url: str, benutzer: str) -> None:
    page.goto(url + "/anmelden/")
    page.fill("#id_username", benutzer)
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(url + "/")


def _sauber(page, pfad: str, url: str) -> None:
    antwort = page.goto(url + pfad)
    assert antwort.status == 200, (pfad, antwort.status)
    assert page.locator("h1").count() == 1, pfad
    assert axe_verstoesse(page) == [], pfad


def test_geschaeftsstelle_pages_of_rounds_and_users(page, live_server, e2e_daten):
    from massnahmen.models import Berichtsrunde, Massnahme
    from massnahmen.services import close_berichtsrunde, open_berichtsrunde, send_erinnerungen_jetzt

    gs = get_user_model().objects.get(username="demo-geschaeftsstelle")
    cochem = get_user_model().objects.get(username="demo-cochem-zell")
    rlp = Massnahme.objects.get(strategie__slug=RLP[1:], code="I.1").strategie
    offen = Berichtsrunde.objects.get(strategie=rlp, ist_demo=True)
    send_erinnerungen_jetzt(actor=gs, berichtsrunde=offen, heute=timezone.localdate())
    zu = open_berichtsrunde(
        actor=gs,
        strategie=rlp,
        titel="Geschlossen",
        stichtag=dt.date(2024, 12, 31),
        frist=dt.date(2025, 2, 15),
        massnahmen=[Massnahme.objects.get(strategie=rlp, code="I.1")],
    )
    close_berichtsrunde(actor=gs, berichtsrunde=zu)
    _offene_einladungen(gs, rlp)
    _angemeldet(page, live_server.url, "demo-geschaeftsstelle")

    assert axe_verstoesse(page) == []  # the Startseite with its links to rounds and users
    assert page.get_by_role("link", name="Berichtsrunden von RLP-Digitalisierungsstrategie").count() <= 1
    for pfad in (
        f"{RLP}/berichtsrunden/neu/",
        f"{RLP}/berichtsrunden/{offen.pk}/",
        f"{RLP}/berichtsrunden/{offen.pk}/aendern/",
        f"{RLP}/berichtsrunden/{offen.pk}/schliessen/",
        f"{RLP}/berichtsrunden/{offen.pk}/loeschen/",
        f"{RLP}/berichtsrunden/{zu.pk}/",
        f"{RLP}/berichtsrunden/{zu.pk}/wieder-oeffnen/",
        f"{RLP}/benutzer/",
        f"{RLP}/benutzer/{cochem.pk}/deaktivieren/",
        f"{RLP}/benutzer/{cochem.pk}/verlauf/",
    ):
        _sauber(page, pfad, live_server.url)
    page.goto(f"{live_server.url}{RLP}/benutzer/")
    assert page.get_by_role("button", name=re.compile(r"^Einladung zurückziehen\W+Nina Neu \(")).count() == 2
    cochem.is_active = False
    cochem.save()
    _sauber(page, f"{RLP}/benutzer/{cochem.pk}/reaktivieren/", live_server.url)


def _offene_einladungen(gs, rlp) -> None:
    """Both kinds of open invitation on the users page: a new account and a Rolleneinladung of a KGRZ account."""
    from strategie.models import Organisation
    from strategie.services.einladungen import invite_user

    kusel = Organisation.objects.get(schluessel="07336")
    for email in ("neu@kreis-kusel.example", get_user_model().objects.get(username="demo-kgrz").email):
        invite_user(
            actor=gs, strategie=rlp, email=email, vorname="Nina", nachname="Neu", organisation=kusel, rolle="gast"
        )


def test_round_form_alle_is_reached_by_keyboard_before_the_submit(page, live_server, e2e_daten):
    _angemeldet(page, live_server.url, "demo-geschaeftsstelle")
    page.goto(f"{live_server.url}{RLP}/berichtsrunden/neu/")
    page.focus("#id_erinnerung_tage_vor_frist")

    erreicht = []
    for _ in range(8):
        page.keyboard.press("Tab")
        erreicht.append(page.evaluate("document.activeElement.textContent.trim() || document.activeElement.value"))
        if "Berichtsrunde eröffnen" in erreicht[-1]:
            break

    assert "Berichtsrunde eröffnen" in erreicht[-1], erreicht  # not 53 checkboxes in between
    assert page.locator("#id_umfang_0").is_checked()


def test_berichterstattung_pages_correction_and_two_rounds(page, live_server, e2e_daten):
    from massnahmen.models import Berichtsrunde, Massnahme, Statusmeldung
    from massnahmen.services import open_berichtsrunde

    gs = get_user_model().objects.get(username="demo-geschaeftsstelle")
    rlp = Massnahme.objects.get(strategie__slug=RLP[1:], code="I.1").strategie
    demo = Berichtsrunde.objects.get(strategie=rlp, ist_demo=True)
    open_berichtsrunde(
        actor=gs,
        strategie=rlp,
        titel="Zweite Runde",
        stichtag=timezone.localdate(),
        frist=timezone.localdate() + dt.timedelta(days=30),
        massnahmen=list(demo.massnahmen.all()),
    )
    alt = Statusmeldung.objects.get(
        massnahme__code="I.2", organisation__schluessel="07336", stichtag=dt.date(2024, 6, 30)
    )
    _angemeldet(page, live_server.url, "demo-kusel")

    _sauber(page, "/meine-meldungen/", live_server.url)
    ids = page.evaluate("Array.from(document.querySelectorAll('[id]')).map(e => e.id)")
    assert len(ids) == len(set(ids))
    _sauber(page, f"{RLP}/massnahmen/I.2/", live_server.url)
    page.get_by_role("link", name="Diese Meldung korrigieren (Kusel, Stichtag 30.06.2024)").click()
    page.wait_for_load_state()
    assert f"korrektur={alt.pk}" in page.url
    assert axe_verstoesse(page) == []


def test_sign_in_after_an_expired_session_keeps_the_invitation_input(page, live_server, e2e_daten):
    _angemeldet(page, live_server.url, "demo-geschaeftsstelle")
    page.goto(f"{live_server.url}{RLP}/benutzer/einladen/")
    page.fill("#id_email", "nora.neu@kreis.example")
    page.fill("#id_vorname", "Nora")
    page.context.clear_cookies(name="sessionid")  # the session ends while the form is open

    page.get_by_role("button", name="Einladung senden").click()
    page.wait_for_url("**/anmelden/**")
    assert "Ihre Sitzung ist abgelaufen." in page.locator("main").inner_text()
    assert axe_verstoesse(page) == []
    page.fill("#id_username", "demo-geschaeftsstelle")
    page.fill("#id_password", "demo")
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"**{RLP}/benutzer/einladen/")

    assert page.input_value("#id_email") == "nora.neu@kreis.example" and page.input_value("#id_vorname") == "Nora"
    assert "Ihre Eingaben von vorhin sind wieder eingesetzt." in page.locator("main").inner_text()
    assert axe_verstoesse(page) == []


def test_meldebogen_result_by_kennziffer_after_a_libreoffice_file_with_a_confirmed_row(page, live_server, e2e_daten):
    datei = Path(__file__).resolve().parents[1] / "fixtures" / "meldebogen" / "bestaetigt-lo.xlsx"
    _angemeldet(page, live_server.url, "demo-kusel")
    _sauber(page, f"{RLP}/meldebogen/", live_server.url)

    page.set_input_files("input[type=file]", str(datei))
    page.get_by_role("button", name="Hochladen und prüfen").click()
    page.get_by_text("Der Meldebogen wurde übernommen.").wait_for()

    ergebnis = page.locator(".importergebnis").inner_text()
    assert "Unverändert bestätigt (1)" in ergebnis and "VI.1" in ergebnis and "Übersprungen" in ergebnis
    assert axe_verstoesse(page) == []
