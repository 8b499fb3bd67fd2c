"""Smoke set for the embedded default of `make run` (SQLite, Celery eager). Run with -m smoke."""

from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings

pytestmark = pytest.mark.smoke


def test_embedded_settings_are_in_use():
    assert settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
    assert settings.CELERY_TASK_ALWAYS_EAGER


@override_settings(DEBUG=True)
def test_make_run_path_loads_and_serves_pages(client, daten):
    ausgabe = StringIO()
    call_command("strategien_laden", stdout=ausgabe)
    call_command("demo_laden", stdout=ausgabe)
    assert "Keine Änderungen" in ausgabe.getvalue()

    assert client.post("/anmelden/", {"username": "demo-kusel", "password": "demo"}).status_code == 302
    for pfad in [
        "/",
        "/rlp-digitalisierungsstrategie/",
        "/rlp-digitalisierungsstrategie/handlungsfelder/VII/",
        "/rlp-digitalisierungsstrategie/massnahmen/I.1/",
        "/meine-meldungen/",
        "/barrierefreiheit/",
        "/impressum/",
        "/datenschutz/",
        "/healthz",
        "/rlp-digitalisierungsstrategie/meldebogen/",
    ]:
        assert client.get(pfad).status_code == 200, pfad
    client.force_login(get_user_model().objects.get(username="demo-kgrz"))
    assert client.get("/kgrz-koblenz/massnahmen/4.2/").status_code == 200
