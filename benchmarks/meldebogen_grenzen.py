"""Hostile Meldebögen under the size limit: how long the reader needs, and how much memory, to read or refuse them.

    .venv/bin/python benchmarks/meldebogen_grenzen.py

Cases (issue 14, point 2): an XLSX of about 70 KB with 7.4 million empty rows (44 MB unpacked), the same with its
dimension claiming A1:N2, 580,000 rows with a value only in the first column beside the Meldebogen's (O in the
issue, P since the column "Unverändert bestätigen"), a row of 16,384 cells, a huge shared-strings table, and a
filled Meldebogen of the row limit for comparison. Each case runs in a
fresh process; "Speicher" is the growth of the process's peak resident memory while reading. The target is under
2 s and under 100 MB for every file below the size limit. Needs no database; asserts nothing.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategie.settings.test")

KOPF = (
    "Kennziffer",
    "Maßnahme",
    "Handlungsfeld",
    "Organisation",
    "Stichtag",
    "Status",
    "Fortschritt (%)",
    "Ampel",
    "Sachstand",
    "Nächste Schritte",
    "Risiken",
    "Vertraulich",
    "Korrektur",
    "Unverändert bestätigen",
    "Stand-Version",
)


def _spalte(nummer: int) -> str:
    name = ""
    while nummer:
        nummer, rest = divmod(nummer - 1, 26)
        name = chr(65 + rest) + name
    return name


def _zelle(spalte: int, zeile: int, text: str) -> str:
    return f'<c r="{_spalte(spalte)}{zeile}" t="inlineStr"><is><t>{text}</t></is></c>'


def _xlsx(zeilen, *, dimension: str | None = None, shared_strings: str | None = None) -> bytes:
    """A minimal XLSX with the sheet "Meldebogen"; `zeilen` yields the XML of each row after the header."""
    ausgabe = io.BytesIO()
    teile = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/>'
            + (
                '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                'officedocument.spreadsheetml.sharedStrings+xml"/>'
                if shared_strings
                else ""
            )
            + "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="Meldebogen" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            + (
                '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                'sharedStrings" Target="sharedStrings.xml"/>'
                if shared_strings
                else ""
            )
            + "</Relationships>"
        ),
    }
    with zipfile.ZipFile(ausgabe, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archiv:
        for name, inhalt in teile.items():
            archiv.writestr(name, inhalt)
        if shared_strings:
            archiv.writestr("xl/sharedStrings.xml", shared_strings)
        with archiv.open("xl/worksheets/sheet1.xml", "w") as blatt:
            blatt.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                b'spreadsheetml/2006/main">'
            )
            if dimension:
                blatt.write(f'<dimension ref="{dimension}"/>'.encode())
            blatt.write(b'<sheetData><row r="1">')
            blatt.write("".join(_zelle(i + 1, 1, t) for i, t in enumerate(KOPF)).encode())
            blatt.write(b"</row>")
            puffer = []
            for zeile in zeilen:
                puffer.append(zeile)
                if len(puffer) == 10_000:
                    blatt.write("".join(puffer).encode())
                    puffer = []
            blatt.write("".join(puffer).encode())
            blatt.write(b"</sheetData></worksheet>")
    return ausgabe.getvalue()


def _leere_zeilen(anzahl: int):
    """Rows without a number (openpyxl counts them on): 6 bytes each, so 7.4 million compress to about 70 KB."""
    return ("<row/>" for _ in range(anzahl))


def _nur_daneben(anzahl: int):
    """Fifteen empty cells, then a value in column P, the first beside the Meldebogen's columns (O in the issue,
    before "Unverändert bestätigen" was added), in every row: identical rows, which compress to nearly nothing."""
    zeile = "<row>" + "<c/>" * 15 + '<c t="inlineStr"><is><t>x</t></is></c></row>'
    return (zeile for _ in range(anzahl))


def _breite_zeile():
    yield '<row r="2">' + "".join(f'<c r="{_spalte(i)}2"><v>{i}</v></c>' for i in range(1, 16_385)) + "</row>"


def _viele_strings(anzahl: int) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
        f'main" count="{anzahl}" uniqueCount="{anzahl}">' + "<si><t>a</t></si>" * anzahl + "</sst>"
    )


def _volle_zeilen(anzahl: int):
    """Rows as a filled-in Meldebogen has them: every one of the 15 columns with a value."""
    werte = [
        "I.1",
        "Maßnahme",
        "I Informationssicherheit",
        "07336",
        "31.12.2025",
        "in Umsetzung",
        "50",
        "gelb",
        "Sachstand " * 20,
        "Nächste Schritte",
        "Risiken",
        "nein",
        "nein",
        "nein",
        "1-0000abcd",
    ]
    return (
        f'<row r="{n}">' + "".join(_zelle(i + 1, n, w) for i, w in enumerate(werte)) + "</row>"
        for n in range(2, anzahl + 2)
    )


FAELLE = {
    # The two files of the issue (entpackt 44 MB bzw. 36 MB): refused by the unpacked limit at once.
    "7,4 Mio. leere Zeilen": lambda: _xlsx(_leere_zeilen(7_400_000), dimension="A1:N7400001"),
    "580.000 Zeilen nur Spalte P (daneben)": lambda: _xlsx(_nur_daneben(580_000)),
    # Below the unpacked limit: refused by the dimension, the row count or the cells per row.
    "2 Mio. leere Zeilen, Dimension A1:N2000001": lambda: _xlsx(_leere_zeilen(2_000_000), dimension="A1:N2000001"),
    "2 Mio. leere Zeilen, Dimension A1:N2 gefälscht": lambda: _xlsx(_leere_zeilen(2_000_000), dimension="A1:N2"),
    "2 Mio. leere Zeilen ohne Dimension": lambda: _xlsx(_leere_zeilen(2_000_000)),
    "150.000 Zeilen nur Spalte P (daneben)": lambda: _xlsx(_nur_daneben(150_000)),
    "eine Zeile mit 16.384 Zellen": lambda: _xlsx(_breite_zeile()),
    "500.000 gemeinsame Zeichenketten": lambda: _xlsx(_leere_zeilen(1), shared_strings=_viele_strings(500_000)),
    # The largest file a Meldebogen may be: read.
    "2.000 gefüllte Zeilen (Grenze), gelesen": lambda: _xlsx(_volle_zeilen(2_000), dimension="A1:O2001"),
}


def _miss(name: str) -> None:
    """Run one case in this (fresh) process and print its figures."""
    import resource
    import time

    import django

    django.setup()
    from django.conf import settings

    from meldebogen.services.grenzen import Dateifehler, validate_datei
    from meldebogen.services.reader import read_datei

    inhalt = FAELLE[name]()
    vorher = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    try:
        fehler = validate_datei(dateiname="meldebogen.xlsx", groesse=len(inhalt), inhalt=inhalt)
        ergebnis = "; ".join(f.problem for f in fehler) if fehler else None
        if ergebnis is None:
            ergebnis = f"gelesen: {len(read_datei(inhalt=inhalt, dateiname='meldebogen.xlsx'))} Zeilen"
    except Dateifehler as fehler:
        ergebnis = "; ".join(f.problem for f in fehler.fehler)
    dauer = time.perf_counter() - start
    zuwachs = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - vorher) / 1024
    groesse = "unter" if len(inhalt) <= settings.MELDEBOGEN_MAX_BYTES else "über"
    with zipfile.ZipFile(io.BytesIO(inhalt)) as archiv:
        entpackt = sum(e.file_size for e in archiv.infolist()) / 1024 / 1024
    print(
        f"{name:48} {len(inhalt) / 1024:6.0f} KB {groesse:5} {entpackt:5.1f} MB entpackt  {dauer:5.2f} s  "
        f"{zuwachs:4.0f} MB  {ergebnis[:90]}"
    )


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--fall":
        _miss(sys.argv[2])
        return
    print(f"{'Fall':48} {'Datei (Grenze 2 MB)':>27}  {'Zeit':>7}  {'Speicher':>7}  Ergebnis")
    for name in FAELLE:
        subprocess.run([sys.executable, __file__, "--fall", name], check=False)  # noqa: S603


if __name__ == "__main__":
    main()
