"""HTML → WeasyPrint → PDF/A-3a: tagged, German, fonts embedded, with the report's figures attached as CSV.

WeasyPrint 70.0 (read in its source, weasyprint/pdf/pdfa.py and pdfua.py) writes one variant per file.
`pdf/a-3a` turns on `pdf_tags` (structure tree, MarkInfo, Lang, page Tabs) and writes the PDF/A
identification into the XMP metadata; PDF/A-3 keeps attachments and marks them in the catalog's AF
array. The PDF/UA-1 identification (`pdfuaid:part`) is not written by that variant, so a finisher adds
it, with the extension schema PDF/A asks for, to the same rdf:RDF, and sets DisplayDocTitle (PDF/UA asks
viewers to show the title instead of the file name).

Rendering is deterministic: creation dates come from the Bericht's Datenstand and the file identifier
is a hash of the content, so rendering the same Bericht again gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field

import pydyf
from weasyprint import HTML as WeasyHTML
from weasyprint import Attachment, Document

PDF_VARIANTE = "pdf/a-3a"

_PDFUA_XMP = b"""<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"><pdfuaid:part>1</pdfuaid:part></rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#"><pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource"><pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema><pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI><pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix><pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource"><pdfaProperty:name>part</pdfaProperty:name><pdfaProperty:valueType>Integer</pdfaProperty:valueType><pdfaProperty:category>internal</pdfaProperty:category><pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description></rdf:li></rdf:Seq></pdfaSchema:property></rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>
"""


@dataclass(frozen=True)
class Anhang:
    """A file carried inside the PDF (PDF/A-3 "associated file")."""

    dateiname: str
    inhalt: bytes
    beschreibung: str


@dataclass
class Zeitmessung:
    """Seconds per stage, for the benchmark."""

    layout: float = 0.0
    schreiben: float = 0.0
    seiten: int = 0
    extra: dict[str, float] = field(default_factory=dict)


def _pdfua_finisher(document: Document, pdf: pydyf.PDF) -> None:
    """Add the PDF/UA-1 identification inside WeasyPrint's one rdf:RDF and ask viewers to show the title."""
    referenz = int(pdf.catalog["Metadata"].split()[0])
    stream = pdf.objects[referenz]
    inhalt = b"".join(teil if isinstance(teil, bytes) else str(teil).encode() for teil in stream.stream)
    stream.stream = [inhalt.replace(b"</rdf:RDF>", _PDFUA_XMP + b"</rdf:RDF>", 1)]
    pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})


def layout_pdf(*, html: str, base_url: str) -> Document:
    """Lay out the pages (the expensive part). Variant options apply here too (colour profile)."""
    return WeasyHTML(string=html, base_url=base_url).render(pdf_variant=PDF_VARIANTE)


def write_pdf(*, document: Document, ziel: io.BufferedWriter, anhaenge: list[Anhang], datenstand: dt.datetime) -> None:
    """Write the laid-out document as PDF/A-3a with the PDF/UA-1 identification and the attachments."""
    zeit = datenstand.astimezone(dt.UTC).replace(tzinfo=None)
    dateien = [
        Attachment(
            file_obj=io.BytesIO(anhang.inhalt),
            name=anhang.dateiname,
            description=anhang.beschreibung,
            created=zeit,
            modified=zeit,
            relationship="Data",
        )
        for anhang in anhaenge
    ]
    document.write_pdf(ziel, pdf_variant=PDF_VARIANTE, attachments=dateien, finisher=_pdfua_finisher)


def render_pdf(
    *,
    html: str,
    base_url: str,
    ziel: io.BufferedWriter,
    anhaenge: list[Anhang],
    datenstand: dt.datetime,
    vor_schreiben: Callable[[], None] | None = None,
) -> int:
    """Lay out and write; returns the page count. `vor_schreiben` reports the step between the two."""
    document = layout_pdf(html=html, base_url=base_url)
    if vor_schreiben is not None:
        vor_schreiben()
    write_pdf(document=document, ziel=ziel, anhaenge=anhaenge, datenstand=datenstand)
    return len(document.pages)
