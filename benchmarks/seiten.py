"""Server time of each page (p50/p95 over ≥ 50 requests) on PostgreSQL, and the time of strategien_laden.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/seiten.py

Creates and drops its own test database. Prints figures; asserts nothing.
"""

from __future__ import annotations

import time
from io import StringIO

from _umgebung import measure_runs, start_django, zeile

WIEDERHOLUNGEN = 60


def main() -> None:
    aufraeumen = start_django()
    try:
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client, override_settings

        print(f"Datenbank: {connection.vendor} {connection.settings_dict['NAME']}")
        start = time.perf_counter()
        call_command("strategien_laden", stdout=StringIO())
        erster = time.perf_counter() - start
        start = time.perf_counter()
        call_command("strategien_laden", stdout=StringIO())
        zweiter = time.perf_counter() - start
        with override_settings(DEBUG=True):
            call_command("demo_laden", stdout=StringIO())
        print(f"strategien_laden, leere Datenbank:      {erster * 1000:8.0f} ms")
        print(f"strategien_laden, zweiter Lauf (no-op): {zweiter * 1000:8.0f} ms")

        client = Client()
        client.post("/anmelden/", {"username": "demo-geschaeftsstelle", "password": "demo"})
        gast = Client()
        gast.post("/anmelden/", {"username": "demo-gast", "password": "demo"})
        kgrz = Client()
        kgrz.post("/anmelden/", {"username": "demo-kgrz", "password": "demo"})
        kusel = Client()
        kusel.post("/anmelden/", {"username": "demo-kusel", "password": "demo"})
        seiten = [
            ("/anmelden/", Client()),
            ("/", gast),
            ("/rlp-digitalisierungsstrategie/", client),
            ("/rlp-digitalisierungsstrategie/handlungsfelder/I/", client),
            ("/rlp-digitalisierungsstrategie/massnahmen/I.1/", client),
            ("/rlp-digitalisierungsstrategie/massnahmen/I.2/", kusel),
            ("/meine-meldungen/", kusel),
            ("/rlp-digitalisierungsstrategie/meldebogen/", kusel),
            ("/rlp-digitalisierungsstrategie/berichtsrunden/", client),
            ("/rlp-digitalisierungsstrategie/benutzer/", client),
            ("/kgrz-koblenz/", kgrz),
            ("/kgrz-koblenz/handlungsfelder/6/", kgrz),
            ("/barrierefreiheit/", Client()),
            ("/healthz", Client()),
        ]
        print(f"\nServerzeit je Seite (Django-Testclient, {WIEDERHOLUNGEN} Aufrufe nach 3 zum Aufwärmen):")
        for pfad, c in seiten:
            for _ in range(3):
                assert c.get(pfad).status_code == 200, pfad
            print(zeile(pfad, measure_runs(lambda c=c, pfad=pfad: c.get(pfad), WIEDERHOLUNGEN)))
    finally:
        aufraeumen()


if __name__ == "__main__":
    main()
