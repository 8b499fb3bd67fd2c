"""Reporting rounds: the Geschäftsstelle opens a round, the Meldepflichten follow from the Beteiligungen."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from massnahmen.models import Berichtsrunde, Beteiligung, Massnahme, Meldepflicht, Statusmeldung
from strategie import policies as strategie_policies
from strategie.models import Organisation, Strategie


def quartalsende(tag: dt.date) -> dt.date:
    """The last day of the quarter `tag` falls in."""
    letzter_monat = (tag.month - 1) // 3 * 3 + 3
    if letzter_monat == 12:
        return dt.date(tag.year, 12, 31)
    return dt.date(tag.year, letzter_monat + 1, 1) - dt.timedelta(days=1)


def letztes_quartalsende_vor(tag: dt.date) -> dt.date:
    """The last quarter end strictly before `tag` (31.03., 30.06., 30.09. or 31.12.)."""
    return dt.date(tag.year, (tag.month - 1) // 3 * 3 + 1, 1) - dt.timedelta(days=1)


def meldende_organisation_id(massnahme: Massnahme) -> int:
    """Who reports a gemeinsame Maßnahme: its Federführung, else the Träger of the strategy."""
    return massnahme.federfuehrung_id or massnahme.strategie.traeger_id


def meldepflichten_fuer(
    massnahmen: list[Massnahme], stichtag: dt.date, organisation_id: int | None = None
) -> list[tuple[int, int]]:
    """(massnahme_id, organisation_id) pairs owed on `stichtag`: every beteiligte Organisation that had joined by
    then and for which the Maßnahme does not entfallen; for a gemeinsame Maßnahme its reporting organisation.
    With `organisation_id` only the pairs of that organisation."""
    paare = []
    beteiligungen = Beteiligung.objects.filter(massnahme__in=[m for m in massnahmen if not m.ist_gemeinsam],
                                               entfaellt=False).exclude(seit__gt=stichtag)  # fmt: skip
    paare += list(beteiligungen.values_list("massnahme_id", "organisation_id"))
    paare += [(m.pk, meldende_organisation_id(m)) for m in massnahmen if m.ist_gemeinsam]
    return sorted(paar for paar in set(paare) if organisation_id in (None, paar[1]))


def sammelnde_berichtsrunde(*, massnahme: Massnahme, stichtag: dt.date) -> Berichtsrunde | None:
    """The open round a Statusmeldung on `massnahme` with `stichtag` counts for, among the rounds that ask for the
    Maßnahme: the one with exactly that Stichtag, or the one whose window holds it. A round's window runs from just
    after the Stichtag of the round before it (for that Maßnahme) to its own Stichtag, so Meldungen that come in
    after a round with a later Stichtag count for the next one. A first round has no window but its own day."""
    vorige = None
    for runde in Berichtsrunde.objects.filter(massnahmen=massnahme).order_by("stichtag"):
        im_fenster = runde.stichtag == stichtag or (vorige is not None and vorige.stichtag < stichtag < runde.stichtag)
        if im_fenster:
            return runde if runde.zustand == Berichtsrunde.Zustand.OFFEN else None
        vorige = runde
    return None


def _sammle_meldungen(runde: Berichtsrunde) -> None:
    """Let a new round count the Meldungen already in its window that no round holds yet (late ones of the round
    before, or early ones for its Stichtag): each Meldepflicht is fulfilled by the pair's latest one."""
    beginn: dict[int, dt.date] = {}  # per Maßnahme: the Stichtag of the latest earlier round that asked for it
    frueher = Berichtsrunde.massnahmen.through.objects.filter(
        berichtsrunde__strategie_id=runde.strategie_id, berichtsrunde__stichtag__lt=runde.stichtag
    )
    for massnahme_id, stichtag in frueher.values_list("massnahme_id", "berichtsrunde__stichtag"):
        beginn[massnahme_id] = max(stichtag, beginn.get(massnahme_id, stichtag))
    kandidaten = Statusmeldung.objects.filter(
        massnahme__in=runde.massnahmen.all(), berichtsrunde__isnull=True, stichtag__lte=runde.stichtag
    ).order_by("stichtag", "gemeldet_am", "pk")
    im_fenster = [
        m for m in kandidaten
        if m.stichtag == runde.stichtag or (m.massnahme_id in beginn and m.stichtag > beginn[m.massnahme_id])
    ]  # fmt: skip
    letzte = {(m.massnahme_id, m.organisation_id): m for m in im_fenster}  # ordered by Stichtag: the latest wins
    pflichten = list(runde.meldepflichten.filter(statusmeldung__isnull=True))
    for pflicht in pflichten:
        pflicht.statusmeldung = letzte.get((pflicht.massnahme_id, pflicht.organisation_id))
    gezaehlt = [p for p in pflichten if p.statusmeldung]
    Meldepflicht.objects.bulk_update(gezaehlt, ["statusmeldung"])
    paare = {(p.massnahme_id, p.organisation_id) for p in gezaehlt}
    ids = [m.pk for m in im_fenster if (m.massnahme_id, m.organisation_id) in paare]
    Statusmeldung.objects.filter(pk__in=ids).update(berichtsrunde=runde)


