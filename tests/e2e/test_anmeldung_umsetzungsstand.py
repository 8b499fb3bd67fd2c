"""Signed in by keyboard only, Kusel's IT lead follows the links from the strategy to Maßnahme I.1 and finds its own
organisation in the Umsetzungsstand table."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_verstoesse

pytestmark = pytest.mark.e2e


def test_kusel_signs_in_by_keyboard_and_finds_kusel_in_massnahme_i1(page, live_server, e2e_daten):
    page.goto(live_server.url + "/anmelden/")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_username":
            break
    page.keyboard.type("demo-kusel")
    page.keyboard.press("Tab")
    page.keyboard.type("demo")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/")

    page.get_by_role("link", name=re.compile("Digitalisierungsstrategie der rheinland-pfälzischen")).click()
    page.get_by_role("link", name="Informationssicherheit", exact=True).click()
    page.locator("main").get_by_role("link", name=re.compile("Soll-Ist-Analyse")).first.click()

    tabelle = page.get_by_role("table", name="Aktueller Umsetzungsstand je Organisation")
    expect(tabelle.get_by_role("rowheader", name="Kusel", exact=True)).to_be_visible()
    assert re.search(r"/massnahmen/I\.1/$", page.url)
    assert axe_verstoesse(page) == []
