"""/meine-meldungen/: the open round, what the organisation owes, drafts, the frist; stale and overdue flagged."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from massnahmen.models import Berichtsrunde, Massnahme, Statusmeldung
from massnahmen.services import close_berichtsrunde, open_berichtsrunde
from tests.factories import BeteiligungFactory, MassnahmeFactory, MeldungsentwurfFactory, StatusmeldungFactory

HEUTE = timezone.localdate()


def _close_offene_runden():
    """The demo opens a round; these tests need to know exactly which rounds are open."""
    for offen in Berichtsrunde.objects.filter(zustand="offen"):
        close_berichtsrunde(actor=None, berichtsrunde=offen)


@pytest.fixture
def runde(rlp, geschaeftsstelle_user):
    _close_offene_runden()
    massnahmen = list(Massnahme.objects.filter(strategie=rlp, handlungsfeld__nummer__in=["I", "VII"]))
    return open_berichtsrunde(
        actor=geschaeftsstelle_user,
        strategie=rlp,
        titel="Quartalsrunde Test",
        stichtag=HEUTE - dt.timedelta(days=10),
        frist=HEUTE + dt.timedelta(days=20),
        massnahmen=massnahmen,
    )


def test_berichterstattung_sees_what_the_organisation_owes(client, kusel_user, runde):
    client.force_login(kusel_user)

    text = client.get("/meine-meldungen/").content.decode()

    assert "Quartalsrunde Test" in text and "noch 20 Tage" in text
    eigene = runde.meldepflichten.filter(organisation__schluessel="07336")
    assert f"0 von {eigene.count()} Meldungen" in text
    assert "I.1 Soll-Ist-Analyse" in text and "VII.1" in text
    assert "Cochem-Zell" not in text


def test_stale_and_overdue_massnahmen_outside_the_round_are_flagged(client, kusel_user, daten):
    _close_offene_runden()
    client.force_login(kusel_user)

    text = client.get("/meine-meldungen/").content.decode()

    assert "Weitere Maßnahmen, die eine Meldung brauchen" in text
    assert "I.2 Zertifizierung" in text and "überfällig (Frist 31.12.2024)" in text and "veraltet" in text


def test_gast_has_nothing_to_report(client, gast, runde):
    client.force_login(gast)

    assert "Zurzeit ist nichts zu melden." in client.get("/meine-meldungen/").content.decode()


def test_query_count_does_not_grow_with_massnahmen_or_history(client, kusel_user, runde, rlp):
    client.force_login(kusel_user)
    client.get("/meine-meldungen/")
    with CaptureQueriesContext(connection) as wenige:
        client.get("/meine-meldungen/")
    from strategie.services.mitgliedschaften import sync_strategie

    vorlage = Massnahme.objects.get(strategie=rlp, code="I.1")
    kusel = vorlage.beteiligungen.get(organisation__schluessel="07336").organisation
    neue = MassnahmeFactory.create_batch(15, handlungsfeld=vorlage.handlungsfeld)
    for neu in neue:
        BeteiligungFactory(massnahme=neu, organisation=kusel)
        MeldungsentwurfFactory(massnahme=neu, organisation=kusel, von=kusel_user)
    for massnahme in Massnahme.objects.filter(beteiligungen__organisation=kusel, strategie=rlp)[:5]:
        StatusmeldungFactory.create_batch(20, massnahme=massnahme, organisation=kusel, von=kusel_user)
    sync_strategie(rlp)

    with CaptureQueriesContext(connection) as viele:
        text = client.get("/meine-meldungen/").content.decode()

    assert all(f"{neu.code} {neu.titel}" in text for neu in neue)  # listed because of their open drafts
    assert Statusmeldung.objects.filter(organisation=kusel).count() >= 100
    assert len(viele) == len(wenige)
