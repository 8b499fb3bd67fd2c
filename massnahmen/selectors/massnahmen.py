"""Reads on Maßnahmen: aggregates, Umsetzungsstände, history. Same numbers for dashboard, pages and reports."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from handlungsfelder.models import Handlungsfeld
from massnahmen import policies
from massnahmen.models import NEUESTE_ZUERST, Beteiligung, Massnahme, Status, Statusmeldung, Umsetzungsstand
from strategie.models import Organisation, Strategie

ABGESCHLOSSEN = {Status.UMGESETZT, Status.ENTFAELLT}
OHNE_HANDLUNGSFELD = "Strategie als Ganzes (Allgemeine Grundsätze)"


@dataclass
class Aggregat:
    """How far one Maßnahme is: for all beteiligte Organisationen, or the one joint state."""

    gemeinsam: bool
    beteiligt: int = 0  # denominator: Organisationen beteiligt by `heute` (seit not after it), without "entfällt"
    entfallen: int = 0
    verteilung: Counter = field(default_factory=Counter)  # status -> number of organisations
    stand: Umsetzungsstand | None = None  # the joint state (gemeinsam)
    ueberfaellig: bool = False

    @property
    def umgesetzt(self) -> int:
        return self.verteilung[Status.UMGESETZT]

    @property
    def gemeldet(self) -> int:
        return sum(self.verteilung.values())

    @property
    def quote(self) -> int:
        """Share umgesetzt in percent (joint: 100 or 0)."""
        if self.gemeinsam:
            return 100 if self.stand and self.stand.status == Status.UMGESETZT else 0
        return round(100 * self.umgesetzt / self.beteiligt) if self.beteiligt else 0

    @property
    def ist_umgesetzt(self) -> bool:
        if self.gemeinsam:
            return bool(self.stand and self.stand.status in (Status.UMGESETZT, Status.ENTFAELLT))
        return self.beteiligt > 0 and self.umgesetzt + self.verteilung[Status.ENTFAELLT] >= self.beteiligt


def ist_ueberfaellig(massnahme: Massnahme, *, abgeschlossen: bool, heute: dt.date) -> bool:
    """Past its Frist and not umgesetzt (computed, never stored)."""
    return bool(massnahme.frist and massnahme.frist < heute and not abgeschlossen)


def ist_veraltet(stand: Umsetzungsstand | None, *, intervall_tage: int, heute: dt.date) -> bool:
    """An open Umsetzungsstand not updated for longer than the strategy's interval (computed, never stored)."""
    return bool(
        stand and stand.status not in ABGESCHLOSSEN and stand.stichtag < heute - dt.timedelta(days=intervall_tage)
    )


def aggregate_massnahmen(massnahmen: Iterable[Massnahme], heute: dt.date | None = None) -> dict[int, Aggregat]:
    """Aggregates for many Maßnahmen in two queries, whatever their number. An organisation joins the denominator on
    its `seit` date ("Hineinwachsen"; none: from the start), like the Meldepflichten of a round on its Stichtag."""
    heute = heute or timezone.localdate()
    massnahmen = list(massnahmen)
    ids = [m.pk for m in massnahmen]
    aktiv: dict[int, set[int]] = defaultdict(set)
    aggregate = {m.pk: Aggregat(gemeinsam=m.ist_gemeinsam) for m in massnahmen}
    for massnahme_id, organisation_id, entfaellt, seit in Beteiligung.objects.filter(massnahme_id__in=ids).values_list(
        "massnahme_id", "organisation_id", "entfaellt", "seit"
    ):
        if entfaellt:
            aggregate[massnahme_id].entfallen += 1
        elif seit is None or seit <= heute:  # with `seit` still ahead it is not yet beteiligt: not counted at all
            aktiv[massnahme_id].add(organisation_id)
            aggregate[massnahme_id].beteiligt += 1
    for stand in Umsetzungsstand.objects.filter(massnahme_id__in=ids).order_by("stichtag", "gemeldet_am"):
        aggregat = aggregate[stand.massnahme_id]
        if aggregat.gemeinsam:
            aggregat.stand = stand  # the latest wins
        elif stand.organisation_id in aktiv[stand.massnahme_id]:
            aggregat.verteilung[stand.status] += 1
    for m in massnahmen:
        if aggregate[m.pk].gemeinsam and aggregate[m.pk].stand:
            aggregate[m.pk].verteilung[aggregate[m.pk].stand.status] = 1
        aggregate[m.pk].ueberfaellig = ist_ueberfaellig(m, abgeschlossen=aggregate[m.pk].ist_umgesetzt, heute=heute)
    return aggregate


