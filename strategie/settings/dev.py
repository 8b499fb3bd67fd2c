"""Embedded default (`make run`): SQLite file, Celery eager, console e-mail, demo allowed."""

from .base import *  # noqa: F403
from .base import env, env_bool

DEBUG = env_bool("DEBUG", True)  # `make run` serves with DEBUG=0: German error pages, never a stack trace
DEMO_ZUGAENGE_ZEIGEN = True
SECRET_KEY = env("SECRET_KEY", "nur-fuer-die-lokale-entwicklung-nicht-in-produktion-verwenden")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
CELERY_TASK_ALWAYS_EAGER = env("REDIS_URL") is None
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
