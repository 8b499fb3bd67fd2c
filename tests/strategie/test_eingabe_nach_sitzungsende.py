"""A full-page form sent after the session expired: the sign-in page says why, and the input comes back."""

import json
import re

from django.test import Client
from django.urls import reverse

from tests.conftest import RLP


def test_invitation_input_survives_an_expired_session(client, geschaeftsstelle_user):
    client.force_login(geschaeftsstelle_user)
    formular = reverse("strategie:benutzer_einladen", args=[RLP])
    client.get(formular)
    client.logout()  # the session ends (8 hours, browser closed) while the form is open

    antwort = client.post(
        formular,
        {"email": "neu@kreis.example", "vorname": "Nora", "nachname": "Neu", "rolle": "gast"},
        HTTP_REFERER=f"http://testserver{formular}",
    )

    assert antwort.status_code == 302
    assert antwort["Location"].startswith(reverse("strategie:anmelden"))
    anmeldung = client.get(antwort["Location"]).content.decode()
    assert "Ihre Sitzung ist abgelaufen." in anmeldung and "Ihre Eingaben sind aufbewahrt" in anmeldung
    weiter = client.post(antwort["Location"], {"username": "demo-geschaeftsstelle", "password": "demo"})
    assert weiter["Location"] == formular
    seite = client.get(formular).content.decode()
    assert "Ihre Eingaben von vorhin sind wieder eingesetzt." in seite
    daten = json.loads(
        re.search(r'<script id="gerettete-eingabe" type="application/json">(.*?)</script>', seite).group(1)
    )
    assert daten["email"] == ["neu@kreis.example"] and daten["vorname"] == ["Nora"]
    assert "csrfmiddlewaretoken" not in daten
    assert "wieder eingesetzt" not in client.get(formular).content.decode()  # shown once


def test_meldebogen_upload_after_expiry_asks_for_the_file_again(client, kusel_user):
    seite = reverse("meldebogen:seite", args=[RLP])
    from django.core.files.uploadedfile import SimpleUploadedFile

    antwort = Client().post(
        reverse("meldebogen:hochladen", args=[RLP]),
        {"datei": SimpleUploadedFile("meldebogen.csv", b"x"), "runde": "alle"},
        HTTP_REFERER=f"http://testserver{seite}",
    )
    assert antwort["Location"].startswith(reverse("strategie:anmelden"))
    assert "sitzung=abgelaufen" in antwort["Location"]
