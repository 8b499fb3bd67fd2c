"""axe-core finds no WCAG 2.1 A/AA violation on the pages one reaches only through a state: error pages, signed
out, locked out, one-time links, and the status of an uploaded Meldebogen; an htmx submit refused because the
session changed in another tab tells the user so on one coherent page."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.e2e.conftest import axe_verstoesse

pytestmark = pytest.mark.e2e

RLP = "/rlp-digitalisierungsstrategie"


def _anmelden(page, url: str, benutzer: str, passwort: str = "demo") -> None:
    page.goto(url + "/anmelden/")
    page.fill("#id_username", benutzer)
    page.fill("#id_password", passwort)
    page.click("button[type=submit]")


def _angemeldet(page, url: str, benutzer: str) -> None:
    _anmelden(page, url, benutzer)
    page.wait_for_url(url + "/")


def _check(page, status: int, ueberschrift: str, antwort=None) -> None:
    """The page answered with `status`, has exactly one h1 with that text, and axe finds nothing."""
    if antwort is not None:
        assert antwort.status == status, antwort.status
    assert page.locator("h1").count() == 1
    assert page.locator("h1").inner_text().strip() == ueberschrift
    assert page.locator("html").get_attribute("lang") == "de"
    assert axe_verstoesse(page) == []


def test_german_404_page_signed_out_and_signed_in(page, live_server, e2e_daten):
    _check(page, 404, "Seite nicht gefunden", page.goto(live_server.url + "/gibt/es/nicht/"))

    _angemeldet(page, live_server.url, "demo-kusel")
    _check(page, 404, "Seite nicht gefunden", page.goto(f"{live_server.url}{RLP}/massnahmen/XX.99/"))


def test_403_page(page, live_server, e2e_daten):
    _angemeldet(page, live_server.url, "demo-kusel")

    antwort = page.goto(f"{live_server.url}{RLP}/benutzer/")

    _check(page, 403, "Keine Berechtigung", antwort)


def test_abgemeldet_page_after_signing_out(page, live_server, e2e_daten):
    _angemeldet(page, live_server.url, "demo-kusel")

    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_load_state()

    _check(page, 200, "Sie sind abgemeldet")
    assert "Angemeldet als" not in page.content()


def test_lockout_page(page, live_server, e2e_daten, settings):
    from axes.models import AccessAttempt

    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        _anmelden(page, live_server.url, "demo-cochem-zell", "falsch")
        page.wait_for_load_state()

    _check(page, 429, "Anmeldung vorübergehend gesperrt")
    assert "nach 2 Fehlversuchen" in page.locator("main").inner_text()
    assert AccessAttempt.objects.filter(username="demo-cochem-zell").exists()


def test_set_new_password_page_with_a_valid_link(page, live_server, e2e_daten):
    kusel = get_user_model().objects.get(username="demo-kusel")
    link = f"/passwort-neu/{urlsafe_base64_encode(force_bytes(kusel.pk))}/{default_token_generator.make_token(kusel)}/"

    page.goto(live_server.url + link)  # Django moves the token into the session and redirects

    _check(page, 200, "Neues Passwort festlegen")
    page.fill("#id_new_password1", "Kreisverwaltung-2026!")
    page.fill("#id_new_password2", "etwas anderes")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("[role=alert]").count() == 1  # the error summary of a failed submit
    _check(page, 200, "Neues Passwort festlegen")


def test_invitation_page_with_a_valid_link(page, live_server, e2e_daten):
    from strategie.models import Organisation, Strategie
    from strategie.services.einladungen import einladungslink, invite_user

    geschaeftsstelle = get_user_model().objects.get(username="demo-geschaeftsstelle")
    neu, _ = invite_user(
        actor=geschaeftsstelle,
        strategie=Strategie.objects.get(slug=RLP.strip("/")),
        email="neue.it@kreis-kusel.example",
        vorname="Nora",
        nachname="Neu",
        organisation=Organisation.objects.get(schluessel="07336"),
        rolle="berichterstattung",
    )
    pfad = "/einladung/" + einladungslink(neu).split("/einladung/", 1)[1]

    antwort = page.goto(live_server.url + pfad)

    _check(page, 200, "Willkommen – bitte legen Sie Ihr Passwort fest", antwort)
    assert neu.username in page.locator("main").inner_text()


def _upload_meldebogen(page, url: str, tmp_path, aenderungen: dict):
    """Download Kusel's Meldebogen for the open round, change cells like a user in Excel, upload it."""
    from meldebogen.models import Meldebogenimport
    from tests.meldebogen.meldebogen_hilfen import edit_xlsx

    _angemeldet(page, url, "demo-kusel")
    page.goto(f"{url}{RLP}/meldebogen/")
    with page.expect_download() as herunterladen:
        page.get_by_role("link", name="Excel-Datei (.xlsx) herunterladen").click()
    datei = tmp_path / "meldebogen.xlsx"
    datei.write_bytes(edit_xlsx(herunterladen.value.path().read_bytes(), aenderungen))
    page.set_input_files("input[type=file]", str(datei))
    page.get_by_role("button", name="Hochladen und prüfen").click()
    page.wait_for_url(f"{url}{RLP}/meldebogen/importe/*/")
    return Meldebogenimport.objects.get()


