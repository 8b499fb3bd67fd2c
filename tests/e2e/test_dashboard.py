"""demo-lenkungsausschuss opens the dashboard, sets a past Stichtag and a Handlungsfeld by keyboard, follows the
shared link, and reads a chart's data table; axe finds no violations."""

import re

import pytest

from tests.e2e.conftest import axe_verstoesse

pytestmark = pytest.mark.e2e
DASHBOARD = "/rlp-digitalisierungsstrategie/dashboard/"


def _tab_bis(page, bedingung: str, max_schritte: int = 80) -> None:
    for _ in range(max_schritte):
        page.keyboard.press("Tab")
        if page.evaluate(f"(e => {bedingung})(document.activeElement)"):
            return
    raise AssertionError(f"Per Tabulator nicht erreichbar: {bedingung}")


def _tippe_datum(page, feld: str, *, tag: str, monat: str, jahr: str) -> None:
    """Type a date into a date picker as a keyboard user does; the order of its parts follows the browser's
    language, so a first probe tells whether the day or the month comes first."""
    page.focus(feld)
    page.keyboard.type("01022003")
    tag_zuerst = page.input_value(feld) == "2003-02-01"
    for _ in range(3):  # back to the first part
        page.keyboard.press("ArrowLeft")
    page.keyboard.type(f"{tag}{monat}{jahr}" if tag_zuerst else f"{monat}{tag}{jahr}")
    assert page.input_value(feld) == f"{jahr}-{monat}-{tag}"


def _kennzahl(page, label: str) -> str:
    return (
        page.locator(".kennzahlen li", has_text=re.compile(rf"^\s*\d+\s+{label}\s*$"))
        .locator(".kennzahl__wert")
        .inner_text()
    )


def test_lenkungsausschuss_filters_by_keyboard_and_shares_the_view(page, live_server, e2e_daten):
    page.goto(live_server.url + "/anmelden/?next=" + DASHBOARD)
    page.focus("#id_username")
    page.keyboard.type("demo-lenkungsausschuss")
    page.keyboard.press("Tab")
    page.keyboard.type("demo")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + DASHBOARD)
    assert axe_verstoesse(page) == []

    _tippe_datum(page, "#id_stichtag", tag="31", monat="12", jahr="2025")
    _tab_bis(page, "e.id === 'id_handlungsfeld'")
    page.keyboard.type("I ")
    assert page.eval_on_selector("#id_handlungsfeld", "e => e.value") == "I"
    _tab_bis(page, "e.type === 'submit'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*stichtag=2025-12-31.*handlungsfeld=I.*"))
    page.wait_for_selector("text=Auswahl: Handlungsfeld I Informationssicherheit")
    assert "Stand am 31.12.2025" in page.inner_text("#dashboard-ergebnis")
    umgesetzt, insgesamt = _kennzahl(page, "umgesetzt"), _kennzahl(page, "Maßnahmen insgesamt")
    assert axe_verstoesse(page) == []

    geteilt = page.context.new_page()  # the link a member sends to a colleague
    geteilt.goto(page.url)
    assert geteilt.input_value("#id_stichtag") == "2025-12-31"
    assert geteilt.eval_on_selector("#id_handlungsfeld", "e => e.value") == "I"
    assert (_kennzahl(geteilt, "umgesetzt"), _kennzahl(geteilt, "Maßnahmen insgesamt")) == (umgesetzt, insgesamt)

    zusammenfassung = geteilt.locator("summary", has_text="Daten als Tabelle: Status der Maßnahmen je Handlungsfeld")
    zusammenfassung.focus()
    geteilt.keyboard.press("Enter")
    tabelle = geteilt.locator("#dashboard-status table")
    assert tabelle.is_visible()
    zeile = tabelle.locator("tbody tr").first.inner_text()
    assert zeile.startswith("I Informationssicherheit") and zeile.split()[-1] == insgesamt
    svg_titel = geteilt.locator("#dashboard-status svg title").text_content()
    assert svg_titel == "Status der Maßnahmen je Handlungsfeld am 31.12.2025"
    assert axe_verstoesse(geteilt) == []
