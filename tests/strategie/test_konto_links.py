"""An invitation link and a password-reset link are signed with different salts: neither opens the other's page."""

import re

from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from strategie.models import Organisation
from tests.conftest import RLP


def test_invitee_cannot_use_the_invitation_token_as_password_reset_link(
    client, geschaeftsstelle_user, django_capture_on_commit_callbacks
):
    client.force_login(geschaeftsstelle_user)
    kusel = Organisation.objects.get(schluessel="07336")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("strategie:benutzer_einladen", args=[RLP]),
            {
                "email": "neu@kusel.example",
                "vorname": "Nora",
                "nachname": "Neu",
                "organisation": kusel.pk,
                "rolle": "berichterstattung",
            },
        )
    uidb64, token = re.search(r"/einladung/([^/]+)/([^/]+)/", mail.outbox[0].body).groups()

    response = client.__class__().get(f"/passwort-neu/{uidb64}/{token}/", follow=True)

    assert "Dieser Link ist nicht mehr gültig" in response.content.decode()


def test_member_cannot_use_a_password_reset_token_as_invitation_link(client, kusel_user):
    uidb64 = urlsafe_base64_encode(force_bytes(kusel_user.pk))
    token = default_token_generator.make_token(kusel_user)

    response = client.post(
        f"/einladung/{uidb64}/{token}/",
        {"new_password1": "Kreisverwaltung-2026!", "new_password2": "Kreisverwaltung-2026!"},
    )

    assert response.status_code == 400 and "nicht mehr gültig" in response.content.decode()
    kusel_user.refresh_from_db()
    assert kusel_user.check_password("demo")
