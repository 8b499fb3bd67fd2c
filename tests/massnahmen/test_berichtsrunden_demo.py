"""demo_laden opens a labelled demo round of the RLP strategy, open and not overdue, once."""

import datetime as dt

from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from massnahmen.models import Berichtsrunde, Massnahme
from massnahmen.services.berichtsrunden import letztes_quartalsende_vor, open_demo_berichtsrunde


def test_demo_round_is_open_labelled_and_covers_handlungsfelder_i_vi_vii(rlp):
    heute = timezone.localdate()

    runde = Berichtsrunde.objects.get(strategie=rlp, ist_demo=True, stichtag=letztes_quartalsende_vor(heute))

    assert runde.titel.startswith("Demo-Berichtsrunde") and runde.zustand == "offen"
    assert runde.stichtag < heute and runde.frist >= heute + dt.timedelta(days=14)
    assert runde.frist >= runde.stichtag + dt.timedelta(weeks=6)
    erwartet = Massnahme.objects.filter(strategie=rlp, is_archived=False, handlungsfeld__nummer__in=["I", "VI", "VII"])
    assert set(runde.massnahmen.all()) == set(erwartet)
    assert runde.meldepflichten.filter(organisation__schluessel="07336", statusmeldung__isnull=True).exists()


@override_settings(DEBUG=True)
def test_loading_the_demo_again_adds_no_round(rlp):
    vorher = Berichtsrunde.objects.count()

    call_command("demo_laden")

    assert Berichtsrunde.objects.count() == vorher


def test_demo_round_dates_around_quarter_ends(rlp):
    Berichtsrunde.objects.filter(strategie=rlp, ist_demo=True).update(stichtag=dt.date(2020, 3, 31))

    runde = open_demo_berichtsrunde(strategie=rlp, heute=dt.date(2026, 10, 1))

    assert (runde.stichtag, runde.frist) == (dt.date(2026, 9, 30), dt.date(2026, 11, 11))  # Stichtag + 6 weeks
    assert letztes_quartalsende_vor(dt.date(2026, 9, 30)) == dt.date(2026, 6, 30)  # "before today"
    assert letztes_quartalsende_vor(dt.date(2026, 1, 5)) == dt.date(2025, 12, 31)


def test_demo_kusel_sees_the_demo_round(client, kusel_user, rlp):
    client.force_login(kusel_user)

    text = client.get(f"/{rlp.slug}/berichtsrunden/").content.decode()

    assert "Demo-Berichtsrunde zum" in text and ">Demo<" in text and "Frist überschritten" not in text
