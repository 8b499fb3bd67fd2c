"""A correction starts from the Meldung being corrected: "korrigieren" on each history entry, prefilled with that
entry's values and Stichtag; the correction flag is implicit."""

import datetime as dt
import re

from django.urls import reverse

from massnahmen.models import Statusmeldung, Umsetzungsstand
from tests.conftest import RLP


def test_berichterstattung_corrects_an_old_meldung_from_its_history_entry(client, kusel_user, i2, kusel):
    alt = Statusmeldung.objects.get(massnahme=i2, organisation=kusel, stichtag=dt.date(2024, 6, 30))
    client.force_login(kusel_user)
    seite = client.get(i2.get_absolute_url()).content.decode()
    link = f"{reverse('massnahmen:melden', args=[RLP, i2.code])}?organisation={kusel.pk}&amp;korrektur={alt.pk}"
    assert link in seite and "Diese Meldung korrigieren" in seite

    formular = client.get(link.replace("&amp;", "&")).content.decode()

    assert "Sie korrigieren die Meldung zum Stichtag 30.06.2024" in formular
    assert 'value="2024-06-30"' in formular and 'value="55"' in formular  # its Stichtag and Fortschritt
    assert re.search(r'value="gelb" id="[^"]+" checked', formular)  # its Ampel, not today's
    assert "Korrektur einreichen" in formular
    stand = Umsetzungsstand.objects.get(massnahme=i2, organisation=kusel)
    prefix = f"m{i2.pk}-o{kusel.pk}"

    antwort = client.post(
        link.replace("&amp;", "&"),
        {
            f"{prefix}-organisation": kusel.pk,
            f"{prefix}-version": stand.version,
            f"{prefix}-stichtag": "2024-06-30",
            f"{prefix}-status": "in_umsetzung",
            f"{prefix}-fortschritt": "50",
            f"{prefix}-ampel": "gelb",
            f"{prefix}-text": alt.text + " (Fortschritt berichtigt)",
            f"{prefix}-aktion": "einreichen",
        },
    )

    assert antwort.status_code == 302
    korrektur = Statusmeldung.objects.filter(massnahme=i2, organisation=kusel).latest("gemeldet_am")
    assert (korrektur.stichtag, korrektur.fortschritt, korrektur.ampel, korrektur.ist_korrektur) == (
        dt.date(2024, 6, 30),
        50,
        "gelb",
        True,
    )


def test_other_organisations_entries_offer_no_correction(client, cochem_user, i2, kusel):
    alt = Statusmeldung.objects.filter(massnahme=i2, organisation=kusel).first()
    client.force_login(cochem_user)

    seite = client.get(i2.get_absolute_url()).content.decode()
    fremd = client.get(
        f"{reverse('massnahmen:melden', args=[RLP, i2.code])}?organisation={kusel.pk}&korrektur={alt.pk}"
    )

    assert f"korrektur={alt.pk}" not in seite
    assert fremd.status_code == 403  # Cochem-Zell does not report for Kusel
