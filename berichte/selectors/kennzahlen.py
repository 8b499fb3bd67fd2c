"""Figures as of a Zeitpunkt by the rules in ZAEHLREGELN: per Maßnahme (`summieren`) from the pairs of
`stand.read_paare` or from their sums in the database (`summen.read_summen`), per Handlungsfeld, key figures.

Everything returned is a plain dataclass that the dashboard, the Organisationsprofil, the exports and the
PDF render; nothing here knows a user or a request.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import replace

from django.db.models import Q

from berichte.selectors.ergebnisse import (
    ABGESCHLOSSEN,
    NICHT_BETEILIGT,
    STATUSFOLGE,
    Filter,
    HandlungsfeldStand,
    Kennzahlen,
    MassnahmeStand,
    OrganisationInfo,
    Runde,
    Zelle,
)
from berichte.selectors.stand import Auswahl, Paar, Zeitpunkt, massnahmen_damals
from berichte.selectors.summen import read_summen
from massnahmen.models import Ampel, Berichtsrunde, Massnahme, Status
from strategie.models import Organisation, Strategie


def _gesamtstatus(verteilung: Counter, nenner: int, entfallen: int) -> str:
    if nenner == 0:
        return Status.ENTFAELLT if entfallen else Status.NICHT_BEGONNEN
    if verteilung[Status.UMGESETZT] >= nenner:
        return Status.UMGESETZT
    if verteilung[Status.IN_UMSETZUNG] or verteilung[Status.UMGESETZT]:
        return Status.IN_UMSETZUNG
    if verteilung[Status.IN_PLANUNG]:
        return Status.IN_PLANUNG
    if verteilung[Status.ZURUECKGESTELLT] >= nenner:
        return Status.ZURUECKGESTELLT
    return Status.NICHT_BEGONNEN


def zelle_aus(paar: Paar) -> Zelle:
    """How one pair stands, as the SQL of `berichte.selectors.sql` classified it."""
    return Zelle(
        zustand=paar.zustand,
        fortschritt=paar.fortschritt,
        ampel=paar.ampel,
        stichtag=paar.stichtag,
        veraltet=paar.veraltet,
        im_nenner=paar.im_nenner,
    )


def organisation_info(o: Organisation) -> OrganisationInfo:
    return OrganisationInfo(o.pk, o.kennung, o.kurzname, o.name, o.art, o.get_art_display())


def read_organisationen(strategie: Strategie) -> dict[int, OrganisationInfo]:
    arten = {art: str(label) for art, label in Organisation.Art.choices}  # translated once, not per Organisation
    zeilen = Organisation.objects.filter(Q(strategien=strategie) | Q(pk=strategie.traeger_id)).distinct()
    return {
        o["id"]: OrganisationInfo(o["id"], o["kennung"], o["kurzname"], o["name"], o["art"], arten[o["art"]])
        for o in zeilen.order_by("kurzname", "kennung").values("id", "kennung", "kurzname", "name", "art")
    }


def _massnahmen(strategie: Strategie, zeitpunkt: Zeitpunkt) -> dict[int, MassnahmeStand]:
    """The Maßnahmen counted as of `zeitpunkt`, with their Frist and Handlungsfeld then, in the strategy's order."""
    zeilen = (
        massnahmen_damals(strategie, zeitpunkt)
        .order_by("hf_ordnung", "ordnung")
        .values(
            "id",
            "code",
            "titel",
            "hf_damals",
            "hf_nummer",
            "umsetzungsart",
            "beginn",
            "frist_damals",
            "frist_herkunft",
        )
    )
    return {
        m["id"]: MassnahmeStand(
            id=m["id"],
            code=m["code"],
            titel=m["titel"],
            handlungsfeld_id=m["hf_damals"],
            handlungsfeld_nummer=m["hf_nummer"],
            gemeinsam=m["umsetzungsart"] == Massnahme.Umsetzungsart.GEMEINSAM,
            beginn=m["beginn"],
            frist=m["frist_damals"],
            frist_herkunft=m["frist_herkunft"],
        )
        for m in zeilen
    }


