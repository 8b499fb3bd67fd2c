#!/usr/bin/env python3
"""Testlauf für `make test` und CI.

Schritte (alle laufen, auch wenn einer fehlschlägt; der Exit-Code ist dann ungleich 0):
  1. ruff check .
  2. manage.py makemigrations --check --dry-run (SQLite in einer temporären Datei, ohne Server)
     und lint-imports (die Schichten der Apps, [tool.importlinter] in pyproject.toml)
  3. docker-compose -f docker-compose.yml config -q (nur wenn docker-compose installiert ist)
  4. pytest -m "not smoke" gegen PostgreSQL und Redis
  5. pytest -m smoke gegen die eingebettete Standardkonfiguration (SQLite, Celery eager)

PostgreSQL und Redis kommen aus DATABASE_URL / REDIS_URL, wenn gesetzt. Sonst startet das Skript
Wegwerf-Server aus den installierten Programmen (initdb/pg_ctl, redis-server) auf freien Ports in
einem temporären Ordner und beendet sie danach wieder, auch bei Fehlern und Strg+C.

Weitere Argumente gehen an pytest (`make test ARGS="-k bericht"`).
`--nur-server-pruefen` startet nur beide Server, verbindet sich, und beendet sie wieder.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess  # noqa: S404
import sys
import tempfile
import time
import xml.etree.ElementTree as ET  # noqa: N817
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

PROJEKT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
REDIS_TEST_DB = 13

# Umgebungsvariablen, die die Testeinstellungen lesen; für den Rauchtest werden sie entfernt.
SERVER_VARIABLEN = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CELERY_EAGER")


def ausgabe(text: str = "") -> None:
    print(text, flush=True)


def ueberschrift(text: str) -> None:
    ausgabe()
    ausgabe(f"===== {text} =====")


class Abbruch(Exception):
    """Ein Testserver ließ sich nicht starten."""


# ---------------------------------------------------------------------------------------------------------------
# Wegwerf-Server
# ---------------------------------------------------------------------------------------------------------------


def freier_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_bin() -> Path:
    kandidaten = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    if not kandidaten:
        raise Abbruch(
            "PostgreSQL ist nicht installiert (/usr/lib/postgresql/*/bin/initdb fehlt). "
            "Bitte `make test` die Pakete einrichten lassen oder DATABASE_URL auf einen laufenden Server setzen."
        )

    def version(pfad: str) -> tuple[int, ...]:
        return tuple(int(teil) for teil in re.findall(r"\d+", Path(pfad).parent.parent.name))

    return Path(max(kandidaten, key=version)).parent


def _unprivilegierter_benutzer() -> pwd.struct_passwd | None:
    """Als root verweigert initdb den Dienst: dann läuft PostgreSQL als 'postgres' (oder 'nobody')."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise Abbruch("Als root wird ein unprivilegierter Benutzer (postgres oder nobody) für PostgreSQL gebraucht.")


def _locale() -> str:
    ergebnis = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False)  # noqa: S607
    vorhandene = {zeile.strip().lower().replace("-", "") for zeile in ergebnis.stdout.splitlines()}
    return "C.UTF-8" if "c.utf8" in vorhandene else "C"