def reihenfolge(massnahme: Massnahme) -> tuple[int, int]:
    """Sort key in Python: by Handlungsfeld, those of the strategy as a whole last (as the database orders them)."""
    handlungsfeld = massnahme.handlungsfeld
    return (handlungsfeld.ordnung if handlungsfeld else 10_000, massnahme.ordnung)


def bereich(massnahme: Massnahme) -> str:
    """Where a Maßnahme belongs, in words: its Handlungsfeld, or the strategy as a whole."""
    handlungsfeld = massnahme.handlungsfeld
    return f"{handlungsfeld.nummer} {handlungsfeld.titel}" if handlungsfeld else OHNE_HANDLUNGSFELD


def list_massnahmen_for_handlungsfeld(*, user, handlungsfeld: Handlungsfeld) -> list[Massnahme]:
    """Maßnahmen of a Handlungsfeld with federführung and their Aggregat attached as `.aggregat`."""
    massnahmen = list(
        policies.massnahmen_visible_to(user)
        .filter(handlungsfeld=handlungsfeld, is_archived=False)
        .select_related("federfuehrung", "strategie")
        .order_by("ordnung")
    )
    aggregate = aggregate_massnahmen(massnahmen)
    for m in massnahmen:
        m.aggregat = aggregate[m.pk]
    return massnahmen


def get_massnahme_for_detail(*, user, slug: str, code: str) -> Massnahme:
    """A Maßnahme of a strategy the user may see, with its strategy (`massnahme.strategie`); 404 otherwise."""
    return get_object_or_404(
        policies.massnahmen_visible_to(user)
        .filter(strategie__slug=slug)
        .select_related("handlungsfeld__strategie", "federfuehrung", "strategie__traeger")
        .prefetch_related("ziele__handlungsfeld", "meilensteine"),
        code=code,
    )


@dataclass
class Zeile:
    """One beteiligte Organisation of a Maßnahme with its current state (None: not yet reported)."""

    organisation: Organisation
    beteiligung: Beteiligung | None
    stand: Umsetzungsstand | None
    veraltet: bool


def list_umsetzungsstaende(*, user, massnahme: Massnahme) -> list[Zeile]:
    """Per Organisation the Umsetzungsstand the user may see in detail, in two queries."""
    sichtbar = policies.organisationen_im_detail_sichtbar(user, massnahme.strategie)
    heute, intervall = timezone.localdate(), massnahme.strategie.berichtsintervall_tage
    staende = {
        s.organisation_id: s
        for s in Umsetzungsstand.objects.filter(massnahme=massnahme).select_related("organisation", "letzte_meldung")
    }

    def veraltet(stand: Umsetzungsstand | None) -> bool:
        return ist_veraltet(stand, intervall_tage=intervall, heute=heute)

    zeilen = []
    for beteiligung in massnahme.beteiligungen.select_related("organisation").order_by("organisation__kurzname"):
        stand = staende.pop(beteiligung.organisation_id, None)
        zeilen.append(Zeile(beteiligung.organisation, beteiligung, stand, veraltet(stand)))
    # reported without a Beteiligung row, e.g. the Federführung of a joint measure: its joint state comes first
    zeilen[:0] = [Zeile(stand.organisation, None, stand, veraltet(stand)) for stand in staende.values()]
    if sichtbar is not None:
        zeilen = [z for z in zeilen if z.organisation.pk in sichtbar]
    return zeilen


