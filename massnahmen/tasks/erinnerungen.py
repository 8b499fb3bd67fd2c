"""Reminder run (Celery beat, hourly 07:00–18:00 Europe/Berlin; see strategie/celery.py)."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def send_erinnerungen_task() -> int:
    """Thin and idempotent: the service writes one Erinnerung per round, organisation and day before mailing."""
    from massnahmen.services.erinnerungen import send_erinnerungen  # local import avoids a tasks <-> services cycle

    return send_erinnerungen(heute=timezone.localdate())
