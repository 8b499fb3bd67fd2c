"""Two open rounds ask for the same Maßnahme: each item of "Meine Meldungen" is unique per round (ids, swap
targets, the round in its form's address) and the page says for which round a Meldung counts."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from massnahmen.models import Berichtsrunde, Massnahme, Meldepflicht, Statusmeldung, Umsetzungsstand
from massnahmen.services import open_berichtsrunde
from tests.conftest import RLP


def _zwei_runden(rlp, geschaeftsstelle_user):
    """The earlier round's Frist runs into the next quarter while the later one is already open."""
    Berichtsrunde.objects.filter(strategie=rlp).update(zustand=Berichtsrunde.Zustand.GESCHLOSSEN)
    heute = timezone.localdate()
    vi1 = list(Massnahme.objects.filter(strategie=rlp, code="VI.1"))
    frueher = open_berichtsrunde(
        actor=geschaeftsstelle_user,
        strategie=rlp,
        titel="Runde früher",
        stichtag=heute - dt.timedelta(days=100),
        frist=heute + dt.timedelta(days=5),
        massnahmen=vi1,
    )
    spaeter = open_berichtsrunde(
        actor=geschaeftsstelle_user,
        strategie=rlp,
        titel="Runde später",
        stichtag=heute - dt.timedelta(days=5),
        frist=heute + dt.timedelta(days=40),
        massnahmen=vi1,
    )
    return frueher, spaeter, vi1[0]


def test_berichterstattung_sees_each_round_item_once_with_its_own_ids(
    client, rlp, geschaeftsstelle_user, kusel_user, kusel
):
    frueher, spaeter, vi1 = _zwei_runden(rlp, geschaeftsstelle_user)
    client.force_login(kusel_user)

    text = client.get(reverse("portal:meine_meldungen")).content.decode()

    ids = re.findall(r'\sid="([^"]+)"', text)
    assert len(ids) == len(set(ids)), "doppelte ids"
    for runde in (frueher, spaeter):
        assert f'id="posten-m{vi1.pk}-o{kusel.pk}-r{runde.pk}"' in text
        assert f"zählt mit dem vorgeschlagenen Stichtag für „{runde.titel}“" in text


def test_meldung_sent_in_the_later_section_lands_in_the_later_item(
    client, rlp, geschaeftsstelle_user, kusel_user, kusel
):
    frueher, spaeter, vi1 = _zwei_runden(rlp, geschaeftsstelle_user)
    client.force_login(kusel_user)
    url = reverse("massnahmen:melden", args=[RLP, vi1.code])
    formular = client.get(
        f"{url}?organisation={kusel.pk}&ansicht=meine&teil=formular&runde={spaeter.pk}", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert f"runde={spaeter.pk}" in formular and f'hx-target="#posten-m{vi1.pk}-o{kusel.pk}-r{spaeter.pk}"' in formular
    prefix = f"m{vi1.pk}-o{kusel.pk}"
    stand = Umsetzungsstand.objects.get(massnahme=vi1, organisation=kusel)

    antwort = client.post(
        f"{url}?organisation={kusel.pk}&ansicht=meine&runde={spaeter.pk}",
        {
            f"{prefix}-organisation": kusel.pk,
            f"{prefix}-version": stand.version,
            f"{prefix}-stichtag": spaeter.stichtag.isoformat(),
            f"{prefix}-status": "in_umsetzung",
            f"{prefix}-fortschritt": "90",
            f"{prefix}-ampel": "gruen",
            f"{prefix}-aktion": "einreichen",
        },
        HTTP_HX_REQUEST="true",
    )

    text = antwort.content.decode()
    assert f'id="posten-m{vi1.pk}-o{kusel.pk}-r{spaeter.pk}"' in text
    assert "Sie zählt für die Berichtsrunde „Runde später“." in text
    meldung = Statusmeldung.objects.filter(massnahme=vi1, organisation=kusel).latest("gemeldet_am")
    assert meldung.berichtsrunde == spaeter
    assert Meldepflicht.objects.get(berichtsrunde=spaeter, organisation=kusel).statusmeldung == meldung
    assert Meldepflicht.objects.get(berichtsrunde=frueher, organisation=kusel).statusmeldung is None
