"""Reporting rounds: the Geschäftsstelle opens a round, the Meldepflichten follow from the Beteiligungen."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from massnahmen.models import NEUESTE_ZUERST, Berichtsrunde, Beteiligung, Massnahme, Meldepflicht, Statusmeldung
from strategie import policies as strategie_policies
from strategie.models import Organisation, Strategie


def _tag(tag: dt.date) -> str:
    return f"{tag.day:02d}.{tag.month:02d}.{tag.year:04d}"


# Years before a strategy's start that its data may still need: the KGRZ report counts results "seit 2015" for
# Handlungsfelder of 2016; a Stichtag earlier than that is a typing error (01.01.0001 was accepted as a Korrektur).
STICHTAG_VORLAUF_JAHRE = 1


def earliest_stichtag(*, strategie) -> dt.date:
    """The earliest Stichtag of a Statusmeldung or Berichtsrunde in this strategy: 1 January of the year before its
    start (beschlossen_am, or the earliest Beginn of its Maßnahmen when that is earlier)."""
    beginn = Massnahme.objects.filter(strategie=strategie).aggregate(beginn=Min("beginn"))["beginn"]
    daten = [d for d in (strategie.beschlossen_am, beginn, strategie.berichtsdatum) if d]
    start = min(daten) if daten else dt.date(2000, 1, 1)
    return dt.date(start.year - STICHTAG_VORLAUF_JAHRE, 1, 1)


def stichtag_zu_frueh(stichtag: dt.date, fruehester: dt.date) -> str:
    return (
        f"Der Stichtag {_tag(stichtag)} liegt vor dem Beginn der Strategie. Frühestens möglich ist der "
        f"{_tag(fruehester)}; bitte prüfen Sie das Jahr."
    )


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
    beteiligungen = Beteiligung.objects.filter(
        massnahme__in=[m for m in massnahmen if not m.ist_gemeinsam], entfaellt=False
    ).exclude(seit__gt=stichtag)
    paare += list(beteiligungen.values_list("massnahme_id", "organisation_id"))
    paare += [(m.pk, meldende_organisation_id(m)) for m in massnahmen if m.ist_gemeinsam]
    return sorted(paar for paar in set(paare) if organisation_id in (None, paar[1]))


def _runde_im_fenster(runden: list[Berichtsrunde], stichtag: dt.date) -> Berichtsrunde | None:
    """Of `runden` (the rounds asking for one Maßnahme, by Stichtag) the one a Meldung with `stichtag` counts for:
    the round of exactly that day, whatever its state (a closed one refuses the Meldung); otherwise the earliest
    open round whose window holds it. A round's window runs from just after the Stichtag of the round before it
    (the first round: from its own Stichtag) to just before the Stichtag of the next round, and on without end for
    the latest round. So a Meldung that comes in after its round was closed counts for the next one, and one about
    a later day than the Stichtag still counts for the open round."""
    for runde in runden:
        if runde.stichtag == stichtag:
            return runde
    for i, runde in enumerate(runden):
        von = runden[i - 1].stichtag if i else runde.stichtag
        bis = runden[i + 1].stichtag if i + 1 < len(runden) else None
        if runde.zustand == Berichtsrunde.Zustand.OFFEN and von < stichtag and (bis is None or stichtag < bis):
            return runde
    return None


def sammelnde_berichtsrunde(*, massnahme: Massnahme, stichtag: dt.date) -> Berichtsrunde | None:
    """The open round a Statusmeldung on `massnahme` with `stichtag` counts for (see `_runde_im_fenster`)."""
    runde = _runde_im_fenster(list(Berichtsrunde.objects.filter(massnahmen=massnahme).order_by("stichtag")), stichtag)
    return runde if runde is not None and runde.zustand == Berichtsrunde.Zustand.OFFEN else None


def _assign_meldungen(runde: Berichtsrunde) -> None:
    """After `runde` was opened (changed, reopened), see `_assign_meldungen_of`."""
    _assign_meldungen_of(Massnahme.objects.filter(berichtsrunden=runde))


def _assign_meldungen_of(massnahmen) -> None:
    """After a round was opened, the windows of the rounds asking for its Maßnahmen have changed: every Meldung on
    them that no closed round holds counts for the round its window now gives (late ones of the round before, early
    ones for its Stichtag, and ones an open later round held so far), and every Meldepflicht of an open round points
    to the latest Meldung of its pair that the round holds. The Maßnahmen are locked, as when a Meldung is recorded."""
    # of=self, ordered by pk: the default ordering joins the (nullable) Handlungsfeld, which FOR UPDATE cannot lock
    ids = list(
        Massnahme.objects.select_for_update(of=("self",))
        .filter(pk__in=massnahmen.values("pk"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    runden: dict[int, list[Berichtsrunde]] = defaultdict(list)
    zuordnung = Berichtsrunde.massnahmen.through.objects.filter(massnahme_id__in=ids).select_related("berichtsrunde")
    for eintrag in zuordnung.order_by("berichtsrunde__stichtag"):
        runden[eintrag.massnahme_id].append(eintrag.berichtsrunde)
    offen = {r.pk for liste in runden.values() for r in liste if r.zustand == Berichtsrunde.Zustand.OFFEN}
    meldungen = list(
        Statusmeldung.objects.filter(massnahme_id__in=ids)
        .filter(Q(berichtsrunde__isnull=True) | Q(berichtsrunde_id__in=offen))
        .order_by(*NEUESTE_ZUERST)
        .only("pk", "massnahme_id", "organisation_id", "stichtag", "berichtsrunde_id")
    )
    umziehen: dict[int | None, list[int]] = defaultdict(list)
    letzte: dict[tuple[int, int, int], int] = {}  # (round, Maßnahme, organisation) -> latest Meldung it holds
    for meldung in meldungen:
        ziel = _runde_im_fenster(runden[meldung.massnahme_id], meldung.stichtag)
        ziel_id = ziel.pk if ziel is not None and ziel.pk in offen else None
        if ziel_id != meldung.berichtsrunde_id:
            umziehen[ziel_id].append(meldung.pk)
        if ziel_id is not None:
            letzte.setdefault((ziel_id, meldung.massnahme_id, meldung.organisation_id), meldung.pk)  # newest first
    for ziel_id, meldung_ids in umziehen.items():
        Statusmeldung.objects.filter(pk__in=meldung_ids).update(berichtsrunde_id=ziel_id)
    pflichten = list(Meldepflicht.objects.filter(berichtsrunde_id__in=offen, massnahme_id__in=ids))
    geaendert = []
    for pflicht in pflichten:
        soll = letzte.get((pflicht.berichtsrunde_id, pflicht.massnahme_id, pflicht.organisation_id))
        if pflicht.statusmeldung_id != soll:
            pflicht.statusmeldung_id = soll
            geaendert.append(pflicht)
    Meldepflicht.objects.bulk_update(geaendert, ["statusmeldung"])


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
    fruehester = earliest_stichtag(strategie=strategie)
    if stichtag < fruehester:
        raise ValidationError({"stichtag": [stichtag_zu_frueh(stichtag, fruehester)]})
    # Rounds of one strategy opened at once: the lock makes the second see the first one's Stichtag.
    Strategie.objects.select_for_update().filter(pk=strategie.pk).values_list("pk").get()
    if Berichtsrunde.objects.filter(strategie=strategie, stichtag=stichtag).exists():
        raise ValidationError({"stichtag": ["Für diesen Stichtag gibt es bereits eine Berichtsrunde."]})
    runde = Berichtsrunde(
        strategie=strategie,
        titel=titel,
        stichtag=stichtag,
        frist=frist,
        created_by=actor,
        erinnerung_tage_vor_frist=erinnerung_tage_vor_frist,
        ist_demo=ist_demo,
    )
    runde.full_clean()
    runde._history_user, runde._change_reason = actor, "Berichtsrunde eröffnet"
    runde.save()
    runde.massnahmen.set(massnahmen)
    Meldepflicht.objects.bulk_create(
        Meldepflicht(berichtsrunde=runde, massnahme_id=m, organisation_id=o)
        for m, o in meldepflichten_fuer(massnahmen, stichtag)
    )
    _assign_meldungen(runde)
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
                .order_by(*NEUESTE_ZUERST)
                .first()
            )
            pflicht = Meldepflicht(
                berichtsrunde=runde, massnahme=massnahme, organisation=organisation, statusmeldung=meldung
            )
            pflicht.full_clean()
            pflicht.save()


@transaction.atomic
def close_berichtsrunde(*, actor, berichtsrunde: Berichtsrunde) -> Berichtsrunde:
    """No more Meldungen for this Stichtag; late ones are given a later Stichtag and count for the next round
    (`sammelnde_berichtsrunde`, and `_ordne_meldungen_zu` when that round is opened afterwards)."""
    if actor is not None and not strategie_policies.can_manage_strategie(actor, berichtsrunde.strategie):
        raise PermissionDenied
    runde = Berichtsrunde.objects.select_for_update().get(pk=berichtsrunde.pk)
    if runde.zustand == Berichtsrunde.Zustand.GESCHLOSSEN:
        raise ValidationError("Diese Berichtsrunde ist bereits geschlossen.")
    runde.zustand, runde.geschlossen_am = Berichtsrunde.Zustand.GESCHLOSSEN, timezone.now()
    runde._history_user, runde._change_reason = actor, "Berichtsrunde geschlossen"
    runde.save()
    return runde


def _check_verwaltung(actor, runde: Berichtsrunde) -> None:
    if actor is not None and not strategie_policies.can_manage_strategie(actor, runde.strategie):
        raise PermissionDenied


def count_meldungen_der_runde(runde: Berichtsrunde) -> int:
    """How many Statusmeldungen count for the round: while none, its Stichtag may be corrected and it may be deleted."""
    return Statusmeldung.objects.filter(berichtsrunde=runde).count()


LEER_NOETIG = (
    "Zu dieser Berichtsrunde zählen bereits {anzahl} Meldung{en}. {was} ist nur möglich, solange keine Meldung "
    "für sie eingegangen ist."
)


@transaction.atomic
def change_berichtsrunde(
    *, actor, berichtsrunde: Berichtsrunde, titel: str, stichtag: dt.date, frist: dt.date, grund: str = ""
) -> Berichtsrunde:
    """Extend (or shorten) the Frist at any time while the round is open; correct title and Stichtag only while no
    Meldung counts for it (then who owes what is derived again for the new Stichtag). Audited with the reason."""
    _check_verwaltung(actor, berichtsrunde)
    runde = Berichtsrunde.objects.select_for_update().get(pk=berichtsrunde.pk)
    if runde.zustand != Berichtsrunde.Zustand.OFFEN:
        raise ValidationError(
            "Eine geschlossene Berichtsrunde kann nicht geändert werden. Öffnen Sie sie zuerst wieder."
        )
    titel = (titel or "").strip() or f"Berichtsrunde zum {stichtag:%d.%m.%Y}"
    neuer_stichtag, neuer_titel = stichtag != runde.stichtag, titel != runde.titel
    if neuer_stichtag or neuer_titel:
        anzahl = count_meldungen_der_runde(runde)
        if anzahl:
            was = "Den Stichtag zu ändern" if neuer_stichtag else "Den Titel zu ändern"
            feld = "stichtag" if neuer_stichtag else "titel"
            raise ValidationError({feld: [LEER_NOETIG.format(anzahl=anzahl, en="en" if anzahl > 1 else "", was=was)]})
    if frist < stichtag:
        raise ValidationError({"frist": ["Die Frist darf nicht vor dem Stichtag liegen."]})
    if neuer_stichtag and Berichtsrunde.objects.filter(strategie=runde.strategie, stichtag=stichtag).exists():
        raise ValidationError({"stichtag": ["Für diesen Stichtag gibt es bereits eine Berichtsrunde."]})
    runde.titel, runde.stichtag, runde.frist = titel, stichtag, frist
    runde.full_clean()
    runde._history_user = actor
    runde._change_reason = "Berichtsrunde geändert" + (f": {grund.strip()[:200]}" if grund.strip() else "")
    runde.save()
    if neuer_stichtag:
        massnahmen = list(runde.massnahmen.select_related("strategie"))
        Meldepflicht.objects.filter(berichtsrunde=runde).delete()
        Meldepflicht.objects.bulk_create(
            Meldepflicht(berichtsrunde=runde, massnahme_id=m, organisation_id=o)
            for m, o in meldepflichten_fuer(massnahmen, stichtag)
        )
        _assign_meldungen(runde)
    return runde


@transaction.atomic
def reopen_berichtsrunde(*, actor, berichtsrunde: Berichtsrunde, grund: str) -> Berichtsrunde:
    """Open a closed round again, e.g. when it was closed too early; the reason is required and audited. Meldungen
    about days in its window count for it again."""
    _check_verwaltung(actor, berichtsrunde)
    runde = Berichtsrunde.objects.select_for_update().get(pk=berichtsrunde.pk)
    if runde.zustand == Berichtsrunde.Zustand.OFFEN:
        raise ValidationError("Diese Berichtsrunde ist bereits offen.")
    if not (grund or "").strip():
        raise ValidationError({"grund": ["Bitte nennen Sie den Grund, aus dem die Runde wieder geöffnet wird."]})
    runde.zustand, runde.geschlossen_am = Berichtsrunde.Zustand.OFFEN, None
    runde._history_user = actor
    runde._change_reason = f"Berichtsrunde wieder geöffnet: {grund.strip()[:200]}"
    runde.save()
    _assign_meldungen(runde)
    return runde


@transaction.atomic
def delete_berichtsrunde(*, actor, berichtsrunde: Berichtsrunde) -> None:
    """Delete a round opened by mistake, while no Meldung counts for it. Its Meldepflichten and reminder records go
    with it; uploads made with it keep their file and lose the link. The deletion stays in the round's history."""
    _check_verwaltung(actor, berichtsrunde)
    runde = Berichtsrunde.objects.select_for_update().get(pk=berichtsrunde.pk)
    anzahl = count_meldungen_der_runde(runde)
    if anzahl:
        raise ValidationError(
            LEER_NOETIG.format(anzahl=anzahl, en="en" if anzahl > 1 else "", was="Eine Berichtsrunde zu löschen")
            + " Schließen Sie sie stattdessen."
        )
    massnahmen = list(runde.massnahmen.values_list("pk", flat=True))
    Meldepflicht.objects.filter(berichtsrunde=runde).delete()
    runde.erinnerungen.all().delete()
    runde.importe.update(berichtsrunde=None)
    runde.massnahmen.clear()
    runde._history_user, runde._change_reason = actor, "Berichtsrunde gelöscht (versehentlich eröffnet)"
    runde.delete()
    _assign_meldungen_of(Massnahme.objects.filter(pk__in=massnahmen))


DEMO_HANDLUNGSFELDER = ("I", "VI", "VII")


@transaction.atomic
def open_demo_berichtsrunde(*, strategie: Strategie, heute: dt.date) -> Berichtsrunde | None:
    """The labelled demo round on the last quarter end (Handlungsfelder I, VI and VII), open and not overdue
    for at least two weeks; None when a round on that Stichtag exists already (so loading twice adds nothing)."""
    stichtag = letztes_quartalsende_vor(heute)
    fruehester = earliest_stichtag(strategie=strategie)
    if stichtag < fruehester:
        raise ValidationError({"stichtag": [stichtag_zu_frueh(stichtag, fruehester)]})
    # Rounds of one strategy opened at once: the lock makes the second see the first one's Stichtag.
    Strategie.objects.select_for_update().filter(pk=strategie.pk).values_list("pk").get()
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