_AMPEL_RANG = {Ampel.ROT: 3, Ampel.GELB: 2, Ampel.GRUEN: 1, "": 0}


def vorfiltern(strategie: Strategie, filter: Filter, zeitpunkt: Zeitpunkt) -> dict[int, MassnahmeStand]:
    """The strategy's Maßnahmen as of `zeitpunkt` that a Handlungsfeld or Organisation filter leaves, their figures
    still empty."""
    massnahmen = _massnahmen(strategie, zeitpunkt)
    if filter.handlungsfeld_ids:
        massnahmen = {k: m for k, m in massnahmen.items() if m.handlungsfeld_id in filter.handlungsfeld_ids}
    if filter.organisation_ids is not None:
        massnahmen = {k: m for k, m in massnahmen.items() if not m.gemeinsam}
    return massnahmen


def auswahl_fuer(ids: Iterable[int] | None, filter: Filter) -> Auswahl:
    """The pairs of the Maßnahmen `ids` (None: all of the strategy's) under `filter`'s Organisationen."""
    return Auswahl(None if ids is None else frozenset(ids), filter.organisation_ids)


def vorauswahl(massnahmen: dict[int, MassnahmeStand], filter: Filter) -> Auswahl:
    """The pairs `vorfiltern`'s Maßnahmen cover: no restriction at all while no Handlungsfeld or Organisation is
    chosen, so the SQL need not list 200 Maßnahmen."""
    eingeschraenkt = bool(filter.handlungsfeld_ids) or filter.organisation_ids is not None
    auswahl = auswahl_fuer(massnahmen if eingeschraenkt else None, filter)
    if filter.handlungsfeld_ids and filter.organisation_ids is None:
        auswahl = replace(auswahl, handlungsfeld_ids=frozenset(filter.handlungsfeld_ids))
    return auswahl


def summieren(massnahmen: dict[int, MassnahmeStand], summen, stichtag: dt.date) -> None:
    """The per-Maßnahme figures from the pairs summed by Zustand and Ampel, by the rules of ZAEHLREGELN; the same
    for pairs read one by one and for sums from the database."""
    verteilungen: dict[int, Counter] = defaultdict(Counter)
    ampeln: dict[int, Counter] = defaultdict(Counter)
    fortschritte: dict[int, int] = defaultdict(int)
    for summe in summen:
        m = massnahmen.get(summe.massnahme_id)
        if m is None:
            continue
        if summe.zustand == NICHT_BETEILIGT:
            m.noch_nicht_beteiligt += summe.anzahl
            continue
        if summe.zustand == Status.ENTFAELLT:
            m.entfallen += summe.anzahl
            continue
        m.nenner += summe.anzahl
        verteilungen[m.id][summe.zustand] += summe.anzahl
        fortschritte[m.id] += summe.fortschritt
        m.veraltet += summe.veraltet
        if summe.ampel:
            ampeln[m.id][summe.ampel] += summe.anzahl
            if _AMPEL_RANG[summe.ampel] > _AMPEL_RANG[m.ampel]:
                m.ampel = summe.ampel
    for m in massnahmen.values():
        verteilung = verteilungen[m.id]
        m.verteilung, m.ampeln = dict(verteilung), dict(ampeln[m.id])
        m.umgesetzt = verteilung[Status.UMGESETZT]
        m.status = _gesamtstatus(verteilung, m.nenner, m.entfallen)
        m.fortschritt = round(fortschritte[m.id] / m.nenner) if m.nenner else (100 if m.entfallen else 0)
        m.ueberfaellig = bool(m.frist and m.frist < stichtag and m.status not in ABGESCHLOSSEN)


