"""Reading an uploaded Meldebogen: checks of the file itself (type, size, macros), rows, typed cell values.

No database access and no domain rules here: bytes become typed values, and every problem becomes a German
message naming row and column. `importe.py` decides what the values mean; `zeile.py` types the cells of one row.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError  # noqa: S405 - only the exception; parsing is defused

from django.conf import settings
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from meldebogen.services.writer import (
    ARBEITSBLATT,
    ENDUNGEN,
    HINWEIS_RUNDE_NR,
    HINWEIS_STICHTAG,
    HINWEISBLATT,
    KOPFZEILE,
    SPALTEN,
    SPALTEN_BIS_2026,
    Fehler,
    Spalte,
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
    # Unpacked, a Meldebogen is a few hundred KB; ten times the upload limit bounds the memory a single huge text
    # node could take while the parts are streamed (_validate_xml_umfang bounds the number of elements).
    if sum(e.file_size for e in eintraege) > 10 * settings.MELDEBOGEN_MAX_BYTES:
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


UNLESBAR = (
    "Die Datei lässt sich nicht als Excel-Arbeitsmappe (.xlsx) öffnen: Sie ist beschädigt oder enthält unzulässige "
    "Zeichen. Bitte laden Sie den Meldebogen neu herunter."
)
ZU_VIELE_ZEILEN = (
    "Die Datei enthält mehr als {grenze} Zeilen. Leere Zeilen zählen mit: Bitte teilen Sie den Meldebogen auf "
    "mehrere Dateien auf oder löschen Sie leere Zeilen unter der Tabelle."
)
ZU_GROSS = (
    "Die Tabelle ist größer, als ein Meldebogen sein kann (höchstens {zeilen} Zeilen mit je {spalten} Spalten). "
    "Bitte laden Sie den Meldebogen neu herunter und tragen Sie nur in seine Zeilen und Spalten ein."
)
NICHT_LESBAR = (
    "Die Datei ließ sich nicht vollständig lesen. Bitte laden Sie den Meldebogen neu herunter und tragen Sie Ihre "
    "Angaben erneut ein."
)


def _dateifehler(text: str) -> Dateifehler:
    return Dateifehler([Fehler(None, "", text)])


def _max_zeilen() -> int:
    """Rows a Meldebogen sheet may have in all: the header and MELDEBOGEN_MAX_ZEILEN rows, empty ones included."""
    return settings.MELDEBOGEN_MAX_ZEILEN + 1


def _max_spalten() -> int:
    """Columns (cells per row) a sheet may have: the Meldebogen's own and a few for notes beside them."""
    return len(SPALTEN) + 6


def _zu_gross() -> Dateifehler:
    return _dateifehler(ZU_GROSS.format(zeilen=als_zahl(settings.MELDEBOGEN_MAX_ZEILEN), spalten=_max_spalten()))


def _zu_viele_zeilen() -> Dateifehler:
    return _dateifehler(ZU_VIELE_ZEILEN.format(grenze=als_zahl(settings.MELDEBOGEN_MAX_ZEILEN)))


_ROW_ODER_ZELLE = re.compile(rb"<(?:\w+:)?(row|c)[\s/>]")


def _teile(teil, groesse: int = 1 << 20):
    """The bytes of an archive part in chunks that end before a "<", so no tag is cut in two."""
    rest = b""
    while block := teil.read(groesse):
        puffer = rest + block
        schnitt = puffer.rfind(b"<")
        if schnitt <= 0:
            yield puffer
            rest = b""
        else:
            yield puffer[:schnitt]
            rest = puffer[schnitt:]
    if rest:
        yield rest


def _validate_xml_umfang(inhalt: bytes) -> None:
    """Count, without parsing, what openpyxl would have to parse: every worksheet may hold at most the row limit of
    rows (empty ones too) and at most _max_spalten() cells per row, every other part at most as many tags as a
    Meldebogen of that size can need (a vast string or style table). Millions of empty rows, rows with a value only
    in column O or a row of 16,384 cells are refused after reading the bytes once, before openpyxl builds anything.
    XML safety itself (entities, forbidden characters) is openpyxl's parse through defusedxml."""
    max_zeilen, max_zellen = _max_zeilen(), _max_spalten()
    max_tags = max_zeilen * max_zellen * 6 + 20_000
    with zipfile.ZipFile(io.BytesIO(inhalt)) as archiv:
        for eintrag in archiv.infolist():
            name = eintrag.filename.lower()
            if not name.endswith((".xml", ".rels", ".vml")):
                continue
            blatt = name.startswith("xl/worksheets/")
            tags = zeilen = zellen = 0
            with archiv.open(eintrag) as teil:
                for stueck in _teile(teil):
                    tags += stueck.count(b"<")
                    if tags > max_tags:
                        raise _zu_gross()
                    if not blatt:
                        continue
                    for treffer in _ROW_ODER_ZELLE.finditer(stueck):
                        if treffer.group(1) == b"row":
                            zeilen, zellen = zeilen + 1, 0
                            if zeilen > max_zeilen:
                                raise _zu_viele_zeilen()
                        else:
                            zellen += 1
                            if zellen > max_zellen:
                                raise _zu_gross()


def read_datei(*, inhalt: bytes, dateiname: str) -> list[Rohzeile]:
    """Rows of a Meldebogen file that passed `validate_datei`. Raises Dateifehler for the file as a whole; any
    error while reading becomes one, so no file can end an import with a technical error."""
    if endung(dateiname) != ".csv":
        try:
            _validate_xml_umfang(inhalt)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as fehler:
            raise _dateifehler(UNLESBAR) from fehler
    zeilen = _read_csv(inhalt) if endung(dateiname) == ".csv" else _read_xlsx(inhalt)
    try:
        return _in_rohzeilen(zeilen)
    except Dateifehler:
        raise
    except ParseError as fehler:  # malformed XML, a forbidden character reference (&#1;, &#xFFFF;), an entity
        raise _dateifehler(UNLESBAR) from fehler
    except Exception as fehler:  # noqa: BLE001 - whatever a crafted file makes a parser raise
        raise _dateifehler(NICHT_LESBAR) from fehler
    finally:
        zeilen.close()  # closes the workbook even when reading stopped early


def _read_xlsx(inhalt: bytes):
    """The sheet's rows, bounded by what a Meldebogen can be: its declared dimension is checked first, then at most
    the row limit is read (every row counts, empty or not) and only the Meldebogen's columns."""
    try:
        mappe = load_workbook(io.BytesIO(inhalt), read_only=True, data_only=False)
    except Exception as fehler:  # noqa: BLE001 - openpyxl raises many kinds for broken files
        raise _dateifehler(UNLESBAR) from fehler
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
        if (blatt.max_row or 0) > _max_zeilen():  # the dimension the file declares: refused before any row is read
            raise _zu_viele_zeilen()
        if (blatt.max_column or 0) > _max_spalten():
            raise _zu_gross()
        for gelesen, zeile in enumerate(blatt.iter_rows(max_row=_max_zeilen() + 1, max_col=len(SPALTEN)), start=1):
            if gelesen > _max_zeilen():  # the dimension was missing or false
                raise _zu_viele_zeilen()
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
        _validate_xml_umfang(inhalt)
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
        if nummer > _max_zeilen():  # every row read counts, empty or not, in CSV as in XLSX
            raise _zu_viele_zeilen()
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
