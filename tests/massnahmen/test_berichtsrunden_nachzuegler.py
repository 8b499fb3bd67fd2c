"""Late Meldungen go into the next round: after a round is closed, a Meldung with a later Stichtag counts for the
next open round, also when that round is opened only afterwards. All through the pages the users take."""

import datetime as dt

import pytest
from django.urls import reverse

from massnahmen.models import Berichtsrunde, Massnahme, Meldepflicht, Statusmeldung

# II.4 is reported je Organisation and is not in the demo round, whose later Stichtag would collect these Meldungen.
CODE = "II.4"
ERSTE, ZWEITE, NACHZUEGLER = dt.date(2025, 3, 31), dt.date(2025, 6, 30), dt.date(2025, 5, 15)


@pytest.fixture
def massnahme(rlp) -> Massnahme:
    return Massnahme.objects.get(strategie=rlp, code=CODE)


def _open(client, rlp, massnahme, stichtag: dt.date) -> Berichtsrunde:
    antwort = client.post(
        reverse("massnahmen:berichtsrunde_eroeffnen", args=[rlp.slug]),
        {
            "titel": f"Runde {stichtag:%d.%m.%Y}",
            "stichtag": stichtag.isoformat(),
            "frist": (stichtag + dt.timedelta(days=42)).isoformat(),
            "erinnerung_tage_vor_frist": "7",
            "massnahmen": [str(massnahme.pk)],
        },
    )
    assert antwort.status_code == 302, antwort.content.decode()[:2000]
    return Berichtsrunde.objects.get(strategie=rlp, stichtag=stichtag)


def _close(client, runde: Berichtsrunde) -> None:
    assert (
        client.post(reverse("massnahmen:berichtsrunde_schliessen", args=[runde.strategie.slug, runde.pk])).status_code
        == 302
    )


def _report(client, massnahme, organisation, stichtag: dt.date):
    praefix = f"m{massnahme.pk}-o{organisation.pk}"
    stand = massnahme.umsetzungsstaende.filter(organisation=organisation).first()
    return client.post(
        reverse("massnahmen:melden", args=[massnahme.strategie.slug, massnahme.code]),
        {
            f"{praefix}-organisation": organisation.pk,
            f"{praefix}-stichtag": stichtag.isoformat(),
            f"{praefix}-status": "in_umsetzung",
            f"{praefix}-fortschritt": "60",
            f"{praefix}-text": "Nachgereicht.",
            f"{praefix}-version": stand.version if stand else 0,
            f"{praefix}-aktion": "einreichen",
        },
    )


def _pflicht(runde, massnahme, organisation) -> Meldepflicht:
    return Meldepflicht.objects.get(berichtsrunde=runde, massnahme=massnahme, organisation=organisation)


def test_late_meldung_counts_for_the_next_open_round(client, rlp, massnahme, kusel, geschaeftsstelle_user, kusel_user):
    client.force_login(geschaeftsstelle_user)
    erste = _open(client, rlp, massnahme, ERSTE)
    _close(client, erste)
    zweite = _open(client, rlp, massnahme, ZWEITE)

    client.force_login(kusel_user)
    abgelehnt = _report(client, massnahme, kusel, ERSTE)
    assert "ist geschlossen" in abgelehnt.content.decode()
    assert _report(client, massnahme, kusel, NACHZUEGLER).status_code == 302

    meldung = Statusmeldung.objects.get(massnahme=massnahme, organisation=kusel, stichtag=NACHZUEGLER)
    assert meldung.berichtsrunde == zweite
    assert _pflicht(zweite, massnahme, kusel).statusmeldung == meldung
    assert _pflicht(erste, massnahme, kusel).statusmeldung is None  # the closed round stays as it was
    client.force_login(geschaeftsstelle_user)
    seite = client.get(reverse("massnahmen:berichtsrunde_detail", args=[rlp.slug, zweite.pk])).content.decode()
    assert "1 von" in seite


def test_round_opened_later_collects_the_late_meldungen(
    client, rlp, massnahme, kusel, geschaeftsstelle_user, kusel_user
):
    client.force_login(geschaeftsstelle_user)
    erste = _open(client, rlp, massnahme, ERSTE)
    _close(client, erste)
    client.force_login(kusel_user)
    _report(client, massnahme, kusel, dt.date(2025, 4, 30))
    _report(client, massnahme, kusel, NACHZUEGLER)
    meldungen = Statusmeldung.objects.filter(massnahme=massnahme, organisation=kusel, stichtag__gt=ERSTE)
    assert meldungen.count() == 2 and not meldungen.filter(berichtsrunde__isnull=False).exists()

    client.force_login(geschaeftsstelle_user)
    zweite = _open(client, rlp, massnahme, ZWEITE)

    assert _pflicht(zweite, massnahme, kusel).statusmeldung.stichtag == NACHZUEGLER  # the latest counts
    assert set(meldungen.values_list("berichtsrunde", flat=True)) == {zweite.pk}
    offen = zweite.meldepflichten.filter(statusmeldung__isnull=True).exclude(organisation=kusel)
    assert offen.count() == zweite.meldepflichten.count() - 1  # nobody else had reported


