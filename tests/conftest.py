"""Shared fixtures. The strategies are loaded once per test database; tests that flush the database
(transactional tests, browser tests) run last and get the data back from a copy (tests/schnappschuss.py).
Under pytest-xdist each worker has its own database (pytest-django's suffix `_gw0`), media folder and Redis keys
(strategie/settings/test.py)."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from strategie.models import Strategie
from tests import schnappschuss

RLP, KGRZ = "rlp-digitalisierungsstrategie", "kgrz-koblenz"


def _ist_transaktional(item: pytest.Item) -> bool:
    fixtures = getattr(item, "fixturenames", ())
    markierung = item.get_closest_marker("django_db")
    return (
        "transactional_db" in fixtures
        or "live_server" in fixtures
        or item.get_closest_marker("e2e") is not None
        or bool(markierung and markierung.kwargs.get("transaction"))
    )


def pytest_collection_modifyitems(config, items):
    """Run tests that flush the database after all others, so the once-loaded data serves the rest."""
    items.sort(key=_ist_transaktional)


def _lokaler_redis() -> str | None:
    """The machine's Redis (TESTLAUF_REDIS, default 127.0.0.1:6379) with the tests' index 13, if it answers."""
    import redis

    host, _, port = os.environ.get("TESTLAUF_REDIS", "127.0.0.1:6379").rpartition(":")
    url = f"redis://{host or '127.0.0.1'}:{port}/13"
    with (
        contextlib.suppress(redis.RedisError, ValueError),
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2) as client,
    ):
        client.ping()
        return url
    return None


def pytest_report_header(config):
    if settings.EMBEDDED:
        return None
    if os.environ.get("REDIS_URL"):
        return "Redis: aus REDIS_URL"
    lokal = _lokaler_redis()
    return (
        f"Redis: der Server dieser Maschine ({lokal})" if lokal else "Redis: Wegwerf-Server je Prozess (pytest-redis)"
    )


@pytest.fixture(scope="session", autouse=True)
def redis_server(request):
    """Celery's broker: REDIS_URL when set; else the machine's Redis when it answers; else a throwaway
    redis-server for this process, started and stopped by pytest-redis (a fresh machine needs nothing running)."""
    if settings.EMBEDDED or os.environ.get("REDIS_URL"):
        return
    if (url := _lokaler_redis()) is None:
        wegwerf = request.getfixturevalue("redis_proc")
        url = f"redis://{wegwerf.host}:{wegwerf.port}/0"
    from strategie.celery import app

    settings.REDIS_URL = settings.CELERY_BROKER_URL = app.conf.broker_url = url  # Celery workers get REDIS_URL


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # The test database is new, its ids start again at 1: files of an earlier run (named by id) must not remain.
    media = Path(settings.MEDIA_ROOT)
    if "test-media" in (media.name, media.parent.name):  # never a real media folder, whatever the settings
        shutil.rmtree(media, ignore_errors=True)
    with django_db_blocker.unblock():
        schnappschuss.take()


@pytest.fixture(autouse=True)
def standsummen_stimmen(request):
    """After every test on the database: the Standsummen the write paths kept equal those rebuilt from the
    current-state tables, so a write path that forgets them fails whichever test takes it."""
    if "db" not in request.fixturenames or _ist_transaktional(request.node):
        yield
        return
    request.getfixturevalue("db")  # set up before this fixture, so torn down (rolled back) after its check
    yield
    from massnahmen.services import compare_standsummen

    _, abweichungen = compare_standsummen(neu_aufbauen=False)
    assert abweichungen == 0, f"Standsummen weichen in {abweichungen} Zeilen von den Paaren ab"


@pytest.fixture
def daten(db):
    """Both strategies and the demo data (restored when a transactional test flushed them)."""
    if not Strategie.objects.filter(slug=RLP).exists():
        schnappschuss.restore()
    return {s.slug: s for s in Strategie.objects.all()}


@pytest.fixture
def rlp(daten) -> Strategie:
    return daten[RLP]


@pytest.fixture
def kgrz(daten) -> Strategie:
    return daten[KGRZ]


@pytest.fixture
def kusel(daten):
    """The Landkreis Kusel (Organisation), whose Berichterstattung is demo-kusel."""
    from strategie.models import Organisation

    return Organisation.objects.get(schluessel="07336")


@pytest.fixture
def i2(rlp):
    """RLP Maßnahme I.2: je Organisation, in the demo round; Kusel takes part and has a demo state."""
    from massnahmen.models import Massnahme

    return Massnahme.objects.get(strategie=rlp, code="I.2")


def demo_user(name: str):
    return get_user_model().objects.get(username=name)


@pytest.fixture
def gast(daten):
    return demo_user("demo-gast")


@pytest.fixture
def kusel_user(daten):
    return demo_user("demo-kusel")


@pytest.fixture
def cochem_user(daten):
    return demo_user("demo-cochem-zell")


@pytest.fixture
def geschaeftsstelle_user(daten):
    return demo_user("demo-geschaeftsstelle")


@pytest.fixture
def lenkungsausschuss_user(daten):
    return demo_user("demo-lenkungsausschuss")


@pytest.fixture
def kgrz_user(daten):
    return demo_user("demo-kgrz")
