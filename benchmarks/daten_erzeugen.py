"""Build a SYNTHETIC national data set for the dashboard benchmark ("bund": 400 Organisationen, 200 Maßnahmen je
Organisation, 40 quarterly Statusmeldungen per pair = 3.2 million) on PostgreSQL, fast (COPY).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/um_bund .venv/bin/python benchmarks/daten_erzeugen.py \\
        [--organisationen 400] [--massnahmen 200] [--meldungen 40]

The database is migrated and loaded with both strategies first; the synthetic strategy is called
"SYNTHETISCH – Benchmark Bund" (slug `bund-synthetisch`), every Organisation "Synthetischer Kreis …" and every
Sachstand starts with "SYNTHETISCH". Nothing here is real data. Corrections (every 7th pair reports its latest
Stichtag twice) and entfällt (every 50th Beteiligung) are included; the Umsetzungsstand and the Meldungsverlauf
of each pair are derived in SQL with the project's superseding order, the Standsummen from them. Prints the time
and the database size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import time
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategie.settings.dev")

SLUG = "bund-synthetisch"
LA_BENUTZER = "benchmark-lenkungsausschuss"
GS_BENUTZER = "benchmark-geschaeftsstelle"  # for benchmarks/bericht.py --bund


def _copy(cursor, tabelle: str, spalten: list[str], zeilen) -> int:
    puffer, n = io.StringIO(), 0
    for zeile in zeilen:
        puffer.write("\t".join("\\N" if w is None else str(w) for w in zeile) + "\n")
        n += 1
    puffer.seek(0)
    with cursor.copy(f"COPY {tabelle} ({', '.join(spalten)}) FROM STDIN") as kopie:
        kopie.write(puffer.getvalue())
    return n


def main() -> None:
    argumente = argparse.ArgumentParser()
    argumente.add_argument("--organisationen", type=int, default=400)
    argumente.add_argument("--massnahmen", type=int, default=200)
    argumente.add_argument("--meldungen", type=int, default=40)
    a = argumente.parse_args()

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction

    from handlungsfelder.models import Handlungsfeld
    from massnahmen.models import Beteiligung, Massnahme, Statusmeldung, Umsetzungsstand, neueste_zuerst_sql
    from massnahmen.services.standsummen import rebuild_standsummen
    from massnahmen.services.verlauf import verlauf_sql
    from strategie.models import Organisation, Strategie
    from strategie.services.mitgliedschaften import grant_rolle

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not Strategie.objects.filter(slug="rlp-digitalisierungsstrategie").exists():
        call_command("strategien_laden", verbosity=0, stdout=io.StringIO())
    if Strategie.objects.filter(slug=SLUG).exists():
        print(f"Die synthetische Strategie „{SLUG}“ gibt es schon; bitte eine leere Datenbank verwenden.")
        return
    with transaction.atomic():
        traeger = Organisation.objects.create(
            kennung="bund-traeger", art="verband", name="SYNTHETISCH Träger", kurzname="SYNTHETISCH Träger"
        )
        strategie = Strategie.objects.create(
            slug=SLUG,
            titel="SYNTHETISCH – Benchmark Bund",
            kurztitel="SYNTHETISCH",
            traeger=traeger,
            berichtsintervall_tage=120,
        )
        orgs = Organisation.objects.bulk_create(
            Organisation(
                kennung=f"bund-k{i:04d}",
                art="landkreis" if i % 5 else "kreisfreie_stadt",
                name=f"Synthetischer Kreis {i:04d}",
                kurzname=f"Synth. {i:04d}",
            )
            for i in range(a.organisationen)
        )
        strategie.organisationen.add(*orgs)
        felder = [
            Handlungsfeld.objects.create(
                strategie=strategie, nummer=str(n + 1), ordnung=n + 1, titel=f"SYNTHETISCHES Handlungsfeld {n + 1}"
            )
            for n in range(8)
        ]
        massnahmen = Massnahme.objects.bulk_create(
            Massnahme(
                strategie=strategie,
                handlungsfeld=felder[j % 8],
                code=f"S.{j + 1}",
                ordnung=j + 1,
                titel=f"SYNTHETISCHE Maßnahme {j + 1}",
                umsetzungsart="je_organisation",
                frist=dt.date(2024, 12, 31) if j % 4 == 0 else None,
            )
            for j in range(a.massnahmen)
        )
    jetzt = "2026-01-01 00:00:00+00"
    with connection.cursor() as cursor:
        b_tab, h_tab = Beteiligung._meta.db_table, Beteiligung.history.model._meta.db_table
        n = _copy(
            cursor,
            b_tab,
            ["created_at", "updated_at", "massnahme_id", "organisation_id", "seit", "entfaellt", "begruendung"],
            (
                (
                    jetzt,
                    jetzt,
                    m.pk,
                    o.pk,
                    "2015-01-01",
                    (k := i * a.massnahmen + j) % 50 == 0,
                    "SYNTHETISCH: entfällt" if k % 50 == 0 else "",
                )
                for i, o in enumerate(orgs)
                for j, m in enumerate(massnahmen)
            ),
        )
        cursor.execute(
            f"INSERT INTO {h_tab} (id, created_at, updated_at, massnahme_id, organisation_id, seit, entfaellt, "
            f"begruendung, history_date, history_type, history_change_reason) "
            f"SELECT b.id, b.created_at, b.updated_at, b.massnahme_id, b.organisation_id, b.seit, b.entfaellt, "
            f"b.begruendung, '2015-01-01 00:00:00+00', '+', 'SYNTHETISCH' FROM {b_tab} b "
            f"JOIN {Massnahme._meta.db_table} m ON m.id = b.massnahme_id WHERE m.strategie_id = %s",
            [strategie.pk],
        )
        # the last `meldungen` quarter ends up to today, oldest first (a long history reaches back centuries: the
        # 100-fold history of the benchmark's flatness check)
        heute = dt.date.today()
        letztes = (heute.year * 4 + (heute.month - 1) // 3) - 1  # the quarter that ended last, counted from year 0
        quartale = [
            dt.date((q + 1) // 4, 3 * ((q + 1) % 4) + 1, 1) - dt.timedelta(days=1)
            for q in range(letztes - a.meldungen + 1, letztes + 1)
        ]
        status = ["nicht_begonnen", "in_planung", "in_umsetzung", "in_umsetzung", "umgesetzt"]

        def meldungen():
            for i, o in enumerate(orgs):
                for j, m in enumerate(massnahmen):
                    for q, tag in enumerate(quartale):
                        stufe = min(4, (q * (1 + (i + j) % 5)) // max(1, a.meldungen // 2))
                        fortschritt = 100 if stufe == 4 else min(99, stufe * 25 + q % 10)
                        ampel = ("gruen", "gelb", "rot")[(i + j + q) % 3]
                        gemeldet = f"{tag + dt.timedelta(days=10)} 10:00:00+00"
                        zeile = [
                            jetzt,
                            jetzt,
                            m.pk,
                            o.pk,
                            tag,
                            gemeldet,
                            status[stufe],
                            fortschritt,
                            ampel,
                            "SYNTHETISCH Sachstand",
                            "",
                            "",
                            "f",
                            "f",
                            "",
                            "f",
                            "",
                            "",
                        ]
                        yield zeile
                        if q == len(quartale) - 1 and (i + j) % 7 == 0:  # a correction of the latest Stichtag
                            yield [
                                *zeile[:5],
                                f"{tag + dt.timedelta(days=20)} 10:00:00+00",
                                *zeile[6:12],
                                "f",
                                "t",
                                "",
                                "f",
                                "",
                                "",
                            ]

        s_tab = Statusmeldung._meta.db_table
        n_meldungen = _copy(
            cursor,
            s_tab,
            [
                "created_at",
                "updated_at",
                "massnahme_id",
                "organisation_id",
                "stichtag",
                "gemeldet_am",
                "status",
                "fortschritt",
                "ampel",
                "text",
                "naechste_schritte",
                "risiken",
                "vertraulich",
                "ist_korrektur",
                "quelle",
                "ist_demo",
                "datum_herkunft",  # "": reported in the portal, the Stichtag as entered
                "datum_laut_text",
            ],
            meldungen(),
        )
        u_tab = Umsetzungsstand._meta.db_table
        cursor.execute(
            f"INSERT INTO {u_tab} (created_at, updated_at, massnahme_id, organisation_id, letzte_meldung_id, stichtag, "
            f"gemeldet_am, status, fortschritt, ampel, version) "
            f"SELECT DISTINCT ON (s.massnahme_id, s.organisation_id) now(), now(), s.massnahme_id, s.organisation_id, "
            f"s.id, s.stichtag, s.gemeldet_am, s.status, s.fortschritt, s.ampel, 1 FROM {s_tab} s "
            f"JOIN {Massnahme._meta.db_table} m ON m.id = s.massnahme_id WHERE m.strategie_id = %s "
            f"ORDER BY s.massnahme_id, s.organisation_id, {neueste_zuerst_sql('s')}",
            [strategie.pk],
        )
        # the Meldungsverlauf as the services write it, its GiST index built once afterwards instead of row by row
        m_tab = Massnahme._meta.db_table
        cursor.execute("DROP INDEX IF EXISTS verlauf_zeitraum")
        cursor.execute(
            verlauf_sql(f"s.massnahme_id IN (SELECT m.id FROM {m_tab} m WHERE m.strategie_id = %s)"), [strategie.pk]
        )
        cursor.execute(import_module("massnahmen.migrations.0012_meldungsverlauf").GIST)
        rebuild_standsummen(strategie_id=strategie.pk)  # today's sums, as the services keep them
        cursor.execute(f"ANALYZE {s_tab}; ANALYZE {b_tab}; ANALYZE {h_tab}; ANALYZE {u_tab}")
    with connection.cursor() as cursor:  # outside the transaction: the visibility map, for index-only probes, and
        cursor.execute("VACUUM ANALYZE")  # statistics of every table, as autovacuum would have them soon after
    for name, rolle in ((LA_BENUTZER, "lenkungsausschuss"), (GS_BENUTZER, "geschaeftsstelle")):
        user, _ = get_user_model().objects.get_or_create(username=name)
        user.set_password("benchmark")
        user.save()
        grant_rolle(actor=None, user=user, strategie=strategie, organisation=traeger, rolle=rolle)
    dauer = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        groesse = cursor.fetchone()[0]
    print(
        f"SYNTHETISCH „{SLUG}“: {a.organisationen} Organisationen × {a.massnahmen} Maßnahmen, {n} Beteiligungen, "
        f"{n_meldungen} Statusmeldungen in {dauer:.1f} s; Datenbank {groesse}"
    )


if __name__ == "__main__":
    main()
