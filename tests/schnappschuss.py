"""The loaded test data (both strategies and the demo) as a copy of every table, restored after a flush.

Transactional and browser tests flush the database after each test; loading the strategies and the demo again
took about ten seconds each time, almost half of the suite. On PostgreSQL the tables are copied once after the
first load (COPY … TO STDOUT, a few MB in memory) and written back after a flush (TRUNCATE, COPY … FROM STDIN with
foreign-key triggers off while the rows go in), in well under a second. Sequences only ever move forward (past the
copy's rows, for a table made again since), so new rows never reuse an id (nor the file name a Bericht derives
from it). Other databases (the SQLite smoke test) load the data through the loaders as before.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import override_settings

_gespeichert: dict[str, bytes] | None = None  # table -> its rows as COPY text


def _tabellen(cursor) -> list[str]:
    return [t for t in connection.introspection.table_names(cursor) if t != "django_migrations"]


def _load_daten() -> None:
    from portal.services.datenimport import load_strategien
    from portal.services.demo import load_demo

    load_strategien()
    with override_settings(DEBUG=True):
        load_demo()


def take() -> None:
    """Load the data through the loaders and, on PostgreSQL, keep a copy of every table."""
    global _gespeichert
    _load_daten()
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        tabellen = {}
        for tabelle in _tabellen(cursor):
            inhalt = bytearray()
            with cursor.copy(f'COPY "{tabelle}" TO STDOUT') as kopie:
                for block in kopie:
                    inhalt += block
            tabellen[tabelle] = bytes(inhalt)
    _gespeichert = tabellen


def _sequenzen_nachziehen(cursor) -> None:
    """A table made again since `take` (a migration test goes back and forth) numbers from 1 again: move its
    sequence past the rows of the copy, never back."""
    for model in apps.get_models(include_auto_created=True):
        tabelle, spalte = model._meta.db_table, model._meta.pk.column
        if not model._meta.pk.get_internal_type().endswith("AutoField") or tabelle not in _gespeichert:
            continue
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [f'"{tabelle}"', spalte])
        (sequenz,) = cursor.fetchone()
        if sequenz:
            cursor.execute(
                f'SELECT setval(%s, GREATEST((SELECT MAX("{spalte}") FROM "{tabelle}"), '  # noqa: S608 - from _meta
                f"(SELECT last_value FROM {sequenz}), 1))",
                [sequenz],
            )


def restore() -> None:
    """The data as after `take`: written back from the copy, or loaded again where there is none."""
    if _gespeichert is None or connection.vendor != "postgresql":
        _load_daten()
        return
    with connection.cursor() as cursor:
        namen = ", ".join(f'"{t}"' for t in _gespeichert)
        cursor.execute("SET session_replication_role = replica")  # rows go in table by table, not in FK order
        try:
            cursor.execute(f"TRUNCATE {namen}")
            for tabelle, inhalt in _gespeichert.items():
                if inhalt:
                    with cursor.copy(f'COPY "{tabelle}" FROM STDIN') as kopie:
                        kopie.write(inhalt)
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")
        _sequenzen_nachziehen(cursor)
    ContentType.objects.clear_cache()  # the flush made content types with other ids; the copy brings the old ones
