"""Reads for reporting: what an Organisation owes, its drafts and current state. Fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from massnahmen import policies
from massnahmen.models import Berichtsrunde, Massnahme, Meldepflicht, Meldungsentwurf, Umsetzungsstand
from massnahmen.selectors import ABGESCHLOSSEN, ist_ueberfaellig, ist_veraltet, reihenfolge
from strategie import policies as strategie_policies
from strategie.models import Organisation, Strategie


def list_meldende_organisationen(*, user, massnahme: Massnahme) -> list[Organisation]:
    ids = policies.organisationen_fuer_meldung(user, massnahme)
    return list(Organisation.objects.filter(pk__in=ids).order_by("kurzname")) if ids else []


@dataclass
class Meldeposten:
    """One Maßnahme one Organisation reports on, with what the reporting page shows about it."""

    massnahme: Massnahme
    organisation: Organisation
    stand: Umsetzungsstand | None = None
    entwurf: Meldungsentwurf | None = None
    meldepflicht: Meldepflicht | None = None
    veraltet: bool = False
    ueberfaellig: bool = False

    @property
    def version(self) -> int:
        return self.stand.version if self.stand else 0

    @property
    def ist_erledigt(self) -> bool:
        return bool(self.meldepflicht and self.meldepflicht.statusmeldung_id)

    @property
    def schluessel(self) -> str:
        """The form prefix: the same for a pair wherever it is reported (field names of a posted form)."""
        return f"m{self.massnahme.pk}-o{self.organisation.pk}"

    @property
    def dom_id(self) -> str:
        """Unique on the page: a pair owed in two open rounds appears in both sections, once per round."""
        return self.schluessel + (f"-r{self.meldepflicht.berichtsrunde_id}" if self.meldepflicht else "")

    @property
    def runde(self) -> Berichtsrunde | None:
        return self.meldepflicht.berichtsrunde if self.meldepflicht else None

    @property
    def erst_ab(self) -> dt.date | None:
        """The round's Stichtag while it lies in the future: Meldungen for it are possible only from that day."""
        runde = self.runde
        return runde.stichtag if runde is not None and runde.stichtag > timezone.localdate() else None


def _mark(posten: Meldeposten, heute: dt.date, intervall: int) -> Meldeposten:
    stand = posten.stand
    fertig = bool(stand and stand.status in ABGESCHLOSSEN)
    posten.ueberfaellig = ist_ueberfaellig(posten.massnahme, abgeschlossen=fertig, heute=heute)
    posten.veraltet = ist_veraltet(stand, intervall_tage=intervall, heute=heute)
    return posten


def get_meldeposten(*, massnahme: Massnahme, organisation: Organisation, runde_id: int | None = None) -> Meldeposten:
    """State, draft and open Meldepflicht of one pair (for the form on the Maßnahme page): the Meldepflicht of the
    open round `runde_id` if given (the section of "Meine Meldungen" it was sent from), else of the latest one."""
    pflichten = Meldepflicht.objects.filter(
        massnahme=massnahme, organisation=organisation, berichtsrunde__zustand=Berichtsrunde.Zustand.OFFEN
    )
    if runde_id is not None:
        pflichten = pflichten.filter(berichtsrunde_id=runde_id)
    posten = Meldeposten(
        massnahme=massnahme,
        organisation=organisation,
        stand=Umsetzungsstand.objects.filter(massnahme=massnahme, organisation=organisation)
        .select_related("letzte_meldung")
        .first(),
        entwurf=Meldungsentwurf.objects.filter(massnahme=massnahme, organisation=organisation).first(),
        meldepflicht=pflichten.select_related("berichtsrunde").order_by("-berichtsrunde__stichtag").first(),
    )
    return _mark(posten, timezone.localdate(), massnahme.strategie.berichtsintervall_tage)


@dataclass
class Rundenblock:
    runde: Berichtsrunde
    posten: list[Meldeposten] = field(default_factory=list)

    @property
    def erledigt(self) -> int:
        return sum(p.ist_erledigt for p in self.posten)

    @property
    def offen(self) -> int:
        return len(self.posten) - self.erledigt

    @property
    def tage_bis_frist(self) -> int:
        return (self.runde.frist - timezone.localdate()).days

    @property
    def erst_ab(self) -> dt.date | None:
        return self.runde.stichtag if self.runde.stichtag > timezone.localdate() else None