def test_meldebogen_import_status_after_an_upload(page, live_server, e2e_daten, tmp_path):
    meldebogenimport = _upload_meldebogen(page, live_server.url, tmp_path, {"I.2": {"Fortschritt (%)": 70}})

    assert (meldebogenimport.zustand, meldebogenimport.gemeldet) == ("fertig", 1)
    page.locator("[role=status]").wait_for()
    assert "1 Statusmeldung gespeichert" in page.locator("main").inner_text()
    _check(page, 200, "Hochgeladener Meldebogen")


def test_meldebogen_import_status_with_an_error_report(page, live_server, e2e_daten, tmp_path):
    meldebogenimport = _upload_meldebogen(page, live_server.url, tmp_path, {"I.2": {"Fortschritt (%)": "viel"}})

    assert meldebogenimport.zustand == "abgelehnt" and meldebogenimport.fehler
    page.locator("[role=alert]").wait_for()
    assert "Fehlerbericht: 1 Problem" in page.locator("main").inner_text()
    _check(page, 200, "Hochgeladener Meldebogen")


def _meldung_einreichen_nach(page, url: str, anderswo) -> None:
    """demo-kusel has the I.2 page open while `anderswo(zweite_seite)` happens in another tab of the same browser,
    then submits the Statusmeldung form (htmx)."""
    _angemeldet(page, url, "demo-kusel")
    page.goto(f"{url}{RLP}/massnahmen/I.2/")
    zweite = page.context.new_page()
    zweite.goto(url + "/")
    anderswo(zweite)
    zweite.close()
    _einreichen_und_warten(page)


def _einreichen_und_warten(page) -> None:
    """Submits the first Meldung form and waits until htmx has swapped and settled the answer (success or error):
    the response alone arrives before the swap, so reading the page right after it races."""
    page.evaluate(
        "window.__htmxFertig = false;"
        "document.addEventListener('htmx:afterSettle', () => { window.__htmxFertig = true; }, {once: true});"
    )
    with page.expect_response(lambda r: "/melden/" in r.url and r.request.method == "POST"):
        page.get_by_role("button", name="Meldung einreichen").first.click()
    page.wait_for_function("window.__htmxFertig === true")


def _abmelden(seite) -> None:
    seite.get_by_role("button", name="Abmelden").click()
    seite.wait_for_load_state()


def test_htmx_submit_after_signing_in_again_elsewhere_is_saved(page, live_server, e2e_daten):
    """Signing in again in another tab renews the CSRF token; the open form sends the current one and is saved."""

    def neu_anmelden(zweite):
        _abmelden(zweite)
        _angemeldet(zweite, live_server.url, "demo-kusel")  # Django rotates the CSRF secret on sign-in

    from massnahmen.models import Statusmeldung

    vorher = Statusmeldung.objects.count()

    _meldung_einreichen_nach(page, live_server.url, neu_anmelden)

    assert Statusmeldung.objects.count() == vorher + 1
    assert "wurde gespeichert" in page.locator("main").inner_text() and not page.locator("#htmx-fehler *").count()


def test_htmx_submit_without_a_valid_csrf_token_tells_the_user(page, live_server, e2e_daten):
    """Without any CSRF cookie (e.g. deleted by the browser), the German message stands above the kept form."""
    from massnahmen.models import Statusmeldung

    vorher = Statusmeldung.objects.count()

    _meldung_einreichen_nach(page, live_server.url, lambda zweite: zweite.context.clear_cookies(name="csrftoken"))

    assert Statusmeldung.objects.count() == vorher  # refused
    meldung = page.locator("#htmx-fehler")
    assert "Sitzung abgelaufen" in meldung.inner_text() and "nicht gespeichert" in meldung.inner_text()
    assert page.evaluate("document.activeElement.closest('#htmx-fehler') !== null")  # the message has the focus
    assert page.locator("form [name$='-status']").count() >= 1  # the form with the input is still there
    assert page.locator("h1").count() == 1 and axe_verstoesse(page) == []


def test_htmx_submit_after_signing_out_elsewhere_shows_one_page(page, live_server, e2e_daten):
    from massnahmen.models import Statusmeldung

    vorher = Statusmeldung.objects.count()

    _meldung_einreichen_nach(page, live_server.url, _abmelden)

    assert Statusmeldung.objects.count() == vorher  # refused
    assert page.locator("h1").count() == 1 and page.locator("main").count() == 1
    assert "Nicht mehr angemeldet" in page.locator("#htmx-fehler").inner_text()
    link = page.get_by_role("link", name="Erneut anmelden (öffnet ein neues Fenster)")
    assert link.get_attribute("href") == f"/anmelden/?next=%2F{RLP.strip('/')}%2Fmassnahmen%2FI.2%2F"
    assert axe_verstoesse(page) == []

    with page.context.expect_page() as neues_fenster:  # as the message says: sign in again in a new window
        link.click()
    fenster = neues_fenster.value
    fenster.fill("#id_username", "demo-kusel")
    fenster.fill("#id_password", "demo")
    with fenster.expect_navigation():
        fenster.click("button[type=submit]")
    fenster.close()
    _einreichen_und_warten(page)  # the kept input, sent again
    assert Statusmeldung.objects.count() == vorher + 1
