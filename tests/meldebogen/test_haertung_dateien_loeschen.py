"""Point 4 of issue 14: a refused Meldebogen file is deleted at once, an accepted one after the configured time
(default 90 days) by the daily Celery beat task; the Datenschutzerklärung says so."""

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings
from django.utils import timezone

from meldebogen.models import Meldebogenimport
from strategie.celery import app
from tests.meldebogen.meldebogen_hilfen import download_meldebogen, edit_csv, open_runde, upload_meldebogen


@pytest.fixture
def runde(rlp, geschaeftsstelle_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # a folder of this test alone: parallel runs upload too
    return open_runde(rlp, geschaeftsstelle_user)


def _hochladen(client, kusel, runde, capture, aenderungen) -> Meldebogenimport:
    datei = edit_csv(download_meldebogen(client, "csv", organisation=kusel, runde=runde), aenderungen)
    upload_meldebogen(client, datei, "meldebogen.csv", kusel, runde, capture)
    return Meldebogenimport.objects.latest("pk")


def test_kusel_refused_file_is_deleted_at_once(client, kusel_user, kusel, runde, django_capture_on_commit_callbacks):
    client.force_login(kusel_user)

    meldebogenimport = _hochladen(
        client, kusel, runde, django_capture_on_commit_callbacks, {"I.2": {"Fortschritt (%)": "viel"}}
    )

    assert meldebogenimport.zustand == "abgelehnt"
    assert meldebogenimport.datei.name == ""
    assert default_storage.listdir("meldeboegen")[1] == []  # the file was stored, and is gone
    seite = client.get(f"/{runde.strategie.slug}/meldebogen/importe/{meldebogenimport.pk}/").content.decode()
    assert "Fortschritt muss eine ganze Zahl" in seite  # the report stays


def test_beat_task_deletes_accepted_files_after_the_configured_days(
    client, kusel_user, kusel, runde, django_capture_on_commit_callbacks
):
    client.force_login(kusel_user)
    meldebogenimport = _hochladen(
        client,
        kusel,
        runde,
        django_capture_on_commit_callbacks,
        {"I.2": {"Sachstand": "Neu im Test", "Fortschritt (%)": "70"}},
    )
    assert meldebogenimport.zustand == "fertig"
    pfad = meldebogenimport.datei.name
    assert default_storage.exists(pfad)
    aufgabe = app.conf.beat_schedule["meldebogendateien-loeschen"]["task"]

    Meldebogenimport.objects.filter(pk=meldebogenimport.pk).update(
        abgeschlossen_am=timezone.now() - dt.timedelta(days=89)
    )
    app.tasks[aufgabe].apply()
    assert default_storage.exists(pfad)  # not yet

    Meldebogenimport.objects.filter(pk=meldebogenimport.pk).update(
        abgeschlossen_am=timezone.now() - dt.timedelta(days=91)
    )
    app.tasks[aufgabe].apply()

    assert not default_storage.exists(pfad)
    meldebogenimport.refresh_from_db()
    assert (meldebogenimport.datei.name, meldebogenimport.zustand) == ("", "fertig")


@override_settings(MELDEBOGEN_AUFBEWAHRUNG_TAGE=30)
def test_datenschutz_names_the_deletion(client, daten):
    text = client.get("/datenschutz/").content.decode()

    assert "Eine abgelehnte Datei wird sofort gelöscht, eine übernommene nach 30 Tagen" in text
