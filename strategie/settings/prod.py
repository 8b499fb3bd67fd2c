"""Production: PostgreSQL, Redis, Celery worker + beat, gunicorn, WhiteNoise. Refuses to start unsafe."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env, env_bool

if not env("SECRET_KEY"):
    raise ImproperlyConfigured(
        "SECRET_KEY ist nicht gesetzt. Der Produktionsbetrieb startet nur mit einem eigenen, geheimen SECRET_KEY."
    )
SECRET_KEY = env("SECRET_KEY")
DEBUG = False
if not env("DATABASE_URL"):
    raise ImproperlyConfigured("DATABASE_URL ist nicht gesetzt (PostgreSQL erwartet).")
if not (env("PORTAL_URL") or "").startswith("https://"):
    raise ImproperlyConfigured(
        "PORTAL_URL ist nicht gesetzt oder beginnt nicht mit https:// (z. B. https://monitor.example.org). "
        "Links in Einladungen und Erinnerungen brauchen die öffentliche Adresse des Portals."
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Production runs behind one TLS proxy (docker/nginx.conf): the client address is the one it appends to
# X-Forwarded-For. Set the number of proxies in front of gunicorn (README, "Anmeldeschutz").
VERTRAUTE_PROXYS = int(env("VERTRAUTE_PROXYS", "1"))
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]  # noqa: F405
