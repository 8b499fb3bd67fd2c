"""Importing an uploaded Meldebogen in the background. Progress and errors live on the Meldebogenimport."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import OperationalError

from meldebogen.models import Meldebogenimport
from meldebogen.services.auftraege import (
    ENDZUSTAENDE,
    delete_abgelaufene_meldebogendateien,
    fail_meldebogenimport,
    run_meldebogenimport,
)

logger = logging.getLogger(__name__)


def _import_fehlgeschlagen(self, exc, task_id, args, kwargs, einfo) -> None:
    """After the last retry: the user sees "fehlgeschlagen" instead of a progress bar that never ends."""
    fail_meldebogenimport(import_id=kwargs.get("import_id"), grund=repr(exc))


@shared_task(
    # The name it had in massnahmen, so that a message queued before the move still finds its task.
    name="massnahmen.tasks.meldebogen.import_meldebogen_task",
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=240,
    time_limit=300,
    on_failure=_import_fehlgeschlagen,
)
def import_meldebogen_task(self, *, import_id: int) -> None:
    meldebogenimport = (
        Meldebogenimport.objects.select_related("strategie", "organisation", "berichtsrunde", "von")
        .filter(pk=import_id)
        .first()
    )
    if meldebogenimport is None:
        logger.warning("Meldebogen-Import %s gibt es nicht (mehr).", import_id)
        return
    if meldebogenimport.zustand in ENDZUSTAENDE:
        return  # redelivered message: nothing left to do
    try:
        run_meldebogenimport(meldebogenimport=meldebogenimport)
    except OperationalError:
        raise  # the database is away for a moment: retried; after the last retry on_failure marks it failed
    except Exception as fehler:  # noqa: BLE001 - no import may stay "in_arbeit", in the eager mode neither
        logger.exception("Meldebogen-Import %s: unerwarteter Fehler", import_id)
        fail_meldebogenimport(import_id=import_id, grund=repr(fehler))


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def delete_abgelaufene_meldebogendateien_task() -> int:
    """Daily (strategie/celery.py): uploaded files are kept only as long as the Datenschutzerklärung says."""
    return delete_abgelaufene_meldebogendateien()
