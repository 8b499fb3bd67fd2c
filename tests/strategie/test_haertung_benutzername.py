"""Point 9 of issue 14: an over-long user name is refused as a field error before authentication (and django-axes,
which cannot store it) runs, at the portal's and at the admin's sign-in."""

import pytest
from axes.models import AccessAttempt

from strategie.models import Sicherheitsereignis


@pytest.mark.parametrize("pfad", ["/anmelden/", "/admin/login/"])
def test_anonymous_256_character_user_name_is_a_german_field_error(client, daten, pfad):
    vorher = (AccessAttempt.objects.count(), Sicherheitsereignis.objects.count())

    response = client.post(pfad, {"username": "a" * 256, "password": "falsch"})

    assert response.status_code == 200
    assert "Der Benutzername ist zu lang" in response.content.decode()
    assert (AccessAttempt.objects.count(), Sicherheitsereignis.objects.count()) == vorher
    assert "_auth_user_id" not in client.session


def test_anonymous_user_name_of_150_characters_is_an_ordinary_failed_sign_in(client, daten):
    response = client.post("/anmelden/", {"username": "a" * 150, "password": "falsch"})

    assert response.status_code == 200
    assert "Benutzername, E-Mail-Adresse oder Passwort stimmen nicht" in response.content.decode()
    assert AccessAttempt.objects.filter(username="a" * 150).exists()
