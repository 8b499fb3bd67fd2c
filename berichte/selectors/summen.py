"""The pairs of `berichte.selectors.stand` summed in the database: per Maßnahme, Zustand and Ampel (`read_summen`),
per Organisation (`read_organisationssummen`), both and the names beside red Ampeln from one read of the pairs
(`read_gesamtsummen`, with a comparison also the earlier Zeitpunkt's sums and the changed pairs per Organisation),
the change alone (`read_aenderungssummen`), and the last Meldung per Organisation (`read_letzte_meldungen`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from berichte.selectors import sql
from berichte.selectors.stand import (
    Auswahl,
    Zeitpunkt,
    abfragen,
    als_zeitpunkt,
    ausfuehren,
    lesung,
    mit_vorher,
    parameter_fuer,
    zwei_lesungen,
)
from massnahmen.models import ERSTE_ROTE, Ampel
from strategie.models import Strategie


@dataclass(frozen=True)
class Aenderungssummen:
    vorher: list[Summe]  # the pairs in the earlier reading's Auswahl, summed as `read_summen` does
    je_organisation: dict[int, int]  # Organisation -> its changed pairs

    @classmethod
    def aus_teilen(cls, teile: dict[str, list]) -> Aenderungssummen:
        return cls(teile["vs"], dict(teile["vo"]))


def _zerlegen(zeilen) -> dict[str, list]:
    """The rows of the summed statements by their first column: "s"/"vs" a Summe (now/earlier), "o" an
    Organisationssumme, "r" (Maßnahme, rank, Kurzname), "vo" (Organisation, changed pairs), "l" (Organisation,
    latest gemeldet_am)."""
    teile: dict[str, list] = {"s": [], "o": [], "r": [], "vs": [], "vo": [], "l": []}
    for art, schluessel, text, ampel, a, b, c, d, zeit in zeilen:
        if art == "l":
            teile[art].append((schluessel, als_zeitpunkt(zeit)))
        elif art in ("s", "vs"):
            teile[art].append(Summe.aus_zeile(schluessel, text, ampel, a, b, c))
        elif art == "o":
            teile[art].append(Organisationssumme.aus_zeile(schluessel, a, b, c, d))
        elif art == "r":
            teile[art].append((schluessel, int(a), text))
        else:
            teile[art].append((schluessel, int(a)))
    return teile


def read_aenderungssummen(
    *,
    strategie: Strategie,
    seit: Zeitpunkt,
    bis: Zeitpunkt,
    auswahl_vorher: Auswahl,
    auswahl: Auswahl,
) -> Aenderungssummen:
    """The pairs as of `seit` in `auswahl_vorher` summed, and per Organisation how many of its pairs in `auswahl`
    (Maßnahmen je Organisation) changed Zustand, Ampel or Fortschritt between `seit` and `bis`; a pair that is new
    at `bis` counts once it has a Meldung. One query, reading each Zeitpunkt once."""
    zeilen = zwei_lesungen(
        strategie=strategie,
        seit=seit,
        bis=bis,
        auswahl_vorher=auswahl_vorher,
        auswahl=auswahl,
        paarweise=False,
    )
    return Aenderungssummen.aus_teilen(_zerlegen(zeilen))


@dataclass(frozen=True)
class Summe:
    """The pairs of one Maßnahme in one Zustand with one Ampel: how many, their Fortschritt summed (a missing
    figure counting 0), how many of them are veraltet."""

    massnahme_id: int
    zustand: str
    ampel: str
    anzahl: int
    fortschritt: int
    veraltet: int

    @classmethod
    def aus_zeile(cls, massnahme_id, zustand, ampel, anzahl, fortschritt, veraltet) -> Summe:
        """From a row of the SQL's "summen" shape (SQLite and PostgreSQL hand back sums as NULL or Decimal)."""
        return cls(massnahme_id, zustand, ampel or "", int(anzahl), int(fortschritt or 0), int(veraltet or 0))


