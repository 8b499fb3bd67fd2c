"""Reading an uploaded Meldebogen: checks of the file itself (type, size, macros), rows, typed cell values.

No database access and no domain rules here: bytes become typed values, and every problem becomes a German
message naming row and column. `meldebogen.py` decides what the values mean.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from massnahmen.models import Ampel, Status
from meldebogen.selectors import Werte
from meldebogen.services.writer import (
    AMPEL_TEXT,
    ARBEITSBLATT,
    DATUMSFORMAT,
    ENDUNGEN,
    JA,
    KOPFZEILE,
    NEIN,
    SPALTEN,
    STATUS_TEXT,
    TITEL,
    Fehler,
    als_mb,
    als_zahl,
    endung,
)


class Dateifehler(Exception):
    """The file as a whole cannot be read as a Meldebogen."""

    def __init__(self, fehler: list[Fehler]):
        super().__init__("; ".join(f.problem for f in fehler))
        self.fehler = fehler


def validate_datei(*, dateiname: str, groesse: int, inhalt: bytes | None = None) -> list[Fehler]:
    """Checks of the file as such: type, size, and for XLSX a readable archive without macros. `inhalt` may be
    left out for a first check of name and size only."""
    art = endung(dateiname)
    if art in (".xlsm", ".xltm", ".xlam"):
        return [
            Fehler(
                None,
                "",
                "Dateien mit Makros (.xlsm) werden aus Sicherheitsgründen nicht angenommen. Bitte "
                "speichern Sie den Meldebogen als „Excel-Arbeitsmappe (.xlsx)“.",
            )
        ]
    if art not in ENDUNGEN:
        return [Fehler(None, "", "Bitte laden Sie eine Excel-Datei (.xlsx) oder eine CSV-Datei (.csv) hoch.")]
    grenze = settings.MELDEBOGEN_MAX_BYTES
    if groesse > grenze:
        return [
            Fehler(
                None,
                "",
                f"Die Datei ist mit {als_mb(groesse)} MB zu groß. Erlaubt sind höchstens {als_mb(grenze)} MB.",
            )
        ]
    if groesse == 0 or inhalt == b"":
        return [Fehler(None, "", "Die Datei ist leer.")]
    if inhalt is None or art != ".xlsx":
        return []
    return _validate_archiv(inhalt)


def _validate_archiv(inhalt: bytes) -> list[Fehler]:
    unlesbar = Fehler(
        None,
        "",
        "Die Datei lässt sich nicht als Excel-Arbeitsmappe (.xlsx) öffnen. Bitte speichern "
        "Sie sie in Excel als „Excel-Arbeitsmappe (.xlsx)“ oder laden Sie den Meldebogen neu "
        "herunter.",
    )
    try:
        with zipfile.ZipFile(io.BytesIO(inhalt)) as archiv:
            eintraege = archiv.infolist()
            namen = [e.filename.lower() for e in eintraege]
            inhaltstypen = archiv.read("[Content_Types].xml") if "[content_types].xml" in namen else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError):
        return [unlesbar]
    if any(name.endswith("vbaproject.bin") for name in namen) or b"macroenabled" in inhaltstypen.lower():
        return [
            Fehler(
                None,
                "",
                "Die Datei enthält Makros (VBA-Projekt) und wird aus Sicherheitsgründen nicht "
                "angenommen. Bitte speichern Sie den Meldebogen als „Excel-Arbeitsmappe (.xlsx)“ "
                "ohne Makros.",
            )
        ]
    if sum(e.file_size for e in eintraege) > 25 * settings.MELDEBOGEN_MAX_BYTES:
        return [Fehler(None, "", "Die Datei ist entpackt ungewöhnlich groß und wird nicht verarbeitet.")]
    if "xl/workbook.xml" not in namen:
        return [unlesbar]
    return []


@dataclass
class Rohzeile:
    """One data row as read from the file: cell values by field, and the fields holding a formula or Excel error."""

    nummer: int
    zellen: dict[str, object]
    ungueltig: dict[str, str] = field(default_factory=dict)  # field -> problem


def read_datei(*, inhalt: bytes, dateiname: str) -> list[Rohzeile]:
    """Rows of a Meldebogen file that passed `validate_datei`. Raises Dateifehler for the file as a whole."""
    zeilen = _read_csv(inhalt) if endung(dateiname) == ".csv" else _read_xlsx(inhalt)
    try:
        return _in_rohzeilen(zeilen)
    finally:
        zeilen.close()  # closes the workbook even when reading stopped early


def _read_xlsx(inhalt: bytes):
    try:
        mappe = load_workbook(io.BytesIO(inhalt), read_only=True, data_only=False)
    except Exception as fehler:  # noqa: BLE001 - openpyxl raises many kinds for broken files
        raise Dateifehler(
            [
                Fehler(
                    None,
                    "",
                    "Die Datei lässt sich nicht als Excel-Arbeitsmappe (.xlsx) öffnen. "
                    "Bitte laden Sie den Meldebogen neu herunter.",
                )
            ]
        ) from fehler
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
        for zeile in mappe[ARBEITSBLATT].iter_rows():
            yield [(zelle.value, getattr(zelle, "data_type", "n")) for zelle in zeile]
    finally:
        mappe.close()


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
        for zeile in csv.reader(io.StringIO(text, newline=""), delimiter=";"):
            yield [(_read_csv_text(wert), "s") for wert in zeile]
    except csv.Error as fehler:
        raise Dateifehler([Fehler(None, "", f"Die CSV-Datei ist fehlerhaft aufgebaut ({fehler}).")]) from fehler


def _read_csv_text(wert: str) -> str:
    return wert[1:] if len(wert) > 1 and wert[0] == "'" and wert[1] in "=+-@\t\r" else wert


def _leer(wert) -> bool:
    return wert is None or (isinstance(wert, str) and not wert.strip())


def _in_rohzeilen(zeilen) -> list[Rohzeile]:
    zeilen = iter(zeilen)
    kopf = next(zeilen, None)
    _validate_kopf([wert for wert, _ in kopf] if kopf else [])
    grenze = settings.MELDEBOGEN_MAX_ZEILEN
    ergebnis = []
    for nummer, zeile in enumerate(zeilen, start=2):
        zellen = zeile[: len(SPALTEN)]
        if all(_leer(wert) for wert, _ in zellen):
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
        roh = Rohzeile(nummer=nummer, zellen={})
        for spalte, (wert, art) in zip(
            SPALTEN, list(zellen) + [(None, "n")] * (len(SPALTEN) - len(zellen)), strict=True
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


def _validate_kopf(kopf: list) -> None:
    gefunden = ["" if _leer(wert) else str(wert).strip() for wert in kopf]
    while gefunden and not gefunden[-1]:
        gefunden.pop()
    if tuple(gefunden) == KOPFZEILE:
        return
    if len(gefunden) == 1 and "," in gefunden[0]:
        raise Dateifehler(
            [
                Fehler(
                    1,
                    "",
                    "Die Spalten sind nicht durch Semikolons getrennt. Bitte speichern Sie die "
                    "CSV-Datei mit Semikolon als Trennzeichen oder laden Sie die Excel-Datei "
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


# --- typed values -----------------------------------------------------------------------------------------------


def _vereinfacht(text: str) -> str:
    text = " ".join(text.lower().replace("_", " ").split())
    return text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")


_STATUS = {_vereinfacht(t): s for s, t in STATUS_TEXT.items()} | {_vereinfacht(s): s for s in Status.values}
_AMPEL = {_vereinfacht(t): a for a, t in AMPEL_TEXT.items()} | {
    "im plan": Ampel.GRUEN,
    "gefaehrdet": Ampel.GELB,
    "kritisch": Ampel.ROT,
}
_JA = {"ja", "j", "x", "wahr", "true", "1"}
_NEIN = {"nein", "n", "falsch", "false", "0", ""}


def _als_text(wert) -> str:
    if wert is None:
        return ""
    if isinstance(wert, bool):
        return JA if wert else NEIN
    if isinstance(wert, float) and wert.is_integer():
        return str(int(wert))
    if isinstance(wert, dt.datetime | dt.date):
        return wert.strftime(DATUMSFORMAT)
    return str(wert)


def _text(wert) -> str:
    return _als_text(wert).replace("\r\n", "\n").replace("\r", "\n").strip()


def _anzeige(wert) -> str:
    text = _als_text(wert).strip()
    return text if len(text) <= 40 else text[:39] + "…"


def _read_datum(wert) -> dt.date:
    if isinstance(wert, dt.datetime):
        return wert.date()
    if isinstance(wert, dt.date):
        return wert
    if isinstance(wert, int | float) and not isinstance(wert, bool) and 1 <= wert < 2958466:
        return from_excel(wert).date()  # an Excel date in a cell not formatted as date
    text = _als_text(wert).strip()
    text = text.split("T")[0].split(" ")[0]
    for format_ in (DATUMSFORMAT, "%Y-%m-%d", "%d.%m.%y"):
        try:
            return dt.datetime.strptime(text, format_).date()  # noqa: DTZ007 - a calendar day, no time zone
        except ValueError:
            continue
    raise ValueError(text)


def _ganzzahl(wert) -> int:
    if isinstance(wert, bool):
        raise ValueError(wert)
    if isinstance(wert, int):
        return wert
    if isinstance(wert, float) and wert.is_integer():
        return int(wert)
    text = _als_text(wert).strip().removesuffix("%").strip().replace(",", ".")
    if re.fullmatch(r"[+-]?\d+(\.0+)?", text):
        return int(float(text))
    raise ValueError(wert)


@dataclass
class Gelesen:
    """A row read into typed values; `fehler` lists the cells that could not be read."""

    nummer: int
    kennziffer: str
    organisation: str
    version: int | None
    werte: Werte | None
    fehler: list[Fehler]
    pruefsumme: str | None = None  # fingerprint of the row as downloaded (see Werte.pruefsumme)


def read_zeile(roh: Rohzeile) -> Gelesen:
    """Type the cells of one row. Unreadable cells become Fehler naming the row and the column title."""
    fehler: list[Fehler] = []
    z = roh.zellen

    def problem(feld: str, text: str) -> None:
        fehler.append(Fehler(roh.nummer, TITEL[feld], text))

    for feld, text in roh.ungueltig.items():
        problem(feld, text)

    kennziffer = _als_text(z["kennziffer"]).strip()
    if not kennziffer:
        problem("kennziffer", "Die Kennziffer fehlt. Bitte ändern Sie die Spalte „Kennziffer“ nicht.")
    organisation = z["organisation"]
    if isinstance(organisation, int | float) and not isinstance(organisation, bool):
        organisation = _als_text(organisation).zfill(5)  # a Kreisschlüssel that Excel turned into a number
    organisation = _als_text(organisation).strip()
    if not organisation:
        problem("organisation", "Die Organisation fehlt. Bitte ändern Sie die Spalte „Organisation“ nicht.")

    version, pruefsumme = None, None
    try:
        stand_version = z["version"]
        treffer = re.fullmatch(r"\s*(\d+)-([0-9a-f]{8})\s*", stand_version) if isinstance(stand_version, str) else None
        if treffer:  # "version-fingerprint" as written by the export
            version, pruefsumme = int(treffer[1]), treffer[2]
        else:  # a bare number (files of earlier exports)
            version = _ganzzahl(stand_version)
        if version < 0:
            raise ValueError(version)
    except ValueError:
        problem(
            "version", "Die Stand-Version fehlt oder wurde verändert. Bitte laden Sie den Meldebogen neu herunter."
        )

    stichtag = None
    if not _leer(z["stichtag"]) and "stichtag" not in roh.ungueltig:
        try:
            stichtag = _read_datum(z["stichtag"])
        except (ValueError, OverflowError):
            problem(
                "stichtag",
                f"„{_anzeige(z['stichtag'])}“ ist kein gültiges Datum. Bitte schreiben Sie den "
                "Stichtag als TT.MM.JJJJ, z. B. 31.12.2025.",
            )

    status = ""
    if not _leer(z["status"]) and "status" not in roh.ungueltig:
        status = _STATUS.get(_vereinfacht(_als_text(z["status"])), "")
        if not status:
            problem(
                "status",
                f"„{_anzeige(z['status'])}“ ist kein gültiger Status. Erlaubt sind: "
                + ", ".join(STATUS_TEXT.values())
                + ".",
            )

    fortschritt = None
    if not _leer(z["fortschritt"]) and "fortschritt" not in roh.ungueltig:
        try:
            fortschritt = _ganzzahl(z["fortschritt"])
            if not 0 <= fortschritt <= 100:
                raise ValueError(fortschritt)
        except ValueError:
            fortschritt = None
            problem(
                "fortschritt",
                f"Fortschritt muss eine ganze Zahl zwischen 0 und 100 sein (gefunden: "
                f"„{_anzeige(z['fortschritt'])}“).",
            )

    ampel = ""
    if not _leer(z["ampel"]) and "ampel" not in roh.ungueltig:
        ampel = _AMPEL.get(_vereinfacht(_als_text(z["ampel"])), "")
        if not ampel:
            problem(
                "ampel", f"Die Ampel muss „grün“, „gelb“, „rot“ oder leer sein (gefunden: „{_anzeige(z['ampel'])}“)."
            )

    schalter = {}
    for feld in ("vertraulich", "ist_korrektur"):
        text = _vereinfacht(_als_text(z[feld]))
        schalter[feld] = text in _JA
        if text not in _JA | _NEIN and feld not in roh.ungueltig:
            problem(feld, f"Bitte tragen Sie „ja“ oder „nein“ ein (gefunden: „{_anzeige(z[feld])}“).")

    werte = None
    if not fehler:
        werte = Werte(
            stichtag=stichtag,
            status=status,
            fortschritt=fortschritt,
            ampel=ampel,
            text=_text(z["text"]),
            naechste_schritte=_text(z["naechste_schritte"]),
            risiken=_text(z["risiken"]),
            vertraulich=schalter["vertraulich"],
            ist_korrektur=schalter["ist_korrektur"],
        )
    return Gelesen(roh.nummer, kennziffer, organisation, version, werte, fehler, pruefsumme)
