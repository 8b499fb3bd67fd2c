"""Test settings: real PostgreSQL and Redis (from DATABASE_URL / REDIS_URL) unless TEST_EMBEDDED=1."""

import hashlib

from .base import *  # noqa: F403
from .base import datenbank, env, env_bool

# The pytest-xdist worker this process belongs to ("gw0", "gw1"; empty without xdist). Celery worker processes
# started by the tests inherit it, so they compute the same media folder and Redis key prefix.
XDIST_WORKER = env("PYTEST_XDIST_WORKER", "")

DEBUG = False
SECRET_KEY = "test-geheimnis-nur-fuer-die-testsuite-0123456789abcdef"  # noqa: S105
ALLOWED_HOSTS = ["*"]
EMBEDDED = env_bool("TEST_EMBEDDED")

if EMBEDDED:
    DATABASES = {"default": datenbank(env("DATABASE_URL", "sqlite:///test-embedded.sqlite3"))}
    CELERY_TASK_ALWAYS_EAGER = True
else:
    DATABASES = {"default": datenbank(env("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))}
    REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/13")
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_EAGER", True)
    # Every Redis key of Celery (queues, unacknowledged messages and their restore, bindings) carries one prefix per
    # checkout and xdist worker, so runs sharing Redis index 13 never receive or restore each other's messages.
    _CHECKOUT = hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:8]  # noqa: F405
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "global_keyprefix": f"testlauf-{_CHECKOUT}-{XDIST_WORKER or 'serial'}:",
    }

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; never outside tests
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "test-media" / XDIST_WORKER  # noqa: F405  (files are named by id, ids repeat per database)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_FAILURE_LIMIT = 5
SPEICHER_EINFRIEREN = False  # the test process is no server; tests switch it on where they check it
LOGGING = {**LOGGING, "loggers": {"umsetzungsmonitor.sicherheit": {"level": "WARNING"}}}  # noqa: F405
