"""A database from before the Meldebogen left massnahmen migrates forward without losing a row.

The test takes the test database back to the state before the move (Meldebogenimport in massnahmen), writes
a Meldebogenimport and a Statusmeldung there with the models of that state, migrates forward, and compares
every Meldebogenimport and every Statusmeldung field by field.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

VOR_DEM_UMZUG = [("massnahmen", "0006_dateistand")]
IMPORT_FELDER = ["id", "strategie_id", "organisation_id", "von_id", "berichtsrunde_id", "datei", "dateiname"]
IMPORT_FELDER += ["zustand", "fortschritt", "zeilen", "gemeldet", "fehler", "abgeschlossen_am", "created_at"]


def _zeilen(model, felder: list[str]) -> list[tuple]:
    return sorted(model.objects.order_by().values_list(*felder))


def _lend_handlungsfeld() -> dict[int, int | None]:
    """The schema before the move knows no Maßnahme of the strategy as a whole (massnahmen 0008): lend each such
    Maßnahme a Handlungsfeld of its strategy for the way back; the test gives it back after migrating forward."""
    from handlungsfelder.models import Handlungsfeld
    from massnahmen.models import Massnahme

    geliehen = {}
    for massnahme in Massnahme.objects.filter(handlungsfeld__isnull=True):
        geliehen[massnahme.pk] = None
        handlungsfeld = Handlungsfeld.objects.filter(strategie_id=massnahme.strategie_id).order_by("pk").first()
        Massnahme.objects.filter(pk=massnahme.pk).update(handlungsfeld=handlungsfeld)
    return geliehen


def _migrate(ziel) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(ziel)
    executor.loader.build_graph()
    return executor


@pytest.mark.django_db(transaction=True)
def test_meldebogenimport_and_statusmeldungen_survive_the_move(daten, kusel, i2):
    neueste = MigrationExecutor(connection).loader.graph.leaf_nodes()
    geliehen = _lend_handlungsfeld()
    executor = _migrate([("meldebogen", None)])  # also takes massnahmen back behind the move
    try:
        alt = executor.loader.project_state(VOR_DEM_UMZUG).apps
        AlterImport = alt.get_model("massnahmen", "Meldebogenimport")
        AlteStatusmeldung = alt.get_model("massnahmen", "Statusmeldung")
        von = get_user_model().objects.get(username="demo-kusel")
        AlterImport.objects.create(
            strategie_id=i2.strategie_id,
            organisation_id=kusel.pk,
            von_id=von.pk,
            datei="meldeboegen/vorher.csv",
            dateiname="meldebogen-kusel.csv",
            zustand="abgelehnt",
            fortschritt=100,
            zeilen=3,
            fehler=[{"zeile": 2, "titel": "Ungültige Ampel", "problem": "Bitte wählen Sie grün, gelb oder rot."}],
        )
        AlteStatusmeldung.objects.create(
            massnahme_id=i2.pk,
            organisation_id=kusel.pk,
            stichtag=dt.date(2025, 6, 30),
            status="in_umsetzung",
            fortschritt=40,
            ampel="gelb",
            text="Gemeldet vor dem Umzug des Meldebogens.",
            von_id=von.pk,
        )
        importe_vorher = _zeilen(AlterImport, IMPORT_FELDER)
        meldungsfelder = [f.attname for f in AlteStatusmeldung._meta.concrete_fields]  # later fields may follow
        meldungen_vorher = _zeilen(AlteStatusmeldung, meldungsfelder)
    finally:
        _migrate(neueste)

    from massnahmen.models import Massnahme, Statusmeldung
    from meldebogen.models import Meldebogenimport

    Massnahme.objects.filter(pk__in=geliehen).update(handlungsfeld=None)

    assert len(importe_vorher) == 1
    assert _zeilen(Meldebogenimport, IMPORT_FELDER) == importe_vorher
    assert _zeilen(Statusmeldung, meldungsfelder) == meldungen_vorher
    assert Meldebogenimport.objects.get().fehler[0]["titel"] == "Ungültige Ampel"
