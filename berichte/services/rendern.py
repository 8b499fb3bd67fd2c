"""Rendering a Bericht as PDF: the only work of the Celery task.

Steps are short `update()`s of `schritt`/`fortschritt` (polled by the page). The file is written under a
temporary name in the Bericht's own folder of the storage and renamed to its deterministic name in the same
transaction that sets FERTIG, so a half-written file is never served and a redelivered task ends with one
file. Rendering again gives the same bytes (see berichte/pdf.py).
"""

from __future__ import annotations

import hashlib
import logging
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from berichte import pdf
from berichte.models import Bericht
from berichte.services.inhalt import build_berichtsinhalt

logger = logging.getLogger(__name__)
Zustand, Schritt = Bericht.Zustand, Bericht.Schritt

TEMPLATES = {
    Bericht.Art.ALK_JAHRESBERICHT: "berichte/pdf/alk_jahresbericht.html",
    Bericht.Art.UMSETZUNGSBERICHT: "berichte/pdf/umsetzungsbericht.html",
}


def dateiname(bericht: Bericht) -> str:
    """The deterministic storage name of the Bericht's PDF (one folder per Bericht)."""
    art = "jahresbericht" if bericht.art == Bericht.Art.ALK_JAHRESBERICHT else "umsetzungsbericht"
    return f"berichte/{bericht.pk}/{art}-{bericht.strategie.slug}-{bericht.berichtsjahr}-v{bericht.version}.pdf"


def _claim(bericht_id: int) -> Bericht | None:
    """Take a requested Bericht into work; None when there is nothing to do (finished, failed, edited)."""
    with transaction.atomic():
        bericht = Bericht.objects.select_for_update().select_related("strategie").filter(pk=bericht_id).first()
        if bericht is None or bericht.zustand not in (Zustand.ANGEFORDERT, Zustand.IN_ARBEIT):
            return None
        bericht.zustand, bericht.schritt, bericht.fortschritt = Zustand.IN_ARBEIT, Schritt.ZAHLEN, 5
        bericht._change_reason = "PDF wird erzeugt"
        bericht.save(update_fields=["zustand", "schritt", "fortschritt", "updated_at"])
        return bericht


def _schritt(bericht: Bericht, schritt: str, fortschritt: int) -> None:
    Bericht.objects.filter(pk=bericht.pk, zustand=Zustand.IN_ARBEIT).update(schritt=schritt, fortschritt=fortschritt)


def render_bericht_pdf(*, bericht_id: int) -> Bericht | None:
    """Render the requested Bericht and store the PDF; idempotent. Exceptions propagate to the task."""
    bericht = _claim(bericht_id)
    if bericht is None:
        return None
    inhalt = build_berichtsinhalt(bericht=bericht, schritt=lambda s, p: _schritt(bericht, s, p))
    _schritt(bericht, Schritt.SEITEN, 55)
    html = render_to_string(TEMPLATES[bericht.art], {"bericht": bericht, "inhalt": inhalt})

    name = dateiname(bericht)
    ziel = Path(default_storage.path(name))
    ziel.parent.mkdir(parents=True, exist_ok=True)
    temporaer = ziel.with_name(f"{ziel.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(temporaer, "wb") as datei:
            seiten = pdf.render_pdf(
                html=html,
                base_url=str(settings.BASE_DIR),
                ziel=datei,
                anhaenge=inhalt.anhaenge,
                datenstand=bericht.datenstand,
                vor_schreiben=lambda: _schritt(bericht, Schritt.PDFA, 85),
            )
            datei.flush()
            os.fsync(datei.fileno())
        pruefsumme, groesse = _sha256(temporaer), temporaer.stat().st_size
        return _finish(bericht_id, temporaer, ziel, name, pruefsumme=pruefsumme, groesse=groesse, seiten=seiten)
    finally:
        temporaer.unlink(missing_ok=True)


def _sha256(pfad: Path) -> str:
    summe = hashlib.sha256()
    with open(pfad, "rb") as datei:
        for block in iter(lambda: datei.read(1 << 20), b""):
            summe.update(block)
    return summe.hexdigest()


def _finish(
    bericht_id: int, temporaer: Path, ziel: Path, name: str, *, pruefsumme: str, groesse: int, seiten: int
) -> Bericht | None:
    """Rename the file into place and set FERTIG in one step; a second delivery that comes late changes nothing."""
    with transaction.atomic():
        bericht = Bericht.objects.select_for_update().get(pk=bericht_id)
        if bericht.zustand != Zustand.IN_ARBEIT:
            return None
        os.replace(temporaer, ziel)
        for rest in ziel.parent.glob(f"{ziel.name}.*.tmp"):  # left by a worker that was killed
            rest.unlink(missing_ok=True)
        bericht.datei.name = name
        bericht.sha256, bericht.groesse, bericht.seiten = pruefsumme, groesse, seiten
        bericht.zustand, bericht.schritt, bericht.fortschritt = Zustand.FERTIG, "", 100
        bericht.fertig_am, bericht.fehlermeldung = timezone.now(), ""
        bericht.full_clean()
        bericht._change_reason = "PDF erzeugt"
        bericht.save()
        return bericht


def open_bericht_pdf(bericht: Bericht) -> File:
    return default_storage.open(bericht.datei.name, "rb")


def fail_bericht(*, bericht_id: int | None, meldung: str) -> None:
    """The render failed for good: show the German message and "Erneut versuchen", never an endless spinner."""
    if bericht_id is None:
        return
    with transaction.atomic():
        bericht = Bericht.objects.select_for_update().filter(pk=bericht_id).first()
        if bericht is None or bericht.zustand not in (Zustand.ANGEFORDERT, Zustand.IN_ARBEIT):
            return  # finished meanwhile (another delivery) or texts edited: nothing to mark
        bericht.zustand, bericht.fehlermeldung, bericht.schritt = Zustand.FEHLGESCHLAGEN, meldung, ""
        bericht.full_clean()
        bericht._history_user, bericht._change_reason = None, "PDF-Erzeugung fehlgeschlagen"
        bericht.save()
