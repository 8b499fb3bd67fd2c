"""Point 15 of issue 14: German common passwords (also with digits and signs around them) and passwords made of
the person's own names are refused when setting a password, in German."""

import re

import pytest
from django.core import mail

PASSWORT_NEU = "Ruhige-Fahrt-Ahornweg-73"


@pytest.fixture
def kusel_mit_namen(kusel_user):
    kusel_user.email = "max.mueller@kreis-kusel.example"
    kusel_user.first_name, kusel_user.last_name = "Max", "Müller"
    kusel_user.username = "mmueller"
    kusel_user.save()
    return kusel_user


def _formular(client) -> str:
    client.post("/passwort-vergessen/", {"email": "max.mueller@kreis-kusel.example"})
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[-1].body).group(1)
    return client.get(link, follow=True).redirect_chain[-1][0]


@pytest.mark.parametrize(
    ("passwort", "meldung"),
    [
        ("passwort1234", "zu verbreitet"),
        ("Sommer2026!!", "zu verbreitet"),
        ("Landkreis2026", "zu verbreitet"),
        ("P@ssw0rt2026!", "zu verbreitet"),
        ("Schalke04-2026", "zu verbreitet"),
        ("mmueller-Mueller1", "aus Ihrem Namen, Benutzernamen oder Ihrer E-Mail-Adresse"),
        ("Max-Mueller-2026!", "aus Ihrem Namen, Benutzernamen oder Ihrer E-Mail-Adresse"),
    ],
)
def test_berichterstattung_cannot_set_a_guessable_password(client, kusel_mit_namen, passwort, meldung):
    ziel = _formular(client)

    response = client.post(ziel, {"new_password1": passwort, "new_password2": passwort})

    assert response.status_code == 200
    text = response.content.decode()
    fehler = text[text.index('id="id_new_password1_error"') :]
    assert meldung in fehler[: fehler.index("</p>")]
    kusel_mit_namen.refresh_from_db()
    assert kusel_mit_namen.check_password("demo")


def test_berichterstattung_sets_a_password_of_own_words(client, kusel_mit_namen):
    ziel = _formular(client)

    response = client.post(ziel, {"new_password1": PASSWORT_NEU, "new_password2": PASSWORT_NEU})

    assert response.status_code == 302
    kusel_mit_namen.refresh_from_db()
    assert kusel_mit_namen.check_password(PASSWORT_NEU)


def test_german_list_names_its_source():
    from strategie.passwortregeln import DATEN

    kopf = (DATEN / "passwoerter-de.txt").read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert "SecLists" in kopf and "German_common-password-list-top-1000.txt" in kopf and "MIT" in kopf