@dataclass
class PostgresServer:
    ordner: Path
    port: int = 0
    benutzer: pwd.struct_passwd | None = None
    bin: Path = field(default_factory=_postgres_bin)
    gestartet: bool = False

    @property
    def daten(self) -> Path:
        return self.ordner / "daten"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _als_benutzer(self, befehl: list[str]) -> list[str]:
        if self.benutzer is None:
            return befehl
        return ["runuser", "-u", self.benutzer.pw_name, "--", *befehl]

    def _ausfuehren(self, befehl: list[str], beschreibung: str) -> None:
        ergebnis = subprocess.run(  # noqa: S603
            self._als_benutzer(befehl), capture_output=True, text=True, cwd=self.ordner, check=False
        )
        if ergebnis.returncode != 0:
            raise Abbruch(f"{beschreibung} ist fehlgeschlagen:\n{ergebnis.stdout}{ergebnis.stderr}")

    def starten(self) -> None:
        self.benutzer = _unprivilegierter_benutzer()
        self.ordner.mkdir(parents=True, exist_ok=True)
        if self.benutzer is not None:
            os.chown(self.ordner, self.benutzer.pw_uid, self.benutzer.pw_gid)
        self._ausfuehren(
            [
                str(self.bin / "initdb"),
                "-D",
                str(self.daten),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                f"--locale={_locale()}",
                "--no-sync",
            ],
            "initdb (PostgreSQL-Cluster anlegen)",
        )
        self.port = freier_port()
        optionen = " ".join(
            [
                f"-p {self.port}",
                "-c listen_addresses=127.0.0.1",
                f"-c unix_socket_directories={self.ordner}",
                "-c fsync=off",
                "-c full_page_writes=off",
                "-c synchronous_commit=off",
                "-c max_connections=100",
            ]
        )
        self.gestartet = True  # ab hier aufräumen, auch wenn pg_ctl nur halb gestartet hat
        self._ausfuehren(
            [
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.daten),
                "-l",
                str(self.ordner / "postgres.log"),
                "-o",
                optionen,
                "-w",
                "-t",
                "60",
                "start",
            ],
            "pg_ctl start",
        )
        self._warten()

    def _warten(self) -> None:
        frist = time.monotonic() + 30
        while time.monotonic() < frist:
            ergebnis = subprocess.run(  # noqa: S603
                [str(self.bin / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"],
                check=False,
            )
            if ergebnis.returncode == 0:
                return
            time.sleep(0.2)
        raise Abbruch(f"PostgreSQL antwortet nicht auf Port {self.port}. Protokoll: {self.ordner / 'postgres.log'}")

    def stoppen(self) -> None:
        if not self.gestartet:
            return
        self.gestartet = False
        befehl = [str(self.bin / "pg_ctl"), "-D", str(self.daten), "-m", "immediate", "-w", "-t", "30", "stop"]
        subprocess.run(self._als_benutzer(befehl), capture_output=True, check=False)  # noqa: S603


@dataclass
class RedisServer:
    ordner: Path
    port: int = 0
    prozess: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/{REDIS_TEST_DB}"

    def starten(self) -> None:
        programm = shutil.which("redis-server")
        if programm is None:
            raise Abbruch(
                "redis-server ist nicht installiert. Bitte `make test` die Pakete einrichten lassen "
                "oder REDIS_URL auf einen laufenden Server setzen."
            )
        self.ordner.mkdir(parents=True, exist_ok=True)
        self.port = freier_port()
        protokoll = open(self.ordner / "redis.log", "wb")  # noqa: SIM115
        self.prozess = subprocess.Popen(  # noqa: S603
            [
                programm,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--dir",
                str(self.ordner),
            ],
            stdout=protokoll,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # Strg+C im Terminal soll Redis nicht vor dem Aufräumen beenden
        )
        protokoll.close()
        self._warten()

    def _warten(self) -> None:
        import redis

        frist = time.monotonic() + 30
        letzter_fehler: Exception | None = None
        while time.monotonic() < frist:
            if self.prozess is not None and self.prozess.poll() is not None:
                log = (self.ordner / "redis.log").read_text(errors="replace")
                raise Abbruch(f"redis-server hat sich beendet (Code {self.prozess.returncode}):\n{log}")
            try:
                client = redis.Redis.from_url(self.url, socket_timeout=1)
                if client.ping():
                    client.close()
                    return
            except redis.RedisError as exc:
                letzter_fehler = exc
            time.sleep(0.1)
        raise Abbruch(f"Redis antwortet nicht auf Port {self.port}: {letzter_fehler}")

    def stoppen(self) -> None:
        if self.prozess is None:
            return
        prozess, self.prozess = self.prozess, None
        if prozess.poll() is None:
            prozess.terminate()
            try:
                prozess.wait(timeout=10)
            except subprocess.TimeoutExpired:
                prozess.kill()
                prozess.wait()


@contextlib.contextmanager
def testserver(umgebung: dict[str, str]) -> Iterator[dict[str, str]]:
    """Liefert DATABASE_URL und REDIS_URL; startet dafür Wegwerf-Server, wenn die Umgebung keine nennt."""
    urls: dict[str, str] = {}
    ordner = Path(tempfile.mkdtemp(prefix="testlauf-server-"))
    os.chmod(ordner, 0o755)  # noqa: S103  (der PostgreSQL-Benutzer muss hinein)
    postgres: PostgresServer | None = None
    redis_server: RedisServer | None = None
    try:
        if umgebung.get("DATABASE_URL"):
            urls["DATABASE_URL"] = umgebung["DATABASE_URL"]
            ausgabe(f"PostgreSQL: aus DATABASE_URL ({_ohne_passwort(urls['DATABASE_URL'])})")
        else:
            postgres = PostgresServer(ordner / "postgres")
            postgres.starten()
            urls["DATABASE_URL"] = postgres.url
            ausgabe(f"PostgreSQL: Wegwerf-Server aus {postgres.bin} auf Port {postgres.port} gestartet")
        if umgebung.get("REDIS_URL"):
            urls["REDIS_URL"] = umgebung["REDIS_URL"]
            ausgabe(f"Redis: aus REDIS_URL ({_ohne_passwort(urls['REDIS_URL'])})")
        else:
            redis_server = RedisServer(ordner / "redis")
            redis_server.starten()
            urls["REDIS_URL"] = redis_server.url
            ausgabe(f"Redis: Wegwerf-Server auf Port {redis_server.port} gestartet (Datenbank {REDIS_TEST_DB})")
        yield urls
    finally:
        if redis_server is not None:
            redis_server.stoppen()
            ausgabe("Redis: Wegwerf-Server beendet")
        if postgres is not None and postgres.gestartet:
            postgres.stoppen()
            ausgabe("PostgreSQL: Wegwerf-Server beendet")
        shutil.rmtree(ordner, ignore_errors=True)


def _ohne_passwort(url: str) -> str:
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


# ---------------------------------------------------------------------------------------------------------------
# Schritte
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class Ergebnis:
    name: str
    status: str  # "ok", "fehler", "übersprungen"
    hinweis: str = ""
    dauer: float = 0.0
    zaehler: dict[str, int] = field(default_factory=dict)


def _ausfuehren(befehl: list[str], umgebung: dict[str, str]) -> int:
    ausgabe("$ " + shlex.join(befehl))
    prozess = subprocess.Popen(befehl, cwd=PROJEKT, env=umgebung)  # noqa: S603
    try:
        return prozess.wait()
    except BaseException:
        # Strg+C oder SIGTERM: den Kindprozess nicht verwaist zurücklassen.
        if prozess.poll() is None:
            prozess.terminate()
            try:
                prozess.wait(timeout=15)
            except subprocess.TimeoutExpired:
                prozess.kill()
                prozess.wait()
        raise


def _basisumgebung() -> dict[str, str]:
    umgebung = dict(os.environ)
    umgebung["PATH"] = f"{VENV_BIN}{os.pathsep}{umgebung.get('PATH', '')}"
    umgebung["PYTHONUNBUFFERED"] = "1"
    umgebung["PYTHONDONTWRITEBYTECODE"] = "1"
    return umgebung


def schritt_ruff() -> Ergebnis:
    ueberschrift("1. ruff check")
    beginn = time.monotonic()
    code = _ausfuehren([str(VENV_BIN / "ruff"), "check", "."], _basisumgebung())
    return Ergebnis(
        "ruff check",
        "ok" if code == 0 else "fehler",
        "" if code == 0 else f"Exit-Code {code}",
        time.monotonic() - beginn,
    )


def schritt_migrationen(tmp: Path) -> Ergebnis:
    ueberschrift("2. Migrationen vollständig? (makemigrations --check --dry-run)")
    beginn = time.monotonic()
    umgebung = _basisumgebung()
    for name in SERVER_VARIABLEN:
        umgebung.pop(name, None)
    umgebung["DJANGO_SETTINGS_MODULE"] = "strategie.settings.test"
    umgebung["DATABASE_URL"] = f"sqlite:///{tmp / 'migrationen.sqlite3'}"
    code = _ausfuehren([sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"], umgebung)
    hinweis = "" if code == 0 else "Modelle und Migrationen weichen ab (oder der Befehl schlug fehl)"
    return Ergebnis("Migrationen", "ok" if code == 0 else "fehler", hinweis, time.monotonic() - beginn)


def schritt_schichten() -> Ergebnis:
    ueberschrift("2b. Schichten: jeder Import zeigt nach unten (lint-imports)")
    beginn = time.monotonic()
    code = _ausfuehren([str(VENV_BIN / "lint-imports")], _basisumgebung())
    return Ergebnis(
        "lint-imports",
        "ok" if code == 0 else "fehler",
        "" if code == 0 else "ein Import zeigt nach oben (siehe [tool.importlinter] in pyproject.toml)",
        time.monotonic() - beginn,
    )


def schritt_compose() -> Ergebnis:
    ueberschrift("3. docker-compose.yml prüfen")
    programm = shutil.which("docker-compose")
    if programm is None:
        ausgabe("docker-compose ist nicht installiert: Schritt übersprungen.")
        return Ergebnis("docker-compose config", "übersprungen", "docker-compose nicht installiert")
    if not (PROJEKT / "docker-compose.yml").exists():
        return Ergebnis("docker-compose config", "fehler", "docker-compose.yml fehlt")
    beginn = time.monotonic()
    umgebung = _basisumgebung()
    platzhalter = {
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
    umgebung.update(platzhalter)
    code = _ausfuehren([programm, "-f", "docker-compose.yml", "config", "-q"], umgebung)
    return Ergebnis(
        "docker-compose config",
        "ok" if code == 0 else "fehler",
        "" if code == 0 else f"Exit-Code {code}",
        time.monotonic() - beginn,
    )


def _zaehlen(junit: Path) -> dict[str, int]:
    """Zählt bestandene/fehlgeschlagene/übersprungene Tests aus dem JUnit-XML von pytest."""
    if not junit.exists():
        return {}
    try:
        wurzel = ET.parse(junit).getroot()  # noqa: S314  (eigene Datei von pytest)
    except ET.ParseError:
        return {}
    summe = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in wurzel.iter("testsuite"):
        for schluessel in summe:
            summe[schluessel] += int(suite.get(schluessel, 0))
    fehlgeschlagen = summe["failures"] + summe["errors"]
    return {
        "passed": summe["tests"] - fehlgeschlagen - summe["skipped"],
        "failed": fehlgeschlagen,
        "skipped": summe["skipped"],
    }


def _pytest(name: str, auswahl: str, umgebung: dict[str, str], extra: list[str], tmp: Path) -> Ergebnis:
    beginn = time.monotonic()
    junit = tmp / f"junit-{re.sub(r'[^a-z]+', '-', name.lower())}.xml"
    befehl = [sys.executable, "-m", "pytest", "-m", auswahl, f"--junitxml={junit}", *extra]
    code = _ausfuehren(befehl, umgebung)
    zaehler = _zaehlen(junit)
    dauer = time.monotonic() - beginn
    if code == 0:
        return Ergebnis(name, "ok", "", dauer, zaehler)
    if code == 5:
        # pytest: keine Tests ausgewählt. Mit eigener Auswahl (ARGS) ist das erlaubt, ohne nicht.
        if extra:
            return Ergebnis(name, "übersprungen", "keine Tests passen zur Auswahl", dauer, zaehler)
        return Ergebnis(name, "fehler", f"keine Tests gefunden (Marker: {auswahl})", dauer, zaehler)
    if code == 2:
        return Ergebnis(name, "fehler", "abgebrochen (Strg+C oder Sammelfehler)", dauer, zaehler)
    return Ergebnis(name, "fehler", f"pytest-Exit-Code {code}", dauer, zaehler)


def schritt_testsuite(extra: list[str], tmp: Path) -> Ergebnis:
    ueberschrift("4. Testsuite gegen PostgreSQL und Redis (pytest -m 'not smoke')")
    try:
        with testserver(dict(os.environ)) as urls:
            umgebung = _basisumgebung()
            umgebung.pop("TEST_EMBEDDED", None)
            umgebung.update(urls)
            umgebung["DJANGO_SETTINGS_MODULE"] = "strategie.settings.test"
            umgebung["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
            return _pytest("Testsuite", "not smoke", umgebung, extra, tmp)
    except Abbruch as exc:
        ausgabe(f"FEHLER: {exc}")
        return Ergebnis("Testsuite", "fehler", "Testserver ließen sich nicht starten")


def schritt_rauchtest(extra: list[str], tmp: Path) -> Ergebnis:
    ueberschrift("5. Rauchtest gegen die eingebettete Standardkonfiguration (pytest -m smoke)")
    umgebung = _basisumgebung()
    for name in SERVER_VARIABLEN:
        umgebung.pop(name, None)
    umgebung["DJANGO_SETTINGS_MODULE"] = "strategie.settings.test"
    umgebung["TEST_EMBEDDED"] = "1"
    umgebung["DATABASE_URL"] = f"sqlite:///{tmp / 'rauchtest.sqlite3'}"
    umgebung["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    return _pytest("Rauchtest", "smoke", umgebung, extra, tmp)


def zusammenfassung(ergebnisse: list[Ergebnis]) -> bool:
    ueberschrift("Zusammenfassung")
    zeichen = {"ok": "OK  ", "fehler": "FEHLT", "übersprungen": "--  "}
    for ergebnis in ergebnisse:
        zeile = f"[{zeichen[ergebnis.status]}] {ergebnis.name:<24}"
        if ergebnis.zaehler:
            z = ergebnis.zaehler
            zeile += f" {z['passed']} bestanden, {z['failed']} fehlgeschlagen, {z['skipped']} übersprungen"
        if ergebnis.dauer:
            zeile += f" ({ergebnis.dauer:.0f} s)"
        if ergebnis.hinweis:
            zeile += f" – {ergebnis.hinweis}"
        ausgabe(zeile)
    gesamt = {"passed": 0, "failed": 0, "skipped": 0}
    for ergebnis in ergebnisse:
        for schluessel in gesamt:
            gesamt[schluessel] += ergebnis.zaehler.get(schluessel, 0)
    erfolgreich = all(ergebnis.status != "fehler" for ergebnis in ergebnisse)
    ausgabe()
    ausgabe("Alles in Ordnung." if erfolgreich else "Mindestens ein Schritt ist fehlgeschlagen.")
    # Schlusszeile in der Form, die CI liest (Summe beider pytest-Läufe).
    ausgabe(f"Tests: {gesamt['passed']} passed, {gesamt['failed']} failed, {gesamt['skipped']} skipped")
    return erfolgreich


def nur_server_pruefen() -> int:
    ueberschrift("Testserver starten, verbinden, beenden")
    try:
        with testserver(dict(os.environ)) as urls:
            import psycopg
            import redis

            url = urls["DATABASE_URL"].replace("postgres://", "postgresql://", 1)
            with psycopg.connect(url, connect_timeout=10) as verbindung:
                version = verbindung.execute("SELECT version()").fetchone()[0]
            ausgabe(f"PostgreSQL antwortet: {version}")
            client = redis.Redis.from_url(urls["REDIS_URL"], socket_timeout=5)
            client.set("testlauf:pruefung", "ok")
            antwort = client.get("testlauf:pruefung")
            client.delete("testlauf:pruefung")
            ausgabe(
                f"Redis antwortet: PING={client.ping()}, SET/GET={antwort!r}, Version {client.info()['redis_version']}"
            )
            client.close()
    except Abbruch as exc:
        ausgabe(f"FEHLER: {exc}")
        return 1
    ausgabe("Testserver funktionieren.")
    return 0


def _sigterm_als_abbruch(signum, frame):  # noqa: ARG001
    raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description="Alle Prüfungen und Tests; unbekannte Argumente gehen an pytest.", allow_abbrev=False
    )
    parser.add_argument(
        "--nur-server-pruefen",
        action="store_true",
        help="nur die Wegwerf-Server (PostgreSQL, Redis) starten, verbinden und beenden",
    )
    optionen, extra = parser.parse_known_args(argv)
    signal.signal(signal.SIGTERM, _sigterm_als_abbruch)
    os.chdir(PROJEKT)

    if optionen.nur_server_pruefen:
        return nur_server_pruefen()

    ergebnisse: list[Ergebnis] = []
    with tempfile.TemporaryDirectory(prefix="testlauf-") as tmp_name:
        tmp = Path(tmp_name)
        try:
            ergebnisse.append(schritt_ruff())
            ergebnisse.append(schritt_migrationen(tmp))
            ergebnisse.append(schritt_schichten())
            ergebnisse.append(schritt_compose())
            ergebnisse.append(schritt_testsuite(extra, tmp))
            ergebnisse.append(schritt_rauchtest(extra, tmp))
        except KeyboardInterrupt:
            ausgabe("\nAbgebrochen (Strg+C oder SIGTERM).")
            zusammenfassung(ergebnisse)
            return 130
    return 0 if zusammenfassung(ergebnisse) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
