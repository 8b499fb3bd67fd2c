"""Forms are protected against cross-site requests: a POST without the CSRF token is refused with a German page
and stores nothing, with or without htmx; the token the page renders lets the same POST through."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from massnahmen.models import Statusmeldung, Umsetzungsstand
from tests.conftest import RLP

TEXT = "Zertifizierung nach BSI-Grundschutz beantragt."


@pytest.fixture
def csrf_client(kusel_user) -> Client:
    """A client that checks CSRF like a browser request would be checked, signed in as demo-kusel."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(kusel_user)
    return client


def _url(massnahme, organisation) -> str:
    return reverse("massnahmen:melden", args=[RLP, massnahme.code]) + f"?organisation={organisation.pk}"


def _daten(massnahme, organisation, **extra) -> dict:
    prefix = f"m{massnahme.pk}-o{organisation.pk}"
    version = Umsetzungsstand.objects.get(massnahme=massnahme, organisation=organisation).version
    felder = {
        "organisation": organisation.pk,
        "version": version,
        "stichtag": timezone.localdate().isoformat(),
        "status": "in_umsetzung",
        "fortschritt": "70",
        "ampel": "gruen",
        "text": TEXT,
        "aktion": "einreichen",
    }
    return {**{f"{prefix}-{k}": v for k, v in felder.items()}, **extra}


def _gespeichert(massnahme, organisation) -> bool:
    return Statusmeldung.objects.filter(massnahme=massnahme, organisation=organisation, text=TEXT).exists()


def _check_abgelehnt(response) -> None:
    text = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="de">' in text and "Sitzung abgelaufen" in text
    assert "Bitte laden Sie die Seite neu und senden Sie es erneut ab." in text
    assert "Forbidden" not in text and "CSRF token" not in text and "CSRF cookie" not in text  # no technical details


def test_post_without_token_is_refused_with_german_page(csrf_client, i2, kusel):
    vorher = Statusmeldung.objects.count()

    response = csrf_client.post(_url(i2, kusel), _daten(i2, kusel))

    _check_abgelehnt(response)
    assert Statusmeldung.objects.count() == vorher and not _gespeichert(i2, kusel)


def test_htmx_post_without_token_is_refused_with_a_german_message_for_the_page(csrf_client, i2, kusel):
    """htmx puts the answer into the page above the form, so it is a message, not a second page."""
    vorher = Statusmeldung.objects.count()

    response = csrf_client.post(_url(i2, kusel), _daten(i2, kusel), headers={"HX-Request": "true"})

    text = response.content.decode()
    assert response.status_code == 403 and "<html" not in text and 'role="alert"' in text
    assert "Sitzung abgelaufen" in text and "Ihre Eingabe wurde nicht gespeichert; sie steht noch im Formular." in text
    assert "Forbidden" not in text and "CSRF" not in text
    assert Statusmeldung.objects.count() == vorher and not _gespeichert(i2, kusel)


def test_post_with_a_forged_token_is_refused(csrf_client, i2, kusel):
    csrf_client.get(_url(i2, kusel))  # the CSRF cookie is set, but the attacker cannot read the matching token
    vorher = Statusmeldung.objects.count()

    response = csrf_client.post(_url(i2, kusel), _daten(i2, kusel, csrfmiddlewaretoken="x" * 64))

    _check_abgelehnt(response)
    assert Statusmeldung.objects.count() == vorher


def test_post_with_the_token_of_the_rendered_form_is_stored(csrf_client, i2, kusel, kusel_user):
    seite = csrf_client.get(_url(i2, kusel)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', seite).group(1)

    response = csrf_client.post(_url(i2, kusel), _daten(i2, kusel, csrfmiddlewaretoken=token))

    assert response.status_code == 302
    meldung = Statusmeldung.objects.get(massnahme=i2, organisation=kusel, text=TEXT)
    assert meldung.von == kusel_user


def test_htmx_post_with_the_header_token_of_the_page_is_stored(csrf_client, i2, kusel):
    seite = csrf_client.get(_url(i2, kusel)).content.decode()
    kopf = json.loads(re.search(r"<body[^>]* hx-headers='([^']+)'", seite).group(1))

    response = csrf_client.post(_url(i2, kusel), _daten(i2, kusel), headers={"HX-Request": "true", **kopf})

    assert response.status_code == 200 and "wurde gespeichert" in response.content.decode()
    assert _gespeichert(i2, kusel)


def test_sign_in_without_token_is_refused_and_nobody_is_signed_in(daten):
    anonym = Client(enforce_csrf_checks=True)

    response = anonym.post(reverse("strategie:anmelden"), {"username": "demo-kusel", "password": "demo"})

    _check_abgelehnt(response)
    assert "_auth_user_id" not in anonym.session
    assert anonym.get(reverse("portal:meine_meldungen")).status_code == 302  # still sent to sign in