@dataclass
class Strategieblock:
    strategie: Strategie
    runden: list[Rundenblock] = field(default_factory=list)
    weitere: list[Meldeposten] = field(default_factory=list)  # stale or overdue, outside an open round


def list_meine_meldungen(*, user) -> list[Strategieblock]:
    """Everything the user's organisations owe or should update, per strategy. Queries do not grow with rows."""
    rechte = strategie_policies.objekte_mit_recht(
        user, strategie_policies.REPORT_MASSNAHME, Massnahme.objects.filter(is_archived=False)
    )
    if not rechte:
        return []
    heute = timezone.localdate()
    massnahmen = {
        m.pk: m
        for m in Massnahme.objects.filter(pk__in={m for m, _ in rechte}, is_archived=False).select_related(
            "strategie", "handlungsfeld"
        )
    }
    rechte = {(m, o) for m, o in rechte if m in massnahmen}
    organisationen = Organisation.objects.in_bulk({o for _, o in rechte})
    staende = {
        (s.massnahme_id, s.organisation_id): s
        for s in Umsetzungsstand.objects.filter(
            massnahme_id__in=massnahmen, organisation_id__in=organisationen
        ).select_related("letzte_meldung")  # its date as the source gives it (includes/meldedatum.html)
    }
    entwuerfe = {
        (e.massnahme_id, e.organisation_id): e
        for e in Meldungsentwurf.objects.filter(massnahme_id__in=massnahmen, organisation_id__in=organisationen)
    }
    pflichten = (
        Meldepflicht.objects.filter(
            berichtsrunde__zustand=Berichtsrunde.Zustand.OFFEN,
            massnahme_id__in=massnahmen,
            organisation_id__in=organisationen,
        )
        .select_related("berichtsrunde")
        .order_by("berichtsrunde__frist", "massnahme__handlungsfeld__ordnung", "massnahme__ordnung")
    )

    def posten(massnahme_id: int, organisation_id: int, pflicht: Meldepflicht | None = None) -> Meldeposten:
        massnahme = massnahmen[massnahme_id]
        return _mark(
            Meldeposten(
                massnahme=massnahme,
                organisation=organisationen[organisation_id],
                stand=staende.get((massnahme_id, organisation_id)),
                entwurf=entwuerfe.get((massnahme_id, organisation_id)),
                meldepflicht=pflicht,
            ),
            heute,
            massnahme.strategie.berichtsintervall_tage,
        )

    bloecke: dict[int, Strategieblock] = {}
    runden: dict[int, Rundenblock] = {}
    in_runde = set()
    for pflicht in pflichten:
        if (pflicht.massnahme_id, pflicht.organisation_id) not in rechte:
            continue
        strategie = massnahmen[pflicht.massnahme_id].strategie
        block = bloecke.setdefault(strategie.pk, Strategieblock(strategie))
        if pflicht.berichtsrunde_id not in runden:
            runden[pflicht.berichtsrunde_id] = Rundenblock(pflicht.berichtsrunde)
            block.runden.append(runden[pflicht.berichtsrunde_id])
        runden[pflicht.berichtsrunde_id].posten.append(posten(pflicht.massnahme_id, pflicht.organisation_id, pflicht))
        in_runde.add((pflicht.massnahme_id, pflicht.organisation_id))

    weitere = defaultdict(list)
    for massnahme_id, organisation_id in sorted(rechte - in_runde):
        eintrag = posten(massnahme_id, organisation_id)
        if eintrag.veraltet or eintrag.ueberfaellig or eintrag.entwurf:
            weitere[eintrag.massnahme.strategie_id].append(eintrag)
    for strategie_id, eintraege in weitere.items():
        block = bloecke.setdefault(strategie_id, Strategieblock(eintraege[0].massnahme.strategie))
        block.weitere = sorted(eintraege, key=lambda p: reihenfolge(p.massnahme))
    return sorted(bloecke.values(), key=lambda b: b.strategie.titel)
