"""No lost updates on PostgreSQL: real concurrent connections (one per thread) report on the same pair."""

import datetime as dt
import threading

import pytest
from django.db import close_old_connections, connection, transaction

from massnahmen.models import Massnahme, Statusmeldung, Umsetzungsstand
from massnahmen.services import Konflikt, Meldung, record_statusmeldung
from strategie.models import Organisation

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="braucht PostgreSQL")


@pytest.fixture
def paar(transactional_db):
    from tests.e2e.conftest import load_daten

    load_daten()
    from django.contrib.auth import get_user_model

    massnahme = Massnahme.objects.get(strategie__slug="rlp-digitalisierungsstrategie", code="I.2")
    kusel = Organisation.objects.get(schluessel="07336")
    return massnahme, kusel, get_user_model().objects.get(username="demo-kusel")


def _meldung(tag: dt.date, fortschritt: int, text: str) -> Meldung:
    return Meldung(stichtag=tag, status="in_umsetzung", fortschritt=fortschritt, text=text)


def test_second_connection_waits_for_the_first_and_then_sees_the_conflict(paar):
    massnahme, kusel, user = paar
    version = Umsetzungsstand.objects.get(massnahme=massnahme, organisation=kusel).version
    erste_hat_gespeichert, erste_darf_committen = threading.Event(), threading.Event()
    ergebnis = {}

    def erste():
        try:
            with transaction.atomic():
                record_statusmeldung(
                    actor=user,
                    massnahme=massnahme,
                    organisation=kusel,
                    meldung=_meldung(dt.date(2025, 1, 10), 60, "erste"),
                    erwartete_version=version,
                )
                erste_hat_gespeichert.set()
                erste_darf_committen.wait(10)
        finally:
            connection.close()

    def zweite():
        try:
            record_statusmeldung(
                actor=user,
                massnahme=massnahme,
                organisation=kusel,
                meldung=_meldung(dt.date(2025, 1, 11), 65, "zweite"),
                erwartete_version=version,
            )
            ergebnis["zweite"] = "gespeichert"
        except Konflikt as konflikt:
            ergebnis["zweite"] = konflikt.stand.letzte_meldung.text
        finally:
            connection.close()

    t1 = threading.Thread(target=erste)
    t1.start()
    assert erste_hat_gespeichert.wait(10)
    t2 = threading.Thread(target=zweite)
    t2.start()
    t2.join(1.0)
    assert t2.is_alive(), "Die zweite Verbindung muss auf die Sperre der ersten warten."
    erste_darf_committen.set()
    t1.join(10)
    t2.join(10)

    assert ergebnis["zweite"] == "erste"  # it saw the first one's state and wrote nothing
    stand = Umsetzungsstand.objects.get(massnahme=massnahme, organisation=kusel)
    assert (stand.version, stand.letzte_meldung.text) == (version + 1, "erste")
    assert not Statusmeldung.objects.filter(massnahme=massnahme, text="zweite").exists()


def test_many_threads_state_always_equals_latest_accepted(paar):
    massnahme, kusel, user = paar
    threads, je_thread = 8, 5
    start = threading.Barrier(threads)
    fehler = []

    def report_meldung(nummer: int):
        close_old_connections()
        try:
            start.wait(10)
            for runde in range(je_thread):
                while True:  # a user who sees a conflict reloads and sends again
                    version = Umsetzungsstand.objects.get(massnahme=massnahme, organisation=kusel).version
                    try:
                        record_statusmeldung(
                            actor=user,
                            massnahme=massnahme,
                            organisation=kusel,
                            erwartete_version=version,
                            meldung=Meldung(
                                stichtag=dt.date(2025, 2, 1) + dt.timedelta(days=runde * threads + nummer),
                                status="in_umsetzung",
                                fortschritt=60,
                                text=f"t{nummer}-r{runde}",
                                ist_korrektur=True,
                            ),
                        )
                        break
                    except Konflikt:
                        continue
        except Exception as exc:  # noqa: BLE001 - reported to the main thread
            fehler.append(exc)
        finally:
            connection.close()

    vorher = Statusmeldung.objects.filter(massnahme=massnahme, organisation=kusel).count()
    version_vorher = Umsetzungsstand.objects.get(massnahme=massnahme, organisation=kusel).version
    laeufe = [threading.Thread(target=report_meldung, args=(n,)) for n in range(threads)]
    for lauf in laeufe:
        lauf.start()
    for lauf in laeufe:
        lauf.join(60)

    assert fehler == []
    meldungen = Statusmeldung.objects.filter(massnahme=massnahme, organisation=kusel)
    assert meldungen.count() == vorher + threads * je_thread
    neueste = meldungen.order_by("-stichtag", "-gemeldet_am", "-id").first()
    stand = Umsetzungsstand.objects.get(massnahme=massnahme, organisation=kusel)
    assert stand.letzte_meldung_id == neueste.pk
    assert (stand.stichtag, stand.status, stand.fortschritt) == (neueste.stichtag, neueste.status, neueste.fortschritt)
    assert stand.version <= version_vorher + threads * je_thread