def test_first_round_counts_nothing_from_before_its_stichtag(
    client, rlp, massnahme, kusel, geschaeftsstelle_user, kusel_user
):
    client.force_login(kusel_user)
    assert _report(client, massnahme, kusel, NACHZUEGLER).status_code == 302
    client.force_login(geschaeftsstelle_user)

    zweite = _open(client, rlp, massnahme, ZWEITE)

    assert _pflicht(zweite, massnahme, kusel).statusmeldung is None  # no round before it: its window starts on its day


def test_meldung_about_a_later_day_counts_for_the_open_round(
    client, rlp, massnahme, kusel, geschaeftsstelle_user, kusel_user
):
    """After the first round was closed, the user reports the state of today: it counts for the open second round."""
    client.force_login(geschaeftsstelle_user)
    _close(client, _open(client, rlp, massnahme, ERSTE))
    zweite = _open(client, rlp, massnahme, ZWEITE)
    heute = dt.date.today()
    client.force_login(kusel_user)

    assert _report(client, massnahme, kusel, heute).status_code == 302

    meldung = Statusmeldung.objects.get(massnahme=massnahme, organisation=kusel, stichtag=heute)
    assert meldung.berichtsrunde == zweite and _pflicht(zweite, massnahme, kusel).statusmeldung == meldung


def test_round_opened_between_takes_the_meldungen_of_its_window_from_the_later_round(
    client, rlp, massnahme, kusel, geschaeftsstelle_user, kusel_user
):
    """Rounds opened out of order: a Meldung on the new round's Stichtag moves from the later open round to it."""
    client.force_login(geschaeftsstelle_user)
    _close(client, _open(client, rlp, massnahme, dt.date(2024, 12, 31)))
    spaetere = _open(client, rlp, massnahme, ZWEITE)
    client.force_login(kusel_user)
    _report(client, massnahme, kusel, ERSTE)
    meldung = Statusmeldung.objects.get(massnahme=massnahme, organisation=kusel, stichtag=ERSTE)
    assert meldung.berichtsrunde == spaetere and _pflicht(spaetere, massnahme, kusel).statusmeldung == meldung

    client.force_login(geschaeftsstelle_user)
    dazwischen = _open(client, rlp, massnahme, ERSTE)

    meldung.refresh_from_db()
    assert meldung.berichtsrunde == dazwischen and _pflicht(dazwischen, massnahme, kusel).statusmeldung == meldung
    assert _pflicht(spaetere, massnahme, kusel).statusmeldung is None  # owed again: nothing about a later day yet


def test_earlier_open_round_counts_before_a_later_one(
    client, rlp, massnahme, kusel, geschaeftsstelle_user, kusel_user
):
    """Two open rounds: a Meldung between their Stichtage counts for the earlier, still open one, and "Meine
    Meldungen" updates that round's count."""
    client.force_login(geschaeftsstelle_user)
    erste = _open(client, rlp, massnahme, ERSTE)
    zweite = _open(client, rlp, massnahme, ZWEITE)
    client.force_login(kusel_user)
    praefix = f"m{massnahme.pk}-o{kusel.pk}"
    stand = massnahme.umsetzungsstaende.filter(organisation=kusel).first()

    antwort = client.post(
        reverse("massnahmen:melden", args=[rlp.slug, massnahme.code]) + f"?organisation={kusel.pk}&ansicht=meine",
        {
            f"{praefix}-organisation": kusel.pk,
            f"{praefix}-stichtag": NACHZUEGLER.isoformat(),
            f"{praefix}-status": "in_umsetzung",
            f"{praefix}-fortschritt": "40",
            f"{praefix}-text": "Zwischenstand.",
            f"{praefix}-version": stand.version if stand else 0,
            f"{praefix}-aktion": "einreichen",
        },
        HTTP_HX_REQUEST="true",
    )

    meldung = Statusmeldung.objects.get(massnahme=massnahme, organisation=kusel, stichtag=NACHZUEGLER)
    assert meldung.berichtsrunde == erste and _pflicht(erste, massnahme, kusel).statusmeldung == meldung
    assert _pflicht(zweite, massnahme, kusel).statusmeldung is None
    text = antwort.content.decode()
    assert f'<span id="erledigt-{erste.pk}" hx-swap-oob="true">' in text and f'id="erledigt-{zweite.pk}"' not in text
