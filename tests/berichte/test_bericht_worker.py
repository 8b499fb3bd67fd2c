"""The render task in a real Celery worker process on Redis: request → render → SHA-256 → download; a worker
killed in the middle of a render → the task is delivered to a new worker, one file and one version; a failing
render → fehlgeschlagen with a German message, nothing downloadable, "Erneut versuchen" works."""

import hashlib
import os
import shutil
import signal
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from berichte.models import Bericht
from berichte.tasks import MELDUNG_ABLAGE
from strategie.celery import app

from .hilfen import KGRZ, fordere_pdf_an, lade_herunter, lege_an
from .worker import beende, neue_queue, starte_worker

WARTEZEIT = 240


@pytest.fixture
def queue():
    """Tasks go to a queue of this test, served only by the workers the test starts."""
    name = neue_queue()
    alt = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager, app.conf.task_default_queue = False, name
    try:
        with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
            yield name
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = alt


@pytest.fixture
def worker_prozesse():
    prozesse = []
    yield prozesse
    for prozess in prozesse:
        beende(prozess)


def _warte(pk: int, *zustaende: str) -> Bericht:
    ende = time.monotonic() + WARTEZEIT
    while time.monotonic() < ende:
        bericht = Bericht.objects.get(pk=pk)
        if bericht.zustand in zustaende:
            return bericht
        time.sleep(0.1)
    raise AssertionError(f"Bericht {pk} ist nach {WARTEZEIT} s nicht {zustaende}, sondern {bericht.zustand}.")


def _ordner(bericht: Bericht) -> Path:
    return Path(settings.MEDIA_ROOT) / "berichte" / str(bericht.pk)


def test_real_worker_renders_and_the_user_downloads(transactional_db, client, kgrz_user, queue, worker_prozesse):
    worker_prozesse.append(starte_worker(queue))
    client.force_login(kgrz_user)
    bericht = lege_an(client, KGRZ, art="umsetzungsbericht", jahr=2021)

    fordere_pdf_an(client, bericht)

    bericht = _warte(bericht.pk, "fertig", "fehlgeschlagen")
    assert bericht.zustand == "fertig", bericht.fehlermeldung
    pdf = lade_herunter(client, bericht)
    assert hashlib.sha256(pdf).hexdigest() == bericht.sha256
    assert sorted(p.name for p in _ordner(bericht).iterdir()) == [Path(bericht.datei.name).name]


def test_a_worker_killed_mid_render_is_replaced_and_one_file_and_version_result(
    transactional_db, client, kgrz_user, queue, worker_prozesse
):
    erster = starte_worker(queue, wiederzustellen_nach=3)
    worker_prozesse.append(erster)
    client.force_login(kgrz_user)
    bericht = lege_an(client, KGRZ, art="umsetzungsbericht", jahr=2021)
    fordere_pdf_an(client, bericht)
    _warte(bericht.pk, "in_arbeit")

    os.kill(erster.pid, signal.SIGKILL)
    erster.wait(timeout=10)
    assert Bericht.objects.get(pk=bericht.pk).zustand == "in_arbeit"
    time.sleep(4)  # the broker hands the unacknowledged message out again after the visibility timeout
    worker_prozesse.append(starte_worker(queue, wiederzustellen_nach=3))

    bericht = _warte(bericht.pk, "fertig", "fehlgeschlagen")
    assert bericht.zustand == "fertig", bericht.fehlermeldung
    assert Bericht.objects.filter(strategie=bericht.strategie, berichtsjahr=2021).count() == 1
    assert bericht.version == 1
    assert sorted(p.name for p in _ordner(bericht).iterdir()) == [Path(bericht.datei.name).name]
    assert hashlib.sha256(lade_herunter(client, bericht)).hexdigest() == bericht.sha256


def test_a_failing_render_shows_the_message_and_erneut_versuchen_works(
    transactional_db, client, kgrz_user, queue, worker_prozesse
):
    worker_prozesse.append(starte_worker(queue))
    client.force_login(kgrz_user)
    bericht = lege_an(client, KGRZ, art="umsetzungsbericht", jahr=2021)
    ordner = _ordner(bericht)
    shutil.rmtree(ordner, ignore_errors=True)
    ordner.parent.mkdir(parents=True, exist_ok=True)
    ordner.write_bytes(b"")  # a file where the Bericht's folder must go: the storage cannot take the PDF

    fordere_pdf_an(client, bericht)

    bericht = _warte(bericht.pk, "fertig", "fehlgeschlagen")
    assert (bericht.zustand, bericht.fehlermeldung, bericht.sha256) == ("fehlgeschlagen", MELDUNG_ABLAGE, "")
    seite = client.get(reverse("berichte:detail", args=[KGRZ, bericht.pk])).content.decode()
    assert MELDUNG_ABLAGE in seite and "Erneut versuchen" in seite and "Traceback" not in seite
    assert client.get(reverse("berichte:herunterladen", args=[KGRZ, bericht.pk])).status_code == 404
    datenstand = bericht.datenstand

    ordner.unlink()
    fordere_pdf_an(client, bericht)

    bericht = _warte(bericht.pk, "fertig", "fehlgeschlagen")
    assert bericht.zustand == "fertig" and bericht.datenstand == datenstand
    assert hashlib.sha256(lade_herunter(client, bericht)).hexdigest() == bericht.sha256
