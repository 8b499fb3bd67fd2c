"""Production settings refuse to start without SECRET_KEY or an https PORTAL_URL and pass `check --deploy`
without warnings; every settings module opens PostgreSQL sessions the dashboard's reads are fast in."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJEKT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    entfernen = {"SECRET_KEY", "DATABASE_URL", "PORTAL_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    umgebung = {k: v for k, v in os.environ.items() if k not in entfernen}
    umgebung.update(DJANGO_SETTINGS_MODULE="strategie.settings.prod", **env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=PROJEKT, env=umgebung, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_secret_key():
    ergebnis = _manage("check", DATABASE_URL="postgres://u@localhost/x")

    assert ergebnis.returncode != 0
    assert "SECRET_KEY ist nicht gesetzt" in ergebnis.stderr


def test_production_refuses_to_start_without_https_portal_url():
    schluessel = "ein-langer-zufaelliger-schluessel-" + "x7Qp" * 10
    for url in ("", "http://umsetzungsmonitor.example.org"):
        ergebnis = _manage("check", SECRET_KEY=schluessel, DATABASE_URL="postgres://u@localhost/x", PORTAL_URL=url)

        assert ergebnis.returncode != 0
        assert "PORTAL_URL ist nicht gesetzt oder beginnt nicht mit https://" in ergebnis.stderr


def test_production_passes_deploy_check_without_warnings():
    ergebnis = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="ein-langer-zufaelliger-schluessel-" + "x7Qp" * 10,
        DATABASE_URL="postgres://u@localhost/x",
        ALLOWED_HOSTS="umsetzungsmonitor.example.org",
        PORTAL_URL="https://umsetzungsmonitor.example.org",
    )

    assert ergebnis.returncode == 0, ergebnis.stderr
    assert "no issues" in ergebnis.stdout


@pytest.mark.django_db
def test_postgresql_sessions_run_without_jit_and_with_memory_for_the_history_sort():
    """Set for every settings module (base.datenbank): the JIT compiler cost the dashboard's summed reads a third
    of their time at national size (benchmarks/dashboard.py)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
        cursor.execute("SHOW work_mem")
        work_mem = cursor.fetchone()[0]
    assert (jit, work_mem) == ("off", "32MB")
