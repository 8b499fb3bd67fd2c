"""Test settings: real PostgreSQL and Redis (from DATABASE_URL / REDIS_URL) unless TEST_EMBEDDED=1."""

import dj_database_url

from .base import *  # noqa: F403
from .base import env, env_bool

DEBUG = False
SECRET_KEY = "test-geheimnis-nur-fuer-die-testsuite-0123456789abcdef"  # noqa: S105
ALLOWED_HOSTS = ["*"]
EMBEDDED = env_bool("TEST_EMBEDDED")

if EMBEDDED:
    DATABASES = {"default": dj_database_url.parse(env("DATABASE_URL", "sqlite:///test-embedded.sqlite3"))}
    CELERY_TASK_ALWAYS_EAGER = True
else:
    DATABASES = {"default": dj_database_url.parse(env("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))}
    REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/13")
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_EAGER", True)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; never outside tests
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "test-media"  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_FAILURE_LIMIT = 5
LOGGING = {**LOGGING, "loggers": {"umsetzungsmonitor.sicherheit": {"level": "WARNING"}}}  # noqa: F405
