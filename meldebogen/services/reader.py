"""Reading an uploaded Meldebogen that passed the bounds of `grenzen.py`: its rows, its header, the round named on
its Hinweise sheet.

No database access and no domain rules here: bytes become raw cell values, and every problem becomes a German
message naming row and column. `importe.py` decides what the values mean; `zeile.py` types the cells of one row.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError  # noqa: S405 - only the exception; parsing is defused

from django.conf import settings
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from meldebogen.services.format import (
    ARBEITSBLATT,
    HINWEIS_RUNDE_NR,
    HINWEIS_STICHTAG,
    HINWEISBLATT,
    KOPFZEILE,
    SPALTEN,
    SPALTEN_BIS_2026,
    Fehler,
    Spalte,
    als_zahl,
    endung,
)
from meldebogen.services.grenzen import (
    UNLESBAR,
    Dateifehler,
    dateifehler,
    max_spalten,
    max_zeilen,
    validate_xml_umfang,
    zu_gross,
    zu_viele_zeilen,
)


@dataclass
class Rohzeile:
    """One data row as read from the file: cell values by field, and the fields holding a formula or Excel error."""

    nummer: int
    zellen: dict[str, object]
    ungueltig: dict[str, str] = field(default_factory=dict)  # field -> problem


NICHT_LESBAR = (
    "Die Datei ließ sich nicht vollständig lesen. Bitte laden Sie den Meldebogen neu herunter und tragen Sie Ihre "
    "Angaben erneut ein."
)


def read_datei(*, inhalt: bytes, dateiname: str) -> list[Rohzeile]:
    """Rows of a Meldebogen file that passed `validate_datei`. Raises Dateifehler for the file as a whole; any
    error while reading becomes one, so no file can end an import with a technical error."""
    if endung(dateiname) != ".csv":
        try:
            validate_xml_umfang(inhalt)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as fehler:
            raise dateifehler(UNLESBAR) from fehler
    zeilen = _read_csv(inhalt) if endung(dateiname) == ".csv" else _read_xlsx(inhalt)
    try:
        return _in_rohzeilen(zeilen)
    except Dateifehler:
        raise
    except ParseError as fehler:  # malformed XML, a forbidden character reference (&#1;, &#xFFFF;), an entity
        raise dateifehler(UNLESBAR) from fehler
    except Exception as fehler:  # noqa: BLE001 - whatever a crafted file makes a parser raise
        raise dateifehler(NICHT_LESBAR) from fehler
    finally:
        zeilen.close()  # closes the workbook even when reading stopped early


def _read_xlsx(inhalt: bytes):
    """The sheet's rows, bounded by what a Meldebogen can be: its declared dimension is checked first, then at most
    the row limit is read (every row counts, empty or not) and only the Meldebogen's columns."""
    try:
        mappe = load_workbook(io.BytesIO(inhalt), read_only=True, data_only=False)
    except Exception as fehler:  # noqa: BLE001 - openpyxl raises many kinds for broken files
        raise dateifehler(UNLESBAR) from fehler
    try:
        if ARBEITSBLATT not in mappe.sheetnames:
            gefunden = ", ".join(f"„{name}“" for name in mappe.sheetnames)
            raise Dateifehler(
                [
                    Fehler(
                        None,
                        "",
                        f"Das Tabellenblatt „{ARBEITSBLATT}“ fehlt (gefunden: {gefunden}). "
                        "Bitte benennen Sie das Blatt nicht um und verwenden Sie den "
                        "heruntergeladenen Meldebogen.",
                    )
                ]
            )
        blatt = mappe[ARBEITSBLATT]
        if (blatt.max_row or 0) > max_zeilen():  # the dimension the file declares: refused before any row is read
            raise zu_viele_zeilen()
        if (blatt.max_column or 0) > max_spalten():
            raise zu_gross()
        for gelesen, zeile in enumerate(blatt.iter_rows(max_row=max_zeilen() + 1, max_col=len(SPALTEN)), start=1):
            if gelesen > max_zeilen():  # the dimension was missing or false
                raise zu_viele_zeilen()
            yield [(_prozent_als_zahl(zelle), getattr(zelle, "data_type", "n")) for zelle in zeile]
    finally:
        mappe.close()


