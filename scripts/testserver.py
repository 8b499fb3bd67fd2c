"""PostgreSQL for `make test`, in this order of preference:

1. DATABASE_URL when set;
2. the machine's own server on 127.0.0.1:5432 when it answers, with a database of the tests' own
   (`um_testlauf_<checkout>`), so nothing of a developer's data is touched;
3. a throwaway server from the installed programs (initdb/pg_ctl) on a free port, stopped again afterwards, also
   after errors and Ctrl+C: a fresh machine passes without any set-up. As root (so in CI) initdb refuses to run
   and the server runs as the user postgres (or nobody); pytest-postgresql has no such option
   (dbfixtures/pytest-postgresql#341, #455), hence this module.

TESTLAUF_POSTGRES (host:port) names the server probed in step 2; pointing it at a closed port exercises step 3.
Redis is chosen the same way, but inside pytest (tests/conftest.py, with pytest-redis for the throwaway server).
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import pwd
import re
import shutil
import socket
import subprocess  # noqa: S404
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

# One database name per checkout, so that two checkouts testing at once on one machine do not share it.
LOKALE_DATENBANK = (
    f"um_testlauf_{hashlib.sha256(str(Path(__file__).resolve().parent.parent).encode()).hexdigest()[:8]}"
)


def ausgabe(text: str = "") -> None:
    print(text, flush=True)


class Abbruch(Exception):
    """Ein Testserver ließ sich nicht starten."""


def _adresse(variable: str, standard: str) -> tuple[str, int]:
    host, _, port = os.environ.get(variable, standard).rpartition(":")
    return host or "127.0.0.1", int(port)


def _antwortet(host: str, port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=1):
        return True
    return False


def _lokale_postgres_url() -> str | None:
    host, port = _adresse("TESTLAUF_POSTGRES", "127.0.0.1:5432")
    if not _antwortet(host, port):
        return None
    import psycopg

    try:
        with psycopg.connect(f"postgresql://postgres@{host}:{port}/postgres", connect_timeout=3):
            pass
    except psycopg.Error:
        return None  # answers, but not to us (password, no role postgres): then a throwaway server
    return f"postgres://postgres@{host}:{port}/{LOKALE_DATENBANK}"


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


@contextlib.contextmanager
def testserver(umgebung: dict[str, str]) -> Iterator[dict[str, str]]:
    """DATABASE_URL for the test suite (see the module's docstring for the order)."""
    urls: dict[str, str] = {}
    ordner = Path(tempfile.mkdtemp(prefix="testlauf-server-"))
    os.chmod(ordner, 0o755)  # noqa: S103  (der PostgreSQL-Benutzer muss hinein)
    postgres: PostgresServer | None = None
    try:
        if umgebung.get("DATABASE_URL"):
            urls["DATABASE_URL"] = umgebung["DATABASE_URL"]
            ausgabe(f"PostgreSQL: aus DATABASE_URL ({_ohne_passwort(urls['DATABASE_URL'])})")
        elif lokal := _lokale_postgres_url():
            urls["DATABASE_URL"] = lokal
            ausgabe(f"PostgreSQL: der Server dieser Maschine ({lokal})")
        else:
            postgres = PostgresServer(ordner / "postgres")
            postgres.starten()
            urls["DATABASE_URL"] = postgres.url
            ausgabe(f"PostgreSQL: Wegwerf-Server aus {postgres.bin} auf Port {postgres.port} gestartet")
        yield urls
    finally:
        if postgres is not None and postgres.gestartet:
            postgres.stoppen()
            ausgabe("PostgreSQL: Wegwerf-Server beendet")
        shutil.rmtree(ordner, ignore_errors=True)


def _ohne_passwort(url: str) -> str:
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)
