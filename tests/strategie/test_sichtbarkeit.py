"""Visibility between organisations, set per strategy by its Geschäftsstelle: offen or nur Aggregate."""

import pytest
from django.urls import reverse

from strategie.models import Strategie
from tests.conftest import RLP


@pytest.fixture
def nur_aggregate(client, geschaeftsstelle_user, rlp):
    client.force_login(geschaeftsstelle_user)
    response = client.post(reverse("strategie:sichtbarkeit", args=[RLP]), {"sichtbarkeit": "aggregiert"})
    assert response.status_code == 302
    client.logout()
    rlp.refresh_from_db()
    return rlp


def test_geschaeftsstelle_switches_to_aggregates_audited(nur_aggregate, geschaeftsstelle_user):
    assert nur_aggregate.sichtbarkeit == Strategie.Sichtbarkeit.AGGREGIERT
    eintrag = nur_aggregate.history.first()
    assert (eintrag.history_user, eintrag.history_change_reason) == (geschaeftsstelle_user, "Sichtbarkeit geändert")


def test_berichterstattung_sees_only_own_organisation_and_the_aggregate(client, nur_aggregate, kusel_user):
    client.force_login(kusel_user)

    text = client.get(reverse("massnahmen:detail", args=[RLP, "I.1"])).content.decode()

    assert "3 von 24 umgesetzt" in text  # the aggregate still counts everyone
    assert "Demo: Analyse der Serverräume" not in text  # Cochem-Zell's Sachstand
    assert "Soll-Ist-Analyse abgeschlossen" in text  # Kusel's own, even confidential
    assert "Vulkaneifel" not in text.split('id="umsetzungsstand"')[1].split('id="statusmeldungen"')[0]


def test_lenkungsausschuss_still_sees_every_organisation(client, nur_aggregate, lenkungsausschuss_user):
    client.force_login(lenkungsausschuss_user)

    text = client.get(reverse("massnahmen:detail", args=[RLP, "I.1"])).content.decode()

    assert "Demo: Analyse der Serverräume" in text and "Vulkaneifel" in text
    assert "Soll-Ist-Analyse abgeschlossen" not in text  # confidential stays hidden from the Lenkungsausschuss


def test_unknown_setting_is_refused(client, geschaeftsstelle_user, rlp):
    client.force_login(geschaeftsstelle_user)

    response = client.post(reverse("strategie:sichtbarkeit", args=[RLP]), {"sichtbarkeit": "alles"}, follow=True)

    assert "Bitte wählen Sie eine der beiden Einstellungen." in response.content.decode()
    rlp.refresh_from_db()
    assert rlp.sichtbarkeit == "offen"
