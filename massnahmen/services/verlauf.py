"""The Meldungsverlauf (see the model): rewritten per pair wherever its Umsetzungsstand is written, and for all
pairs at once where Statusmeldungen arrive in bulk (the benchmark's synthetic data)."""

from __future__ import annotations

from django.db import connection

from massnahmen.models import NEUESTE_ZUERST, Meldungsverlauf, Statusmeldung, neueste_zuerst_sql
from massnahmen.services.abgleich import compare_rebuilt

SPALTEN = (
    "massnahme_id, organisation_id, meldung_id, gueltig_ab, gueltig_bis, gemeldet_am, status, fortschritt, ampel, "
    "zuletzt_gemeldet_am"
)


def verlauf_sql(wo: str) -> str:
    """INSERT … SELECT of the Meldungsverlauf of the Statusmeldungen where `wo` holds (alias s): per pair and
    Stichtag the Meldung NEUESTE_ZUERST puts first, valid until the pair's next Stichtag, and the latest gemeldet_am
    of the pair's Meldungen up to that Stichtag (the window's default frame takes the same Stichtag's peers too).
    Portable SQL."""
    erstes, *danach = NEUESTE_ZUERST
    assert erstes == "-stichtag", "the Verlauf is cut at the Stichtage"
    reihenfolge = neueste_zuerst_sql("s", felder=danach)
    return f"""
INSERT INTO {Meldungsverlauf._meta.db_table} ({SPALTEN})
SELECT x.massnahme_id, x.organisation_id, x.id, x.stichtag,
       LEAD(x.stichtag) OVER (PARTITION BY x.massnahme_id, x.organisation_id ORDER BY x.stichtag),
       x.gemeldet_am, x.status, x.fortschritt, x.ampel, x.zuletzt
  FROM (SELECT s.id, s.massnahme_id, s.organisation_id, s.stichtag, s.gemeldet_am, s.status, s.fortschritt,
               s.ampel,
               ROW_NUMBER() OVER (PARTITION BY s.massnahme_id, s.organisation_id, s.stichtag
                                  ORDER BY {reihenfolge}) AS nr,
               MAX(s.gemeldet_am) OVER (PARTITION BY s.massnahme_id, s.organisation_id ORDER BY s.stichtag) AS zuletzt
          FROM {Statusmeldung._meta.db_table} s WHERE {wo}) x
 WHERE x.nr = 1"""  # noqa: S608 - table names from _meta, values as parameters


def write_meldungsverlauf(*, massnahme_id: int, organisation_id: int) -> None:
    """Rewrite the pair's Meldungsverlauf from its Statusmeldungen (two statements; the caller's transaction)."""
    Meldungsverlauf.objects.filter(massnahme_id=massnahme_id, organisation_id=organisation_id).delete()
    with connection.cursor() as cursor:
        cursor.execute(verlauf_sql("s.massnahme_id = %s AND s.organisation_id = %s"), [massnahme_id, organisation_id])


def rebuild_meldungsverlauf() -> int:
    """Rewrite the whole Meldungsverlauf; returns its rows."""
    Meldungsverlauf.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(verlauf_sql("1 = 1"))
    return Meldungsverlauf.objects.count()


def compare_meldungsverlauf(*, neu_aufbauen: bool) -> tuple[int, int]:
    """Rebuild the Meldungsverlauf and count the rows in which the kept one differed from it; with
    `neu_aufbauen=False` nothing is changed. Returns (rows, differing rows)."""
    spalten = SPALTEN.split(", ")
    return compare_rebuilt(
        lambda: Meldungsverlauf.objects.values_list(*spalten), rebuild_meldungsverlauf, neu_aufbauen=neu_aufbauen
    )
