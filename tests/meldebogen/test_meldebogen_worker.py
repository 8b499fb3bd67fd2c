"""End to end with a real Celery worker process: upload, the worker imports, the status page shows the result."""

import time

import pytest
from django.test import override_settings
from django.urls import reverse

from massnahmen.models import Statusmeldung, Umsetzungsstand
from meldebogen.models import Meldebogenimport
from strategie.celery import app
from strategie.models import Organisation
from tests.celery_worker import echter_celery_worker  # noqa: F401 - the fixture, requested by name below

from .meldebogen_hilfen import KUSEL, RLP, download_meldebogen, edit_xlsx, open_runde, upload_meldebogen

WARTEZEIT = 60


@pytest.fixture
def ohne_eager(echter_celery_worker):  # noqa: F811 - the imported fixture
    """Send tasks to the real worker's queue instead of running them in the test process."""
    alt = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager, app.conf.task_default_queue = False, echter_celery_worker.queue
    try:
        with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
            yield
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = alt


def _warte_bis_final(pk: int) -> Meldebogenimport:
    ende = time.monotonic() + WARTEZEIT
    while time.monotonic() < ende:
        meldebogenimport = Meldebogenimport.objects.get(pk=pk)
        if meldebogenimport.zustand in ("fertig", "abgelehnt", "fehlgeschlagen"):
            return meldebogenimport
        time.sleep(0.2)
    raise AssertionError(f"Der Import {pk} ist nach {WARTEZEIT} s nicht fertig.")


@pytest.mark.usefixtures("ohne_eager")
def test_real_worker_imports_the_meldebogen(transactional_db, client, rlp, kusel_user, geschaeftsstelle_user):
    kusel = Organisation.objects.get(kennung=KUSEL)
    runde = open_runde(rlp, geschaeftsstelle_user)
    client.force_login(kusel_user)
    version = Umsetzungsstand.objects.get(organisation=kusel, massnahme__code="I.2").version
    inhalt = edit_xlsx(
        download_meldebogen(client, organisation=kusel, runde=runde),
        {"I.2": {"Fortschritt (%)": 85, "Sachstand": "Vom Worker übernommen."}},
    )

    response = upload_meldebogen(client, inhalt, "meldebogen.xlsx", organisation=kusel, runde=runde)

    assert response.status_code == 302
    meldebogenimport = _warte_bis_final(Meldebogenimport.objects.get().pk)
    assert (meldebogenimport.zustand, meldebogenimport.gemeldet, meldebogenimport.fortschritt) == ("fertig", 1, 100)
    meldung = Statusmeldung.objects.get(berichtsrunde=runde, organisation=kusel)
    assert (meldung.massnahme.code, meldung.fortschritt, meldung.text) == ("I.2", 85, "Vom Worker übernommen.")
    assert Umsetzungsstand.objects.get(organisation=kusel, massnahme__code="I.2").version == version + 1
    teil = client.get(reverse("meldebogen:import", args=[RLP, meldebogenimport.pk]), headers={"HX-Request": "true"})
    assert "1 Statusmeldung gespeichert" in teil.content.decode()
