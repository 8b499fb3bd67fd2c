"""Point 16 of issue 14: a new invitation makes the earlier link invalid."""

import re

from django.core import mail
from django.urls import reverse

from tests.conftest import RLP

PASSWORT = "Ruhige-Fahrt-Ahornweg-73"


def _einladen(client, kusel, capture) -> str:
    vorher = len(mail.outbox)
    with capture(execute=True):
        response = client.post(
            reverse("strategie:benutzer_einladen", args=[RLP]),
            {
                "email": "neu@kreis-kusel.example",
                "vorname": "Nina",
                "nachname": "Neu",
                "organisation": kusel.pk,
                "rolle": "berichterstattung",
            },
        )
    assert response.status_code == 302
    assert len(mail.outbox) == vorher + 1
    return re.search(r"https?://[^/\s]+(/einladung/\S+)", mail.outbox[-1].body).group(1)


def test_geschaeftsstelle_invites_again_and_the_first_link_is_void(
    client, geschaeftsstelle_user, kusel, django_capture_on_commit_callbacks
):
    client.force_login(geschaeftsstelle_user)
    erster = _einladen(client, kusel, django_capture_on_commit_callbacks)
    zweiter = _einladen(client, kusel, django_capture_on_commit_callbacks)
    eingeladene = client.__class__()

    alt = eingeladene.post(erster, {"new_password1": PASSWORT, "new_password2": PASSWORT})

    assert erster != zweiter
    assert alt.status_code == 400
    from django.contrib.auth import get_user_model

    person = get_user_model().objects.get(email="neu@kreis-kusel.example")
    assert not person.has_usable_password()
    assert eingeladene.post(zweiter, {"new_password1": PASSWORT, "new_password2": PASSWORT}).status_code == 302
    person.refresh_from_db()
    assert person.check_password(PASSWORT)
