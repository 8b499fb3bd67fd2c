"""The Geschäftsstelle creates a Bericht, writes the Vorwort (saved by itself), starts the PDF, watches the queue
and the steps of a real Celery worker, downloads it; the Lenkungsausschuss releases it. axe finds nothing."""

import hashlib
import re
import time

import pytest
from django.test import override_settings

from berichte.models import Bericht
from strategie.celery import app
from tests.berichte.worker import beende, neue_queue, starte_worker
from tests.e2e.conftest import axe_verstoesse

pytestmark = pytest.mark.e2e
RLP = "rlp-digitalisierungsstrategie"


@pytest.fixture
def worker(e2e_daten):
    queue = neue_queue()
    alt = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager, app.conf.task_default_queue = False, queue
    prozess = starte_worker(queue)
    try:
        with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
            yield
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = alt
        beende(prozess)


def _anmelden(page, url: str, name: str) -> None:
    page.goto(url + "/anmelden/")
    page.fill("#id_username", name)
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(url + "/")


def test_geschaeftsstelle_makes_the_pdf_and_lenkungsausschuss_releases_it(page, live_server, worker, tmp_path):
    _anmelden(page, live_server.url, "demo-geschaeftsstelle")
    page.goto(f"{live_server.url}/{RLP}/berichte/")
    assert axe_verstoesse(page) == []
    page.get_by_role("link", name="Neuen Bericht anlegen").click()
    assert axe_verstoesse(page) == []
    page.get_by_label("Berichtsjahr").fill("2026")
    page.get_by_role("button", name="Bericht anlegen").click()
    page.wait_for_url(re.compile(r".*/berichte/\d+/$"))

    page.get_by_label("Vorwort").fill("Der Lenkungsausschuss legt der ALK den Bericht vor.")
    page.locator("#textstatus-vorwort").get_by_text("Gespeichert um").wait_for(timeout=15_000)
    bericht = Bericht.objects.get(berichtsjahr=2026)
    assert bericht.vorwort == "Der Lenkungsausschuss legt der ALK den Bericht vor."
    assert axe_verstoesse(page) == []

    page.get_by_role("button", name="PDF erzeugen").click()
    status = page.locator(f"#bericht-status-{bericht.pk}")
    gesehen = set()
    ende = time.monotonic() + 240
    while time.monotonic() < ende and "PDF herunterladen" not in (text := status.inner_text()):
        if "Warteschlange" in text:
            gesehen.add("Warteschlange")
        if "(läuft)" in text:
            gesehen.add("Schritt")
            if "Fortschritt" not in gesehen:
                gesehen.add("Fortschritt")
                assert axe_verstoesse(page) == []
        time.sleep(0.2)
    assert "PDF herunterladen" in status.inner_text(), status.inner_text()
    assert gesehen & {"Warteschlange", "Schritt"}, "Die Seite hat keinen Zwischenstand gezeigt."
    assert axe_verstoesse(page) == []
    with page.expect_download() as download:
        status.get_by_role("link", name="PDF herunterladen").click()
    datei = tmp_path / "bericht.pdf"
    download.value.save_as(datei)
    bericht.refresh_from_db()
    assert hashlib.sha256(datei.read_bytes()).hexdigest() == bericht.sha256
    assert bericht.sha256 in status.inner_text()

    page.get_by_role("button", name="Abmelden").click()
    _anmelden(page, live_server.url, "demo-lenkungsausschuss")
    page.goto(f"{live_server.url}/{RLP}/berichte/{bericht.pk}/")
    page.get_by_role("button", name="Bericht freigeben").click()
    page.get_by_text("Freigegeben am").first.wait_for()
    assert axe_verstoesse(page) == []
    bericht.refresh_from_db()
    assert bericht.freigegeben_von.username == "demo-lenkungsausschuss"
