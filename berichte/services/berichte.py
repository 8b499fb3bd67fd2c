"""The Bericht workflow: create, edit the texts, request the PDF, release, make a new version.

Every write locks the Bericht row, checks its policy and state, and saves with the acting user for the
audit trail (django-simple-history). A released Bericht is never changed again: a change starts a new
version that copies its texts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from berichte import policies
from berichte.models import Bericht
from berichte.texte import clean_berichttext
from massnahmen.models import Berichtsrunde
from strategie.models import Strategie

Zustand = Bericht.Zustand
IN_BEARBEITUNG = (Zustand.ANGEFORDERT, Zustand.IN_ARBEIT)

FREIGEGEBEN_UNVERAENDERLICH = (
    "Dieser Bericht ist freigegeben und kann nicht mehr geändert werden. Legen Sie bitte eine neue Version an."
)
WAEHREND_ERZEUGUNG = "Während das PDF erzeugt wird, können die Texte nicht geändert werden. Bitte warten Sie kurz."


class Textkonflikt(Exception):
    """Somebody else saved the same text after this editor loaded it; nothing was written."""

    def __init__(self, *, feld: str, text: str, version: int, von: str, am: dt.datetime | None):
        super().__init__("Der Text wurde zwischenzeitlich geändert.")
        self.feld, self.text, self.version, self.von, self.am = feld, text, version, von, am


@dataclass(frozen=True)
class Textstand:
    feld: str
    text: str
    version: int


def _erlaubt(actor, pruefung, *args) -> bool:
    """actor None is the portal itself (command line, demo loader); views always pass the signed-in user."""
    return actor is None or pruefung(actor, *args)


def _name(user) -> str:
    if user is None:
        return "einer anderen Person"
    return user.get_full_name() or user.username


def _speichere(bericht: Bericht, actor, grund: str, update_fields: list[str] | None = None) -> None:
    bericht.full_clean()
    bericht._history_user, bericht._change_reason = actor, grund
    bericht.save(update_fields=update_fields and [*update_fields, "updated_at"])


def default_stichtag(*, strategie: Strategie, berichtsjahr: int) -> dt.date:
    """The Stichtag of the last closed Berichtsrunde of the year, else 31 December of the year."""
    runde = (
        Berichtsrunde.objects.filter(
            strategie=strategie, stichtag__year=berichtsjahr, zustand=Berichtsrunde.Zustand.GESCHLOSSEN
        )
        .order_by("-stichtag")
        .first()
    )
    return runde.stichtag if runde is not None else dt.date(berichtsjahr, 12, 31)


def textfelder(bericht: Bericht) -> list[str]:
    """The editable texts of the Bericht: Vorwort, one Einschätzung per Handlungsfeld, Fazit."""
    nummern = bericht.strategie.handlungsfelder.order_by("ordnung").values_list("nummer", flat=True)
    return ["vorwort", *(f"einschaetzung-{nummer}" for nummer in nummern), "fazit"]


def read_text(bericht: Bericht, feld: str) -> str:
    if feld.startswith("einschaetzung-"):
        return bericht.einschaetzungen.get(feld.removeprefix("einschaetzung-"), "")
    return getattr(bericht, feld)


def _write_text(bericht: Bericht, feld: str, text: str) -> None:
    if feld.startswith("einschaetzung-"):
        bericht.einschaetzungen = {**bericht.einschaetzungen, feld.removeprefix("einschaetzung-"): text}
    else:
        setattr(bericht, feld, text)


@transaction.atomic
def create_bericht(
    *,
    actor,
    strategie: Strategie,
    art: str,
    berichtsjahr: int,
    stichtag: dt.date | None = None,
    ist_demo: bool = False,
) -> Bericht:
    """A new Bericht in the Entwurf state; the Stichtag defaults to the last closed Berichtsrunde of the year."""
    if not _erlaubt(actor, policies.can_create_bericht, strategie):
        raise PermissionDenied
    heute = timezone.localdate()
    if not 2000 <= berichtsjahr <= heute.year:
        raise ValidationError({"berichtsjahr": f"Bitte geben Sie ein Berichtsjahr zwischen 2000 und {heute.year} an."})
    stichtag = stichtag or default_stichtag(strategie=strategie, berichtsjahr=berichtsjahr)
    if stichtag.year != berichtsjahr:
        raise ValidationError({"stichtag": f"Der Stichtag muss im Berichtsjahr {berichtsjahr} liegen."})
    vorhanden = Bericht.objects.filter(strategie=strategie, art=art, berichtsjahr=berichtsjahr).order_by("-version")
    if vorhanden.exists():
        letzter = vorhanden.first()
        raise ValidationError(
            f"Für {berichtsjahr} gibt es schon einen {letzter.get_art_display()} (Version {letzter.version}). "
            + ("Legen Sie dort eine neue Version an." if letzter.ist_freigegeben else "Bitte bearbeiten Sie diesen.")
        )
    bericht = Bericht(
        strategie=strategie,
        art=art,
        berichtsjahr=berichtsjahr,
        stichtag=stichtag,
        created_by=actor,
        version=1,
        ist_demo=ist_demo,
    )
    try:
        with transaction.atomic():
            _speichere(bericht, actor, "Bericht angelegt")
    except IntegrityError as fehler:  # another editor created the same Bericht a moment ago
        raise ValidationError(f"Für {berichtsjahr} wurde soeben ein solcher Bericht angelegt.") from fehler
    return bericht


@transaction.atomic
def save_bericht_text(*, actor, bericht: Bericht, feld: str, text: str, version: int) -> Textstand:
    """Save one editorial text if nobody else saved it since `version` was read; else raise Textkonflikt."""
    bericht = Bericht.objects.select_for_update().select_related("strategie").get(pk=bericht.pk)
    if not policies.can_create_bericht(actor, bericht.strategie):
        raise PermissionDenied
    if bericht.ist_freigegeben:
        raise ValidationError(FREIGEGEBEN_UNVERAENDERLICH)
    if bericht.zustand in IN_BEARBEITUNG:
        raise ValidationError(WAEHREND_ERZEUGUNG)
    if feld not in textfelder(bericht):
        raise ValidationError("Dieses Textfeld gibt es in diesem Bericht nicht.")
    text = clean_berichttext(text)
    aktuell = int(bericht.textversionen.get(feld, 0))
    if version != aktuell:
        letzte = bericht.history.order_by("-history_date").select_related("history_user").first()
        raise Textkonflikt(
            feld=feld,
            text=read_text(bericht, feld),
            version=aktuell,
            von=_name(letzte.history_user if letzte else None),
            am=letzte.history_date if letzte else None,
        )
    if text == read_text(bericht, feld):
        return Textstand(feld, text, aktuell)  # an autosave without a change writes nothing
    _write_text(bericht, feld, text)
    bericht.textversionen = {**bericht.textversionen, feld: aktuell + 1}
    if bericht.zustand in (Zustand.FERTIG, Zustand.FEHLGESCHLAGEN):
        bericht.zustand = Zustand.ENTWURF  # the PDF no longer matches the texts: it must be made again
        bericht.fehlermeldung = ""
    _speichere(bericht, actor, f"Text „{feld}“ geändert")
    return Textstand(feld, text, aktuell + 1)


@transaction.atomic
def request_bericht_pdf(*, actor, bericht: Bericht, enqueue: bool = True) -> Bericht:
    """Freeze the Datenstand (kept on a retry after a failure) and queue the rendering task (`enqueue=False`: the
    caller renders itself, as the command line does)."""
    from berichte.tasks import render_bericht_pdf_task  # tasks import services: import here

    bericht = Bericht.objects.select_for_update().select_related("strategie").get(pk=bericht.pk)
    if not _erlaubt(actor, policies.can_create_bericht, bericht.strategie):
        raise PermissionDenied
    if bericht.ist_freigegeben:
        raise ValidationError(FREIGEGEBEN_UNVERAENDERLICH)
    if bericht.zustand in IN_BEARBEITUNG:
        return bericht  # a second click: the first request is already queued
    if bericht.zustand == Zustand.FERTIG:
        raise ValidationError("Das PDF ist bereits erzeugt. Ändern Sie einen Text, um es neu zu erzeugen.")
    jetzt = timezone.now()
    if bericht.zustand == Zustand.ENTWURF or bericht.datenstand is None:
        bericht.datenstand = jetzt
    bericht.zustand, bericht.fortschritt, bericht.schritt = Zustand.ANGEFORDERT, 0, Bericht.Schritt.WARTEN
    bericht.fehlermeldung, bericht.angefordert_am, bericht.angefordert_von = "", jetzt, actor
    _speichere(bericht, actor, "PDF angefordert")
    if enqueue:
        transaction.on_commit(lambda: render_bericht_pdf_task.delay(bericht_id=bericht.pk))
    return bericht


@transaction.atomic
def release_bericht(*, actor, bericht: Bericht) -> Bericht:
    bericht = Bericht.objects.select_for_update().select_related("strategie").get(pk=bericht.pk)
    if not policies.can_release_bericht(actor, bericht):
        raise PermissionDenied
    if bericht.ist_freigegeben:
        return bericht
    if bericht.zustand != Zustand.FERTIG:
        raise ValidationError("Freigeben können Sie erst, wenn das PDF fertig erzeugt ist.")
    bericht.freigegeben_von, bericht.freigegeben_am = actor, timezone.now()
    _speichere(bericht, actor, "Bericht freigegeben")
    return bericht


@transaction.atomic
def create_bericht_version(*, actor, bericht: Bericht) -> Bericht:
    """A new editable version of a released Bericht, with its texts; the released one stays as it is."""
    bericht = Bericht.objects.select_for_update().select_related("strategie").get(pk=bericht.pk)
    if not policies.can_create_bericht(actor, bericht.strategie):
        raise PermissionDenied
    if not bericht.ist_freigegeben:
        raise ValidationError("Eine neue Version gibt es erst nach der Freigabe; bis dahin ändern Sie diesen Bericht.")
    nachfolger = Bericht.objects.filter(vorgaenger=bericht).first()
    if nachfolger is not None:
        return nachfolger
    hoechste = Bericht.objects.filter(strategie=bericht.strategie, art=bericht.art, berichtsjahr=bericht.berichtsjahr)
    neu = Bericht(
        strategie=bericht.strategie,
        art=bericht.art,
        berichtsjahr=bericht.berichtsjahr,
        stichtag=bericht.stichtag,
        vorwort=bericht.vorwort,
        einschaetzungen=dict(bericht.einschaetzungen),
        fazit=bericht.fazit,
        textversionen=dict(bericht.textversionen),
        version=max(hoechste.values_list("version", flat=True)) + 1,
        vorgaenger=bericht,
        ist_demo=bericht.ist_demo,
        created_by=actor,
    )
    _speichere(neu, actor, f"Version {neu.version} angelegt")
    return neu
