"""A Berichterstattung of the federführende Organisation, and nothing else, edits the description and the
Meilensteine of its Maßnahme through the forms; every change is audited. A Kreis may not."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from massnahmen.models import Massnahme, Meilenstein
from strategie import policies as strategie_policies
from strategie.models import Organisation
from strategie.services.mitgliedschaften import grant_rolle
from tests.conftest import RLP

CODE = "IV.1"  # gemeinsame Maßnahme, Federführung: Landkreistag, three Meilensteine from the strategy file


@pytest.fixture
def iv1(rlp) -> Massnahme:
    return Massnahme.objects.get(strategie=rlp, code=CODE)


@pytest.fixture
def federfuehrung_user(rlp, geschaeftsstelle_user, iv1):
    """An account in use (its password set) whose only role is Berichterstattung for the Landkreistag, granted by
    the Geschäftsstelle. (An invited account never used is an open invitation: withdrawn, not changed.)"""
    landkreistag = Organisation.objects.get(kennung="landkreistag")
    assert iv1.federfuehrung == landkreistag
    user = get_user_model().objects.create_user(
        username="test-federfuehrung", first_name="Fritz", last_name="Federführung", password="Fritz-Feder-2026!"
    )
    grant_rolle(
        actor=geschaeftsstelle_user, user=user, strategie=rlp, organisation=landkreistag, rolle="berichterstattung"
    )
    rollen = strategie_policies.rollen_von(user, rlp)
    assert rollen.rollen == {"berichterstattung"} and not strategie_policies.can_manage_strategie(user, rlp)
    return user


def _beschreibung(client, text):
    return client.post(reverse("massnahmen:bearbeiten", args=[RLP, CODE]), {"beschreibung": text})


def _neuer_meilenstein(client, titel, faellig_am="", erreicht_am=""):
    return client.post(
        reverse("massnahmen:meilenstein_neu", args=[RLP, CODE]),
        {"neu-titel": titel, "neu-faellig_am": faellig_am, "neu-erreicht_am": erreicht_am},
    )


def _meilenstein(client, meilenstein, titel, faellig_am="", erreicht_am=""):
    praefix = f"ms{meilenstein.pk}"
    return client.post(
        reverse("massnahmen:meilenstein", args=[RLP, CODE, meilenstein.pk]),
        {f"{praefix}-titel": titel, f"{praefix}-faellig_am": faellig_am, f"{praefix}-erreicht_am": erreicht_am},
    )


def _abbild(massnahme):
    massnahme.refresh_from_db()
    meilensteine = sorted(massnahme.meilensteine.values_list("pk", "titel", "faellig_am", "erreicht_am"))
    historie = Meilenstein.history.filter(massnahme_id=massnahme.pk).count()
    return massnahme.beschreibung, massnahme.history.count(), meilensteine, historie


def test_federfuehrung_edits_description(client, federfuehrung_user, iv1):
    client.force_login(federfuehrung_user)

    response = _beschreibung(client, "  Die Arbeitsgruppe tagt monatlich.  ")

    assert response.status_code == 302 and response["Location"] == reverse("massnahmen:bearbeiten", args=[RLP, CODE])
    iv1.refresh_from_db()
    assert iv1.beschreibung == "Die Arbeitsgruppe tagt monatlich."
    eintrag = iv1.history.first()
    assert (eintrag.history_user, eintrag.history_change_reason) == (federfuehrung_user, "Beschreibung geändert")
    assert "Die Beschreibung wurde gespeichert." in client.get(response["Location"]).content.decode()


def test_federfuehrung_sets_faellig_and_erreicht_of_a_meilenstein(client, federfuehrung_user, iv1):
    client.force_login(federfuehrung_user)
    meilenstein = iv1.meilensteine.order_by("ordnung").first()
    assert (meilenstein.faellig_am, meilenstein.erreicht_am) == (None, None)

    faellig = _meilenstein(client, meilenstein, meilenstein.titel, faellig_am="2027-03-31")
    erreicht = _meilenstein(client, meilenstein, meilenstein.titel, faellig_am="31.03.2027", erreicht_am="2027-02-15")

    assert (faellig.status_code, erreicht.status_code) == (302, 302)
    meilenstein.refresh_from_db()
    assert (meilenstein.faellig_am, meilenstein.erreicht_am) == (dt.date(2027, 3, 31), dt.date(2027, 2, 15))
    zweite, erste = meilenstein.history.all()[:2]  # newest first
    assert (erste.faellig_am, erste.erreicht_am) == (dt.date(2027, 3, 31), None)
    assert (zweite.faellig_am, zweite.erreicht_am) == (dt.date(2027, 3, 31), dt.date(2027, 2, 15))
    for eintrag in (erste, zweite):
        assert (eintrag.history_type, eintrag.history_user) == ("~", federfuehrung_user)
        assert eintrag.history_change_reason == "Meilenstein gespeichert"


def test_federfuehrung_adds_a_meilenstein(client, federfuehrung_user, iv1):
    client.force_login(federfuehrung_user)
    vorher = iv1.meilensteine.count()

    response = _neuer_meilenstein(client, "Anbieter ausgewählt", faellig_am="2027-09-30")

    assert response.status_code == 302
    neu = iv1.meilensteine.get(titel="Anbieter ausgewählt")
    assert iv1.meilensteine.count() == vorher + 1
    assert (neu.faellig_am, neu.erreicht_am, neu.ordnung) == (dt.date(2027, 9, 30), None, vorher + 1)
    eintrag = neu.history.get()
    assert (eintrag.history_type, eintrag.history_user) == ("+", federfuehrung_user)
    assert eintrag.history_change_reason == "Meilenstein gespeichert"


def test_federfuehrung_gets_german_error_for_meilenstein_without_title(client, federfuehrung_user, iv1):
    client.force_login(federfuehrung_user)
    meilenstein = iv1.meilensteine.order_by("ordnung").first()
    vorher = _abbild(iv1)

    response = _meilenstein(client, meilenstein, "", faellig_am="2027-03-31")

    assert response.status_code == 200
    assert "Der Meilenstein wurde nicht gespeichert." in response.content.decode()
    assert _abbild(iv1) == vorher


def test_berichterstattung_of_a_kreis_gets_403_and_nothing_changes(client, kusel_user, iv1):
    client.force_login(kusel_user)
    meilenstein = iv1.meilensteine.order_by("ordnung").first()
    vorher = _abbild(iv1)

    antworten = [
        client.get(reverse("massnahmen:bearbeiten", args=[RLP, CODE])),
        _beschreibung(client, "Von Kusel überschrieben."),
        _neuer_meilenstein(client, "Von Kusel angelegt", faellig_am="2027-01-01"),
        _meilenstein(client, meilenstein, "Von Kusel geändert", faellig_am="2027-01-01", erreicht_am="2026-01-01"),
    ]

    assert [a.status_code for a in antworten] == [403, 403, 403, 403]
    assert "Keine Berechtigung" in antworten[-1].content.decode()
    assert _abbild(iv1) == vorher


def test_federfuehrung_sees_its_change_in_the_verlauf(client, federfuehrung_user, iv1):
    client.force_login(federfuehrung_user)
    meilenstein = iv1.meilensteine.order_by("ordnung").first()
    _meilenstein(client, meilenstein, meilenstein.titel, faellig_am="2027-03-31")

    text = client.get(reverse("massnahmen:verlauf", args=[RLP, CODE])).content.decode()

    eintrag = text.split(f"Meilenstein „{meilenstein.titel}“ geändert", 1)[1].split("</li>", 1)[0]
    assert "Fritz Federführung · Meilenstein gespeichert" in eintrag
    assert "fällig am</th>" in eintrag and ">–</td>" in eintrag and ">31.03.2027</td>" in eintrag


def test_federfuehrung_of_one_massnahme_cannot_edit_another(client, federfuehrung_user, rlp):
    iv2 = Massnahme.objects.get(strategie=rlp, code="IV.2")  # gemeinsam, without Federführung
    meilenstein = iv2.meilensteine.order_by("ordnung").first()
    client.force_login(federfuehrung_user)
    vorher = _abbild(iv2)

    bearbeiten = client.post(reverse("massnahmen:bearbeiten", args=[RLP, "IV.2"]), {"beschreibung": "Fremd."})
    praefix = f"ms{meilenstein.pk}"
    aendern = client.post(
        reverse("massnahmen:meilenstein", args=[RLP, "IV.2", meilenstein.pk]),
        {f"{praefix}-titel": "Fremd", f"{praefix}-faellig_am": "2027-01-01"},
    )

    assert (bearbeiten.status_code, aendern.status_code) == (403, 403)
    assert _abbild(iv2) == vorher


def test_federfuehrung_demoted_to_gast_by_the_geschaeftsstelle_can_no_longer_edit(
    client, federfuehrung_user, geschaeftsstelle_user, iv1
):
    client.force_login(geschaeftsstelle_user)
    mitgliedschaft = federfuehrung_user.mitgliedschaften.get()
    client.post(
        reverse("strategie:rolle_aendern", args=[RLP, mitgliedschaft.pk]),
        {"organisation": mitgliedschaft.organisation_id, "rolle": "gast"},
    )
    assert federfuehrung_user.mitgliedschaften.get().rolle == "gast"
    client.force_login(federfuehrung_user)
    meilenstein = iv1.meilensteine.order_by("ordnung").first()
    vorher = _abbild(iv1)

    antworten = [
        _beschreibung(client, "Nach dem Rollenwechsel."),
        _meilenstein(client, meilenstein, meilenstein.titel, erreicht_am="2026-01-01"),
    ]

    assert [a.status_code for a in antworten] == [403, 403]
    assert _abbild(iv1) == vorher
