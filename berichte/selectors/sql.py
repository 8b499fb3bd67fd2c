"""The SQL of the one read path: every pair "as of Stichtag S with Datenstand D", and the counting rules for one
pair (`ZAEHLREGELN`), stated here once. `berichte.selectors.stand` runs it per pair, `berichte.selectors.summen`
summed.

- `paare`: one row per Maßnahme × Organisation pair. Today (S not before today, D = now) from the current-state
  tables, Beteiligung and Umsetzungsstand; any other Zeitpunkt from the history: the Maßnahmen counted and the
  Beteiligung as they stood at the Stichtag as far as known at D (django-simple-history; one entered after S
  counts as first entered, so a backdated `seit` works; with D now only the Beteiligungen changed after S are
  looked up there), and per pair the latest Statusmeldung with stichtag ≤ S and gemeldet_am ≤ D in the one
  superseding order `NEUESTE_ZUERST`. While D is now, the Meldungsverlauf holds that Meldung for every Stichtag,
  and one range scan over its GiST index reads all pairs at once; for an earlier D (a Bericht's) a correlated
  `ORDER BY … LIMIT 1` subquery per pair, which PostgreSQL answers from the index (massnahme, organisation,
  -stichtag, -gemeldet_am, -id) and SQLite (embedded mode) runs as it is.
- `zellen`: each pair with its Zustand, whether it is in the Nenner and whether it is veraltet.

Only table names from `Model._meta` are interpolated; every value is a parameter.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.db import connection

from massnahmen.models import (
    Beteiligung,
    Massnahme,
    Meldungsverlauf,
    Standsumme,
    Status,
    Statusmeldung,
    Umsetzungsstand,
    neueste_zuerst_sql,
)
from strategie.models import Organisation, Strategie

# Zustände of a pair beyond the Status values
KEINE_MELDUNG, NICHT_BETEILIGT = "keine_meldung", "nicht_beteiligt"

SPALTEN = (
    "massnahme_id, organisation_id, gemeinsam, seit, entfaellt, meldung_id, stichtag, gemeldet_am, status, "
    "fortschritt, ampel, zustand, im_nenner, veraltet"
)


@functools.cache  # fixed once the models are loaded; `Model.history` builds a manager class on each access
def tabellen() -> dict[str, str]:
    return {
        "massnahme": Massnahme._meta.db_table,
        "beteiligung": Beteiligung._meta.db_table,
        "historie": Beteiligung.history.model._meta.db_table,
        "massnahme_historie": Massnahme.history.model._meta.db_table,
        "meldung": Statusmeldung._meta.db_table,
        "stand": Umsetzungsstand._meta.db_table,
        "verlauf": Meldungsverlauf._meta.db_table,
        "standsumme": Standsumme._meta.db_table,
        "organisation": Organisation._meta.db_table,
        "mitglieder": Strategie.organisationen.through._meta.db_table,
    }


_AKTIVE = "m.strategie_id = %(strategie)s AND m.is_archived = %(nein)s"  # today's Maßnahmen (alias m)


def _im_datensatz(ausdruck: str, alias: str) -> str:
    """`ausdruck` (over alias h) in the record of Maßnahme `alias`'s history that stood at S as far as known at D:
    the last one dated before the end of the Stichtag, or, for a Maßnahme entered later (a whole strategy is loaded
    after its first Stichtage), its first; NULL when it has no record up to D. One probe down the index on id."""
    vor_s = "h.history_date < %(stichtag_ende)s"
    return f"""(SELECT {ausdruck} FROM {tabellen()["massnahme_historie"]} h
        WHERE h.id = {alias}.id AND h.history_date <= %(datenstand)s
        ORDER BY CASE WHEN {vor_s} THEN 0 ELSE 1 END, CASE WHEN {vor_s} THEN h.history_date END DESC,
                 CASE WHEN {vor_s} THEN h.history_id END DESC, h.history_date, h.history_id
        LIMIT 1)"""  # noqa: S608 - see the module's docstring


def _ohne_datensatz(alias: str) -> str:
    """Maßnahme `alias` has no record in its history (written around the ORM): it counts as it stands."""
    return f"NOT EXISTS (SELECT 1 FROM {tabellen()['massnahme_historie']} h WHERE h.id = {alias}.id)"  # noqa: S608


def _aktiv_am_stichtag() -> str:
    """The strategy's Maßnahmen as of S with Datenstand D (alias m), by the rule of the Beteiligung: not archived in
    their record at S as known at D (`_im_datensatz`). A Maßnahme with no record up to D was entered after D and
    counts nowhere; one without any record counts as it stands, from created_at. So a Maßnahme that a later version
    of the strategy drops (the loader archives it) still counts for the Stichtage before, and a Bericht's figures
    stay those of its Datenstand. Its Frist and Handlungsfeld are read the same way (`feld_am_stichtag`); its title
    and Umsetzungsart as they stand."""
    # a truth value, not a comparison: PostgreSQL estimates half the Maßnahmen for it, not one in 200
    return f"""m.strategie_id = %(strategie)s AND COALESCE({_im_datensatz("NOT h.is_archived", "m")},
      m.is_archived = %(nein)s AND m.created_at <= %(datenstand)s AND {_ohne_datensatz("m")})"""


FELDER_AM_STICHTAG = ("frist", "handlungsfeld_id")  # read as of S and D (`feld_am_stichtag`); the rest as it stands


def feld_am_stichtag(feld: str, alias: str = "m") -> str:
    """Field `feld` of Maßnahme `alias` in its record at S as known at D, or as it stands for one without any record:
    a Fortschreibung that extends a Frist or moves a Maßnahme to another Handlungsfeld leaves the Stichtage before
    as they were (overdue, counted in their Handlungsfeld)."""
    assert feld in FELDER_AM_STICHTAG, feld  # a name of ours, never a value
    return f"CASE WHEN {_ohne_datensatz(alias)} THEN {alias}.{feld} ELSE {_im_datensatz('h.' + feld, alias)} END"


def _paare_aktuell(t: dict[str, str]) -> str:
    return f"""