def read_summen(*, strategie: Strategie, zeitpunkt: Zeitpunkt, auswahl: Auswahl) -> list[Summe]:
    """The pairs in `auswahl` summed per Maßnahme, Zustand and Ampel in the database: one query."""
    if _aus_standsummen(zeitpunkt, auswahl, organisationen=False):
        parameter = parameter_fuer(strategie, zeitpunkt)
        massnahmen = sql.in_liste("q.massnahme_id", auswahl.massnahme_ids, parameter, "qm")
        zeilen = abfragen(sql.summen_aus_standsummen(massnahmen=massnahmen), parameter)
    else:
        zeilen = ausfuehren("summen", strategie=strategie, zeitpunkt=zeitpunkt, auswahl=auswahl)
    return [Summe.aus_zeile(*zeile) for zeile in zeilen]


def _aus_standsummen(zeitpunkt: Zeitpunkt, auswahl: Auswahl, *, organisationen: bool = True) -> bool:
    """Whether the Standsummen answer: today, over every Organisation, and for the sums per Organisation over all
    active Maßnahmen of the strategy or of some Handlungsfelder."""
    alle = auswahl.massnahme_ids is None or auswahl.handlungsfeld_ids is not None or not organisationen
    return zeitpunkt.live and auswahl.organisation_ids is None and not auswahl.nur_rot and alle


@dataclass(frozen=True)
class Organisationssumme:
    """The pairs of one Organisation over Maßnahmen je Organisation: all (the matrix shows a row), in the
    Nenner, veraltet, and überfällig (open after the Maßnahme's Frist)."""

    organisation_id: int
    paare: int
    im_nenner: int
    veraltet: int
    ueberfaellig: int

    @classmethod
    def aus_zeile(cls, organisation_id, paare, im_nenner, veraltet, ueberfaellig) -> Organisationssumme:
        """From a row of the SQL's "organisationen" shape."""
        return cls(organisation_id, int(paare), int(im_nenner or 0), int(veraltet or 0), int(ueberfaellig or 0))


def read_organisationssummen(
    *, strategie: Strategie, zeitpunkt: Zeitpunkt, auswahl: Auswahl
) -> list[Organisationssumme]:
    """Per Organisation, over the pairs in `auswahl` of Maßnahmen je Organisation: one query."""
    zeilen = ausfuehren(
        "organisationen",
        strategie=strategie,
        zeitpunkt=zeitpunkt,
        auswahl=auswahl,
    )
    return [Organisationssumme.aus_zeile(*zeile) for zeile in zeilen]


def read_letzte_meldungen(
    *, strategie: Strategie, zeitpunkt: Zeitpunkt, massnahme_ids: list[int] | None
) -> dict[int, dt.datetime]:
    """Per Organisation (of the strategy, or with Meldungen on these Maßnahmen) the latest gemeldet_am of its
    Statusmeldungen on these Maßnahmen (None: all active ones) with stichtag ≤ S and gemeldet_am ≤ D. One query:
    for a past Stichtag with Datenstand now one range scan over the Meldungsverlauf, else one probe per
    Organisation."""
    parameter = parameter_fuer(strategie, zeitpunkt)

    def massnahmen(spalte: str) -> str:
        if massnahme_ids is None:
            return sql.aktive_massnahmen(spalte, am_stichtag=not zeitpunkt.live)
        return sql.in_liste(spalte, massnahme_ids, parameter, "mid")

    if zeitpunkt.aus_verlauf:
        text = sql.letzte_meldungen(massnahmen("v.massnahme_id"))
    else:
        parameter["traeger"] = strategie.traeger_id
        text = sql.letzte_meldungen_je_organisation(massnahmen("sm.massnahme_id"))
    return {o: als_zeitpunkt(letzte) for o, letzte in abfragen(text, parameter) if letzte is not None}


@dataclass(frozen=True)
class Gesamtsummen:
    """What the dashboard reads of the pairs, from one read of them."""

    summen: list[Summe]
    organisationen: list[Organisationssumme]
    rote_namen: dict[int, list[str]]  # Maßnahme -> first Kurznamen with a red Ampel in the Nenner, alphabetically
    aenderungen: Aenderungssummen | None = None  # against `vergleich`, when asked for
    # as `read_letzte_meldungen` over the Maßnahmen in the Auswahl, when asked for and read from the Meldungsverlauf
    letzte_meldungen: dict[int, dt.datetime] | None = None


