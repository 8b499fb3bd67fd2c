"""After saving, the form is a clearly new Meldung with its buttons locked until changed; going back refreshes the
page; a conflict with one's own earlier Meldung is worded as such."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from massnahmen.models import Umsetzungsstand
from tests.conftest import RLP


def _daten(massnahme, organisation, version, **werte):
    prefix = f"m{massnahme.pk}-o{organisation.pk}"
    felder = {
        "organisation": organisation.pk,
        "version": version,
        "stichtag": timezone.localdate().isoformat(),
        "status": "in_umsetzung",
        "fortschritt": "60",
        "ampel": "gelb",
        "text": "Audit läuft.",
        "aktion": "einreichen",
        **werte,
    }
    return {f"{prefix}-{k}": v for k, v in felder.items()}


def test_saved_form_rests_until_something_changes(client, kusel_user, i2, kusel):
    client.force_login(kusel_user)
    stand = Umsetzungsstand.objects.get(massnahme=i2, organisation=kusel)
    url = reverse("massnahmen:melden", args=[RLP, i2.code]) + f"?organisation={kusel.pk}"

    antwort = client.post(url, _daten(i2, kusel, stand.version), HTTP_HX_REQUEST="true").content.decode()

    assert "wurde gespeichert" in antwort
    assert "data-ruhend" in antwort and antwort.count(" disabled aria-describedby=") == 2
    assert "bis dahin sind die Schaltflächen gesperrt" in antwort


def test_conflict_with_ones_own_earlier_meldung_is_named_so(client, kusel_user, i2, kusel):
    client.force_login(kusel_user)
    stand = Umsetzungsstand.objects.get(massnahme=i2, organisation=kusel)
    url = reverse("massnahmen:melden", args=[RLP, i2.code]) + f"?organisation={kusel.pk}&ansicht=meine"
    client.post(url, _daten(i2, kusel, stand.version), HTTP_HX_REQUEST="true")

    # back in the browser: the stale page still carries the old version
    antwort = client.post(url, _daten(i2, kusel, stand.version, fortschritt="65"), HTTP_HX_REQUEST="true")

    text = antwort.content.decode()
    assert "Sie haben zu dieser Maßnahme inzwischen schon eine Meldung gespeichert" in text
    assert "Ihre eigene Meldung vom" in text and "eine andere Meldung" not in text


def test_reporting_pages_reload_when_restored_from_the_back_cache(client, kusel_user, i2):
    client.force_login(kusel_user)

    meine = client.get(reverse("portal:meine_meldungen")).content.decode()
    massnahme = client.get(i2.get_absolute_url()).content.decode()
    skript = (settings.BASE_DIR / "static" / "js" / "portal.js").read_text()  # the page's script (no inline JS)

    assert "data-aktuell-halten" in meine and "data-aktuell-halten" in massnahme
    assert 'addEventListener("pageshow"' in skript and "ereignis.persisted" in skript
