"""A reader walks Startseite → Strategie → Handlungsfeld → Maßnahme by keyboard; axe finds nothing."""

import pytest

from tests.e2e.conftest import axe_verstoesse

pytestmark = pytest.mark.e2e


def _tab_to(page, linktext: str, max_schritte: int = 80) -> None:
    """Press Tab until the focused element is the link with this text, then Enter."""
    for _ in range(max_schritte):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == linktext:
            page.keyboard.press("Enter")
            page.wait_for_load_state()
            return
    raise AssertionError(f"Link „{linktext}“ ist per Tabulator nicht erreichbar.")


def test_walk_by_keyboard_with_axe(page, live_server, e2e_daten):
    page.goto(live_server.url + "/anmelden/")
    assert axe_verstoesse(page) == []
    page.keyboard.press("Tab")  # skip link first
    assert page.evaluate("document.activeElement.textContent.trim()") == "Zum Inhalt springen"
    page.focus("#id_username")
    page.keyboard.type("demo-gast")
    page.keyboard.press("Tab")
    page.keyboard.type("demo")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/")
    assert axe_verstoesse(page) == []

    _tab_to(page, "Digitalisierungsstrategie der rheinland-pfälzischen Landkreise")
    assert page.locator("h1").inner_text() == "Digitalisierungsstrategie der rheinland-pfälzischen Landkreise"
    assert axe_verstoesse(page) == []

    _tab_to(page, "Informationssicherheit")
    assert page.locator("h1").inner_text() == "Informationssicherheit"
    assert axe_verstoesse(page) == []

    _tab_to(page, "Soll-Ist-Analyse der Informationssicherheit in jeder Kreisverwaltung")
    assert "3 von 24 umgesetzt" in page.locator("main").inner_text()
    assert axe_verstoesse(page) == []


@pytest.mark.parametrize(
    "pfad", ["/barrierefreiheit/", "/impressum/", "/datenschutz/", "/kgrz-koblenz/", "/kgrz-koblenz/massnahmen/4.2/"]
)
def test_other_pages_have_no_axe_violations(page, live_server, e2e_daten, pfad):
    page.goto(live_server.url + "/anmelden/")
    page.fill("#id_username", "demo-kgrz")
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")

    page.goto(live_server.url + pfad)

    assert page.locator("h1").count() == 1
    assert axe_verstoesse(page) == []
