"""Rendering Berichte in the background. State, progress and errors live on the Bericht."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError

from berichte.services.rendern import fail_bericht, render_bericht_pdf

logger = logging.getLogger(__name__)

VORUEBERGEHEND = (OperationalError, InterfaceError)  # database gone for a moment: retried
MELDUNG_ZEIT = (
    "Das Erzeugen des PDF hat zu lange gedauert und wurde abgebrochen. Bitte versuchen Sie es erneut; "
    "wenn es wieder nicht gelingt, wenden Sie sich an den Betrieb des Portals."
)
MELDUNG_ABLAGE = (
    "Die PDF-Datei konnte nicht in der Dateiablage gespeichert werden. Bitte versuchen Sie es später erneut; "
    "wenn es wieder nicht gelingt, wenden Sie sich an den Betrieb des Portals."
)
MELDUNG_ALLGEMEIN = (
    "Beim Erzeugen des PDF ist ein Fehler aufgetreten. Bitte versuchen Sie es erneut; "
    "wenn es wieder nicht gelingt, wenden Sie sich an den Betrieb des Portals."
)
MELDUNG_DATENBANK = (
    "Die Datenbank war beim Erzeugen des PDF mehrfach nicht erreichbar. Bitte versuchen Sie es später erneut."
)


def meldung_fuer(fehler: BaseException) -> str:
    if isinstance(fehler, SoftTimeLimitExceeded):
        return MELDUNG_ZEIT
    if isinstance(fehler, VORUEBERGEHEND):
        return MELDUNG_DATENBANK
    if isinstance(fehler, OSError):
        return MELDUNG_ABLAGE
    return MELDUNG_ALLGEMEIN


def _render_failed(self, exc, task_id, args, kwargs, einfo) -> None:
    """After the last retry: the user sees "fehlgeschlagen" and "Erneut versuchen", not an endless bar."""
    fail_bericht(bericht_id=kwargs.get("bericht_id"), meldung=meldung_fuer(exc))


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=VORUEBERGEHEND,
    retry_backoff=True,
    max_retries=5,
    # The national benchmark report (400 Organisationen, 302 pages) takes about 3 minutes on a loaded 2-core
    # machine, twice that with two renders at once; the limits stop a hung render, not a large one.
    soft_time_limit=900,
    time_limit=960,
    on_failure=_render_failed,
)
def render_bericht_pdf_task(self, *, bericht_id: int) -> None:
    try:
        render_bericht_pdf(bericht_id=bericht_id)  # checks the state first: a redelivery of a finished one is a no-op
    except VORUEBERGEHEND:
        raise  # autoretry
    except Exception as fehler:  # noqa: BLE001 - every other failure is final and shown in German
        logger.exception("Bericht %s: PDF-Erzeugung fehlgeschlagen.", bericht_id)
        fail_bericht(bericht_id=bericht_id, meldung=meldung_fuer(fehler))