@transaction.atomic
def open_berichtsrunde(
    *,
    actor,
    strategie: Strategie,
    titel: str,
    stichtag: dt.date,
    frist: dt.date,
    massnahmen: list[Massnahme],
    erinnerung_tage_vor_frist: int = 7,
    ist_demo: bool = False,
) -> Berichtsrunde:
    """Open a round for the chosen Maßnahmen; derive who owes which Statusmeldung."""
    if actor is not None and not strategie_policies.can_manage_strategie(actor, strategie):
        raise PermissionDenied
    fremde = [m for m in massnahmen if m.strategie_id != strategie.pk or m.is_archived]
    if fremde:
        raise ValidationError({"massnahmen": ["Bitte wählen Sie nur aktive Maßnahmen dieser Strategie."]})
    if not massnahmen:
        raise ValidationError({"massnahmen": ["Bitte wählen Sie mindestens eine Maßnahme."]})
    if frist < stichtag:
        raise ValidationError({"frist": ["Die Frist darf nicht vor dem Stichtag liegen."]})
    if Berichtsrunde.objects.filter(strategie=strategie, stichtag=stichtag).exists():
        raise ValidationError({"stichtag": ["Für diesen Stichtag gibt es bereits eine Berichtsrunde."]})
    runde = Berichtsrunde(strategie=strategie, titel=titel, stichtag=stichtag, frist=frist, created_by=actor,
                          erinnerung_tage_vor_frist=erinnerung_tage_vor_frist, ist_demo=ist_demo)  # fmt: skip
    runde.full_clean()
    runde._history_user, runde._change_reason = actor, "Berichtsrunde eröffnet"
    runde.save()
    runde.massnahmen.set(massnahmen)
    Meldepflicht.objects.bulk_create(
        Meldepflicht(berichtsrunde=runde, massnahme_id=m, organisation_id=o)
        for m, o in meldepflichten_fuer(massnahmen, stichtag)
    )
    _sammle_meldungen(runde)
    return runde


@transaction.atomic
def sync_meldepflichten(*, massnahme: Massnahme, organisation: Organisation) -> None:
    """Re-derive what `organisation` owes on `massnahme` in every open round with that Maßnahme, after its
    Beteiligung changed. A newly owed Meldung is added (fulfilled at once if the organisation has reported for the
    round already); one no longer owed is removed unless it is fulfilled: that one stays, it is history. Closed
    rounds are never changed. Called only by the Beteiligung services, inside their transaction; Meldepflicht keeps
    no history of its own, the audited Beteiligung records who changed it and why."""
    runden = Berichtsrunde.objects.select_for_update(of=("self",)).filter(
        massnahmen=massnahme, zustand=Berichtsrunde.Zustand.OFFEN
    )
    for runde in runden.order_by("pk"):
        pflichten = Meldepflicht.objects.filter(berichtsrunde=runde, massnahme=massnahme, organisation=organisation)
        if not meldepflichten_fuer([massnahme], runde.stichtag, organisation_id=organisation.pk):
            pflichten.filter(statusmeldung__isnull=True).delete()
        elif not pflichten.exists():
            meldung = (
                Statusmeldung.objects.filter(berichtsrunde=runde, massnahme=massnahme, organisation=organisation)
                .order_by("-gemeldet_am", "-pk")
                .first()
            )
            pflicht = Meldepflicht(berichtsrunde=runde, massnahme=massnahme, organisation=organisation,
                                   statusmeldung=meldung)  # fmt: skip
            pflicht.full_clean()
            pflicht.save()


@transaction.atomic
def close_berichtsrunde(*, actor, berichtsrunde: Berichtsrunde) -> Berichtsrunde:
    """No more Meldungen for this Stichtag; late ones are given a later Stichtag and count for the next round
    (`sammelnde_berichtsrunde`, and `_sammle_meldungen` when that round is opened afterwards)."""
    if actor is not None and not strategie_policies.can_manage_strategie(actor, berichtsrunde.strategie):
        raise PermissionDenied
    runde = Berichtsrunde.objects.select_for_update().get(pk=berichtsrunde.pk)
    if runde.zustand == Berichtsrunde.Zustand.GESCHLOSSEN:
        raise ValidationError("Diese Berichtsrunde ist bereits geschlossen.")
    runde.zustand, runde.geschlossen_am = Berichtsrunde.Zustand.GESCHLOSSEN, timezone.now()
    runde._history_user, runde._change_reason = actor, "Berichtsrunde geschlossen"
    runde.save()
    return runde


DEMO_HANDLUNGSFELDER = ("I", "VI", "VII")


@transaction.atomic
def open_demo_berichtsrunde(*, strategie: Strategie, heute: dt.date) -> Berichtsrunde | None:
    """The labelled demo round on the last quarter end (Handlungsfelder I, VI and VII), open and not overdue
    for at least two weeks; None when a round on that Stichtag exists already (so loading twice adds nothing)."""
    stichtag = letztes_quartalsende_vor(heute)
    if Berichtsrunde.objects.filter(strategie=strategie, stichtag=stichtag).exists():
        return None
    massnahmen = Massnahme.objects.filter(
        strategie=strategie, is_archived=False, handlungsfeld__nummer__in=DEMO_HANDLUNGSFELDER
    ).select_related("strategie")
    return open_berichtsrunde(
        actor=None,
        strategie=strategie,
        titel=f"Demo-Berichtsrunde zum {stichtag:%d.%m.%Y}",
        stichtag=stichtag,
        frist=max(stichtag + dt.timedelta(weeks=6), heute + dt.timedelta(days=14)),
        massnahmen=list(massnahmen),
        ist_demo=True,
    )
