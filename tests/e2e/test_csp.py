"""The pages keep their Content-Security-Policy: no violation in the browser, including htmx swaps."""

import pytest

pytestmark = pytest.mark.e2e


def test_no_csp_violation_while_reporting(browser, live_server, e2e_daten):
    kontext = browser.new_context(bypass_csp=False, locale="de-DE")
    page = kontext.new_page()
    verstoesse = []
    page.on(
        "console",
        lambda nachricht: verstoesse.append(nachricht.text) if "Content Security Policy" in nachricht.text else None,
    )

    antwort = page.goto(live_server.url + "/anmelden/")
    assert "script-src 'self'" in antwort.headers["content-security-policy"]
    page.fill("#id_username", "demo-kusel")
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    page.goto(live_server.url + "/meine-meldungen/")
    zweites = page.locator("li.meldeposten").nth(1)
    zweites.locator("summary").click()  # loads the form with htmx
    zweites.locator("form").wait_for()
    page.goto(live_server.url + "/rlp-digitalisierungsstrategie/massnahmen/I.2/")
    page.locator("button", has_text="Meldung einreichen").first.click()  # htmx submit, swap with the result
    page.locator("[role=status], [role=alert]").first.wait_for()
    kontext.close()

    assert verstoesse == []
