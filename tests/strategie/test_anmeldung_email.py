"""Sign-in by e-mail address or by user name in any case; an invited person is signed in after setting the
password."""

import re

from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from strategie.models import Organisation
from tests.conftest import RLP

User = get_user_model()


def _anmelden(eingabe: str, passwort: str = "demo"):
    client = Client()
    antwort = client.post(reverse("strategie:anmelden"), {"username": eingabe, "password": passwort})
    return client, antwort


def test_berichterstattung_signs_in_with_the_email_address(kusel_user):
    client, antwort = _anmelden("Demo-Kusel@Demo.invalid")

    assert antwort.status_code == 302
    assert client.get(reverse("portal:startseite")).wsgi_request.user == kusel_user


def test_berichterstattung_signs_in_with_the_user_name_in_other_case(kusel_user):
    client, antwort = _anmelden("DEMO-KUSEL ")

    assert antwort.status_code == 302
    assert client.get(reverse("portal:startseite")).wsgi_request.user == kusel_user


def test_wrong_password_is_refused_with_a_clear_message(kusel_user):
    _, antwort = _anmelden("demo-kusel@demo.invalid", "falsch")

    assert antwort.status_code == 200
    assert "Benutzername, E-Mail-Adresse oder Passwort stimmen nicht." in antwort.content.decode()


def test_shared_email_address_signs_in_only_by_user_name(kusel_user):
    User.objects.create_user("zweitkonto", email="demo-kusel@demo.invalid", password="demo")

    _, per_adresse = _anmelden("demo-kusel@demo.invalid")
    _, per_name = _anmelden("demo-kusel")

    assert per_adresse.status_code == 200  # two accounts: no guessing which one
    assert per_name.status_code == 302


def test_invited_person_is_signed_in_after_setting_the_password(
    client, geschaeftsstelle_user, django_capture_on_commit_callbacks
):
    client.force_login(geschaeftsstelle_user)
    kusel = Organisation.objects.get(schluessel="07336")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("strategie:benutzer_einladen", args=[RLP]),
            {
                "email": "Nora.Neu@kreis-kusel.example",
                "vorname": "Nora",
                "nachname": "Neu",
                "organisation": kusel.pk,
                "rolle": "berichterstattung",
            },
        )
    link = re.search(r"http://\S+/einladung/\S+/", mail.outbox[-1].body).group(0).split("8000", 1)[1]
    besucher = Client()

    antwort = besucher.post(
        link, {"new_password1": "Kreisverwaltung-2026!", "new_password2": "Kreisverwaltung-2026!"}, follow=True
    )

    neu = User.objects.get(email="nora.neu@kreis-kusel.example")
    assert antwort.wsgi_request.user == neu
    assert antwort.redirect_chain[-1][0] == reverse("portal:startseite")
    text = antwort.content.decode()
    assert "Ihr Passwort ist gesetzt und Sie sind angemeldet" in text and f"„{neu.username}“" in text
    assert _kann_anmelden("NORA.NEU@kreis-kusel.example", "Kreisverwaltung-2026!")


def _kann_anmelden(benutzername: str, passwort: str) -> bool:
    antwort = Client().post(reverse("strategie:anmelden"), {"username": benutzername, "password": passwort})
    return antwort.status_code == 302