def read_gesamtsummen(
    *,
    strategie: Strategie,
    zeitpunkt: Zeitpunkt,
    auswahl: Auswahl,
    je_massnahme: int,
    vergleich: Zeitpunkt | None = None,
    standsummen: bool | None = None,
    letzte_meldungen: bool = False,
) -> Gesamtsummen:
    """`read_summen`, `read_organisationssummen` and the first `je_massnahme` names per Maßnahme with a red Ampel,
    over the same pairs in `auswahl`, in one query that reads the pairs once (for a past Stichtag the costly part).
    With `vergleich`, the same query also gives `read_aenderungssummen` from `vergleich` to `zeitpunkt` over the
    same pairs in `auswahl`, reading each Zeitpunkt once. Today the Standsummen answer, a few thousand rows for a
    national strategy instead of its pairs, which are then read for a comparison only (`standsummen` forces a path;
    tests compare).
    `letzte_meldungen`: for a past Stichtag with Datenstand now, also `read_letzte_meldungen` over the Maßnahmen in
    `auswahl` (all Organisationen) from the Meldungsverlauf's rows the pairs read (`Gesamtsummen.letzte_meldungen`;
    None where not read)."""
    assert je_massnahme <= ERSTE_ROTE, "the Standsummen keep no more names"
    letzte_meldungen = letzte_meldungen and zeitpunkt.aus_verlauf
    if standsummen is None:
        standsummen = _aus_standsummen(zeitpunkt, auswahl)
    assert not standsummen or _aus_standsummen(zeitpunkt, auswahl)
    zellen, wo, parameter = lesung(strategie=strategie, zeitpunkt=zeitpunkt, auswahl=auswahl)
    vorher, wo_vorher, summen, vorspann, letzte = None, "", None, "", None
    if vergleich is not None:
        vorher, wo_vorher, parameter_vorher = lesung(strategie=strategie, zeitpunkt=vergleich, auswahl=auswahl)
        parameter = mit_vorher(parameter, parameter_vorher)
    if standsummen:  # today's pairs are then read for a comparison only
        summen = sql.gesamt_aus_standsummen(
            massnahmen=sql.in_liste("q.massnahme_id", auswahl.massnahme_ids, parameter, "qm"),
            handlungsfelder=sql.in_liste("q.handlungsfeld_id", auswahl.handlungsfeld_ids, parameter, "qh"),
        )
    if letzte_meldungen:  # the pairs from the Meldungsverlauf, its CTEs at the head of the statement
        vorspann, zellen = sql.zellen_mit_vorspann()
        letzte = sql.in_liste("v.massnahme_id", auswahl.massnahme_ids, parameter, "lm")
    text = sql.gesamt(
        zellen=zellen,
        wo=wo,
        standsummen=summen,
        vorher=vorher,
        wo_vorher=wo_vorher,
        vorspann=vorspann,
        letzte=letzte,
    )
    parameter.update(rot=Ampel.ROT.value, je_massnahme=je_massnahme)
    # pairs from the Meldungsverlauf are joined with the Beteiligungen: see `abfragen`
    aus_verlauf = zeitpunkt.aus_verlauf or (vergleich is not None and vergleich.aus_verlauf)
    teile = _zerlegen(abfragen(text, parameter, ohne_merge_join=aus_verlauf))
    namen: dict[int, list[tuple[int, str]]] = {}
    for massnahme_id, nr, kurzname in teile["r"]:
        namen.setdefault(massnahme_id, []).append((nr, kurzname))
    return Gesamtsummen(
        teile["s"],
        teile["o"],
        {k: [name for _, name in sorted(v)] for k, v in namen.items()},
        None if vergleich is None else Aenderungssummen.aus_teilen(teile),
        dict(teile["l"]) if letzte_meldungen else None,
    )
