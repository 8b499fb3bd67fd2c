"""The Kusel IT lead works through "Meine Meldungen" by keyboard: one validation error, then two Meldungen."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.e2e.conftest import axe_verstoesse

pytestmark = pytest.mark.e2e


def _tab_until(page, bedingung: str, max_schritte: int = 60) -> None:
    """Press Tab until the JavaScript condition on document.activeElement holds."""
    for _ in range(max_schritte):
        page.keyboard.press("Tab")
        if page.evaluate(f"(e => {bedingung})(document.activeElement)"):
            return
    raise AssertionError(f"Per Tabulator nicht erreichbar: {bedingung}")


def test_kusel_reports_two_massnahmen_by_keyboard(page, live_server, e2e_daten):
    from django.contrib.auth import get_user_model

    from massnahmen.models import Berichtsrunde, Massnahme, Statusmeldung
    from massnahmen.services import close_berichtsrunde, open_berichtsrunde
    from strategie.models import Strategie

    rlp = Strategie.objects.get(slug="rlp-digitalisierungsstrategie")
    for offen in Berichtsrunde.objects.filter(zustand="offen"):  # the demo round; this test brings its own
        close_berichtsrunde(actor=None, berichtsrunde=offen)
    heute = timezone.localdate()
    open_berichtsrunde(
        actor=None,
        strategie=rlp,
        titel="Runde im Browsertest",
        stichtag=heute - dt.timedelta(days=5),
        frist=heute + dt.timedelta(days=25),
        massnahmen=list(Massnahme.objects.filter(strategie=rlp, code__in=["I.1", "I.2"])),
    )
    kusel_user = get_user_model().objects.get(username="demo-kusel")
    vorher = set(Statusmeldung.objects.values_list("pk", flat=True))

    page.goto(live_server.url + "/anmelden/?next=/meine-meldungen/")
    page.focus("#id_username")
    page.keyboard.type("demo-kusel")
    page.keyboard.press("Tab")
    page.keyboard.type("demo")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/meine-meldungen/")
    assert axe_verstoesse(page) == []

    # I.1 (umgesetzt in the demo): 80 % contradicts "umgesetzt" -> German error, focus on the summary
    _tab_until(page, "e.id.endsWith('-fortschritt')")
    page.keyboard.press("Control+A")
    page.keyboard.type("80")
    _tab_until(page, "e.textContent.trim() === 'Meldung einreichen'")
    page.keyboard.press("Enter")
    fehler = page.locator("[role=alert]")
    fehler.wait_for()
    assert "100 Prozent" in fehler.inner_text()
    page.wait_for_function("document.activeElement.getAttribute('role') === 'alert'", timeout=5000)
    assert axe_verstoesse(page) == []

    # correct it and submit: the next item opens and gets the focus
    _tab_until(page, "e.id.endsWith('-fortschritt')")
    page.keyboard.press("Control+A")
    page.keyboard.type("100")
    _tab_until(page, "e.id.endsWith('-text')")
    page.keyboard.type("Bericht zur Soll-Ist-Analyse fortgeschrieben.")
    _tab_until(page, "e.textContent.trim() === 'Meldung einreichen'")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "document.activeElement && document.activeElement.id.includes('o') && "
        "document.activeElement.closest('li') && "
        "document.activeElement.closest('li').id.startsWith('posten-') && "
        "!document.activeElement.closest('li').hasAttribute('data-erfolg')"
    )
    zweiter = page.evaluate("document.activeElement.closest('li').id")
    assert "1 von 2 Meldungen" in page.locator("[id^=erledigt-]").inner_text()  # the count follows at once
    assert "I.1 (Kusel): Ihre Meldung zum Stichtag" in page.locator("[id^=meldestatus-]").inner_text()
    i2 = Massnahme.objects.get(strategie=rlp, code="I.2")
    assert zweiter.startswith(f"posten-m{i2.pk}-")

    # I.2: report with a Sachstand
    _tab_until(page, "e.id.endsWith('-text')")
    page.keyboard.type("Audit des Rechenzentrums läuft.")
    _tab_until(page, "e.textContent.trim() === 'Meldung einreichen'")
    page.keyboard.press("Enter")
    page.locator(f"#{zweiter}[data-erfolg]").wait_for()
    # nothing is left open: the focus goes to the message that the Meldung was saved, not to the page
    page.wait_for_function("document.activeElement && document.activeElement.id.startsWith('meldestatus-')")
    assert "2 von 2 Meldungen" in page.locator("[id^=erledigt-]").inner_text()
    assert "I.2 (Kusel)" in page.locator("[role=status][id^=meldestatus-]").inner_text()

    neu = Statusmeldung.objects.exclude(pk__in=vorher)
    assert sorted(neu.values_list("massnahme__code", "von", "text")) == [
        ("I.1", kusel_user.pk, "Bericht zur Soll-Ist-Analyse fortgeschrieben."),
        ("I.2", kusel_user.pk, "Audit des Rechenzentrums läuft."),
    ]
    assert "2 von 2 Meldungen" in page.goto(live_server.url + "/meine-meldungen/").text()
    assert axe_verstoesse(page) == []
