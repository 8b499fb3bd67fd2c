"""Recording Statusmeldungen: one transaction appends the event and moves the Umsetzungsstand on.

No lost updates: the Maßnahme row is locked for the duration of the write (so concurrent reports on
it are serialised) and the caller passes the Umsetzungsstand version the form was opened with; when
somebody else saved in between, `Konflikt` carries their state and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from massnahmen import policies
from massnahmen.models import (
    NEUESTE_ZUERST,
    Berichtsrunde,
    Massnahme,
    Meldepflicht,
    Meldungsentwurf,
    Status,
    Statusmeldung,
    Umsetzungsstand,
)
from massnahmen.services.berichtsrunden import earliest_stichtag, sammelnde_berichtsrunde, stichtag_zu_frueh
from massnahmen.services.standsummen import write_standsummen
from massnahmen.services.verlauf import write_meldungsverlauf
from strategie.models import Organisation
from strategie.texte import SACHSTAND_MAX, clean_text


class Konflikt(Exception):
    """Somebody saved a Statusmeldung for the pair after the form was opened."""

    def __init__(self, stand: Umsetzungsstand):
        super().__init__("Zwischenzeitlich wurde eine andere Meldung gespeichert.")
        self.stand = stand


@dataclass(frozen=True)
class Meldung:
    """What a user reports; the same shape for the form, the draft and the Excel import."""

    stichtag: dt.date
    status: str
    fortschritt: int | None = None
    ampel: str = ""
    text: str = ""
    naechste_schritte: str = ""
    risiken: str = ""
    vertraulich: bool = False
    ist_korrektur: bool = False


def _datum(tag: dt.date) -> str:
    return tag.strftime("%d.%m.%Y")


TEXTFELDER = {"text": "Der Sachstand", "naechste_schritte": "„Nächste Schritte“", "risiken": "„Risiken“"}


def validate_meldung(
    meldung: Meldung, stand: Umsetzungsstand | None, heute: dt.date, *, fruehester: dt.date | None = None
) -> Meldung:
    """Domain rules of a Statusmeldung, with German messages per field. Returns the normalised Meldung.
    `fruehester` is the earliest Stichtag the strategy allows (earliest_stichtag)."""
    fehler: dict[str, list[str]] = {}
    fortschritt = meldung.fortschritt
    if meldung.status not in Status.values:
        fehler.setdefault("status", []).append("Bitte wählen Sie einen Status.")
    if meldung.stichtag > heute:
        fehler.setdefault("stichtag", []).append("Der Stichtag darf nicht in der Zukunft liegen.")
    if fruehester is not None and meldung.stichtag < fruehester:
        fehler.setdefault("stichtag", []).append(stichtag_zu_frueh(meldung.stichtag, fruehester))
    texte = {}
    for feld, titel in TEXTFELDER.items():  # the shared text rule, whoever calls (form, draft, import)
        try:
            texte[feld] = clean_text(getattr(meldung, feld), max_length=SACHSTAND_MAX, feld=titel)
        except ValidationError as fehler_im_text:
            fehler.setdefault(feld, []).extend(fehler_im_text.messages)
    if fehler.keys() & TEXTFELDER.keys():
        raise ValidationError(fehler)
    meldung = Meldung(**{**meldung.__dict__, **texte})
    if fortschritt is not None and not 0 <= fortschritt <= 100:
        fehler.setdefault("fortschritt", []).append("Der Fortschritt muss zwischen 0 und 100 Prozent liegen.")
    if meldung.status == Status.UMGESETZT:
        if fortschritt not in (None, 100):
            fehler.setdefault("fortschritt", []).append(
                "Eine umgesetzte Maßnahme hat einen Fortschritt von 100 Prozent. Bitte korrigieren Sie Status oder "
                "Fortschritt."
            )
        fortschritt = 100
    # A Begründung must be new: the Meldebogen carries the previous Sachstand, which explains nothing.
    sachstand = meldung.text.strip()
    bisher = stand.letzte_meldung.text.strip() if stand is not None and stand.letzte_meldung is not None else ""
    neuer_sachstand = bool(sachstand) and sachstand != bisher
    bereits_entfallen = stand is not None and stand.status == Status.ENTFAELLT  # the Begründung given then still holds
    if meldung.status == Status.ENTFAELLT and not (neuer_sachstand or (bereits_entfallen and sachstand)):
        fehler.setdefault("text", []).append(
            "Bitte begründen Sie im Sachstand, warum die Maßnahme entfällt."
            + (" Der bisherige Sachstand genügt dafür nicht." if sachstand else "")
        )
    if stand is not None:
        if meldung.stichtag <= stand.stichtag and not meldung.ist_korrektur:
            fehler.setdefault("stichtag", []).append(
                f"Der Stichtag liegt nicht nach der letzten Meldung ({_datum(stand.stichtag)}). Wenn Sie eine "
                "frühere Angabe berichtigen, markieren Sie die Meldung bitte als Korrektur."
            )
        if (
            fortschritt is not None
            and stand.fortschritt is not None
            and fortschritt < stand.fortschritt
            and not neuer_sachstand
        ):
            fehler.setdefault("text", []).append(
                f"Der Fortschritt sinkt von {stand.fortschritt} auf {fortschritt} Prozent. Bitte erläutern Sie den "
                "Grund im Sachstand" + (" (der bisherige Sachstand genügt dafür nicht)." if sachstand else ".")
            )
    if fehler:
        raise ValidationError(fehler)
    return Meldung(**{**meldung.__dict__, "fortschritt": fortschritt})


@transaction.atomic
def record_statusmeldung(
    *,
    actor,
    massnahme: Massnahme,
    organisation: Organisation,
    meldung: Meldung,
    erwartete_version: int | None,
) -> Statusmeldung:
    """Append a Statusmeldung of `organisation` on `massnahme` and move its Umsetzungsstand on.

    `erwartete_version` is the Umsetzungsstand version the user saw (0: none yet); None skips the check
    (imports that carry no version). Raises PermissionDenied, ValidationError or Konflikt.
    """
    if not policies.can_report(actor, massnahme, organisation.pk):
        raise PermissionDenied
    Massnahme.objects.select_for_update().filter(pk=massnahme.pk).values_list("pk").get()
    if Massnahme.objects.filter(pk=massnahme.pk, is_archived=True).exists():
        raise ValidationError("Für archivierte Maßnahmen sind keine Statusmeldungen möglich.")
    stand = (
        Umsetzungsstand.objects.select_related("letzte_meldung")
        .filter(massnahme=massnahme, organisation=organisation)
        .first()
    )
    if erwartete_version is not None and (stand.version if stand else 0) != erwartete_version:
        if stand is None:  # a version for a state that does not exist: the page is outdated or was tampered with
            raise ValidationError("Die Seite ist nicht mehr aktuell. Bitte laden Sie sie neu und melden Sie erneut.")
        raise Konflikt(stand)
    meldung = validate_meldung(
        meldung, stand, timezone.localdate(), fruehester=earliest_stichtag(strategie=massnahme.strategie)
    )

    geschlossen = Berichtsrunde.objects.filter(  # a closed round takes no more Meldungen about its Stichtag
        massnahmen=massnahme, stichtag=meldung.stichtag, zustand=Berichtsrunde.Zustand.GESCHLOSSEN
    ).exists()
    if geschlossen:
        raise ValidationError(
            {
                "stichtag": [
                    f"Die Berichtsrunde zum Stichtag {_datum(meldung.stichtag)} ist geschlossen. Bitte wählen Sie "
                    "einen späteren Stichtag; Ihre Meldung zählt dann für die nächste Runde."
                ]
            }
        )
    runde = sammelnde_berichtsrunde(massnahme=massnahme, stichtag=meldung.stichtag)

    statusmeldung = Statusmeldung(
        massnahme=massnahme,
        organisation=organisation,
        berichtsrunde=runde,
        von=actor,
        gemeldet_am=timezone.now(),
        **meldung.__dict__,
    )
    statusmeldung.full_clean()
    statusmeldung.save()
    if stand is None or statusmeldung.stichtag >= stand.stichtag:
        # A late correction of an older Stichtag stays in the history without moving the state back.
        _write_stand(stand, statusmeldung)
        write_standsummen(massnahme_id=massnahme.pk, organisation_id=organisation.pk)
    write_meldungsverlauf(massnahme_id=massnahme.pk, organisation_id=organisation.pk)  # late corrections too
    if runde is not None:  # the round counts the pair's latest Meldung
        Meldepflicht.objects.filter(berichtsrunde=runde, massnahme=massnahme, organisation=organisation).filter(
            Q(statusmeldung__isnull=True) | Q(statusmeldung__stichtag__lte=statusmeldung.stichtag)
        ).update(statusmeldung=statusmeldung)
    Meldungsentwurf.objects.filter(massnahme=massnahme, organisation=organisation).delete()
    return statusmeldung


def _write_stand(stand: Umsetzungsstand | None, meldung: Statusmeldung) -> Umsetzungsstand:
    """Make `meldung` the current state of its pair; the version grows with every change."""
    werte = {
        "letzte_meldung": meldung,
        "stichtag": meldung.stichtag,
        "gemeldet_am": meldung.gemeldet_am,
        "status": meldung.status,
        "fortschritt": meldung.fortschritt,
        "ampel": meldung.ampel,
    }
    if stand is None:
        return Umsetzungsstand.objects.create(massnahme=meldung.massnahme, organisation=meldung.organisation, **werte)
    if any(getattr(stand, k) != v for k, v in werte.items()):
        for k, v in werte.items():
            setattr(stand, k, v)
        stand.version += 1
        stand.save()
    return stand


@transaction.atomic
def save_meldungsentwurf(
    *, actor, massnahme: Massnahme, organisation: Organisation, werte: dict, basis_version: int
) -> Meldungsentwurf:
    """Keep an unfinished Statusmeldung of the organisation; nothing counts until it is submitted."""
    if not policies.can_report(actor, massnahme, organisation.pk):
        raise PermissionDenied
    # Two saves of one pair at once (two tabs, a double click): the second waits here and then updates the draft
    # the first created, instead of failing on the unique pair.
    Massnahme.objects.select_for_update().filter(pk=massnahme.pk).values_list("pk").get()
    erlaubt = {f.name for f in Meldungsentwurf._meta.fields} - {
        "id",
        "massnahme",
        "organisation",
        "von",
        "created_at",
        "updated_at",
        "basis_version",
    }
    werte = dict(werte)
    for feld, titel in TEXTFELDER.items():
        if feld in werte:
            werte[feld] = clean_text(werte[feld] or "", max_length=SACHSTAND_MAX, feld=titel)
    entwurf = Meldungsentwurf.objects.filter(massnahme=massnahme, organisation=organisation).first()
    entwurf = entwurf or Meldungsentwurf(massnahme=massnahme, organisation=organisation)
    for name, wert in {
        **{k: v for k, v in werte.items() if k in erlaubt},
        "von": actor,
        "basis_version": basis_version,
    }.items():
        setattr(entwurf, name, wert)
    entwurf.full_clean()
    entwurf.save()
    return entwurf


@transaction.atomic
def refresh_umsetzungsstand(*, massnahme: Massnahme, organisation: Organisation) -> Umsetzungsstand | None:
    """Set the Umsetzungsstand, the Meldungsverlauf and the Standsummen of the pair to its Statusmeldungen (used by
    the loader and the demo, after they wrote or deleted some)."""
    write_meldungsverlauf(massnahme_id=massnahme.pk, organisation_id=organisation.pk)
    letzte = (
        Statusmeldung.objects.filter(massnahme=massnahme, organisation=organisation).order_by(*NEUESTE_ZUERST).first()
    )
    stand = Umsetzungsstand.objects.select_for_update().filter(massnahme=massnahme, organisation=organisation).first()
    if letzte is not None:
        stand = _write_stand(stand, letzte)
    write_standsummen(massnahme_id=massnahme.pk, organisation_id=organisation.pk)
    return stand
