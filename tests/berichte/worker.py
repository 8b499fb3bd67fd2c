"""Celery worker processes for the Bericht tests that kill one: each test starts (and ends) its own workers."""

from __future__ import annotations

import contextlib
import os
import subprocess  # noqa: S404
import sys
import uuid
from pathlib import Path

from django.conf import settings

from strategie.celery import app
from tests.celery_worker import PROJEKT, _datenbank_url, _warte_auf_bereitschaft


def neue_queue() -> str:
    return f"bericht-test-{uuid.uuid4().hex[:12]}"


def starte_worker(queue: str, *, wiederzustellen_nach: int = 600) -> subprocess.Popen:
    """`celery worker --pool=solo` on `queue`; a message whose worker died is delivered again after
    `wiederzustellen_nach` seconds (the broker's visibility timeout)."""
    name = f"{queue}-{uuid.uuid4().hex[:6]}@%h"
    umgebung = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "strategie.settings.test",
        "CELERY_EAGER": "0",
        "REDIS_URL": settings.REDIS_URL,
        "DATABASE_URL": _datenbank_url(),
        "CELERY_VISIBILITY_TIMEOUT": str(wiederzustellen_nach),
        "CELERY_RESTORE_INTERVAL": "1",
    }
    befehl = [str(Path(sys.executable).parent / "celery"), "-A", "strategie", "worker", "--pool=solo", "-l", "warning"]
    befehl += ["-Q", queue, "-n", name, "--without-gossip", "--without-mingle", "--without-heartbeat"]
    prozess = subprocess.Popen(befehl, cwd=PROJEKT, env=umgebung)  # noqa: S603
    _warte_auf_bereitschaft(app, prozess, name)
    return prozess


def beende(prozess: subprocess.Popen) -> None:
    if prozess.poll() is None:
        prozess.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            prozess.wait(timeout=30)
    if prozess.poll() is None:
        prozess.kill()
        prozess.wait(timeout=10)