SELECT b.massnahme_id AS massnahme_id, b.organisation_id AS organisation_id, 0 AS gemeinsam, b.seit AS seit,
       b.entfaellt AS entfaellt, u.letzte_meldung_id AS meldung_id, u.stichtag AS stichtag,
       u.gemeldet_am AS gemeldet_am, u.status AS status, u.fortschritt AS fortschritt, u.ampel AS ampel,
       m.frist AS frist
  FROM {t["beteiligung"]} b
  JOIN {t["massnahme"]} m ON m.id = b.massnahme_id
  LEFT JOIN {t["stand"]} u ON u.massnahme_id = b.massnahme_id AND u.organisation_id = b.organisation_id
 WHERE {_AKTIVE} AND m.umsetzungsart = %(je_organisation)s
UNION ALL{_gemeinsam_aktuell(t)}"""  # noqa: S608 - see the module's docstring


def _gemeinsam_aktuell(t: dict[str, str]) -> str:
    """The one joint state of each gemeinsame Maßnahme today: its latest Umsetzungsstand."""
    return f"""
SELECT m.id AS massnahme_id, u.organisation_id AS organisation_id, 1 AS gemeinsam, CAST(NULL AS DATE) AS seit,
       %(nein)s AS entfaellt, u.letzte_meldung_id AS meldung_id, u.stichtag AS stichtag, u.gemeldet_am AS gemeldet_am,
       u.status AS status, u.fortschritt AS fortschritt, u.ampel AS ampel, m.frist AS frist
  FROM {t["massnahme"]} m
  LEFT JOIN {t["stand"]} u ON u.id = (
        SELECT u2.id FROM {t["stand"]} u2 WHERE u2.massnahme_id = m.id
         ORDER BY {neueste_zuerst_sql("u2", spalten={"id": "letzte_meldung_id"})} LIMIT 1)
 WHERE {_AKTIVE} AND m.umsetzungsart = %(gemeinsam)s
"""  # noqa: S608 - see the module's docstring


_SPALTEN_SM = (
    "sm.id AS meldung_id, sm.stichtag AS stichtag, sm.gemeldet_am AS gemeldet_am, sm.status AS status, "
    "sm.fortschritt AS fortschritt, sm.ampel AS ampel"
)
_BETEILIGUNG = (
    "{a}.massnahme_id AS massnahme_id, {a}.organisation_id AS organisation_id, 0 AS gemeinsam, {a}.seit AS seit, "
    "{a}.entfaellt AS entfaellt"
)


def _probe(t: dict[str, str], paar: str) -> str:
    """The id of the latest Statusmeldung with stichtag ≤ S and gemeldet_am ≤ D where `paar` holds (alias sm)."""
    return f"""(SELECT sm.id FROM {t["meldung"]} sm
           WHERE {paar} AND sm.stichtag <= %(stichtag)s AND sm.gemeldet_am <= %(datenstand)s
           ORDER BY {neueste_zuerst_sql("sm")} LIMIT 1)"""  # noqa: S608 - see the module's docstring


def im_verlauf(alias: str) -> str:
    """The rows of the Meldungsverlauf valid on the Stichtag: on PostgreSQL the form its GiST index answers
    (`massnahmen/migrations/0012`), elsewhere the same comparison spelt out."""
    if connection.vendor == "postgresql":
        return f"daterange({alias}.gueltig_ab, {alias}.gueltig_bis) @> %(stichtag)s::date"
    return (
        f"{alias}.gueltig_ab <= %(stichtag)s AND ({alias}.gueltig_bis IS NULL OR {alias}.gueltig_bis > %(stichtag)s)"
    )


def letzte_meldungen(wo: str) -> str:
    """Per Organisation the latest gemeldet_am of its Statusmeldungen with stichtag ≤ S where `wo` holds (alias v),
    from the Meldungsverlauf (D is now): one range scan instead of one walk back through each Organisation's
    Meldungen."""
    return f"""
