"""axe-core finds no WCAG 2.1 A/AA violation on any page a role can open (one sign-in per role)."""

import pytest

from tests.e2e.conftest import axe_verstoesse

pytestmark = pytest.mark.e2e

RLP = "/rlp-digitalisierungsstrategie"


def _anmelden(page, url: str, benutzer: str) -> None:
    page.goto(url + "/anmelden/")
    page.fill("#id_username", benutzer)
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(url + "/")


def _check(page, url: str, pfade: list[str]) -> list[str]:
    befunde = []
    for pfad in pfade:
        antwort = page.goto(url + pfad)
        assert antwort.status == 200, f"{pfad}: {antwort.status}"
        assert page.locator("h1").count() == 1, pfad
        befunde += [f"{pfad}: {v}" for v in axe_verstoesse(page)]
    return befunde


def test_pages_without_sign_in(page, live_server, e2e_daten):
    pfade = [
        "/anmelden/",
        "/passwort-vergessen/",
        "/passwort-vergessen/gesendet/",
        "/passwort-neu/fertig/",
        "/barrierefreiheit/",
        "/impressum/",
        "/datenschutz/",
    ]
    assert _check(page, live_server.url, pfade) == []


def test_pages_of_the_geschaeftsstelle(page, live_server, e2e_daten):
    from massnahmen.models import Berichtsrunde

    runde = Berichtsrunde.objects.get(ist_demo=True)
    _anmelden(page, live_server.url, "demo-geschaeftsstelle")
    pfade = [
        f"{RLP}/",
        f"{RLP}/handlungsfelder/III/",
        f"{RLP}/handlungsfelder/VI/",
        f"{RLP}/massnahmen/IV.1/",
        f"{RLP}/massnahmen/III.1/",  # a derived Frist with its sentence in <details>
        f"{RLP}/massnahmen/II.4/",  # a Maßnahme of the strategy as a whole
        f"{RLP}/massnahmen/IV.1/bearbeiten/",
        f"{RLP}/massnahmen/I.2/beteiligung/",
        f"{RLP}/berichtsrunden/",
        f"{RLP}/berichtsrunden/neu/",
        f"{RLP}/berichtsrunden/{runde.pk}/",
        f"{RLP}/berichtsrunden/{runde.pk}/schliessen/",
        f"{RLP}/benutzer/einladen/",
    ]
    assert _check(page, live_server.url, pfade) == []


def test_pages_of_the_kusel_reporter(page, live_server, e2e_daten):
    _anmelden(page, live_server.url, "demo-kusel")
    pfade = [
        "/meine-meldungen/",
        f"{RLP}/massnahmen/I.2/",
        f"{RLP}/massnahmen/I.2/melden/",
        f"{RLP}/massnahmen/I.2/beteiligung/",
        f"{RLP}/meldebogen/",
        f"{RLP}/berichtsrunden/",
    ]
    assert _check(page, live_server.url, pfade) == []


def test_pages_of_the_kgrz(page, live_server, e2e_daten):
    _anmelden(page, live_server.url, "demo-kgrz")
    pfade = [
        "/kgrz-koblenz/",
        "/kgrz-koblenz/handlungsfelder/6/",
        "/kgrz-koblenz/massnahmen/5.3/bearbeiten/",
        "/kgrz-koblenz/benutzer/",
    ]
    assert _check(page, live_server.url, pfade) == []