def nachfiltern(massnahmen: dict[int, MassnahmeStand], filter: Filter) -> dict[int, MassnahmeStand]:
    """The Maßnahmen a status or Ampel filter leaves, once their figures are known."""
    if filter.status:
        massnahmen = {k: m for k, m in massnahmen.items() if m.status == filter.status}
    if filter.ampel:
        massnahmen = {k: m for k, m in massnahmen.items() if m.ampeln.get(filter.ampel)}
    return massnahmen


def read_massnahmen(
    *, strategie: Strategie, zeitpunkt: Zeitpunkt, filter: Filter = Filter()
) -> dict[int, MassnahmeStand]:
    """The per-Maßnahme figures, summed in the database: two queries, 1,800 rows at national size."""
    massnahmen = vorfiltern(strategie, filter, zeitpunkt)
    summen = read_summen(
        strategie=strategie,
        zeitpunkt=zeitpunkt,
        auswahl=vorauswahl(massnahmen, filter),
    )
    summieren(massnahmen, summen, zeitpunkt.stichtag)
    return nachfiltern(massnahmen, filter)


def kennzahlen_aus(massnahmen: list[MassnahmeStand]) -> Kennzahlen:
    k = Kennzahlen(massnahmen=len(massnahmen))
    status = Counter(m.status for m in massnahmen)
    k.nach_status = {s: status[s] for s in STATUSFOLGE}
    k.ueberfaellig = sum(m.ueberfaellig for m in massnahmen)
    k.veraltet = sum(m.veraltet > 0 for m in massnahmen)
    k.je_organisation = sum(not m.gemeinsam for m in massnahmen)
    k.paare_nenner = sum(m.nenner for m in massnahmen if not m.gemeinsam)
    k.paare_umgesetzt = sum(m.umgesetzt for m in massnahmen if not m.gemeinsam)
    return k


def handlungsfelder_aus(strategie: Strategie, massnahmen: list[MassnahmeStand]) -> list[HandlungsfeldStand]:
    felder = {
        h["id"]: HandlungsfeldStand(h["id"], h["nummer"], h["titel"])
        for h in strategie.handlungsfelder.order_by("ordnung").values("id", "nummer", "titel")
    }
    summen: dict[int, int] = defaultdict(int)
    for m in massnahmen:
        if m.handlungsfeld_id is None:  # a Maßnahme of the strategy as a whole counts in no Handlungsfeld
            continue
        hf = felder[m.handlungsfeld_id]
        hf.massnahmen += 1
        hf.nach_status[m.status] = hf.nach_status.get(m.status, 0) + 1
        hf.umgesetzt += m.status == Status.UMGESETZT
        hf.ueberfaellig += m.ueberfaellig
        summen[hf.id] += m.fortschritt
    for hf in felder.values():
        hf.nach_status = {s: hf.nach_status.get(s, 0) for s in STATUSFOLGE}
        hf.fortschritt = round(summen[hf.id] / hf.massnahmen) if hf.massnahmen else 0
    return [hf for hf in felder.values() if hf.massnahmen]


def read_runden(strategie: Strategie) -> list[Runde]:
    return [
        Runde(r["id"], r["titel"], r["stichtag"], r["zustand"] == Berichtsrunde.Zustand.OFFEN)
        for r in Berichtsrunde.objects.filter(strategie=strategie)
        .order_by("-stichtag")
        .values("id", "titel", "stichtag", "zustand")
    ]


def runde_fuer(runden: list[Runde], stichtag: dt.date) -> Runde | None:
    """The round whose completeness a view as of `stichtag` shows: the latest with its Stichtag not after it."""
    return next((r for r in runden if r.stichtag <= stichtag), None)


def vorige_runde(runden: list[Runde], stichtag: dt.date) -> Runde | None:
    """The round before `stichtag`: the default of "Veränderung seit"."""
    return next((r for r in runden if r.stichtag < stichtag), None)