SELECT v.organisation_id, MAX(v.zuletzt_gemeldet_am) FROM {tabellen()["verlauf"]} v
 WHERE {im_verlauf("v")} AND {wo} GROUP BY v.organisation_id"""  # noqa: S608 - see the module's docstring


def letzte_meldungen_je_organisation(wo: str) -> str:
    """Per Organisation of the strategy (its members and its Träger) the latest gemeldet_am of its Statusmeldungen
    with stichtag ≤ S and gemeldet_am ≤ D where `wo` holds (alias sm): one probe per Organisation down the index
    (organisation, -gemeldet_am), flat in history; for today and for an earlier Datenstand. The Organisationen
    come from the membership table, not as a list of 400 values each row is compared with."""
    t = tabellen()
    return f"""
SELECT o.id, (SELECT sm.gemeldet_am FROM {t["meldung"]} sm
               WHERE sm.organisation_id = o.id AND {wo}
                 AND sm.stichtag <= %(stichtag)s AND sm.gemeldet_am <= %(datenstand)s
               ORDER BY sm.gemeldet_am DESC LIMIT 1)
  FROM {t["organisation"]} o
 WHERE o.id = %(traeger)s
    OR o.id IN (SELECT z.organisation_id FROM {t["mitglieder"]} z WHERE z.strategie_id = %(strategie)s)"""  # noqa: S608 - see the module's docstring


# With D now, the Beteiligungen whose record at S may differ from the row as it stands: those with a record other
# than "+" dated after the end of the Stichtag. For any other Beteiligung still in the table, every record after
# its first (always "+": ids are never reused) lies before the end of S, so its record at S is its last, the row
# as it stands; with one record only, that record is both. One whose row was deleted counts nowhere: in
# `geaendert` when deleted after S (its record at D is "-"), else absent from the table. Read by the index on
# history_date, a few rows; at national size numbering all 80,000 Beteiligungen' records instead cost 100 ms.
_GEAENDERT_NACH_S = """
geaendert AS (
  SELECT DISTINCT h.id FROM {historie} h WHERE h.history_date >= %(stichtag_ende)s AND h.history_type <> '+'
),"""  # noqa: S608 - see the module's docstring


def _paare_historisch(t: dict[str, str], *, verlauf: bool) -> tuple[str, str]:
    """The pairs from the history: the CTEs, and the SELECT that reads them."""
    # Per Beteiligung (the history's `id`) its records known at D, numbered oldest first: the record at D is the
    # last (its type `typ_bei_d`: "-" when deleted by then), the record at S the last before the end of the
    # Stichtag (nr = n_vor) or, for one entered later, the first. One window over the whole partition (one sort,
    # one pass; ROW_NUMBER ignores the frame), no self-join. A Beteiligung without any history row (written around
    # the ORM) counts from created_at.
    # With `verlauf` (D is now), only the Beteiligungen changed after S (`geaendert`: a record other than "+"
    # dated after the end of the Stichtag) are numbered so; every other one stood at S as it stands now (proof in
    # `_GEAENDERT_NACH_S`), and is read from the table.
    # The Statusmeldung per pair: with `verlauf` the Meldungsverlauf's rows valid on S, read in one
    # range scan (`gueltig`, over the Maßnahmen counted at S, so that `gesamt` can read it once more); else one
    # probe per pair. The gemeinsamen Maßnahmen, few, are always probed.
    # The Maßnahmen as of S with Datenstand D: a condition on each reading of the table, not a CTE, so that PostgreSQL
    # keeps its statistics of them (a CTE estimated at one row made nested loops of the joins, 30 ms more).
    aktiv = _aktiv_am_stichtag()
    gueltig = ""
    if verlauf:  # read apart (MATERIALIZED), so the planner cannot turn the scan into one probe per pair
        gueltig = f"""
