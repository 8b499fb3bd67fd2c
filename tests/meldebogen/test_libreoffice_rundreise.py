"""Round trips with files re-saved by LibreOffice Calc (tests/fixtures/meldebogen, made by erzeugen.py): XLSX and
CSV in the variants German offices send (";" or ",", UTF-8 with or without BOM, Windows-1252; Kreisschlüssel 07336
turned into 7336, dates written back as 30.09.26), unchanged, with one row changed and with one row confirmed
unchanged ("Unverändert bestätigen": ja)."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from massnahmen.models import Statusmeldung

from .meldebogen_hilfen import download_meldebogen, edit_csv, upload_meldebogen

FIXTUREN = Path(__file__).resolve().parents[1] / "fixtures" / "meldebogen"
VARIANTEN = [
    "lo.xlsx",
    "lo-utf8-semikolon.csv",
    "lo-cp1252-semikolon.csv",
    "lo-utf8-komma.csv",
    "lo-utf8bom-semikolon.csv",
]


def _hochladen(client, name: str, capture) -> str:
    inhalt = (FIXTUREN / name).read_bytes()
    return upload_meldebogen(client, inhalt, name, runde="alle", capture=capture).content.decode()


@pytest.mark.parametrize("variante", VARIANTEN)
def test_unchanged_file_resaved_by_libreoffice_stores_nothing(
    client, kusel_user, variante, django_capture_on_commit_callbacks
):
    client.force_login(kusel_user)
    vorher = Statusmeldung.objects.count()

    text = _hochladen(client, f"unveraendert-{variante}", django_capture_on_commit_callbacks)

    assert "Der Meldebogen enthielt keine Änderungen." in text, text[text.find("<main") :][:3000]
    assert Statusmeldung.objects.count() == vorher
    assert "Übersprungen (" in text and "VI.1" in text  # by Kennziffer


@pytest.mark.parametrize("variante", VARIANTEN)
def test_one_changed_row_resaved_by_libreoffice_becomes_one_meldung(
    client, kusel_user, kusel, i2, variante, django_capture_on_commit_callbacks
):
    client.force_login(kusel_user)
    vorher = Statusmeldung.objects.count()

    text = _hochladen(client, f"geaendert-{variante}", django_capture_on_commit_callbacks)

    assert "Der Meldebogen wurde übernommen." in text, text[text.find("<main") :][:3000]
    assert Statusmeldung.objects.count() == vorher + 1
    neu = Statusmeldung.objects.filter(massnahme=i2, organisation=kusel).latest("gemeldet_am")
    assert (neu.stichtag, neu.fortschritt, neu.status, neu.ampel) == (dt.date(2026, 9, 30), 65, "in_umsetzung", "gelb")
    assert neu.text == "Rechenzentrum zertifiziert; kritische Fachverfahren im Audit (Grüße an „alle“)."


@pytest.mark.parametrize("variante", VARIANTEN)
def test_one_row_confirmed_unchanged_resaved_by_libreoffice_becomes_one_meldung(
    client, kusel_user, kusel, variante, django_capture_on_commit_callbacks
):
    client.force_login(kusel_user)
    vorher = Statusmeldung.objects.filter(organisation=kusel, massnahme__code="VI.1").latest("gemeldet_am")
    anzahl = Statusmeldung.objects.count()

    text = _hochladen(client, f"bestaetigt-{variante}", django_capture_on_commit_callbacks)

    assert "Der Meldebogen wurde übernommen." in text, text[text.find("<main") :][:3000]
    assert "Unverändert bestätigt (1)" in text
    assert Statusmeldung.objects.count() == anzahl + 1
    neu = Statusmeldung.objects.filter(organisation=kusel, massnahme__code="VI.1").latest("gemeldet_am")
    assert neu.stichtag == timezone.localdate()
    werte = ("status", "fortschritt", "ampel", "text", "naechste_schritte", "risiken", "vertraulich")
    assert [getattr(neu, f) for f in werte] == [getattr(vorher, f) for f in werte]


def test_csv_with_excel_serial_date_and_percent_sign(
    client, kusel_user, kusel, i2, django_capture_on_commit_callbacks
):
    client.force_login(kusel_user)
    datei = download_meldebogen(client, "csv", organisation=kusel, runde="alle")
    # 46295 is 30.09.2026 as an Excel serial, as a cell formatted as number shows it
    bearbeitet = edit_csv(datei, {"I.2": {"Stichtag": "46295", "Fortschritt (%)": "60%", "Organisation": "7336"}})

    text = upload_meldebogen(
        client, bearbeitet, "m.csv", runde="alle", capture=django_capture_on_commit_callbacks
    ).content.decode()

    assert "Der Meldebogen wurde übernommen." in text, text[text.find("<main") :][:3000]
    neu = Statusmeldung.objects.filter(massnahme=i2, organisation=kusel).latest("gemeldet_am")
    assert (neu.stichtag, neu.fortschritt) == (dt.date(2026, 9, 30), 60)


def test_upload_page_says_which_csv_files_are_accepted(client, kusel_user):
    from django.urls import reverse

    client.force_login(kusel_user)

    text = client.get(reverse("meldebogen:seite", args=["rlp-digitalisierungsstrategie"])).content.decode()

    assert "Semikolon oder Komma als Trennzeichen, UTF-8 (mit oder ohne BOM) oder Windows-1252" in text
    assert "UTF-8)" not in text  # the old "Semikolon als Trennzeichen, UTF-8" requirement is gone
