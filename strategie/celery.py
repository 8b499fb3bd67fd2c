"""Celery application. Periodic tasks are defined here, in one place."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategie.settings.dev")

app = Celery("strategie")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Hourly in office hours (CELERY_TIMEZONE is Europe/Berlin): the first run of a day reminds, later runs only retry
    # a reminder whose e-mail the server refused; one Erinnerung row per round, organisation and day keeps it at once.
    "erinnerungen-stuendlich": {
        "task": "massnahmen.tasks.erinnerungen.send_erinnerungen_task",
        "schedule": crontab(hour="7-18", minute=0),
    },
    # Nightly: files of accepted Meldebogen imports older than MELDEBOGEN_AUFBEWAHRUNG_TAGE (refused ones go at once).
    "meldebogendateien-loeschen": {
        "task": "meldebogen.tasks.delete_abgelaufene_meldebogendateien_task",
        "schedule": crontab(hour=3, minute=15),
    },
}
