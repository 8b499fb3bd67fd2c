"""The upload runs as a Celery task; its page polls a status partial until the import is final."""

import pytest
from django.urls import reverse

from massnahmen.models import Statusmeldung
from meldebogen.models import Meldebogenimport
from meldebogen.tasks import import_meldebogen_task
from strategie.models import Organisation

from .meldebogen_hilfen import KUSEL, RLP, download_meldebogen, edit_xlsx, open_runde, upload_meldebogen


@pytest.fixture
def hochgeladen(client, rlp, kusel_user, geschaeftsstelle_user, django_capture_on_commit_callbacks):
    """An uploaded Meldebogen with one changed row whose task is queued but has not run yet."""
    kusel = Organisation.objects.get(kennung=KUSEL)
    runde = open_runde(rlp, geschaeftsstelle_user)
    client.force_login(kusel_user)
    inhalt = edit_xlsx(download_meldebogen(client, organisation=kusel, runde=runde), {"I.2": {"Fortschritt (%)": 70}})
    with django_capture_on_commit_callbacks() as warteschlange:
        response = upload_meldebogen(client, inhalt, "meldebogen.xlsx", organisation=kusel, runde=runde)
    meldebogenimport = Meldebogenimport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("meldebogen:import", args=[RLP, meldebogenimport.pk])
    assert len(warteschlange) == 1  # enqueued only after the commit
    return meldebogenimport, warteschlange[0]


def test_waiting_import_polls_its_status_partial(client, hochgeladen):
    meldebogenimport, _ = hochgeladen
    url = reverse("meldebogen:import", args=[RLP, meldebogenimport.pk])

    seite = client.get(url).content.decode()
    teil = client.get(url, headers={"HX-Request": "true"}).content.decode()

    assert "<html" in seite and f'id="meldebogenimport-{meldebogenimport.pk}"' in seite
    assert f'hx-get="{url}" hx-trigger="every 2s" hx-swap="outerHTML"' in seite
    assert 'aria-live="polite" aria-busy="true"' in seite
    assert '<progress class="kern-progress"' in seite and "Fortschritt: 0 %" in seite
    assert f'<a class="kern-link" href="{url}">Stand neu laden</a>' in seite  # works without JavaScript
    assert "<html" not in teil and teil.strip().startswith(f'<div id="meldebogenimport-{meldebogenimport.pk}"')


def test_finished_import_stops_polling_and_shows_the_result(client, hochgeladen):
    meldebogenimport, aufgabe = hochgeladen
    aufgabe()  # the queued task (eager in the tests)
    url = reverse("meldebogen:import", args=[RLP, meldebogenimport.pk])

    teil = client.get(url, headers={"HX-Request": "true"}).content.decode()

    assert "hx-trigger" not in teil and 'aria-busy="false"' in teil
    assert "1 Statusmeldung gespeichert" in teil
    assert Statusmeldung.objects.filter(berichtsrunde=meldebogenimport.berichtsrunde).count() == 1


def test_task_is_idempotent(hochgeladen):
    meldebogenimport, aufgabe = hochgeladen
    aufgabe()
    vorher = Statusmeldung.objects.count()

    import_meldebogen_task.delay(import_id=meldebogenimport.pk)  # a redelivered message
    import_meldebogen_task.delay(import_id=999999)  # a message whose import is gone

    meldebogenimport.refresh_from_db()
    assert (meldebogenimport.zustand, meldebogenimport.gemeldet) == ("fertig", 1)
    assert Statusmeldung.objects.count() == vorher


def test_unexpected_failure_marks_the_import_fehlgeschlagen(client, hochgeladen):
    meldebogenimport, _ = hochgeladen
    meldebogenimport.datei.delete(save=False)  # the stored file is gone
    vorher = Statusmeldung.objects.count()

    ergebnis = import_meldebogen_task.apply(kwargs={"import_id": meldebogenimport.pk}, throw=False)  # as a worker

    assert ergebnis.successful()  # recorded on the import, not raised into the caller (the embedded mode's request)

    meldebogenimport.refresh_from_db()
    assert meldebogenimport.zustand == Meldebogenimport.Zustand.FEHLGESCHLAGEN
    assert Statusmeldung.objects.count() == vorher
    seite = client.get(reverse("meldebogen:import", args=[RLP, meldebogenimport.pk])).content.decode()
    assert "Die Verarbeitung ist fehlgeschlagen." in seite and "technischen Fehlers" in seite
    assert "hx-trigger" not in seite
