"""Point 11 of issue 14: first saves that meet on a unique key at the same moment, through the pages and with real
concurrent PostgreSQL connections (one per thread): two "Als Entwurf speichern" on one pair, six new Meilensteine
of one Maßnahme, four Berichtsrunden with one Stichtag. Each ends in success or a German message, never a 500."""

import datetime as dt
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.utils import timezone

from massnahmen.models import Berichtsrunde, Massnahme, Meilenstein, Meldungsentwurf, Umsetzungsstand
from strategie.models import Organisation
from tests.conftest import RLP

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="braucht PostgreSQL")


@pytest.fixture
def geladen(transactional_db):
    from tests.e2e.conftest import load_daten

    load_daten()


def _gleichzeitig(anzahl: int, anfrage) -> list:
    """Run `anfrage(nummer)` in `anzahl` threads released at the same moment; their answers or exceptions."""
    start = threading.Barrier(anzahl)
    ergebnisse: list = [None] * anzahl

    def lauf(nummer: int) -> None:
        try:
            start.wait(10)
            ergebnisse[nummer] = anfrage(nummer)
        except Exception as fehler:  # noqa: BLE001 - a 500 raises in the test client: reported to the main thread
            ergebnisse[nummer] = fehler
        finally:
            connection.close()

    laeufe = [threading.Thread(target=lauf, args=(n,)) for n in range(anzahl)]
    for t in laeufe:
        t.start()
    for t in laeufe:
        t.join(60)
    return ergebnisse


def _angemeldet(benutzername: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=benutzername))
    return client


def _status(ergebnisse: list) -> list:
    return [e if isinstance(e, Exception) else e.status_code for e in ergebnisse]


def test_kusel_two_first_drafts_at_once(geladen):
    massnahme = Massnahme.objects.get(strategie__slug=RLP, code="I.2")
    kusel = Organisation.objects.get(schluessel="07336")
    Meldungsentwurf.objects.filter(massnahme=massnahme, organisation=kusel).delete()
    version = Umsetzungsstand.objects.get(massnahme=massnahme, organisation=kusel).version
    clients = [_angemeldet("demo-kusel") for _ in range(2)]
    praefix = f"m{massnahme.pk}-o{kusel.pk}"

    def entwurf(nummer: int):
        daten = {
            "organisation": kusel.pk,
            "status": "in_umsetzung",
            "text": f"Entwurf {nummer}",
            "version": version,
            "aktion": "entwurf",
        }
        return clients[nummer].post(f"/{RLP}/massnahmen/I.2/melden/", {f"{praefix}-{k}": v for k, v in daten.items()})

    status = _status(_gleichzeitig(2, entwurf))

    assert all(s in (200, 302) for s in status), status
    assert Meldungsentwurf.objects.filter(massnahme=massnahme, organisation=kusel).count() == 1


def test_federfuehrung_six_new_meilensteine_at_once(geladen):
    from strategie.services.mitgliedschaften import grant_rolle

    rlp_massnahme = Massnahme.objects.get(strategie__slug=RLP, code="IV.1")
    landkreistag = Organisation.objects.get(kennung="landkreistag")
    user = get_user_model().objects.create_user(username="test-federfuehrung-gleichzeitig")
    grant_rolle(
        actor=None, user=user, strategie=rlp_massnahme.strategie, organisation=landkreistag, rolle="berichterstattung"
    )
    vorher = Meilenstein.objects.filter(massnahme=rlp_massnahme).count()
    clients = [_angemeldet(user.username) for _ in range(6)]

    def neu(nummer: int):
        return clients[nummer].post(
            f"/{RLP}/massnahmen/IV.1/meilensteine/neu/",
            {"neu-titel": f"Gleichzeitig {nummer}", "neu-faellig_am": "2027-06-30"},
        )

    status = _status(_gleichzeitig(6, neu))

    assert all(s in (200, 302) for s in status), status
    meilensteine = Meilenstein.objects.filter(massnahme=rlp_massnahme)
    assert meilensteine.count() == vorher + 6
    assert len(set(meilensteine.values_list("ordnung", flat=True))) == vorher + 6


def test_geschaeftsstelle_four_rounds_with_one_stichtag_at_once(geladen):
    rlp_massnahme = Massnahme.objects.get(strategie__slug=RLP, code="I.1")
    stichtag = dt.date(2024, 6, 30)
    Berichtsrunde.objects.filter(strategie__slug=RLP, stichtag=stichtag).delete()
    clients = [_angemeldet("demo-geschaeftsstelle") for _ in range(4)]

    def eroeffnen(nummer: int):
        return clients[nummer].post(
            f"/{RLP}/berichtsrunden/neu/",
            {
                "titel": f"Gleichzeitig {nummer}",
                "stichtag": stichtag.isoformat(),
                "frist": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
                "erinnerung_tage_vor_frist": 7,
                "massnahmen": [rlp_massnahme.pk],
            },
        )

    ergebnisse = _gleichzeitig(4, eroeffnen)

    status = _status(ergebnisse)
    assert sorted(status) == [200, 200, 200, 302], status
    abgewiesen = [e.content.decode() for e in ergebnisse if e.status_code == 200]
    assert all("Für diesen Stichtag gibt es bereits eine Berichtsrunde." in text for text in abgewiesen)
    assert Berichtsrunde.objects.filter(strategie__slug=RLP, stichtag=stichtag).count() == 1
