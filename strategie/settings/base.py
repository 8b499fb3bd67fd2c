"""Settings shared by every environment. Configuration comes from environment variables."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    return default if value is None else value.lower() in {"1", "true", "yes", "ja", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY")
DEBUG = False
# The sign-in page lists the demo logins when demo data is loaded; only the embedded default (dev) turns it on.
DEMO_ZUGAENGE_ZEIGEN = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "simple_history",
    "django_htmx",
    "axes",
    "csp",
    "strategie",
    "handlungsfelder",
    "massnahmen",
    "meldebogen",
    "berichte",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "strategie.middleware.RequestSizeLimitMiddleware",
    "strategie.middleware.NoStoreForSignedInMiddleware",
    "strategie.fehler.FehlerMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "strategie.urls"
WSGI_APPLICATION = "strategie.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "portal.context_processors.portal",
                "strategie.fehler.gerettete_eingabe",
            ],
            # Ids in URLs and element ids must never get a thousands separator (USE_THOUSAND_SEPARATOR):
            # templates write them with |unlocalize, available everywhere.
            "builtins": ["django.templatetags.l10n"],
        },
    },
]


def datenbank(url: str, **optionen) -> dict:
    """The connection for DATABASE_URL. On PostgreSQL the dashboard's reads are short analytical statements: the JIT
    compiler spent 0.48 s of 1.36 s on one for a past Stichtag at national size (benchmarks/dashboard.py), and the
    window sort over the Beteiligung history needs more than the default 4 MB to stay in memory."""
    verbindung = dj_database_url.parse(url, **optionen)
    if verbindung["ENGINE"] == "django.db.backends.postgresql":
        verbindung.setdefault("OPTIONS", {})["options"] = "-c jit=off -c work_mem=32MB"
    return verbindung


DATABASES = {
    "default": datenbank(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), conn_max_age=60, conn_health_checks=True
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "strategie.backends.AnmeldeBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "strategie.passwortregeln.AehnlichkeitsRegel",
        "OPTIONS": {"user_attributes": ("username", "first_name", "last_name", "email"), "max_similarity": 0.7},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "strategie.passwortregeln.HaeufigkeitsRegel"},  # with German passwords: strategie/daten/
    {"NAME": "strategie.passwortregeln.ZiffernRegel"},
]
LOGIN_URL = "strategie:anmelden"
LOGIN_REDIRECT_URL = "portal:startseite"
LOGOUT_REDIRECT_URL = None  # the sign-out page confirms it (templates/strategie/abgemeldet.html)

SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx sends the current token from the cookie (static/js/portal.js)

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static", ("vendor/kern", BASE_DIR / "node_modules/@kern-ux/native/dist")]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Celery: JSON only, bounded run times, periodic tasks defined in strategie/celery.py.
REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# A task acknowledged late (PDF reports) whose worker died is delivered again once this many seconds have passed;
# longer than the hard time limit, so a running task is never handed to a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(env("CELERY_VISIBILITY_TIMEOUT", "1200")),  # > berichte.tasks hard limit 960 s
    "unacked_restore_interval": int(env("CELERY_RESTORE_INTERVAL", "10")),
}

# A server process freezes what survived its first requests, which full collections skip (strategie/speicher.py)
SPEICHER_EINFRIEREN = env_bool("SPEICHER_EINFRIEREN", True)

# Meldebogen (Excel/CSV upload): limits of one file
MELDEBOGEN_MAX_BYTES = int(env("MELDEBOGEN_MAX_BYTES", str(2 * 1024 * 1024)))
MELDEBOGEN_MAX_ZEILEN = int(env("MELDEBOGEN_MAX_ZEILEN", "2000"))
# Uploaded files: a refused or failed one is deleted at once, an accepted one after this many days (Celery beat).
MELDEBOGEN_AUFBEWAHRUNG_TAGE = int(env("MELDEBOGEN_AUFBEWAHRUNG_TAGE", "90"))
# Largest request body accepted at all: one Meldebogen plus the form fields around it. A larger declared body is
# refused before it is read (strategie/middleware.py); the reverse proxy sets the same limit (README, "Produktion").
ANFRAGE_MAX_BYTES = MELDEBOGEN_MAX_BYTES + 256 * 1024

# E-Mail
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "30"))  # seconds; a hanging mail server must not block the reminder run
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Umsetzungsmonitor <noreply@umsetzungsmonitor.invalid>")

# Operator data for Impressum, Datenschutz and Barrierefreiheit (from the environment in production).
BETREIBER = {
    "name": env("BETREIBER_NAME", "Landkreistag Rheinland-Pfalz"),
    "anschrift": env("BETREIBER_ANSCHRIFT", "Deutschhausplatz 1, 55116 Mainz"),
    "vertreten_durch": env("BETREIBER_VERTRETEN_DURCH", "die Geschäftsführung"),
    "email": env("BETREIBER_EMAIL", "poststelle@landkreistag.rlp.de"),
    "telefon": env("BETREIBER_TELEFON", ""),
    "datenschutz_email": env("BETREIBER_DATENSCHUTZ_EMAIL", "datenschutz@landkreistag.rlp.de"),
    "aufsichtsbehoerde": env(
        "BETREIBER_AUFSICHTSBEHOERDE",
        "Der Landesbeauftragte für den Datenschutz und die Informationsfreiheit Rheinland-Pfalz, "
        "Hintere Bleiche 34, 55116 Mainz",
    ),
    "barrierefreiheit_email": env("BETREIBER_BARRIEREFREIHEIT_EMAIL", "barrierefreiheit@landkreistag.rlp.de"),
    # The Durchsetzungsstelle of the Erklärung zur Barrierefreiheit (BITV 2.0): its contact as the operator's
    # country publishes it. Shown only when set; the portal does not guess an address.
    "durchsetzungsstelle": env(
        "DURCHSETZUNGSSTELLE_NAME", "die bzw. der Landesbeauftragte für die Belange behinderter Menschen"
    ),
    "durchsetzungsstelle_anschrift": env("DURCHSETZUNGSSTELLE_ANSCHRIFT", ""),
    "durchsetzungsstelle_email": env("DURCHSETZUNGSSTELLE_EMAIL", ""),
    "durchsetzungsstelle_web": env("DURCHSETZUNGSSTELLE_WEB", ""),
}
BETREIBER_IST_BEISPIEL = env("BETREIBER_NAME") is None

# django-guardian
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# Sign-in protection (strategie/anmeldeschutz.py, README "Anmeldeschutz"): failures count per account and, separately,
# per client address; both locks end after the cool-off. The client address is taken from X-Forwarded-For behind
# VERTRAUTE_PROXYS trusted proxies (0: the direct peer, REMOTE_ADDR).
AXES_HANDLER = "strategie.anmeldeschutz.AnmeldeschutzHandler"
AXES_CLIENT_IP_CALLABLE = "strategie.anmeldeschutz.client_ip"
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))  # per account, from any address
ANMELDUNG_FEHLVERSUCHE_JE_ADRESSE = int(env("ANMELDUNG_FEHLVERSUCHE_JE_ADRESSE", "30"))  # per address, any accounts
AXES_COOLOFF_TIME = float(env("AXES_COOLOFF_STUNDEN", "0.5"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
VERTRAUTE_PROXYS = int(env("VERTRAUTE_PROXYS", "0"))
AXES_LOCKOUT_TEMPLATE = "strategie/gesperrt.html"
AXES_RESET_ON_SUCCESS = True

# Content Security Policy (django-csp 4): no inline script, no inline style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Portal
PORTAL_NAME = "Umsetzungsmonitor"
PORTAL_URL = env("PORTAL_URL", "http://127.0.0.1:8000")  # absolute links in e-mails

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"einfach": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "einfach"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "umsetzungsmonitor.sicherheit": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
CSRF_FAILURE_VIEW = "strategie.fehler.csrf_fehler"
EINLADUNG_GUELTIG_TAGE = int(env("EINLADUNG_GUELTIG_TAGE", "7"))
PASSWORD_RESET_TIMEOUT = int(env("PASSWORT_LINK_GUELTIG_STUNDEN", "24")) * 60 * 60
# "Passwort vergessen": e-mails per hour and e-mail address, and per client address (strategie/services/sicherheit.py)
PASSWORT_ANFRAGEN_JE_EMAIL = int(env("PASSWORT_ANFRAGEN_JE_EMAIL", "3"))
PASSWORT_ANFRAGEN_JE_CLIENT = int(env("PASSWORT_ANFRAGEN_JE_CLIENT", "10"))
