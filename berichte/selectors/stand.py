"""The one read path: the state of every Maßnahme × Organisation pair "as of Stichtag S with Datenstand D".

One SQL statement returns one compact row per pair; every figure of the dashboard, the profile, the
exports and the PDF is derived from these rows in Python (`berichte.selectors.kennzahlen`), so no two
figures can follow different rules.

- Today (S not before today, D = now) reads the current-state tables: Beteiligung and Umsetzungsstand.
- Any other Zeitpunkt reads the history: the Beteiligung as it stood at the Stichtag as far as known at D
  (django-simple-history; a Beteiligung entered after S counts as first entered, so a backdated `seit`
  works), and per pair the latest Statusmeldung with stichtag ≤ S and gemeldet_am ≤ D in the one
  superseding order `NEUESTE_ZUERST`. The probe is a correlated `ORDER BY … LIMIT 1` subquery that
  PostgreSQL answers from the index (massnahme, organisation, -stichtag, -gemeldet_am) per pair and
  that SQLite (embedded mode) runs as it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from massnahmen.models import NEUESTE_ZUERST, Beteiligung, Massnahme, Statusmeldung, Umsetzungsstand


@dataclass(frozen=True)
class Zeitpunkt:
    """Stichtag S (a day) and Datenstand D (an instant: only Meldungen gemeldet up to it count).

    `live` says that D is "now" and S not in the past, so the current-state tables answer. A Zeitpunkt with a
    recorded Datenstand (a Bericht's) is never live: Meldungen written after it must not count, however soon
    after D the question comes.
    """

    stichtag: dt.date
    datenstand: dt.datetime
    live: bool = False

    @classmethod
    def heute(cls) -> Zeitpunkt:
        return cls(stichtag=timezone.localdate(), datenstand=timezone.now(), live=True)

    @classmethod
    def am(cls, stichtag: dt.date, datenstand: dt.datetime | None = None) -> Zeitpunkt:
        if datenstand is None:
            return cls(stichtag=stichtag, datenstand=timezone.now(), live=stichtag >= timezone.localdate())
        return cls(stichtag=stichtag, datenstand=datenstand)

    @property
    def stichtag_ende(self) -> dt.datetime:
        """The first instant after the Stichtag, in the portal's time zone."""
        naechster = dt.datetime.combine(self.stichtag + dt.timedelta(days=1), dt.time())
        return timezone.make_aware(naechster)

    @property
    def ist_aktuell(self) -> bool:
        """Whether the current-state tables answer it (see `live`)."""
        return self.live


@dataclass(frozen=True)
class Paar:
    """One Maßnahme × Organisation pair as of a Zeitpunkt (for a gemeinsame Maßnahme: its one joint state,
    `organisation_id` the reporting Organisation or None while nothing is reported)."""

    massnahme_id: int
    organisation_id: int | None
    gemeinsam: bool
    seit: dt.date | None = None  # Beteiligung: joined on (None: from the start)
    beteiligung_entfaellt: bool = False
    meldung_id: int | None = None
    stichtag: dt.date | None = None
    gemeldet_am: dt.datetime | None = None
    status: str = ""
    fortschritt: int | None = None
    ampel: str = ""


def _reihenfolge(alias: str) -> str:
    """NEUESTE_ZUERST as SQL, so the probe supersedes exactly as the rest of the project does."""
    teile = []
    for feld in NEUESTE_ZUERST:
        name = feld.lstrip("-")
        teile.append(f"{alias}.{name} {'DESC' if feld.startswith('-') else 'ASC'}")
    return ", ".join(teile)


def _tabellen() -> dict[str, str]:
    return {
        "massnahme": Massnahme._meta.db_table,
        "beteiligung": Beteiligung._meta.db_table,
        "historie": Beteiligung.history.model._meta.db_table,
        "meldung": Statusmeldung._meta.db_table,
        "stand": Umsetzungsstand._meta.db_table,
    }


def _sql_aktuell(t: dict[str, str]) -> str:
    return f"""
SELECT b.massnahme_id, b.organisation_id, 0 AS gemeinsam, b.seit, b.entfaellt,
       u.letzte_meldung_id, u.stichtag, u.gemeldet_am, u.status, u.fortschritt, u.ampel
  FROM {t["beteiligung"]} b
  JOIN {t["massnahme"]} m ON m.id = b.massnahme_id
  LEFT JOIN {t["stand"]} u ON u.massnahme_id = b.massnahme_id AND u.organisation_id = b.organisation_id
 WHERE m.strategie_id = %(strategie)s AND m.is_archived = %(nein)s AND m.umsetzungsart = %(je_organisation)s
UNION ALL
SELECT m.id, u.organisation_id, 1, NULL, %(nein)s,
       u.letzte_meldung_id, u.stichtag, u.gemeldet_am, u.status, u.fortschritt, u.ampel
  FROM {t["massnahme"]} m
  LEFT JOIN {t["stand"]} u ON u.id = (
        SELECT u2.id FROM {t["stand"]} u2 WHERE u2.massnahme_id = m.id
         ORDER BY {_reihenfolge("u2").replace("u2.id", "u2.letzte_meldung_id")} LIMIT 1)
 WHERE m.strategie_id = %(strategie)s AND m.is_archived = %(nein)s AND m.umsetzungsart = %(gemeinsam)s
"""  # noqa: S608 - only table names from Model._meta are interpolated; values are parameters


def _sql_historisch(t: dict[str, str]) -> str:
    # Per Beteiligung (the history's `id`) its records known at D, numbered oldest first: the record at D is the
    # last (its type `typ_bei_d`: "-" when deleted by then), the record at S the last before the end of the
    # Stichtag (nr = n_vor) or, for one entered later, the first. Window functions only, no self-join. A
    # Beteiligung without any history row (written around the ORM) counts from created_at.
    return f"""
WITH historie AS (
  SELECT h.id, h.massnahme_id, h.organisation_id, h.seit, h.entfaellt, h.history_type,
         ROW_NUMBER() OVER (PARTITION BY h.id ORDER BY h.history_date, h.history_id) AS nr,
         SUM(CASE WHEN h.history_date < %(stichtag_ende)s THEN 1 ELSE 0 END) OVER (PARTITION BY h.id) AS n_vor,
         LAST_VALUE(h.history_type) OVER (
             PARTITION BY h.id ORDER BY h.history_date, h.history_id
             ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS typ_bei_d
    FROM {t["historie"]} h
    JOIN {t["massnahme"]} m ON m.id = h.massnahme_id
   WHERE m.strategie_id = %(strategie)s AND m.is_archived = %(nein)s AND m.umsetzungsart = %(je_organisation)s
     AND h.history_date <= %(datenstand)s
),
beteiligt AS (
  SELECT s.massnahme_id, s.organisation_id, s.seit, s.entfaellt
    FROM historie s
   WHERE s.nr = CASE WHEN s.n_vor > 0 THEN s.n_vor ELSE 1 END AND s.history_type <> '-' AND s.typ_bei_d <> '-'
  UNION ALL
  SELECT b.massnahme_id, b.organisation_id, b.seit, b.entfaellt
    FROM {t["beteiligung"]} b
    JOIN {t["massnahme"]} m ON m.id = b.massnahme_id
   WHERE m.strategie_id = %(strategie)s AND m.is_archived = %(nein)s AND m.umsetzungsart = %(je_organisation)s
     AND b.created_at <= %(datenstand)s
     AND NOT EXISTS (SELECT 1 FROM {t["historie"]} h WHERE h.id = b.id)
),
paare AS (
  SELECT bt.massnahme_id, bt.organisation_id, 0 AS gemeinsam, bt.seit, bt.entfaellt,
         (SELECT sm.id FROM {t["meldung"]} sm
           WHERE sm.massnahme_id = bt.massnahme_id AND sm.organisation_id = bt.organisation_id
             AND sm.stichtag <= %(stichtag)s AND sm.gemeldet_am <= %(datenstand)s
           ORDER BY {_reihenfolge("sm")} LIMIT 1) AS meldung_id
    FROM beteiligt bt
  UNION ALL
  SELECT m.id, NULL, 1, NULL, %(nein)s,
         (SELECT sm.id FROM {t["meldung"]} sm
           WHERE sm.massnahme_id = m.id AND sm.stichtag <= %(stichtag)s AND sm.gemeldet_am <= %(datenstand)s
           ORDER BY {_reihenfolge("sm")} LIMIT 1)
    FROM {t["massnahme"]} m
   WHERE m.strategie_id = %(strategie)s AND m.is_archived = %(nein)s AND m.umsetzungsart = %(gemeinsam)s
)
SELECT p.massnahme_id, COALESCE(p.organisation_id, sm.organisation_id), p.gemeinsam, p.seit, p.entfaellt,
       sm.id, sm.stichtag, sm.gemeldet_am, sm.status, sm.fortschritt, sm.ampel
  FROM paare p
  LEFT JOIN {t["meldung"]} sm ON sm.id = p.meldung_id
"""  # noqa: S608 - only table names from Model._meta are interpolated; values are parameters


def _datum(wert) -> dt.date | None:
    if wert is None or isinstance(wert, dt.date):
        return wert
    return dt.date.fromisoformat(str(wert)[:10])  # SQLite hands back text from a UNION


def _zeitpunkt(wert) -> dt.datetime | None:
    if wert is None or isinstance(wert, dt.datetime):
        return wert
    wert = dt.datetime.fromisoformat(str(wert))  # SQLite: text in UTC
    return wert if timezone.is_aware(wert) else timezone.make_aware(wert, dt.UTC)


def read_paare(*, strategie_id: int, zeitpunkt: Zeitpunkt, aus_historie: bool | None = None) -> list[Paar]:
    """Every pair of the strategy's active Maßnahmen as of `zeitpunkt`, in one query.

    Rows for Organisationen whose Beteiligung begins after S or entfällt are included (the matrix shows them
    as such); `berichte.selectors.kennzahlen` decides what counts. `aus_historie` forces a path (tests compare
    both); by default today's view reads the current-state tables.
    """
    if aus_historie is None:
        aus_historie = not zeitpunkt.ist_aktuell
    t = _tabellen()
    sql = _sql_historisch(t) if aus_historie else _sql_aktuell(t)
    parameter = {
        "strategie": strategie_id,
        "nein": False,
        "je_organisation": Massnahme.Umsetzungsart.JE_ORGANISATION.value,
        "gemeinsam": Massnahme.Umsetzungsart.GEMEINSAM.value,
        "stichtag": zeitpunkt.stichtag,
        "stichtag_ende": zeitpunkt.stichtag_ende,
        "datenstand": zeitpunkt.datenstand,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, parameter)
        zeilen = cursor.fetchall()
    return [
        Paar(
            massnahme_id=m,
            organisation_id=o,
            gemeinsam=bool(g),
            seit=_datum(seit),
            beteiligung_entfaellt=bool(entfaellt),
            meldung_id=meldung,
            stichtag=_datum(stichtag),
            gemeldet_am=_zeitpunkt(gemeldet_am),
            status=status or "",
            fortschritt=fortschritt,
            ampel=ampel or "",
        )
        for m, o, g, seit, entfaellt, meldung, stichtag, gemeldet_am, status, fortschritt, ampel in zeilen
    ]