gueltig AS MATERIALIZED (
  SELECT v.massnahme_id, v.organisation_id, v.meldung_id, v.gueltig_ab, v.gemeldet_am, v.status, v.fortschritt,
         v.ampel, v.zuletzt_gemeldet_am
    FROM {t["verlauf"]} v
   WHERE {im_verlauf("v")} AND {aktive_massnahmen("v.massnahme_id", am_stichtag=True)}
),"""  # noqa: S608
        je_organisation = f"""
  SELECT {_BETEILIGUNG.format(a="bt")}, v.meldung_id AS meldung_id, v.gueltig_ab AS stichtag,
         v.gemeldet_am AS gemeldet_am, v.status AS status, v.fortschritt AS fortschritt, v.ampel AS ampel,
         f.frist AS frist
    FROM beteiligt bt
    LEFT JOIN gueltig v ON v.massnahme_id = bt.massnahme_id AND v.organisation_id = bt.organisation_id
    LEFT JOIN fristen f ON f.id = bt.massnahme_id"""  # noqa: S608
    else:
        paar = "sm.massnahme_id = bt.massnahme_id AND sm.organisation_id = bt.organisation_id"
        je_organisation = f"""
  SELECT {_BETEILIGUNG.format(a="p")}, {_SPALTEN_SM}, f.frist AS frist
    FROM (SELECT bt.*, {_probe(t, paar)} AS meldung_id FROM beteiligt bt) p
    LEFT JOIN {t["meldung"]} sm ON sm.id = p.meldung_id
    LEFT JOIN fristen f ON f.id = p.massnahme_id"""  # noqa: S608
    if verlauf:
        geaendert = _GEAENDERT_NACH_S.format(**t)
        nur_geaendert = "AND h.id IN (SELECT g.id FROM geaendert g)"
        aus_historie_gelesen = "geaendert g WHERE g.id = b.id"
    else:
        geaendert, nur_geaendert, aus_historie_gelesen = "", "", f"{t['historie']} h WHERE h.id = b.id"
    # Each Maßnahme's Frist at S, read once: apart (MATERIALIZED) and joined last, the estimates of the joins before
    # are the planner's own
    ctes = f"""{gueltig}{geaendert}
