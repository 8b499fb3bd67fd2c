"""The Meldungsverlauf: which Statusmeldung of a pair counts from which Stichtag on, kept by every path that
writes Statusmeldungen, and read by the dashboard for a past Stichtag."""

import csv
import datetime as dt
import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from berichte.selectors import BERICHT, Zeitpunkt, read_uebersicht
from massnahmen.models import Meldungsverlauf, Statusmeldung
from massnahmen.services.verlauf import SPALTEN, rebuild_meldungsverlauf
from tests.conftest import RLP
from tests.massnahmen.test_statusmeldung_erfassen import _daten, _stand, _url

HEUTE = timezone.localdate()


def _gefuehrt() -> list[tuple]:
    return sorted(Meldungsverlauf.objects.values_list(*SPALTEN.split(", ")))


def _zelle(client, stichtag: dt.date, kennung: str, code: str) -> str:
    """The matrix cell of one Organisation and Maßnahme in the dashboard's CSV export for `stichtag`."""
    antwort = client.get(
        reverse("berichte:dashboard_export", args=[RLP, "matrix", "csv"]),
        {"stichtag": stichtag.isoformat(), "organisation": kennung},
    )
    assert antwort.status_code == 200
    zeilen = list(csv.reader(io.StringIO(antwort.content.decode("utf-8-sig")), delimiter=";"))
    kopf = next(z for z in zeilen if code in z)
    zeile = next(z for z in zeilen[zeilen.index(kopf) + 1 :] if z and z[0] == "Kusel")
    return zeile[kopf.index(code)]


def test_a_late_correction_in_the_portal_moves_the_verlauf_and_the_past_dashboard(
    client, kusel_user, lenkungsausschuss_user, i2, kusel
):
    client.force_login(kusel_user)
    frueher, spaeter = HEUTE - dt.timedelta(days=40), HEUTE - dt.timedelta(days=10)
    for stichtag, status, fortschritt in ((frueher, "in_planung", "20"), (spaeter, "in_umsetzung", "60")):
        antwort = client.post(
            _url(i2, kusel),
            _daten(
                i2,
                kusel,
                _stand(i2, kusel).version,
                stichtag=stichtag.isoformat(),
                status=status,
                fortschritt=fortschritt,
            ),
        )
        assert antwort.status_code == 302
    # a correction of the earlier Stichtag, reported after the later one, from the link beside the first Meldung
    erste = Statusmeldung.objects.get(massnahme=i2, organisation=kusel, stichtag=frueher)
    antwort = client.post(
        f"{_url(i2, kusel)}&korrektur={erste.pk}",
        _daten(
            i2,
            kusel,
            _stand(i2, kusel).version,
            stichtag=frueher.isoformat(),
            status="zurueckgestellt",
            fortschritt="20",
            ampel="gelb",
            text="Wegen der Haushaltssperre zurückgestellt; der Fortschritt sank damals auf 20 Prozent.",
        ),
    )
    assert antwort.status_code == 302

    korrektur = Statusmeldung.objects.filter(massnahme=i2, organisation=kusel, stichtag=frueher).latest("gemeldet_am")
    zeilen = {v.gueltig_ab: v for v in Meldungsverlauf.objects.filter(massnahme=i2, organisation=kusel)}
    assert (zeilen[frueher].meldung_id, zeilen[frueher].gueltig_bis, zeilen[frueher].status) == (
        korrektur.pk,
        spaeter,
        "zurueckgestellt",
    )
    assert (zeilen[spaeter].gueltig_bis, zeilen[spaeter].status) == (None, "in_umsetzung")
    assert all(v.gueltig_bis == frueher for k, v in zeilen.items() if k < frueher)  # the older ones end there

    client.force_login(lenkungsausschuss_user)
    assert "zurückgestellt" in _zelle(client, frueher, kusel.kennung, i2.code)
    assert "zurückgestellt" in _zelle(client, spaeter - dt.timedelta(days=1), kusel.kennung, i2.code)
    assert "in Umsetzung" in _zelle(client, spaeter, kusel.kennung, i2.code)
    # Kusel's last Meldung as of the later Stichtag is the correction, although the Verlauf counts the later Meldung
    uebersicht = read_uebersicht(strategie=i2.strategie, zeitpunkt=Zeitpunkt.am(spaeter), sichtbarkeit=BERICHT)
    zeile = next(z for z in uebersicht.vollstaendigkeit if z.organisation.id == kusel.pk)
    assert zeile.letzte_meldung == korrektur.gemeldet_am
    gefuehrt = _gefuehrt()
    rebuild_meldungsverlauf()
    assert _gefuehrt() == gefuehrt


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_the_loader_and_the_demo_keep_the_verlauf(daten):
    call_command("demo_laden")
    call_command("strategien_laden")
    gefuehrt = _gefuehrt()

    assert rebuild_meldungsverlauf() == len(gefuehrt) > Statusmeldung.objects.filter(ist_demo=True).count() > 0
    assert _gefuehrt() == gefuehrt


def test_the_command_finds_and_mends_a_verlauf_changed_around_the_services(daten):
    ausgabe = StringIO()
    call_command("meldungsverlauf_aufbauen", "--pruefen", stdout=ausgabe)
    assert "stimmt mit den" in ausgabe.getvalue()
    zeile = Meldungsverlauf.objects.order_by("pk").first()
    zeile.delete()  # as a repair in the database might

    with pytest.raises(CommandError, match="weicht in 1 Zeile von"):
        call_command("meldungsverlauf_aufbauen", "--pruefen")
    assert not Meldungsverlauf.objects.filter(meldung_id=zeile.meldung_id).exists()  # checking changed nothing

    ausgabe = StringIO()
    call_command("meldungsverlauf_aufbauen", stdout=ausgabe)
    assert "(1 Zeile geändert)" in ausgabe.getvalue()
    assert Meldungsverlauf.objects.filter(meldung_id=zeile.meldung_id).exists()
