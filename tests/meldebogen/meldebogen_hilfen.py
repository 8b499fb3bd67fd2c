"""Helpers of the Meldebogen tests: a round for Kusel, downloading, editing the file like a user, uploading."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from massnahmen.models import Massnahme
from massnahmen.services import open_berichtsrunde

RLP = "rlp-digitalisierungsstrategie"
KUSEL, COCHEM = "07336", "07135"
# Maßnahmen je Organisation in which Kusel takes part; I.2 and VI.1 have a demo state for Kusel.
CODES = ("I.1", "I.2", "VI.1", "VII.1")


def open_runde(strategie, geschaeftsstelle_user, codes=CODES, tage_zurueck: int = 7):
    """An open round with a Stichtag in the past, so its Meldungen are accepted today."""
    heute = timezone.localdate()
    return open_berichtsrunde(
        actor=geschaeftsstelle_user,
        strategie=strategie,
        titel="Berichtsrunde Test",
        stichtag=heute - dt.timedelta(days=tage_zurueck),
        frist=heute + dt.timedelta(days=21),
        massnahmen=list(Massnahme.objects.filter(strategie=strategie, code__in=codes)),
    )


def download_url(format: str, organisation=None, runde=None) -> str:
    parameter = []
    if organisation is not None:
        parameter.append(f"organisation={organisation.pk}")
    if runde is not None:
        parameter.append(f"runde={runde if isinstance(runde, str) else runde.pk}")
    return reverse("meldebogen:herunterladen", args=[RLP, format]) + ("?" + "&".join(parameter) if parameter else "")


def download_meldebogen(client, format: str = "xlsx", **auswahl) -> bytes:
    response = client.get(download_url(format, **auswahl))
    assert response.status_code == 200, response.status_code
    return response.content


def kopf_und_zeilen_xlsx(inhalt: bytes) -> tuple[list, list[list]]:
    blatt = load_workbook(io.BytesIO(inhalt))["Meldebogen"]
    zeilen = [[zelle.value for zelle in zeile] for zeile in blatt.iter_rows()]
    return zeilen[0], zeilen[1:]


def edit_xlsx(inhalt: bytes, aenderungen: dict[str, dict[str, object]], blattname: str = "Meldebogen") -> bytes:
    """Edit cells by Kennziffer and column title, as a user would in Excel, and save."""
    mappe = load_workbook(io.BytesIO(inhalt))
    blatt = mappe["Meldebogen"]
    kopf = [zelle.value for zelle in blatt[1]]
    gefunden = set()
    for zeile in blatt.iter_rows(min_row=2):
        code = zeile[0].value
        if code in aenderungen:
            gefunden.add(code)
            for titel, wert in aenderungen[code].items():
                zeile[kopf.index(titel)].value = wert
    assert gefunden == set(aenderungen), f"nicht im Meldebogen: {set(aenderungen) - gefunden}"
    blatt.title = blattname
    ausgabe = io.BytesIO()
    mappe.save(ausgabe)
    return ausgabe.getvalue()


def edit_csv(inhalt: bytes, aenderungen: dict[str, dict[str, str]]) -> bytes:
    text = inhalt.decode("utf-8-sig")
    zeilen = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    kopf = zeilen[0]
    for zeile in zeilen[1:]:
        for titel, wert in aenderungen.get(zeile[0], {}).items():
            zeile[kopf.index(titel)] = wert
    ausgabe = io.StringIO()
    csv.writer(ausgabe, delimiter=";", lineterminator="\r\n").writerows(zeilen)
    return ("\ufeff" + ausgabe.getvalue()).encode("utf-8")


def upload_meldebogen(client, inhalt: bytes, dateiname: str, organisation=None, runde=None, capture=None):
    """POST the file like the upload form does; with `capture` (django_capture_on_commit_callbacks) the queued
    import runs (Celery is eager in the tests) before the redirect is followed."""
    daten = {"datei": _datei(inhalt, dateiname)}
    if organisation is not None:
        daten["organisation"] = organisation.pk
    if runde is not None:
        daten["runde"] = runde if isinstance(runde, str) else runde.pk
    url = reverse("meldebogen:hochladen", args=[RLP])
    if capture is None:
        return client.post(url, daten)
    with capture(execute=True):
        response = client.post(url, daten)
    if response.status_code == 302:
        return client.get(response.url)
    return response


def _datei(inhalt: bytes, dateiname: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(dateiname, inhalt)
