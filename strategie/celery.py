"""Celery application. Periodic tasks are defined here, in one place."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategie.settings.dev")

app = Celery("strategie")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "erinnerungen-taeglich": {  # CELERY_TIMEZONE is Europe/Berlin
        "task": "massnahmen.tasks.erinnerungen.send_erinnerungen_task",
        "schedule": crontab(hour=7, minute=0),
    },
}
