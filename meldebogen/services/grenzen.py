"""The bounds of a Meldebogen file, checked before any parser builds anything: type, size, macros, and for an XLSX
the number of rows, cells and tags of its parts. Every problem is a German message; `reader.py` reads what passes.
"""

from __future__ import annotations

import io
import re
import zipfile

from django.conf import settings

from meldebogen.services.format import ENDUNGEN, SPALTEN, Fehler, als_mb, als_zahl, endung


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


def dateifehler(text: str) -> Dateifehler:
    return Dateifehler([Fehler(None, "", text)])


def max_zeilen() -> int:
    """Rows a Meldebogen sheet may have in all: the header and MELDEBOGEN_MAX_ZEILEN rows, empty ones included."""
    return settings.MELDEBOGEN_MAX_ZEILEN + 1


def max_spalten() -> int:
    """Columns (cells per row) a sheet may have: the Meldebogen's own and a few for notes beside them."""
    return len(SPALTEN) + 6


def zu_gross() -> Dateifehler:
    return dateifehler(ZU_GROSS.format(zeilen=als_zahl(settings.MELDEBOGEN_MAX_ZEILEN), spalten=max_spalten()))


def zu_viele_zeilen() -> Dateifehler:
    return dateifehler(ZU_VIELE_ZEILEN.format(grenze=als_zahl(settings.MELDEBOGEN_MAX_ZEILEN)))


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


def validate_xml_umfang(inhalt: bytes) -> None:
    """Count, without parsing, what openpyxl would have to parse: every worksheet may hold at most the row limit of
    rows (empty ones too) and at most max_spalten() cells per row, every other part at most as many tags as a
    Meldebogen of that size can need (a vast string or style table). Millions of empty rows, rows with a value only
    in column O or a row of 16,384 cells are refused after reading the bytes once, before openpyxl builds anything.
    XML safety itself (entities, forbidden characters) is openpyxl's parse through defusedxml."""
    grenze_zeilen, grenze_zellen = max_zeilen(), max_spalten()
    max_tags = grenze_zeilen * grenze_zellen * 6 + 20_000
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
                        raise zu_gross()
                    if not blatt:
                        continue
                    for treffer in _ROW_ODER_ZELLE.finditer(stueck):
                        if treffer.group(1) == b"row":
                            zeilen, zellen = zeilen + 1, 0
                            if zeilen > grenze_zeilen:
                                raise zu_viele_zeilen()
                        else:
                            zellen += 1
                            if zellen > grenze_zellen:
                                raise zu_gross()
