"""The Berichtsrunden selectors and pages need the same number of queries for 1 or many rounds and organisations."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from massnahmen.models import Massnahme
from massnahmen.selectors import berichtsrunden as selectors
from massnahmen.services import Meldung, open_berichtsrunde, record_statusmeldung
from strategie.models import Organisation


def _runde(rlp, user, stichtag, codes):
    massnahmen = list(Massnahme.objects.filter(strategie=rlp, code__in=codes))
    return open_berichtsrunde(
        actor=user,
        strategie=rlp,
        titel=f"Runde {stichtag}",
        stichtag=stichtag,
        frist=stichtag + dt.timedelta(days=30),
        massnahmen=massnahmen,
    )


@pytest.fixture
def runden(rlp, geschaeftsstelle_user, kusel_user):
    """Three rounds over many organisations, with a Meldung in the newest."""
    stichtage = [dt.date(2025, 3, 31), dt.date(2025, 6, 30), dt.date(2025, 12, 31)]
    runden = [_runde(rlp, geschaeftsstelle_user, s, ["I.1", "VI.1", "VII.1", "I.4"]) for s in stichtage]
    record_statusmeldung(
        actor=kusel_user,
        massnahme=Massnahme.objects.get(strategie=rlp, code="VI.1"),
        organisation=Organisation.objects.get(schluessel="07336"),
        erwartete_version=None,
        meldung=Meldung(stichtag=stichtage[-1], status="umgesetzt"),
    )
    return runden


@pytest.mark.parametrize("rolle", ["geschaeftsstelle_user", "kusel_user"])
def test_list_selector_needs_one_query_for_many_rounds(request, rlp, runden, rolle, django_assert_num_queries):
    user = request.getfixturevalue(rolle)
    selectors.list_berichtsrunden(user=user, strategie=rlp)  # roles are cached per user

    with django_assert_num_queries(1):
        runden_gelesen = selectors.list_berichtsrunden(user=user, strategie=rlp)

    assert len(runden_gelesen) >= 3
    assert runden_gelesen[0].organisationen_vollstaendig.pflichten > 0


def test_overview_selector_needs_three_queries_for_many_organisations(
    rlp, runden, lenkungsausschuss_user, django_assert_num_queries
):
    selectors.get_rundenstand(user=lenkungsausschuss_user, berichtsrunde=runden[-1])

    with django_assert_num_queries(4):  # per organisation, their names, what is missing, per Maßnahme
        stand = selectors.get_rundenstand(user=lenkungsausschuss_user, berichtsrunde=runden[-1])

    assert len(stand.zeilen) == 25 and len(stand.massnahmen) == 4
    assert stand.eingang.erfuellt == 1 and stand.eingang.pflichten == 3 * 24 + 1


def test_pages_need_as_many_queries_for_one_round_as_for_several(client, rlp, geschaeftsstelle_user, runden):
    client.force_login(geschaeftsstelle_user)
    liste = reverse("massnahmen:berichtsrunde_liste", args=[rlp.slug])
    klein = _runde(rlp, geschaeftsstelle_user, dt.date(2024, 12, 31), ["I.4"])

    def count_queries(url):
        client.get(url)
        with CaptureQueriesContext(connection) as abfragen:
            assert client.get(url).status_code == 200
        return len(abfragen)

    vorher = count_queries(liste)
    _runde(rlp, geschaeftsstelle_user, dt.date(2024, 9, 30), ["I.1", "VI.1"])
    assert count_queries(liste) == vorher

    def detail(runde):
        return reverse("massnahmen:berichtsrunde_detail", args=[rlp.slug, runde.pk])

    assert count_queries(detail(klein)) == count_queries(detail(runden[-1]))  # 1 organisation and Maßnahme vs 25 and 4
