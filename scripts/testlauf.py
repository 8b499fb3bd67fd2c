#!/usr/bin/env python3
"""Testlauf für `make test` und CI.

Schritte (alle laufen, auch wenn einer fehlschlägt; der Exit-Code ist dann ungleich 0):
  1. ruff check .
  2. manage.py makemigrations --check --dry-run (SQLite in einer temporären Datei, ohne Server)
  3. lint-imports: jeder Import zeigt in eine tiefere Schicht ([tool.importlinter] in pyproject.toml)
  4. docker-compose -f docker-compose.yml config -q (nur wenn docker-compose installiert ist)
  5. pytest -m "not smoke" in zwei Prozessen (pytest-xdist) gegen PostgreSQL (welchen, sagt scripts/testserver.py)
     und Redis (welchen, sagt tests/conftest.py)
  6. pytest -m smoke gegen die eingebettete Standardkonfiguration (SQLite, Celery eager)

Weitere Argumente gehen an pytest (`make test ARGS="-k bericht"`; `ARGS="-n 0"` lässt Schritt 5 in einem Prozess laufen).
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import signal
import subprocess  # noqa: S404
import sys
import tempfile
import xml.etree.ElementTree as ET  # noqa: N817
from pathlib import Path

from testserver import Abbruch, ausgabe, testserver

PROJEKT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
SERVER_VARIABLEN = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CELERY_EAGER")  # fehlen im Rauchtest
PROZESSE = ["-n", "2"]  # pytest-xdist: zwei Prozesse für die Testsuite (die Maschine hat zwei Kerne)
COMPOSE_PLATZHALTER = {
    "SECRET_KEY": "nur-fuer-die-pruefung-der-compose-datei",
    "POSTGRES_PASSWORD": "pruefung",
    "ALLOWED_HOSTS": "umsetzungsmonitor.example.org",
    "PORTAL_URL": "https://umsetzungsmonitor.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://umsetzungsmonitor.example.org",
    "EMAIL_HOST": "smtp.example.org",
    "EMAIL_HOST_USER": "pruefung",
    "EMAIL_HOST_PASSWORD": "pruefung",
    "DEFAULT_FROM_EMAIL": "Umsetzungsmonitor <noreply@example.org>",
}


def umgebung(**zusatz: str) -> dict[str, str]:
    werte = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONDONTWRITEBYTECODE="1", DJANGO_ALLOW_ASYNC_UNSAFE="true")
    werte["PATH"] = f"{VENV_BIN}{os.pathsep}{werte.get('PATH', '')}"
    werte["DJANGO_SETTINGS_MODULE"] = "strategie.settings.test"
    return {**werte, **zusatz}


def ausfuehren(titel: str, befehl: list[str], env: dict[str, str]) -> int:
    ausgabe(f"\n===== {titel} =====\n$ {shlex.join(befehl)}")
    prozess = subprocess.Popen(befehl, cwd=PROJEKT, env=env)  # noqa: S603
    try:
        return prozess.wait()
    except BaseException:  # Strg+C oder SIGTERM: den Kindprozess nicht verwaist zurücklassen
        prozess.terminate()
        try:
            prozess.wait(timeout=15)
        except subprocess.TimeoutExpired:
            prozess.kill()
        raise


def gezaehlt(junit: Path) -> dict[str, int]:
    """Bestandene, fehlgeschlagene und übersprungene Tests aus pytests JUnit-XML."""
    summe = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    if junit.exists():
        for suite in ET.parse(junit).getroot().iter("testsuite"):  # noqa: S314  (eigene Datei von pytest)
            for schluessel in summe:
                summe[schluessel] += int(suite.get(schluessel, 0))
    fehlgeschlagen = summe["failures"] + summe["errors"]
    return {"passed": summe["tests"] - fehlgeschlagen - summe["skipped"], "failed": fehlgeschlagen, **summe}


def pytest(
    titel: str, marker: str, env: dict[str, str], extra: list[str], tmp: Path, prozesse: list[str] | None = None
) -> tuple[int, dict]:
    junit = tmp / f"junit-{re.sub(r'[^a-z]+', '-', marker)}.xml"
    befehl = [sys.executable, "-m", "pytest", "-m", marker, f"--junitxml={junit}", *(prozesse or []), *extra]
    code = ausfuehren(titel, befehl, env)
    if code == 5 and extra:
        code = 0  # keine Tests passen zur eigenen Auswahl (ARGS): erlaubt
    return code, gezaehlt(junit)


def schritte(extra: list[str], tmp: Path) -> tuple[list[str], dict[str, int]]:
    fehler: list[str] = []
    zaehler = {"passed": 0, "failed": 0, "skipped": 0}

    def pruefe(name: str, code: int) -> None:
        if code != 0:
            fehler.append(f"{name} (Exit-Code {code})")

    pruefe("ruff check", ausfuehren("1. ruff check", [str(VENV_BIN / "ruff"), "check", "."], umgebung()))
    sqlite = umgebung(DATABASE_URL=f"sqlite:///{tmp / 'migrationen.sqlite3'}")
    for name in SERVER_VARIABLEN[1:]:
        sqlite.pop(name, None)
    befehl = [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"]
    pruefe("Migrationen", ausfuehren("2. Migrationen vollständig?", befehl, sqlite))
    pruefe("lint-imports", ausfuehren("3. Schichten (lint-imports)", [str(VENV_BIN / "lint-imports")], umgebung()))
    if compose := shutil.which("docker-compose"):
        befehl = [compose, "-f", "docker-compose.yml", "config", "-q"]
        pruefe("docker-compose config", ausfuehren("4. docker-compose.yml", befehl, umgebung(**COMPOSE_PLATZHALTER)))
    else:
        ausgabe("\n===== 4. docker-compose.yml =====\ndocker-compose ist nicht installiert: übersprungen.")

    try:
        with testserver(dict(os.environ)) as urls:
            env = umgebung(**urls)
            env.pop("TEST_EMBEDDED", None)
            code, z = pytest("5. Testsuite gegen PostgreSQL und Redis", "not smoke", env, extra, tmp, PROZESSE)
    except Abbruch as exc:
        ausgabe(f"FEHLER: {exc}")
        code, z = 1, {}
    pruefe("Testsuite", code)
    env = umgebung(TEST_EMBEDDED="1", DATABASE_URL=f"sqlite:///{tmp / 'rauchtest.sqlite3'}")
    for name in SERVER_VARIABLEN[1:]:
        env.pop(name, None)
    code, z2 = pytest("6. Rauchtest (SQLite, Celery eager)", "smoke", env, extra, tmp)
    pruefe("Rauchtest", code)
    for teil in (z, z2):
        for schluessel in zaehler:
            zaehler[schluessel] += teil.get(schluessel, 0)
    return fehler, zaehler


def _sigterm_als_abbruch(signum, frame):  # noqa: ARG001
    raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Alle Prüfungen und Tests; weitere Argumente gehen an pytest.")
    _, extra = parser.parse_known_args(argv)
    signal.signal(signal.SIGTERM, _sigterm_als_abbruch)
    os.chdir(PROJEKT)
    with tempfile.TemporaryDirectory(prefix="testlauf-") as tmp:
        try:
            fehler, z = schritte(extra, Path(tmp))
        except KeyboardInterrupt:
            ausgabe("\nAbgebrochen (Strg+C oder SIGTERM).")
            return 130
    # Die eine Schlusszeile, in der Form, die CI liest (Summe beider pytest-Läufe).
    ausgabe(
        f"\nTests: {z['passed']} passed, {z['failed']} failed, {z['skipped']} skipped"
        + (f"; fehlgeschlagen: {', '.join(fehler)}" if fehler else "; alle Schritte in Ordnung")
    )
    return 1 if fehler else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
