"""Shared set-up of the benchmarks: a fresh PostgreSQL test database with both strategies and the demo."""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategie.settings.test")


def start_django() -> Callable[[], None]:
    """Create a throwaway test database; return the function that drops it again."""
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    alter_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)

    def aufraeumen() -> None:
        connection.creation.destroy_test_db(alter_name, verbosity=0)
        teardown_test_environment()

    return aufraeumen


def measure_runs(funktion: Callable[[], object], wiederholungen: int) -> list[float]:
    """Wall-clock milliseconds of each call."""
    zeiten = []
    for _ in range(wiederholungen):
        start = time.perf_counter()
        funktion()
        zeiten.append((time.perf_counter() - start) * 1000)
    return zeiten


def p(zeiten: list[float], perzentil: int) -> float:
    return statistics.quantiles(zeiten, n=100, method="inclusive")[perzentil - 1]


def zeile(name: str, zeiten: list[float]) -> str:
    return f"{name:<58} n={len(zeiten):>3}  p50 {p(zeiten, 50):7.1f} ms  p95 {p(zeiten, 95):7.1f} ms"
