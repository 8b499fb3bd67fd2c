"""Sign in by keyboard, see one's own organisation's Maßnahmen; axe on sign-in, user management and Verlauf."""

import pytest

from tests.e2e.conftest import axe_verstoesse

pytestmark = pytest.mark.e2e


def _anmelden_per_tastatur(page, url, benutzer):
    page.goto(url + "/anmelden/")
    assert axe_verstoesse(page) == []
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_username":
            break
    page.keyboard.type(benutzer)
    page.keyboard.press("Tab")
    page.keyboard.type("demo")
    page.keyboard.press("Enter")
    page.wait_for_url(url + "/")


def test_kusel_signs_in_by_keyboard_and_sees_own_massnahmen(page, live_server, e2e_daten):
    _anmelden_per_tastatur(page, live_server.url, "demo-kusel")

    page.goto(live_server.url + "/meine-meldungen/")
    text = page.locator("main").inner_text()
    assert "Kusel" in text and "I.1 Soll-Ist-Analyse" in text and "Cochem-Zell" not in text
    assert axe_verstoesse(page) == []


@pytest.mark.parametrize(
    "pfad",
    [
        "/rlp-digitalisierungsstrategie/benutzer/",
        "/rlp-digitalisierungsstrategie/benutzer/einladen/",
        "/rlp-digitalisierungsstrategie/massnahmen/IV.1/verlauf/",
    ],
)
def test_management_pages_have_no_axe_violations(page, live_server, e2e_daten, pfad):
    _anmelden_per_tastatur(page, live_server.url, "demo-geschaeftsstelle")

    page.goto(live_server.url + pfad)

    assert page.locator("h1").count() == 1
    assert axe_verstoesse(page) == []


def test_user_verlauf_has_no_axe_violations(page, live_server, e2e_daten):
    from django.contrib.auth import get_user_model

    kusel = get_user_model().objects.get(username="demo-kusel")
    _anmelden_per_tastatur(page, live_server.url, "demo-geschaeftsstelle")

    page.goto(f"{live_server.url}/rlp-digitalisierungsstrategie/benutzer/{kusel.pk}/verlauf/")

    assert "Rolle vergeben" in page.locator("main").inner_text()
    assert axe_verstoesse(page) == []
