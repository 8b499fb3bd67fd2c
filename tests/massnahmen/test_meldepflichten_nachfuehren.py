"""A Beteiligung changed during an open Berichtsrunde changes what the organisation owes in it; closed rounds and
Meldungen already in stay as they are."""

import datetime as dt

import pytest
from django.urls import reverse

from massnahmen.models import Berichtsrunde, Meldepflicht
from massnahmen.selectors.berichtsrunden import get_rundenstand
from massnahmen.services import (
    Meldung,
    close_berichtsrunde,
    declare_entfaellt,
    open_berichtsrunde,
    record_statusmeldung,
)
from strategie.models import Organisation
from tests.conftest import RLP

STICHTAG, FRIST = dt.date(2025, 12, 31), dt.date(2026, 2, 15)  # fixed, in the past: never the demo round's Stichtag


def _runde(rlp, geschaeftsstelle_user, *massnahmen) -> Berichtsrunde:
    return open_berichtsrunde(
        actor=geschaeftsstelle_user,
        strategie=rlp,
        titel="Jahresrunde 2025",
        stichtag=STICHTAG,
        frist=FRIST,
        massnahmen=list(massnahmen),
    )


def _entfaellt(client, organisation):
    return client.post(
        reverse("massnahmen:beteiligung", args=[RLP, "I.2"]),
        {
            "organisation": organisation.pk,
            "aktion": "entfaellt",
            "begruendung": "Kein eigenes Rechenzentrum; Betrieb beim KDZ.",
        },
    )


def _beitreten(client, organisation, seit: str):
    return client.post(
        reverse("massnahmen:beteiligung", args=[RLP, "I.2"]),
        {"organisation": organisation.pk, "aktion": "beitreten", "seit": seit},
    )


def _pflichten(runde, organisation):
    return Meldepflicht.objects.filter(berichtsrunde=runde, organisation=organisation)


def _geschuldet(runde, geschaeftsstelle_user) -> int:
    return get_rundenstand(user=geschaeftsstelle_user, berichtsrunde=runde).eingang.pflichten


def test_berichterstattung_declares_entfaellt_and_no_longer_owes_the_meldung(
    client, rlp, kusel_user, geschaeftsstelle_user, kusel, i2
):
    runde = _runde(rlp, geschaeftsstelle_user, i2)
    vorher = _geschuldet(runde, geschaeftsstelle_user)
    client.force_login(kusel_user)

    response = _entfaellt(client, kusel)

    assert response.status_code == 302
    assert not _pflichten(runde, kusel).exists()
    assert _geschuldet(runde, geschaeftsstelle_user) == vorher - 1
    assert _pflichten(runde, Organisation.objects.get(schluessel="07135")).exists()  # only Kusel's changed


def test_berichterstattung_joins_and_owes_the_meldung(client, rlp, kusel_user, geschaeftsstelle_user, kusel, i2):
    declare_entfaellt(actor=kusel_user, massnahme=i2, organisation=kusel, begruendung="Betrieb beim KDZ.")
    runde = _runde(rlp, geschaeftsstelle_user, i2)
    vorher = _geschuldet(runde, geschaeftsstelle_user)
    client.force_login(kusel_user)

    response = _beitreten(client, kusel, "2023-04-01")

    assert response.status_code == 302
    pflicht = _pflichten(runde, kusel).get()
    assert (pflicht.massnahme, pflicht.statusmeldung) == (i2, None)
    assert _geschuldet(runde, geschaeftsstelle_user) == vorher + 1


def test_fulfilled_meldepflicht_stays_when_the_massnahme_entfaellt(
    client, rlp, kusel_user, geschaeftsstelle_user, kusel, i2
):
    runde = _runde(rlp, geschaeftsstelle_user, i2)
    meldung = record_statusmeldung(
        actor=kusel_user,
        massnahme=i2,
        organisation=kusel,
        meldung=Meldung(stichtag=STICHTAG, status="umgesetzt"),
        erwartete_version=None,
    )
    vorher = get_rundenstand(user=geschaeftsstelle_user, berichtsrunde=runde).eingang
    client.force_login(kusel_user)

    response = _entfaellt(client, kusel)

    assert response.status_code == 302
    assert _pflichten(runde, kusel).get().statusmeldung == meldung
    assert get_rundenstand(user=geschaeftsstelle_user, berichtsrunde=runde).eingang == vorher


def test_joining_after_reporting_for_the_round_finds_the_meldung_in(
    client, rlp, kusel_user, geschaeftsstelle_user, kusel, i2
):
    runde = _runde(rlp, geschaeftsstelle_user, i2)
    client.force_login(kusel_user)
    _beitreten(client, kusel, "2026-03-01")  # after the Stichtag: owes nothing in this round
    meldung = record_statusmeldung(
        actor=kusel_user,
        massnahme=i2,
        organisation=kusel,
        meldung=Meldung(stichtag=STICHTAG, status="umgesetzt"),
        erwartete_version=None,
    )
    vorher = get_rundenstand(user=geschaeftsstelle_user, berichtsrunde=runde).eingang

    _beitreten(client, kusel, "2025-01-01")

    assert _pflichten(runde, kusel).get().statusmeldung == meldung
    nachher = get_rundenstand(user=geschaeftsstelle_user, berichtsrunde=runde).eingang
    assert (nachher.pflichten, nachher.erfuellt) == (vorher.pflichten + 1, vorher.erfuellt + 1)


def test_joining_from_a_date_after_the_stichtag_owes_nothing_in_that_round(
    client, rlp, kusel_user, geschaeftsstelle_user, kusel, i2
):
    runde = _runde(rlp, geschaeftsstelle_user, i2)
    vorher = _geschuldet(runde, geschaeftsstelle_user)
    client.force_login(kusel_user)

    response = _beitreten(client, kusel, "2026-03-01")

    assert response.status_code == 302
    assert not _pflichten(runde, kusel).exists()
    assert _geschuldet(runde, geschaeftsstelle_user) == vorher - 1


@pytest.mark.parametrize("erklaerung", ["entfaellt", "beitreten"])
def test_closed_round_is_not_changed(client, rlp, kusel_user, geschaeftsstelle_user, kusel, i2, erklaerung):
    if erklaerung == "beitreten":
        declare_entfaellt(actor=kusel_user, massnahme=i2, organisation=kusel, begruendung="Betrieb beim KDZ.")
    runde = _runde(rlp, geschaeftsstelle_user, i2)
    close_berichtsrunde(actor=geschaeftsstelle_user, berichtsrunde=runde)
    vorher = set(runde.meldepflichten.values_list("massnahme_id", "organisation_id", "statusmeldung_id"))
    client.force_login(kusel_user)

    response = _entfaellt(client, kusel) if erklaerung == "entfaellt" else _beitreten(client, kusel, "2023-04-01")

    assert response.status_code == 302
    assert set(runde.meldepflichten.values_list("massnahme_id", "organisation_id", "statusmeldung_id")) == vorher
    assert (kusel.pk in {o for _, o, _ in vorher}) == (erklaerung == "entfaellt")
