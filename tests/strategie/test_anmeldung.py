"""Sign-in: password reset by e-mail, German password rules, session timeout, lockout, security events."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import override_settings

from strategie.models import Sicherheitsereignis


def _link(text: str) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", text).group(1)


@pytest.fixture
def kusel_mit_mail(kusel_user):
    kusel_user.email = "it@kreis-kusel.example"
    kusel_user.save()
    return kusel_user


def test_reset_link_works_once(client, kusel_mit_mail):
    client.post("/passwort-vergessen/", {"email": "it@kreis-kusel.example"})
    assert len(mail.outbox) == 1 and "Neues Passwort" in mail.outbox[0].subject
    assert mail.outbox[0].alternatives[0][1] == "text/html"
    link = _link(mail.outbox[0].body)

    formular = client.get(link, follow=True)
    ziel = formular.redirect_chain[-1][0]
    gesetzt = client.post(ziel, {"new_password1": "Kreisverwaltung-2026!", "new_password2": "Kreisverwaltung-2026!"})
    zweites_mal = client.get(link, follow=True)

    assert gesetzt.status_code == 302
    kusel_mit_mail.refresh_from_db()
    assert kusel_mit_mail.check_password("Kreisverwaltung-2026!")
    assert "nicht mehr gültig" in zweites_mal.content.decode()


def test_reset_link_expires(client, kusel_mit_mail, monkeypatch):
    from django.contrib.auth.tokens import default_token_generator

    client.post("/passwort-vergessen/", {"email": "it@kreis-kusel.example"})
    link = _link(mail.outbox[0].body)
    jetzt = default_token_generator._now()
    monkeypatch.setattr(
        type(default_token_generator),
        "_now",
        lambda self: jetzt + __import__("datetime").timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60),
    )

    response = client.get(link, follow=True)

    assert "nicht mehr gültig" in response.content.decode()
    kusel_mit_mail.refresh_from_db()
    assert kusel_mit_mail.check_password("demo")


def test_unknown_address_reveals_nothing(client, daten):
    response = client.post("/passwort-vergessen/", {"email": "niemand@example.org"}, follow=True)

    assert "Bitte prüfen Sie Ihr Postfach" in response.content.decode()
    assert mail.outbox == []


def test_weak_password_is_refused_in_german(client, kusel_mit_mail):
    client.post("/passwort-vergessen/", {"email": "it@kreis-kusel.example"})
    ziel = client.get(_link(mail.outbox[0].body), follow=True).redirect_chain[-1][0]

    response = client.post(ziel, {"new_password1": "kurz", "new_password2": "kurz"})

    text = response.content.decode()
    assert "Dieses Passwort ist zu kurz" in text and "12 Zeichen" in text
    kusel_mit_mail.refresh_from_db()
    assert kusel_mit_mail.check_password("demo")


@pytest.mark.parametrize(
    ("passwort", "wiederholung", "meldung"),
    [
        (
            "it@kreis-kusel.example",
            "it@kreis-kusel.example",
            "ähnelt zu sehr der Angabe „E-Mail-Adresse“ Ihres Kontos",
        ),
        ("839201746352", "839201746352", "besteht nur aus Ziffern"),
        ("qwerty123456", "qwerty123456", "zu verbreitet"),
        ("Lang-genug-und-gut-2026", "Lang-genug-und-gut-2025", "Die beiden Passwörter stimmen nicht überein."),
    ],
)
def test_password_rules_speak_plain_german(client, kusel_mit_mail, passwort, wiederholung, meldung):
    client.post("/passwort-vergessen/", {"email": "it@kreis-kusel.example"})
    ziel = client.get(_link(mail.outbox[0].body), follow=True).redirect_chain[-1][0]

    response = client.post(ziel, {"new_password1": passwort, "new_password2": wiederholung})

    text = response.content.decode()
    feld = "new_password2" if passwort != wiederholung else "new_password1"  # a rule concerns the new password
    fehler = text[text.index(f'id="id_{feld}_error"') :]
    assert meldung in fehler[: fehler.index("</p>")]
    kusel_mit_mail.refresh_from_db()
    assert kusel_mit_mail.check_password("demo")


def test_session_ends_after_configured_time_and_on_browser_close(daten):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_after_configured_failures_even_with_right_password(client, daten):
    for _ in range(3):
        client.post("/anmelden/", {"username": "demo-cochem-zell", "password": "falsch"})

    response = client.post("/anmelden/", {"username": "demo-cochem-zell", "password": "demo"})

    text = response.content.decode()
    assert response.status_code == 429
    assert "Anmeldung vorübergehend gesperrt" in text and "Bitte versuchen Sie es in 30 Minuten erneut." in text
    assert "_auth_user_id" not in client.session
    assert Sicherheitsereignis.objects.filter(art="sperre", benutzername="demo-cochem-zell").exists()
    assert Sicherheitsereignis.objects.filter(art="fehlanmeldung", benutzername="demo-cochem-zell").count() >= 3


def test_sign_in_and_out_are_security_events(client, daten):
    client.post("/anmelden/", {"username": "demo-kusel", "password": "demo"})
    client.post("/abmelden/")

    arten = list(Sicherheitsereignis.objects.filter(benutzername="demo-kusel").values_list("art", flat=True))
    assert "anmeldung" in arten and "abmeldung" in arten
