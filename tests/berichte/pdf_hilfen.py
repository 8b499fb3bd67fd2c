"""Reading a PDF as a reader and an archive would: poppler's pdftotext/pdfinfo/pdffonts and pikepdf."""

from __future__ import annotations

import subprocess  # noqa: S404
import tempfile
from pathlib import Path

import pikepdf


def _datei(pdf: bytes) -> Path:
    datei = tempfile.NamedTemporaryFile(suffix=".pdf", delete=False)  # noqa: SIM115
    datei.write(pdf)
    datei.close()
    return Path(datei.name)


def _poppler(programm: str, pdf: bytes, *argumente: str) -> str:
    pfad = _datei(pdf)
    try:
        return subprocess.run(  # noqa: S603
            [programm, *argumente, str(pfad), *(["-"] if programm == "pdftotext" else [])],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        pfad.unlink()


def pdftotext(pdf: bytes) -> str:
    return _poppler("pdftotext", pdf, "-layout")


def pdfinfo(pdf: bytes) -> dict[str, str]:
    zeilen = _poppler("pdfinfo", pdf).splitlines()
    return {k.strip(): v.strip() for k, _, v in (z.partition(":") for z in zeilen)}


def pdffonts(pdf: bytes) -> list[list[str]]:
    return [z.split() for z in _poppler("pdffonts", pdf).splitlines()[2:]]


def oeffne(pdf: bytes) -> pikepdf.Pdf:
    return pikepdf.Pdf.open(_datei(pdf))


def strukturelemente(dokument: pikepdf.Pdf) -> tuple[dict[str, int], list[str]]:
    """Structure types of the tagged PDF with their counts, and the alternative texts of its Figures."""
    anzahl: dict[str, int] = {}
    alternativtexte: list[str] = []

    def besuche(knoten) -> None:
        if isinstance(knoten, pikepdf.Array):
            for kind in knoten:
                besuche(kind)
            return
        if not isinstance(knoten, pikepdf.Dictionary):
            return
        typ = knoten.get("/S")
        if typ is not None:
            anzahl[str(typ)] = anzahl.get(str(typ), 0) + 1
            if str(typ) == "/Figure":
                alternativtexte.append(str(knoten.get("/Alt", "")))
        if "/K" in knoten:
            besuche(knoten.K)

    besuche(dokument.Root.StructTreeRoot.K)
    return anzahl, alternativtexte


def pdfdetach_namen(pdf: bytes) -> list[str]:
    """The names of the files embedded in the PDF, as poppler's pdfdetach lists them."""
    zeilen = _poppler("pdfdetach", pdf, "-list").splitlines()[1:]
    return [zeile.partition(": ")[2] for zeile in zeilen]
