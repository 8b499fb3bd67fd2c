"""Forged fields in the user management change nothing: an organisation outside the strategy, a role that does not
exist, a user or Mitgliedschaft of another strategy, a strategy the Geschäftsstelle does not manage."""

from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.urls import reverse

from strategie.models import Mitgliedschaft, Organisation, Sicherheitsereignis
from tests.conftest import KGRZ, RLP

User = get_user_model()


def _abbild() -> tuple:
    return (
        tuple(Mitgliedschaft.objects.order_by("pk").values_list("pk", "user_id", "organisation_id", "rolle")),
        tuple(User.objects.order_by("pk").values_list("pk", "is_active", "password")),
        Sicherheitsereignis.objects.count(),
        AccessAttempt.objects.count(),
    )


def test_geschaeftsstelle_cannot_move_a_role_to_an_organisation_outside_the_strategy(
    client, geschaeftsstelle_user, cochem_user
):
    client.force_login(geschaeftsstelle_user)
    mitgliedschaft = cochem_user.mitgliedschaften.get()
    kgrz_organisation = Organisation.objects.get(kennung="kgrz-koblenz")
    vorher = _abbild()

    response = client.post(
        reverse("strategie:rolle_aendern", args=[RLP, mitgliedschaft.pk]),
        {"organisation": kgrz_organisation.pk, "rolle": "geschaeftsstelle"},
        follow=True,
    )

    assert "Bitte wählen Sie eine Organisation der Strategie" in response.content.decode()
    assert _abbild() == vorher


def test_geschaeftsstelle_cannot_invite_with_a_role_that_does_not_exist(client, geschaeftsstelle_user):
    client.force_login(geschaeftsstelle_user)
    kusel = Organisation.objects.get(schluessel="07336")
    vorher = _abbild()

    response = client.post(
        reverse("strategie:benutzer_einladen", args=[RLP]),
        {"email": "neu@kusel.example", "vorname": "N", "nachname": "N", "organisation": kusel.pk, "rolle": "admin"},
    )

    assert response.status_code == 200 and "Bitte prüfen Sie Ihre Angaben" in response.content.decode()
    assert _abbild() == vorher


def test_geschaeftsstelle_cannot_invite_an_invalid_address(client, geschaeftsstelle_user):
    client.force_login(geschaeftsstelle_user)
    kusel = Organisation.objects.get(schluessel="07336")
    vorher = _abbild()

    response = client.post(
        reverse("strategie:benutzer_einladen", args=[RLP]),
        {"email": "keine-adresse", "vorname": "N", "nachname": "N", "organisation": kusel.pk, "rolle": "gast"},
    )

    assert response.status_code == 200 and "gültige E-Mail-Adresse" in response.content.decode()
    assert _abbild() == vorher


def test_geschaeftsstelle_cannot_reach_a_user_of_another_strategy_only(client, geschaeftsstelle_user, kgrz_user):
    client.force_login(geschaeftsstelle_user)
    vorher = _abbild()

    antworten = [
        client.post(reverse("strategie:benutzer_deaktivieren", args=[RLP, kgrz_user.pk])).status_code,
        client.post(reverse("strategie:benutzer_entsperren", args=[RLP, kgrz_user.pk])).status_code,
        client.get(reverse("strategie:benutzer_verlauf", args=[RLP, kgrz_user.pk])).status_code,
    ]

    assert antworten == [404, 404, 404]
    assert _abbild() == vorher


def test_geschaeftsstelle_cannot_change_a_rlp_role_through_the_other_strategys_slug(
    client, geschaeftsstelle_user, cochem_user
):
    client.force_login(geschaeftsstelle_user)
    mitgliedschaft = cochem_user.mitgliedschaften.get()
    vorher = _abbild()

    response = client.post(reverse("strategie:rolle_entziehen", args=[KGRZ, mitgliedschaft.pk]))

    assert response.status_code == 404
    assert _abbild() == vorher


def test_geschaeftsstelle_of_other_strategy_cannot_change_or_deactivate_rlp_users(client, kgrz_user, cochem_user):
    client.force_login(kgrz_user)
    mitgliedschaft = cochem_user.mitgliedschaften.get()
    vorher = _abbild()

    antworten = [
        client.post(
            reverse("strategie:rolle_aendern", args=[RLP, mitgliedschaft.pk]),
            {"organisation": mitgliedschaft.organisation_id, "rolle": "gast"},
        ).status_code,
        client.post(reverse("strategie:rolle_entziehen", args=[RLP, mitgliedschaft.pk])).status_code,
        client.post(reverse("strategie:benutzer_deaktivieren", args=[RLP, cochem_user.pk])).status_code,
        client.post(reverse("strategie:benutzer_entsperren", args=[RLP, cochem_user.pk])).status_code,
    ]

    assert antworten == [404, 404, 404, 404]
    assert _abbild() == vorher


def test_geschaeftsstelle_cannot_deactivate_itself(client, geschaeftsstelle_user):
    client.force_login(geschaeftsstelle_user)
    vorher = _abbild()

    response = client.post(
        reverse("strategie:benutzer_deaktivieren", args=[RLP, geschaeftsstelle_user.pk]), follow=True
    )

    assert "Sie können Ihr eigenes Benutzerkonto nicht deaktivieren." in response.content.decode()
    assert _abbild() == vorher
