"""A server process freezes what survived its first requests (strategie/speicher.py)."""

from __future__ import annotations

import gc
import itertools

import pytest

from strategie import speicher


@pytest.fixture
def frisch(settings, monkeypatch):
    """A process as a server starts it: the setting on, no request counted, nothing frozen."""
    settings.SPEICHER_EINFRIEREN = True
    monkeypatch.setattr(speicher, "_anfragen", itertools.count(1))
    gc.unfreeze()
    yield
    gc.unfreeze()  # the test process goes on collecting as before


@pytest.mark.django_db
def test_objects_alive_after_the_first_and_tenth_request_are_frozen(client, frisch):
    client.get("/healthz")
    assert gc.get_freeze_count() > 0
    gc.unfreeze()
    for _ in range(8):  # requests 2 to 9
        client.get("/healthz")
    assert gc.get_freeze_count() == 0
    client.get("/healthz")
    assert gc.get_freeze_count() > 0


@pytest.mark.django_db
def test_nothing_is_frozen_when_the_setting_is_off(client, frisch, settings):
    settings.SPEICHER_EINFRIEREN = False
    for _ in range(10):
        client.get("/healthz")
    assert gc.get_freeze_count() == 0
