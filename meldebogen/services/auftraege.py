"""A Meldebogen upload as a job: the Celery task runs it, its progress and final state live on the Meldebogenimport,
and uploaded files are deleted when refused at once, when accepted after MELDEBOGEN_AUFBEWAHRUNG_TAGE.

The checking and writing itself is `importe.py` (called through the module, so a test can replace a step).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from meldebogen.models import Meldebogenimport
from meldebogen.services import importe
from meldebogen.services.format import Fehler

logger = logging.getLogger(__name__)

ENDZUSTAENDE = {
    Meldebogenimport.Zustand.FERTIG,
    Meldebogenimport.Zustand.ABGELEHNT,
    Meldebogenimport.Zustand.FEHLGESCHLAGEN,
}
MAX_GESPEICHERTE_FEHLER = 500


def _report_fortschritt(import_id: int) -> importe.Fortschrittsmelder:
    def report_progress(prozent: int) -> None:
        # Checking is 0–90 %; the last step (writing) ends at 100 %.
        Meldebogenimport.objects.filter(pk=import_id).exclude(zustand__in=ENDZUSTAENDE).update(
            fortschritt=min(90, prozent * 9 // 10), updated_at=timezone.now()
        )

    return report_progress


def run_meldebogenimport(*, meldebogenimport: Meldebogenimport) -> Meldebogenimport:
    """Run a queued import (called by the Celery task). Safe to run again: a final import is left alone, and the
    final write locks the row and checks again."""
    if meldebogenimport.zustand in ENDZUSTAENDE:
        return meldebogenimport
    pk = meldebogenimport.pk
    Meldebogenimport.objects.filter(pk=pk).update(
        zustand=Meldebogenimport.Zustand.IN_ARBEIT, fortschritt=0, updated_at=timezone.now()
    )
    with meldebogenimport.datei.open("rb") as datei:
        inhalt = datei.read()
    try:
        ergebnis = importe.validate_meldebogen(
            actor=meldebogenimport.von,
            organisation=meldebogenimport.organisation,
            strategie=meldebogenimport.strategie,
            berichtsrunde=meldebogenimport.berichtsrunde,
            datei_bytes=inhalt,
            dateiname=meldebogenimport.dateiname,
            fortschritt=_report_fortschritt(pk),
        )
    except PermissionDenied:
        ergebnis = importe.Meldebogenergebnis(
            fehler=[Fehler(None, "", "Sie dürfen für diese Organisation keine Meldungen (mehr) hochladen.")]
        )

    with transaction.atomic():
        meldebogenimport = Meldebogenimport.objects.select_for_update().get(pk=pk)
        if meldebogenimport.zustand in ENDZUSTAENDE:
            return meldebogenimport  # another run finished first
        if not ergebnis.fehler:
            importe.apply_meldebogen(
                actor=meldebogenimport.von, organisation=meldebogenimport.organisation, ergebnis=ergebnis
            )
        meldebogenimport.zustand = (
            Meldebogenimport.Zustand.ABGELEHNT if ergebnis.fehler else Meldebogenimport.Zustand.FERTIG
        )
        meldebogenimport.fortschritt = 100
        meldebogenimport.zeilen = ergebnis.zeilen
        meldebogenimport.gemeldet = ergebnis.gemeldet
        meldebogenimport.fehler = _fehlerliste(ergebnis.fehler)
        meldebogenimport.uebersicht = {} if ergebnis.fehler else ergebnis.uebersicht()
        meldebogenimport.abgeschlossen_am = timezone.now()
        meldebogenimport.save()
    if meldebogenimport.zustand == Meldebogenimport.Zustand.ABGELEHNT:
        delete_meldebogendatei(meldebogenimport=meldebogenimport)  # nothing of it was stored: the file goes at once
    return meldebogenimport


def delete_meldebogendatei(*, meldebogenimport: Meldebogenimport) -> None:
    """Delete the uploaded file of an import; the import row (who, when, result, errors) stays."""
    if meldebogenimport.datei:
        meldebogenimport.datei.delete(save=False)
    Meldebogenimport.objects.filter(pk=meldebogenimport.pk).update(datei="")


def delete_abgelaufene_meldebogendateien(*, jetzt=None) -> int:
    """Delete the files of accepted imports older than MELDEBOGEN_AUFBEWAHRUNG_TAGE, and of refused or failed
    ones (left by an earlier version or a crash). Returns how many files were deleted. Run daily by Celery beat."""
    jetzt = jetzt or timezone.now()
    grenze = jetzt - timedelta(days=settings.MELDEBOGEN_AUFBEWAHRUNG_TAGE)
    faellig = Meldebogenimport.objects.exclude(datei="").filter(
        Q(zustand=Meldebogenimport.Zustand.FERTIG, abgeschlossen_am__lt=grenze)
        | Q(zustand__in=[Meldebogenimport.Zustand.ABGELEHNT, Meldebogenimport.Zustand.FEHLGESCHLAGEN])
    )
    anzahl = 0
    for meldebogenimport in faellig.iterator():
        delete_meldebogendatei(meldebogenimport=meldebogenimport)
        anzahl += 1
    if anzahl:
        logger.info(
            "%s Meldebogen-Dateien gelöscht (Aufbewahrung %s Tage)", anzahl, settings.MELDEBOGEN_AUFBEWAHRUNG_TAGE
        )
    return anzahl


def _fehlerliste(fehler: list[Fehler]) -> list[dict]:
    liste = [f.als_dict() for f in fehler[:MAX_GESPEICHERTE_FEHLER]]
    if len(fehler) > MAX_GESPEICHERTE_FEHLER:
        rest = len(fehler) - MAX_GESPEICHERTE_FEHLER
        liste.append({"zeile": None, "spalte": "", "problem": f"… und {rest} weitere Probleme."})
    return liste


def fail_meldebogenimport(*, import_id: int, grund: str = "") -> None:
    """Mark an import as failed after an unexpected error, so the user sees it instead of an endless wait."""
    problem = (
        "Der Meldebogen konnte wegen eines technischen Fehlers nicht verarbeitet werden. Es wurde nichts "
        "gespeichert. Bitte versuchen Sie es später erneut."
    )
    geaendert = (
        Meldebogenimport.objects.filter(pk=import_id)
        .exclude(zustand__in=ENDZUSTAENDE)
        .update(
            zustand=Meldebogenimport.Zustand.FEHLGESCHLAGEN,
            fehler=[{"zeile": None, "spalte": "", "problem": problem}],
            abgeschlossen_am=timezone.now(),
            updated_at=timezone.now(),
        )
    )
    if geaendert:
        logger.warning("Meldebogen-Import %s fehlgeschlagen: %s", import_id, grund)
        meldebogenimport = Meldebogenimport.objects.filter(pk=import_id).first()
        if meldebogenimport is not None:
            delete_meldebogendatei(meldebogenimport=meldebogenimport)