fristen AS MATERIALIZED (
  SELECT m.id, {feld_am_stichtag("frist")} AS frist FROM {t["massnahme"]} m WHERE m.strategie_id = %(strategie)s
),
historie AS (
  SELECT h.id, h.massnahme_id, h.organisation_id, h.seit, h.entfaellt, h.history_type,
         ROW_NUMBER() OVER w AS nr,
         SUM(CASE WHEN h.history_date < %(stichtag_ende)s THEN 1 ELSE 0 END) OVER w AS n_vor,
         LAST_VALUE(h.history_type) OVER w AS typ_bei_d
    FROM {t["historie"]} h
    JOIN {t["massnahme"]} m ON m.id = h.massnahme_id
   WHERE {aktiv} AND m.umsetzungsart = %(je_organisation)s AND h.history_date <= %(datenstand)s {nur_geaendert}
  WINDOW w AS (PARTITION BY h.id ORDER BY h.history_date, h.history_id
               ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
),
beteiligt AS (
  SELECT s.massnahme_id, s.organisation_id, s.seit, s.entfaellt
    FROM historie s
   WHERE s.nr = CASE WHEN s.n_vor > 0 THEN s.n_vor ELSE 1 END AND s.history_type <> '-' AND s.typ_bei_d <> '-'
  UNION ALL
  SELECT b.massnahme_id, b.organisation_id, b.seit, b.entfaellt
    FROM {t["beteiligung"]} b
    JOIN {t["massnahme"]} m ON m.id = b.massnahme_id
   WHERE {aktiv} AND m.umsetzungsart = %(je_organisation)s AND b.created_at <= %(datenstand)s
     AND NOT EXISTS (SELECT 1 FROM {aus_historie_gelesen})
)"""  # noqa: S608 - see the module's docstring
    paare = f"""{je_organisation}
UNION ALL
SELECT p.id, sm.organisation_id, 1, NULL, %(nein)s, {_SPALTEN_SM}, f.frist
  FROM (SELECT m.id, {_probe(t, "sm.massnahme_id = m.id")} AS meldung_id
          FROM {t["massnahme"]} m WHERE {aktiv} AND m.umsetzungsart = %(gemeinsam)s) p
  LEFT JOIN {t["meldung"]} sm ON sm.id = p.meldung_id
  LEFT JOIN fristen f ON f.id = p.id
"""  # noqa: S608 - see the module's docstring
    return ctes, paare


def zellen(*, aus_historie: bool, verlauf: bool = False) -> str:
    """Every pair with its Zustand, `im_nenner` and `veraltet` (1 or 0): the rules of `regeln` for one pair."""
    t = tabellen()
    if not aus_historie:
        return regeln(_paare_aktuell(t))
    ctes, paare = _paare_historisch(t, verlauf=verlauf)
    return regeln(f"WITH {ctes}\n{paare}")


def zellen_mit_vorspann() -> tuple[str, str]:
    """`zellen` from the Meldungsverlauf (D is now), its CTEs apart: they stand at the head of the statement of
    `gesamt`, which reads the CTE `gueltig` once more."""
    ctes, paare = _paare_historisch(tabellen(), verlauf=True)
    return ctes, regeln(paare)


def regeln(quelle: str, *, gezaehlt: bool = False) -> str:
    """The rules of ZAEHLREGELN for the rows of `quelle`: each a pair, or with `gezaehlt` a number (`anzahl`) of
    pairs with equal values (the Standsummen). Adds Zustand, `im_nenner`, `veraltet` (1 or 0) and `anzahl`.

    Zustand: a declared entfällt (even before the Beteiligung's `seit`), else "noch nicht beteiligt" before
    `seit`, else the Status reported, or "keine Meldung". Entfällt and "noch nicht beteiligt" are not in the
    Nenner. Veraltet: an open state (neither umgesetzt nor entfällt) whose Stichtag lies more than the strategy's
    Berichtsintervall before S. Überfällig (`_UEBERFAELLIG`): in the Nenner, open, after the Maßnahme's Frist.
    """
    return f"""
SELECT z.*,
       CASE WHEN z.zustand IN (%(entfaellt)s, %(nicht_beteiligt)s) THEN 0 ELSE 1 END AS im_nenner,
       CASE WHEN z.stichtag IS NOT NULL AND z.stichtag < %(veraltet_vor)s
             AND z.zustand NOT IN (%(umgesetzt)s, %(entfaellt)s, %(nicht_beteiligt)s) THEN 1 ELSE 0 END AS veraltet
  FROM (SELECT p.*,{"" if gezaehlt else " 1 AS anzahl,"}
               CASE WHEN p.entfaellt THEN %(entfaellt)s
                    WHEN p.gemeinsam = 0 AND p.seit > %(stichtag)s THEN %(nicht_beteiligt)s
                    WHEN p.status = %(entfaellt)s THEN %(entfaellt)s
                    WHEN p.status IS NULL OR p.status = '' THEN %(keine_meldung)s
                    ELSE p.status END AS zustand
          FROM ({quelle}) p) z
"""  # noqa: S608 - see the module's docstring


_UEBERFAELLIG = """z.im_nenner = 1 AND z.frist IS NOT NULL AND z.frist < %(stichtag)s
                 AND z.zustand NOT IN (%(umgesetzt)s, %(entfaellt)s)"""


def abfrage(art: str, *, zellen: str, wo: str) -> str:
    """The statement of one read over `zellen` restricted by the condition `wo` (built by `in_liste`):

    - "paare": every pair, the columns SPALTEN;
    - "summen": per Maßnahme, Zustand and Ampel: pairs, Fortschritt summed (a missing figure counting 0), veraltet;
    - "organisationen": per Organisation over Maßnahmen je Organisation: pairs, in the Nenner, veraltet, and
      überfällig (in the Nenner, open, after the Maßnahme's Frist).

    The dashboard's sums from one read of the pairs: `gesamt`.
    """
    return _ABFRAGEN[art].format(z=f"({zellen}) z", wo=wo, spalten=SPALTEN, **tabellen())


ROT_IM_NENNER = "z.ampel = %(rot)s AND z.im_nenner = 1"  # a red Ampel that counts (parameter `rot`)
VORHER = "vorher_"  # the prefix of the earlier Zeitpunkt's parameters in `aenderungen`


def _vorher(vorher: str, wo_vorher: str) -> str:
    return _ABFRAGEN["paare"].format(spalten="*", z=f"({vorher}) z", wo=wo_vorher).replace("%(", "%(" + VORHER)


def aenderungen(*, nachher: str, wo: str, vorher: str, wo_vorher: str, paarweise: bool) -> str:
    """Two readings of `zellen`, the earlier one's parameters with the prefix VORHER, and the pairs je Organisation
    in `wo` that changed between them: Zustand (or new: a pair new in `nachher` counts once it has a Meldung), Ampel
    or Fortschritt. `paarweise`: each changed pair with both states and what changed (columns AENDERUNG_SPALTEN);
    else "vs" rows sum the earlier reading as "summen" does and "vo" rows count the changed pairs per Organisation."""
    auswahl = _GEAENDERT_PAARWEISE if paarweise else _GEAENDERT_SUMMIERT
    geaendert = _GEAENDERT.format(nachher=f"({nachher}) z", wo=wo, vorher=_vorher(vorher, wo_vorher))
    return f"WITH {geaendert}\n{auswahl}"


def gesamt(
    *,
    zellen: str,
    wo: str,
    standsummen: str | None = None,
    vorher: str | None = None,
    wo_vorher: str = "",
    vorspann: str = "",
    letzte: str | None = None,
) -> str:
    """The dashboard's one statement of sums: "summen" and "organisationen" from one read of the pairs `zellen` in
    `wo`, and per Maßnahme the Kurznamen of the first %(je_massnahme)s Organisationen with a red Ampel in the
    Nenner, alphabetically (`_gesamt`), or these SELECTs from the Standsummen (`standsummen`, see
    `gesamt_aus_standsummen`). With `vorher`, also the rows of `aenderungen` (summed) against `vorher` for every
    pair je Organisation in `wo`, reading each Zeitpunkt once. With `vorspann`, the CTEs of `zellen`
    (`zellen_mit_vorspann`) stand at the head, and `letzte` (a condition on v.massnahme_id) adds per Organisation
    an "l" row: the latest gemeldet_am of its Statusmeldungen with stichtag ≤ S on those Maßnahmen, as
    `letzte_meldungen` gives it, from the Meldungsverlauf's rows valid on S the pairs read already (one range scan
    instead of two)."""
    ctes = [vorspann] if vorspann else []
    if standsummen is None or vorher is not None:
        ctes.append(_gesamt_paare(zellen, wo))
    teile = [standsummen or _gesamt_aus_paaren()]
    if vorher is not None:
        ctes.append(_GEAENDERT.format(nachher="z", wo="1 = 1", vorher=_vorher(vorher, wo_vorher)))
        teile.append(_GEAENDERT_SUMMIERT)
    if letzte is not None:
        teile.insert(0, _LETZTE.format(massnahmen=letzte))
    kopf = "WITH " + ",\n".join(ctes) + "\n" if ctes else ""
    return kopf + "\nUNION ALL\n".join(teil.strip() for teil in teile)


# the "l" rows of `gesamt` from the CTE gueltig. They come first, so that the ninth column takes their type (a
# time); PostgreSQL types a UNION's columns pair by pair, so their eighth, NULL as in the "s" rows after them, is
# typed as the sums below it.
_LETZTE = """
SELECT 'l', v.organisation_id, NULL, NULL, NULL, NULL, NULL, CAST(NULL AS BIGINT), MAX(v.zuletzt_gemeldet_am)
  FROM gueltig v WHERE {massnahmen} GROUP BY v.organisation_id"""


def _gesamt_paare(zellen: str, wo: str) -> str:
    return f"""z AS MATERIALIZED (
  SELECT z.massnahme_id, z.organisation_id, z.gemeinsam, z.zustand, z.ampel, z.fortschritt, z.stichtag, z.im_nenner,
         z.veraltet, z.frist, z.anzahl
    FROM ({zellen}) z WHERE {wo})"""  # noqa: S608 - see the module's docstring


# the changed pairs ("g") between the reading "nachher" (alias z) and the earlier one ("a")
_GEAENDERT = """a AS MATERIALIZED ({vorher}),
g AS (
  SELECT * FROM (
    SELECT z.massnahme_id, z.organisation_id,
           z.zustand, z.fortschritt, z.ampel, z.stichtag, z.veraltet, z.im_nenner,
           a.zustand AS a_zustand, a.fortschritt AS a_fortschritt, a.ampel AS a_ampel, a.stichtag AS a_stichtag,
           a.veraltet AS a_veraltet, a.im_nenner AS a_im_nenner,
           CASE WHEN a.massnahme_id IS NULL THEN 1 ELSE 0 END AS neu,
           CASE WHEN a.massnahme_id IS NULL OR a.zustand <> z.zustand THEN 1 ELSE 0 END AS status_geaendert,
           CASE WHEN a.massnahme_id IS NOT NULL AND COALESCE(a.ampel, '') <> COALESCE(z.ampel, '')
                THEN 1 ELSE 0 END AS ampel_geaendert,
           CASE WHEN a.massnahme_id IS NOT NULL AND a.fortschritt IS DISTINCT FROM z.fortschritt
                THEN 1 ELSE 0 END AS fortschritt_geaendert
      FROM {nachher}
      LEFT JOIN a ON a.massnahme_id = z.massnahme_id AND a.organisation_id = z.organisation_id
     WHERE z.gemeinsam = 0 AND z.organisation_id IS NOT NULL AND {wo}
       AND NOT (a.massnahme_id IS NULL AND z.zustand IN (%(keine_meldung)s, %(nicht_beteiligt)s))) p
   WHERE p.status_geaendert + p.ampel_geaendert + p.fortschritt_geaendert > 0
)"""

# the sums of one read of the pairs (alias z): per Maßnahme, Zustand and Ampel ("summen"), per Organisation over
# Maßnahmen je Organisation ("organisationen"; each pair carries its Maßnahme's Frist, so no join is needed)
_SUMMEN = (
    "z.massnahme_id, z.zustand, z.ampel, SUM(z.anzahl), SUM(COALESCE(z.fortschritt, 0)), SUM(z.veraltet * z.anzahl)"
)
_SUMMEN_GRUPPEN = "GROUP BY z.massnahme_id, z.zustand, z.ampel"


_ORGANISATIONEN = f"""SUM(z.anzahl), SUM(z.im_nenner * z.anzahl), SUM(z.veraltet * z.anzahl),
       SUM(CASE WHEN {_UEBERFAELLIG} THEN z.anzahl ELSE 0 END)"""

_GEAENDERT_SUMMIERT = f"""
SELECT 'vs', {_SUMMEN}, NULL, NULL FROM a z {_SUMMEN_GRUPPEN}
UNION ALL
SELECT 'vo', g.organisation_id, NULL, NULL, COUNT(*), NULL, NULL, NULL, NULL FROM g GROUP BY g.organisation_id"""  # noqa: S608
_GEAENDERT_PAARWEISE = """
SELECT g.massnahme_id, g.organisation_id, g.zustand, g.fortschritt, g.ampel, g.stichtag, g.veraltet, g.im_nenner,
       g.a_zustand, g.a_fortschritt, g.a_ampel, g.a_stichtag, g.a_veraltet, g.a_im_nenner, g.neu,
       g.status_geaendert, g.ampel_geaendert, g.fortschritt_geaendert
  FROM g"""


def _gesamt(*, summen: str, organisationen: str, rote: str) -> str:
    """The dashboard's three sums from the pairs as read (FROM clauses, alias z): "s" per Maßnahme, Zustand and
    Ampel over `summen` (as "summen"), "o" per Organisation over `organisationen` (as "organisationen"), "r" the
    first Kurznamen per Maßnahme with a red Ampel in the Nenner of `rote`. The red pairs are ranked by each
    Organisation's place in the order of names, and only the names of the first are looked up: a join with the
    ranks is one hash, where one lookup per red pair cost 30 ms at national size. The red pairs are picked by a
    comparison (`CASE … > 0`) so that PostgreSQL estimates a third of the pairs, not one (it knows nothing of a
    CTE's values); with one it rescanned the 400 ranks for each of 26,000 red pairs (2.7 s). Likewise the pairs je
    Organisation are picked by `gemeinsam < 1`, not `= 0`: estimated at a third, not one in 200, they are summed by
    hashing their 400 Organisationen, not by sorting 80,000 rows (10 ms less for a past Stichtag)."""
    organisation = tabellen()["organisation"]
    return f"""
SELECT 's', {_SUMMEN}, NULL, NULL FROM {summen} {_SUMMEN_GRUPPEN}
UNION ALL
SELECT 'o', z.organisation_id, NULL, NULL, {_ORGANISATIONEN}, NULL
  FROM {organisationen} WHERE z.gemeinsam < 1 GROUP BY z.organisation_id
UNION ALL
SELECT 'r', r.massnahme_id, o.kurzname, NULL, r.nr, NULL, NULL, NULL, NULL FROM (
  SELECT z.massnahme_id, z.organisation_id, ROW_NUMBER() OVER (PARTITION BY z.massnahme_id ORDER BY rg.rang) AS nr
    FROM {rote}
    JOIN (SELECT o.id, ROW_NUMBER() OVER (ORDER BY o.kurzname, o.kennung) AS rang FROM {organisation} o) rg
      ON rg.id = z.organisation_id
   WHERE CASE WHEN {ROT_IM_NENNER} THEN 1 ELSE 0 END > 0) r
  JOIN {organisation} o ON o.id = r.organisation_id
 WHERE r.nr <= %(je_massnahme)s"""  # noqa: S608 - see the module's docstring


def _gesamt_aus_paaren() -> str:
    return _gesamt(summen="z", organisationen="z", rote="z")


_STANDSUMME = """SELECT ss.massnahme_id AS massnahme_id, ss.organisation_id AS organisation_id, 0 AS gemeinsam,
       ss.seit AS seit, ss.entfaellt AS entfaellt, NULL AS meldung_id, ss.stichtag AS stichtag, NULL AS gemeldet_am,
       ss.status AS status, ss.fortschritt AS fortschritt, ss.ampel AS ampel, ss.frist AS frist,
       ss.anzahl AS anzahl"""


def _aus_standsummen(massnahmen: str, handlungsfelder: str) -> dict[str, str]:
    """Today's pairs as read from the Standsummen (massnahmen.models.Standsumme), with the rules of `regeln` applied
    to each sum (FROM clauses, alias z): "summen" the sums per Maßnahme and the gemeinsamen Maßnahmen's one state,
    "organisationen" the sums per Organisation, "rote" the first red Ampeln of each sum per Maßnahme and the
    gemeinsamen. `massnahmen` restricts the Maßnahmen (a condition on q.massnahme_id), `handlungsfelder` the
    Organisationen's sums (on q.handlungsfeld_id): the same pairs, as long as the Maßnahmen are all active ones of
    these Handlungsfelder."""
    t = tabellen()
    je_massnahme = f"""{_STANDSUMME}
  FROM {t["standsumme"]} ss JOIN {t["massnahme"]} m ON m.id = ss.massnahme_id
 WHERE ss.strategie_id = %(strategie)s AND ss.art = {{art}} AND {_AKTIVE}"""  # noqa: S608
    gemeinsam = _gemeinsam_aktuell(t)

    def mit_gemeinsamen(art: str) -> str:
        return f"""SELECT * FROM ({je_massnahme.format(art=art)}
UNION ALL
SELECT g.*, 1 FROM ({gemeinsam}) g) q WHERE {massnahmen}"""  # noqa: S608

    organisationen = f"""SELECT * FROM ({_STANDSUMME}, ss.handlungsfeld_id AS handlungsfeld_id
  FROM {t["standsumme"]} ss WHERE ss.strategie_id = %(strategie)s AND ss.art = %(art_o)s) q
 WHERE {handlungsfelder}"""  # noqa: S608
    return {
        "summen": f"({regeln(mit_gemeinsamen('%(art_m)s'), gezaehlt=True)}) z",
        "organisationen": f"({regeln(organisationen, gezaehlt=True)}) z",
        "rote": f"({regeln(mit_gemeinsamen('%(art_r)s'), gezaehlt=True)}) z",
    }


def gesamt_aus_standsummen(*, massnahmen: str, handlungsfelder: str) -> str:
    """ "gesamt" for today over every Organisation, from the Standsummen (see `_aus_standsummen`)."""
    return _gesamt(**_aus_standsummen(massnahmen, handlungsfelder))


def summen_aus_standsummen(*, massnahmen: str) -> str:
    """ "summen" for today over every Organisation, from the Standsummen (see `_aus_standsummen`)."""
    return f"SELECT {_SUMMEN} FROM {_aus_standsummen(massnahmen, '1 = 0')['summen']} {_SUMMEN_GRUPPEN}"  # noqa: S608


_ABFRAGEN = {
    "paare": "SELECT {spalten} FROM {z} WHERE {wo}",
    "summen": f"SELECT {_SUMMEN} FROM {{z}} WHERE {{wo}} {_SUMMEN_GRUPPEN}",  # noqa: S608
    "organisationen": f"""
SELECT z.organisation_id, {_ORGANISATIONEN}
  FROM {{z}}
 WHERE z.gemeinsam = 0 AND {{wo}} GROUP BY z.organisation_id""",  # noqa: S608 - see the module's docstring
}


def parameter(*, strategie_id: int, stichtag: dt.date, stichtag_ende, datenstand, intervall_tage: int) -> dict:
    return {
        "strategie": strategie_id,
        "nein": False,
        "je_organisation": Massnahme.Umsetzungsart.JE_ORGANISATION.value,
        "gemeinsam": Massnahme.Umsetzungsart.GEMEINSAM.value,
        "stichtag": stichtag,
        "stichtag_ende": stichtag_ende,
        "datenstand": datenstand,
        "veraltet_vor": stichtag - dt.timedelta(days=intervall_tage),
        "umgesetzt": Status.UMGESETZT.value,
        "entfaellt": Status.ENTFAELLT.value,
        "keine_meldung": KEINE_MELDUNG,
        "nicht_beteiligt": NICHT_BETEILIGT,
        "art_m": Standsumme.Art.MASSNAHME.value,
        "art_o": Standsumme.Art.ORGANISATION.value,
        "art_r": Standsumme.Art.ROT.value,
    }


def massnahmen_ids(*, am_stichtag: bool) -> str:
    """The ids of the strategy's Maßnahmen counted: as of S with Datenstand D (`_aktiv_am_stichtag`), or today's."""
    bedingung = _aktiv_am_stichtag() if am_stichtag else _AKTIVE
    return f"SELECT m.id FROM {tabellen()['massnahme']} m WHERE {bedingung}"  # noqa: S608 - see the module's docstring


def aktive_massnahmen(spalte: str, *, am_stichtag: bool) -> str:
    """`spalte IN` the strategy's Maßnahmen counted (`massnahmen_ids`): for a read over all of them, instead of a
    list of 200 values that each row is compared with and the driver quotes one by one."""
    return f"{spalte} IN ({massnahmen_ids(am_stichtag=am_stichtag)})"


def in_liste(spalte: str, werte, parameter: dict, name: str) -> str:
    """`spalte IN (…)` with one parameter per value, in order (SQLite has no arrays); None restricts nothing, an
    empty list matches nothing."""
    if werte is None:
        return "1 = 1"
    werte = sorted(werte)
    if not werte:
        return "1 = 0"
    for i, wert in enumerate(werte):
        parameter[f"{name}{i}"] = wert
    return f"{spalte} IN ({', '.join(f'%({name}{i})s' for i in range(len(werte)))})"