def _prozent_als_zahl(zelle):
    """A number in a cell formatted as percent ("50 %" typed into Excel or Calc is stored as 0.5) as the number
    shown (50); every other value as stored."""
    wert = zelle.value
    if isinstance(wert, int | float) and not isinstance(wert, bool) and "%" in (getattr(zelle, "number_format", "")):
        return round(wert * 100, 6)
    return wert


@dataclass(frozen=True)
class Dateikopf:
    """What the Hinweise sheet of an XLSX Meldebogen says it was downloaded for."""

    berichtsrunde_nr: int | None  # None: downloaded without a round
    stichtag: str  # as written, for messages


def read_kopfdaten(*, inhalt: bytes, dateiname: str) -> Dateikopf | None:
    """The round an XLSX Meldebogen was downloaded for, from the first rows of its Hinweise sheet; None for a CSV,
    a file without that sheet or with the rows changed (the import then keeps the page's selection)."""
    if endung(dateiname) != ".xlsx":
        return None
    try:
        validate_xml_umfang(inhalt)
        mappe = load_workbook(io.BytesIO(inhalt), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - the import reports what is wrong with the file
        return None
    try:
        if HINWEISBLATT not in mappe.sheetnames:
            return None
        angaben = {}
        for zeile in mappe[HINWEISBLATT].iter_rows(max_row=12, max_col=2, values_only=True):
            if zeile and isinstance(zeile[0], str):
                angaben[zeile[0].strip()] = "" if zeile[1] is None else str(zeile[1]).strip()
    except Exception:  # noqa: BLE001
        return None
    finally:
        mappe.close()
    nummer = angaben.get(HINWEIS_RUNDE_NR)
    if nummer is None:
        return None  # a file of an earlier export
    if nummer.removesuffix(".0").isdigit():
        return Dateikopf(int(nummer.removesuffix(".0")), angaben.get(HINWEIS_STICHTAG, ""))
    return Dateikopf(None, "")


def _read_csv(inhalt: bytes):
    try:
        text = inhalt.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = inhalt.decode("cp1252")  # "CSV (Trennzeichen-getrennt)" of a German Excel
        except UnicodeDecodeError as fehler:
            raise Dateifehler(
                [
                    Fehler(
                        None,
                        "",
                        "Die CSV-Datei ist nicht lesbar. Bitte speichern Sie sie als „CSV "
                        "UTF-8 (durch Trennzeichen getrennt)“.",
                    )
                ]
            ) from fehler
    if "\x00" in text:
        raise Dateifehler([Fehler(None, "", "Die CSV-Datei enthält Binärdaten. Bitte laden Sie eine Textdatei hoch.")])
    try:
        for zeile in csv.reader(io.StringIO(text, newline=""), delimiter=_trennzeichen(text)):
            yield [(_read_csv_text(wert), "s") for wert in zeile]
    except csv.Error as fehler:
        raise Dateifehler([Fehler(None, "", f"Die CSV-Datei ist fehlerhaft aufgebaut ({fehler}).")]) from fehler


def _trennzeichen(text: str) -> str:
    """ ";" (our export, a German Excel or LibreOffice) or "," (LibreOffice set to comma, an English Excel): the one
    of the two that splits the header line into more columns."""
    kopf = next(csv.reader(io.StringIO(text.split("\n", 1)[0])), [""])  # comma-split, quotes respected
    semikolon = next(csv.reader(io.StringIO(text.split("\n", 1)[0]), delimiter=";"), [""])
    return "," if len(kopf) > len(semikolon) else ";"


def _read_csv_text(wert: str) -> str:
    return wert[1:] if len(wert) > 1 and wert[0] == "'" and wert[1] in "=+-@\t\r" else wert


def is_leer(wert) -> bool:
    return wert is None or (isinstance(wert, str) and not wert.strip())


def _in_rohzeilen(zeilen) -> list[Rohzeile]:
    zeilen = iter(zeilen)
    kopf = next(zeilen, None)
    spalten = _validate_kopf([wert for wert, _ in kopf] if kopf else [])
    fehlend = {s.feld: None for s in SPALTEN if s not in spalten}
    grenze = settings.MELDEBOGEN_MAX_ZEILEN
    ergebnis = []
    for nummer, zeile in enumerate(zeilen, start=2):
        if nummer > max_zeilen():  # every row read counts, empty or not, in CSV as in XLSX
            raise zu_viele_zeilen()
        zellen = zeile[: len(spalten)]
        if all(is_leer(wert) for wert, _ in zellen):
            continue
        if len(ergebnis) == grenze:
            raise Dateifehler(
                [
                    Fehler(
                        None,
                        "",
                        f"Die Datei enthält mehr als {als_zahl(grenze)} Zeilen. Bitte teilen Sie "
                        "den Meldebogen auf mehrere Dateien auf.",
                    )
                ]
            )
        roh = Rohzeile(nummer=nummer, zellen=dict(fehlend))
        for spalte, (wert, art) in zip(
            spalten, list(zellen) + [(None, "n")] * (len(spalten) - len(zellen)), strict=True
        ):
            if art == "f":
                roh.ungueltig[spalte.feld] = "In dieser Zelle steht eine Formel. Bitte tragen Sie den Wert direkt ein."
            elif art == "e":
                roh.ungueltig[spalte.feld] = (
                    f"Die Zelle enthält den Excel-Fehler „{wert}“. Bitte tragen Sie einen Wert ein."
                )
            roh.zellen[spalte.feld] = wert
        ergebnis.append(roh)
    return ergebnis


def _validate_kopf(kopf: list) -> tuple[Spalte, ...]:
    """The columns of the file: today's, or those of a Meldebogen downloaded before "Unverändert bestätigen"."""
    gefunden = ["" if is_leer(wert) else str(wert).strip() for wert in kopf]
    while gefunden and not gefunden[-1]:
        gefunden.pop()
    if tuple(gefunden) == KOPFZEILE:
        return SPALTEN
    if tuple(gefunden) == tuple(s.titel for s in SPALTEN_BIS_2026):
        return SPALTEN_BIS_2026
    if len(gefunden) == 1 and "," in gefunden[0]:
        raise Dateifehler(
            [
                Fehler(
                    1,
                    "",
                    "Die Spalten der CSV-Datei sind weder durch Semikolons noch durch Kommas getrennt. "
                    "Bitte speichern Sie sie in Excel oder LibreOffice als CSV oder laden Sie die Excel-Datei "
                    "hoch.",
                )
            ]
        )
    fehler = []
    for nummer, titel in enumerate(KOPFZEILE, start=1):
        ist = gefunden[nummer - 1] if nummer <= len(gefunden) else ""
        if ist != titel:
            problem = (
                f"In Spalte {get_column_letter(nummer)} wird die Überschrift „{titel}“ erwartet, gefunden wurde "
                + (f"„{ist}“." if ist else "nichts.")
            )
            fehler.append(Fehler(1, titel, problem))
    for nummer in range(len(KOPFZEILE) + 1, len(gefunden) + 1):
        fehler.append(
            Fehler(
                1,
                gefunden[nummer - 1],
                f"Spalte {get_column_letter(nummer)} gehört nicht zum Meldebogen. "
                "Bitte fügen Sie keine Spalten hinzu.",
            )
        )
    fehler.append(
        Fehler(
            1,
            "",
            "Die Kopfzeile muss genau der des heruntergeladenen Meldebogens entsprechen: "
            + "; ".join(KOPFZEILE)
            + ".",
        )
    )
    raise Dateifehler(fehler)