def list_statusmeldungen(*, user, massnahme: Massnahme) -> QuerySet[Statusmeldung]:
    """History of a Maßnahme, newest first, limited to the organisations the user may see in detail.

    Each row carries `text_sichtbar`; confidential text must not be shown when it is False.
    """
    meldungen = massnahme.statusmeldungen.select_related("organisation", "von").order_by(*NEUESTE_ZUERST)
    sichtbar = policies.organisationen_im_detail_sichtbar(user, massnahme.strategie)
    if sichtbar is not None:
        meldungen = meldungen.filter(organisation_id__in=sichtbar)
    meldungen = list(meldungen)
    for meldung in meldungen:
        meldung.text_sichtbar = policies.can_read_statusmeldung_text(user, massnahme.strategie, meldung)
    return meldungen


def list_ergebnisse(*, user, massnahmen: list[Massnahme]) -> dict[int, list[Statusmeldung]]:
    """Results the source document reports (Statusmeldungen with a Quelle), per Maßnahme id, oldest first.

    `massnahmen` are visible ones of one strategy (e.g. from list_massnahmen_for_handlungsfeld); the
    organisations follow the same visibility as the history of a Maßnahme. One query.
    """
    if not massnahmen:
        return {}
    strategie = massnahmen[0].strategie
    meldungen = (
        Statusmeldung.objects.filter(massnahme__in=massnahmen)
        .exclude(quelle="")
        .select_related("organisation")
        .order_by("massnahme_id", "stichtag", "id")
    )
    sichtbar = policies.organisationen_im_detail_sichtbar(user, strategie)
    if sichtbar is not None:
        meldungen = meldungen.filter(organisation_id__in=sichtbar)
    ergebnisse: dict[int, list[Statusmeldung]] = defaultdict(list)
    for meldung in meldungen:
        meldung.text_sichtbar = policies.can_read_statusmeldung_text(user, strategie, meldung)
        ergebnisse[meldung.massnahme_id].append(meldung)
    return dict(ergebnisse)


@dataclass
class Handlungsfelduebersicht:
    massnahmen: int = 0
    umgesetzt: int = 0  # Maßnahmen completely umgesetzt
    ueberfaellig: int = 0
    ohne_meldung: int = 0


@dataclass
class Strategieuebersicht:
    """The figures of a strategy page: per Handlungsfeld id, the Maßnahmen of the strategy as a whole (no
    Handlungsfeld, with `.aggregat`), and the strategy's sum over all of them."""

    handlungsfelder: dict[int, Handlungsfelduebersicht]
    ganze_strategie: list[Massnahme]
    summe: Handlungsfelduebersicht


def summarize_strategie(*, user, strategie: Strategie) -> Strategieuebersicht:
    """How many Maßnahmen, how many umgesetzt and überfällig: per Handlungsfeld and for the whole strategy. A
    Maßnahme of the strategy as a whole counts in the sum, in no Handlungsfeld. Three queries."""
    massnahmen = list(
        policies.massnahmen_visible_to(user)
        .filter(strategie=strategie, is_archived=False)
        .select_related("federfuehrung", "strategie")
        .order_by("ordnung")
    )
    aggregate = aggregate_massnahmen(massnahmen)
    uebersicht = Strategieuebersicht(defaultdict(Handlungsfelduebersicht), [], Handlungsfelduebersicht())
    for m in massnahmen:
        aggregat = aggregate[m.pk]
        eintraege = [uebersicht.summe]
        if m.handlungsfeld_id is None:
            m.aggregat = aggregat
            uebersicht.ganze_strategie.append(m)
        else:
            eintraege.append(uebersicht.handlungsfelder[m.handlungsfeld_id])
        for eintrag in eintraege:
            eintrag.massnahmen += 1
            eintrag.umgesetzt += aggregat.ist_umgesetzt
            eintrag.ueberfaellig += aggregat.ueberfaellig
            eintrag.ohne_meldung += aggregat.gemeldet == 0
    uebersicht.handlungsfelder = dict(uebersicht.handlungsfelder)
    return uebersicht
