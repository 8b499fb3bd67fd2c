"""Closing a Berichtsrunde: the Geschäftsstelle confirms, then no Meldungen for its Stichtag are accepted."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from massnahmen.models import Berichtsrunde, Massnahme
from massnahmen.services import Meldung, open_berichtsrunde, record_statusmeldung
from strategie.models import Organisation

STICHTAG, FRIST = dt.date(2025, 12, 31), dt.date(2026, 2, 15)  # fixed, in the past: never the demo round's Stichtag


@pytest.fixture
def runde(rlp, geschaeftsstelle_user) -> Berichtsrunde:
    massnahmen = list(Massnahme.objects.filter(strategie=rlp, code__in=["I.1", "VI.1"]))
    return open_berichtsrunde(
        actor=geschaeftsstelle_user,
        strategie=rlp,
        titel="Jahresrunde 2025",
        stichtag=STICHTAG,
        frist=FRIST,
        massnahmen=massnahmen,
    )


@pytest.fixture
def url(runde) -> str:
    return reverse("massnahmen:berichtsrunde_schliessen", args=[runde.strategie.slug, runde.pk])


def _zustand(runde) -> str:
    return Berichtsrunde.objects.get(pk=runde.pk).zustand


def test_anonymous_is_sent_to_sign_in(client, url, runde):
    response = client.post(url)

    assert response.status_code == 302 and response["Location"].startswith("/anmelden/?next=")
    assert _zustand(runde) == "offen"


def test_gast_is_refused(client, gast, url, runde):
    client.force_login(gast)

    assert client.post(url).status_code == 403
    assert _zustand(runde) == "offen"


def test_member_of_another_strategy_gets_404(client, kgrz_user, url, runde):
    client.force_login(kgrz_user)

    assert client.post(url).status_code == 404
    assert _zustand(runde) == "offen"


def test_berichterstattung_cannot_close(client, kusel_user, url, runde):
    client.force_login(kusel_user)

    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert _zustand(runde) == "offen"


def test_lenkungsausschuss_cannot_close(client, lenkungsausschuss_user, url, runde):
    client.force_login(lenkungsausschuss_user)

    assert client.post(url).status_code == 403
    assert _zustand(runde) == "offen"


def test_geschaeftsstelle_is_asked_to_confirm(client, geschaeftsstelle_user, url, runde):
    client.force_login(geschaeftsstelle_user)

    response = client.get(url)

    text = response.content.decode()
    assert response.status_code == 200
    assert "Berichtsrunde „Jahresrunde 2025“ schließen?" in text and "0 von 48 Meldungen sind eingegangen" in text
    assert f'<form method="post" action="{url}"' in text and "Ja, Berichtsrunde schließen" in text
    assert _zustand(runde) == "offen"


def test_geschaeftsstelle_closes_the_round(client, geschaeftsstelle_user, url, runde):
    client.force_login(geschaeftsstelle_user)

    response = client.post(url, follow=True)

    text = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse(
        "massnahmen:berichtsrunde_detail", args=[runde.strategie.slug, runde.pk]
    )
    assert "Die Berichtsrunde „Jahresrunde 2025“ ist geschlossen." in text
    runde.refresh_from_db()
    assert runde.zustand == "geschlossen" and runde.geschlossen_am is not None
    assert runde.history.first().history_user == geschaeftsstelle_user
    assert "Berichtsrunde schließen" not in text


def test_closing_twice_changes_nothing(client, geschaeftsstelle_user, url, runde):
    client.force_login(geschaeftsstelle_user)
    client.post(url)
    geschlossen_am = Berichtsrunde.objects.get(pk=runde.pk).geschlossen_am

    response = client.post(url, follow=True)

    assert "ist bereits geschlossen" in response.content.decode()
    assert Berichtsrunde.objects.get(pk=runde.pk).geschlossen_am == geschlossen_am


def test_closed_round_refuses_meldungen_for_its_stichtag(client, geschaeftsstelle_user, kusel_user, url, runde, rlp):
    client.force_login(geschaeftsstelle_user)
    client.post(url)
    kusel = Organisation.objects.get(schluessel="07336")
    vi1 = Massnahme.objects.get(strategie=rlp, code="VI.1")

    with pytest.raises(ValidationError, match="Berichtsrunde zum Stichtag 31.12.2025 ist geschlossen"):
        record_statusmeldung(
            actor=kusel_user,
            massnahme=vi1,
            organisation=kusel,
            erwartete_version=None,
            meldung=Meldung(stichtag=STICHTAG, status="in_umsetzung", fortschritt=80),
        )

    assert runde.meldepflichten.filter(organisation=kusel, statusmeldung__isnull=False).count() == 0
    spaeter = record_statusmeldung(
        actor=kusel_user,
        massnahme=vi1,
        organisation=kusel,
        erwartete_version=None,
        meldung=Meldung(stichtag=dt.date(2026, 1, 15), status="in_umsetzung", fortschritt=80),
    )
    demo = Berichtsrunde.objects.get(strategie=rlp, ist_demo=True)  # the next open round holds VI.1
    assert spaeter.berichtsrunde == demo  # a later Stichtag counts for the next round
    assert demo.meldepflichten.get(massnahme=vi1, organisation=kusel).statusmeldung == spaeter
