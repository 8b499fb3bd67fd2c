"""A real Celery worker process for the tests that must prove the task path end to end.

Import the fixture explicitly in the test module (`from tests.celery_worker import echter_celery_worker`) and
request it together with `transactional_db`: the worker is another process with its own database connection,
so it sees only committed data. It runs against the test database and the tests' Redis database, listens on a
queue of its own (tests of other developers on the same Redis never see its messages) and is stopped at the end
of the session.
"""

from __future__ import annotations

import os
import subprocess  # noqa: S404
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

PROJEKT = Path(__file__).resolve().parent.parent
START_SEKUNDEN = 60


@dataclass(frozen=True)
class Worker:
    queue: str
    name: str
    prozess: subprocess.Popen


def _datenbank_url() -> str:
    """The test database (created by pytest-django) as DATABASE_URL for the worker."""
    einstellungen = connection.settings_dict
    assert einstellungen["ENGINE"].endswith("postgresql"), "Der echte Worker braucht PostgreSQL."
    benutzer = quote(einstellungen.get("USER") or "", safe="")
    passwort = quote(einstellungen.get("PASSWORD") or "", safe="")
    anmeldung = f"{benutzer}:{passwort}@" if passwort else (f"{benutzer}@" if benutzer else "")
    host = einstellungen.get("HOST") or "127.0.0.1"
    port = f":{einstellungen['PORT']}" if einstellungen.get("PORT") else ""
    return f"postgres://{anmeldung}{host}{port}/{quote(einstellungen['NAME'], safe='')}"


@pytest.fixture(scope="session")
def echter_celery_worker(django_db_setup, django_db_blocker):
    """Start `celery -A strategie worker --pool=solo` against the test database; stop it after the session."""
    from strategie.celery import app

    queue = f"meldebogen-test-{uuid.uuid4().hex[:12]}"
    name = f"{queue}@%h"
    with django_db_blocker.unblock():
        datenbank = _datenbank_url()
    umgebung = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "strategie.settings.test",
        "CELERY_EAGER": "0",
        "REDIS_URL": settings.REDIS_URL,
        "DATABASE_URL": datenbank,
    }
    befehl = [
        str(Path(sys.executable).parent / "celery"),
        "-A",
        "strategie",
        "worker",
        "--pool=solo",
        "-l",
        "warning",
        "-Q",
        queue,
        "-n",
        name,
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    prozess = subprocess.Popen(befehl, cwd=PROJEKT, env=umgebung)  # noqa: S603
    try:
        _warte_auf_bereitschaft(app, prozess, name)
        yield Worker(queue=queue, name=name, prozess=prozess)
    finally:
        prozess.terminate()  # warm shutdown: finishes the current task
        try:
            prozess.wait(timeout=20)
        except subprocess.TimeoutExpired:
            prozess.kill()
            prozess.wait(timeout=10)


def _warte_auf_bereitschaft(app, prozess: subprocess.Popen, name: str) -> None:
    knoten = name.replace("%h", os.uname().nodename)
    ende = time.monotonic() + START_SEKUNDEN
    while time.monotonic() < ende:
        if prozess.poll() is not None:
            raise RuntimeError(f"Der Celery-Worker hat sich beendet (Exit-Code {prozess.returncode}).")
        if app.control.ping(destination=[knoten], timeout=1.0):
            return
    raise RuntimeError(f"Der Celery-Worker {knoten} antwortet nach {START_SEKUNDEN} s nicht.")
