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


def test_dashboard_sql_runs_on_the_embedded_database(client, daten):
    """The dashboard's figures are summed in SQL (berichte/selectors/sql.py): today, a past Stichtag with its
    comparison, the profile and the exports must run on SQLite as they do on PostgreSQL."""
    client.force_login(get_user_model().objects.get(username="demo-lenkungsausschuss"))
    basis = "/rlp-digitalisierungsstrategie"
    for pfad, parameter in [
        (f"{basis}/dashboard/", {}),
        (f"{basis}/dashboard/", {"stichtag": "2025-12-31", "vergleich": "2025-06-30", "ampel": "rot"}),
        (f"{basis}/dashboard/", {"handlungsfeld": "I", "organisationsart": "landkreis"}),
        (f"{basis}/organisationen/07336/", {"stichtag": "2025-12-31"}),
        (f"{basis}/dashboard/export/veraenderung.csv", {"stichtag": "2025-12-31", "vergleich": "2025-06-30"}),
        (f"{basis}/dashboard/export/matrix.xlsx", {}),
    ]:
        antwort = client.get(pfad, parameter)
        assert antwort.status_code == 200, (pfad, parameter)
    seite = client.get(f"{basis}/dashboard/").content.decode()
    assert "Veränderung seit" in seite and "von 24" in seite


def test_past_stichtage_from_the_meldungsverlauf_equal_the_probe_on_sqlite(daten):
    """The Meldungsverlauf's condition spelt out for SQLite cuts at the same days as PostgreSQL's range."""
    import datetime as dt

    from berichte.selectors import Zeitpunkt, read_paare
    from massnahmen.models import Statusmeldung

    for strategie in daten.values():
        tage = set(Statusmeldung.objects.filter(massnahme__strategie=strategie).values_list("stichtag", flat=True))
        assert tage
        for tag in sorted(tage | {t - dt.timedelta(days=1) for t in tage}):
            zeitpunkt = Zeitpunkt.am(tag)
            mit, ohne = (
                sorted(read_paare(strategie=strategie, zeitpunkt=zeitpunkt, verlauf=v), key=repr)
                for v in (True, False)
            )
            assert mit == ohne, (strategie.slug, tag)
