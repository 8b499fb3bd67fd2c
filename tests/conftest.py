"""Shared fixtures. The strategies are loaded once per test database; tests that flush the database
(transactional tests, browser tests) run last and get the data back from a copy (tests/schnappschuss.py).
Under pytest-xdist each worker has its own database (pytest-django's suffix `_gw0`), media folder and Redis keys
(strategie/settings/test.py)."""

from __future__ import annotations

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
    return "transactional_db" in fixtures or "live_server" in fixtures or item.get_closest_marker("e2e") is not None


def pytest_collection_modifyitems(config, items):
    """Run tests that flush the database after all others, so the once-loaded data serves the rest."""
    items.sort(key=_ist_transaktional)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # The test database is new, its ids start again at 1: files of an earlier run (named by id) must not remain.
    media = Path(settings.MEDIA_ROOT)
    if "test-media" in (media.name, media.parent.name):  # never a real media folder, whatever the settings
        shutil.rmtree(media, ignore_errors=True)
    with django_db_blocker.unblock():
        schnappschuss.take()


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
