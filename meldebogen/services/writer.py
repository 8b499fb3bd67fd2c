"""Writing the Meldebogen as XLSX (with drop-downs, locked key columns and the Hinweise sheet) or CSV.

The format itself is `format.py`; no database access and no domain rules here. `reader.py` reads the files back
and `importe.py` decides what the values mean.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.conf import settings
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from massnahmen.selectors import bereich
from meldebogen.selectors import Meldebogenzeile, Werte
from meldebogen.services.format import (
    AMPEL_TEXT,
    ARBEITSBLATT,
    DATUMSFORMAT,
    HINWEIS_RUNDE_NR,
    HINWEIS_STICHTAG,
    HINWEISBLATT,
    JA,
    KOPFZEILE,
    NEIN,
    OHNE_RUNDE,
    REGELN,
    SPALTEN,
    STATUS_TEXT,
    TITEL,
    Kopfdaten,
    als_mb,
    als_zahl,
)
from strategie.texte import export_safe


def _datum(tag: dt.date | None) -> str:
    return tag.strftime(DATUMSFORMAT) if tag else ""


def _ja_nein(wert: bool) -> str:
    return JA if wert else NEIN


def _zellwerte(zeile: Meldebogenzeile) -> dict[str, object]:
    w: Werte = zeile.werte
    return {
        "kennziffer": zeile.massnahme.code,
        "massnahme": export_safe(zeile.massnahme.titel),
        "handlungsfeld": bereich(zeile.massnahme),
        "organisation": zeile.organisation.kennung,
        "stichtag": w.stichtag,
        "status": STATUS_TEXT.get(w.status, ""),
        "fortschritt": w.fortschritt,
        "ampel": AMPEL_TEXT.get(w.ampel, ""),
        "text": export_safe(w.text),
        "naechste_schritte": export_safe(w.naechste_schritte),
        "risiken": export_safe(w.risiken),
        "vertraulich": _ja_nein(w.vertraulich),
        "ist_korrektur": _ja_nein(w.ist_korrektur),
        "bestaetigen": NEIN,
        "version": f"{zeile.version}-{w.pruefsumme()}",
    }


def _liste(werte) -> str:
    return '"' + ",".join(werte) + '"'


def _auswahl(werte, titel: str, meldung: str) -> DataValidation:
    return DataValidation(
        type="list",
        formula1=_liste(werte),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=titel,
        error=meldung,
        showInputMessage=False,
    )


def write_xlsx(*, zeilen: list[Meldebogenzeile], kopf: Kopfdaten) -> bytes:
    """The Meldebogen as an Excel workbook: the sheet "Meldebogen" (key columns locked, drop-downs for the choices)
    and the sheet "Hinweise" explaining every column and rule."""
    mappe = Workbook()
    blatt = mappe.active
    blatt.title = ARBEITSBLATT
    fett, grau = Font(bold=True), PatternFill("solid", fgColor="E4E6EC")
    oben = Alignment(vertical="top", wrap_text=True)
    offen = Protection(locked=False)

    blatt.append(KOPFZEILE)
    for spalte_nr, spalte in enumerate(SPALTEN, start=1):
        zelle = blatt.cell(row=1, column=spalte_nr)
        zelle.font, zelle.fill, zelle.alignment = fett, grau, Alignment(vertical="top", wrap_text=True)
        blatt.column_dimensions[get_column_letter(spalte_nr)].width = spalte.breite
    for zeile_nr, zeile in enumerate(zeilen, start=2):
        werte = _zellwerte(zeile)
        for spalte_nr, spalte in enumerate(SPALTEN, start=1):
            wert = werte[spalte.feld]
            if isinstance(wert, str):
                wert = ILLEGAL_CHARACTERS_RE.sub("", wert)
            zelle = blatt.cell(row=zeile_nr, column=spalte_nr, value=wert if wert != "" else None)
            if isinstance(wert, str) and wert:
                zelle.data_type = "s"  # text that starts with "=" stays text, never a formula
            zelle.alignment = oben
            if spalte.feld == "stichtag":
                zelle.number_format = "DD.MM.YYYY"
            elif spalte.feld in ("kennziffer", "organisation"):
                zelle.number_format = "@"
            if spalte.bearbeitbar:
                zelle.protection = offen
            else:
                zelle.fill = grau

    letzte = len(zeilen) + 1
    if zeilen:

        def bereich(feld: str) -> str:
            buchstabe = get_column_letter(list(TITEL).index(feld) + 1)
            return f"{buchstabe}2:{buchstabe}{letzte}"

        status = _auswahl(STATUS_TEXT.values(), "Ungültiger Status", "Bitte wählen Sie einen Status aus der Liste.")
        ampel = _auswahl(
            AMPEL_TEXT.values(), "Ungültige Ampel", "Bitte wählen Sie grün, gelb, rot oder lassen Sie die Zelle leer."
        )
        ja_nein = _auswahl((JA, NEIN), "Bitte ja oder nein", "Bitte wählen Sie „ja“ oder „nein“.")
        fortschritt = DataValidation(
            type="whole",
            operator="between",
            formula1="0",
            formula2="100",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Ungültiger Fortschritt",
            error="Fortschritt muss eine ganze Zahl zwischen 0 und 100 sein.",
        )
        for pruefung, felder in (
            (status, ["status"]),
            (ampel, ["ampel"]),
            (ja_nein, ["vertraulich", "ist_korrektur", "bestaetigen"]),
            (fortschritt, ["fortschritt"]),
        ):
            blatt.add_data_validation(pruefung)
            for feld in felder:
                pruefung.add(bereich(feld))
        blatt.auto_filter.ref = f"A1:{get_column_letter(len(SPALTEN))}{letzte}"
    blatt.freeze_panes = "B2"
    _protect(blatt)

    _write_hinweise(mappe.create_sheet(HINWEISBLATT), kopf)
    mappe.active = 0
    mappe.properties.creator = settings.PORTAL_NAME
    mappe.properties.title = f"Meldebogen {kopf.organisation}"
    ausgabe = io.BytesIO()
    mappe.save(ausgabe)
    return ausgabe.getvalue()


def _protect(blatt) -> None:
    """Sheet protection without a password: it guides, the server checks. Column widths and filters stay usable."""
    schutz = blatt.protection
    schutz.sheet = True
    schutz.formatColumns = schutz.formatRows = schutz.autoFilter = False


def _write_hinweise(blatt, kopf: Kopfdaten) -> None:
    fett = Font(bold=True)
    umbruch = Alignment(vertical="top", wrap_text=True)
    blatt.column_dimensions["A"].width = 22
    blatt.column_dimensions["B"].width = 100
    blatt.column_dimensions["C"].width = 12

    def zeile(*werte, schrift=None):
        blatt.append(list(werte))
        for zelle in blatt[blatt.max_row]:
            zelle.alignment = umbruch
            if isinstance(zelle.value, str) and zelle.value:
                zelle.data_type = "s"
            if schrift:
                zelle.font = schrift

    zeile("Meldebogen – Hinweise zum Ausfüllen", schrift=Font(bold=True, size=14))
    zeile("Strategie", kopf.strategie)
    zeile("Organisation", f"{kopf.organisation} (Kennung {kopf.kennung})")
    zeile(
        "Berichtsrunde", kopf.berichtsrunde or "ohne Berichtsrunde: alle Maßnahmen, zu denen Ihre Organisation meldet"
    )
    zeile(HINWEIS_RUNDE_NR, str(kopf.berichtsrunde_nr) if kopf.berichtsrunde_nr else OHNE_RUNDE)
    zeile(HINWEIS_STICHTAG, _datum(kopf.stichtag) or "je Zeile")
    zeile("Erstellt am", kopf.erstellt_am.strftime("%d.%m.%Y, %H:%M Uhr"))
    zeile(
        "Hochladen",
        "Laden Sie die ausgefüllte Datei im Portal auf der Seite „Meldebogen“ wieder hoch. Organisation und "
        "Berichtsrunde liest das Portal aus dieser Datei; bitte ändern Sie die Angaben oben nicht.",
    )
    zeile()
    zeile("Spalte", "Bedeutung", "Änderbar", schrift=fett)
    for spalte in SPALTEN:
        zeile(spalte.titel, spalte.erklaerung, JA if spalte.bearbeitbar else NEIN)
    zeile()
    zeile("Regeln", schrift=fett)
    grenzen = {"max_mb": als_mb(settings.MELDEBOGEN_MAX_BYTES), "max_zeilen": als_zahl(settings.MELDEBOGEN_MAX_ZEILEN)}
    for nummer, regel in enumerate(REGELN, start=1):
        zeile(f"{nummer}.", regel.format(**grenzen))
    blatt.protection.sheet = True


def write_csv(*, zeilen: list[Meldebogenzeile]) -> bytes:
    """The same table as CSV: semicolons, UTF-8 with BOM (Excel recognises the encoding), dates as TT.MM.JJJJ."""
    ausgabe = io.StringIO()
    schreiber = csv.writer(ausgabe, delimiter=";", lineterminator="\r\n")
    schreiber.writerow(KOPFZEILE)
    for zeile in zeilen:
        werte = _zellwerte(zeile)
        schreiber.writerow([_csv_zelle(werte[s.feld]) for s in SPALTEN])
    return ("\ufeff" + ausgabe.getvalue()).encode("utf-8")


def _csv_zelle(wert) -> str:
    if wert is None:
        return ""
    if isinstance(wert, dt.date):
        return _datum(wert)
    text = str(wert)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text  # a spreadsheet must not read it as a formula; reading strips the apostrophe again
    return text
