"""The content of a Bericht as its templates read it: chapters, Maßnahmen, results, the annex matrix.

`berichte.services.inhalt` fills these types from the Bericht and the as-of selectors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from berichte import pdf
from berichte.selectors import ZAEHLREGELN
from berichte.selectors.ergebnisse import AMPELN
from strategie.models import Abschnitt


@dataclass
class Textteil:
    """A part of the source document (Leitgedanke, Fazit, Schwerpunkte), in paragraphs and bullet points."""

    titel: str
    absaetze: list[str]
    punkte: list[str]

    @classmethod
    def aus(cls, abschnitt: Abschnitt) -> Textteil:
        absaetze = [a.strip() for a in abschnitt.text.split("\n\n") if a.strip()]
        return cls(abschnitt.titel, absaetze, list(abschnitt.punkte or []))


@dataclass
class Ergebnis:
    """A reported result (Statusmeldung) as the KGRZ report lists it: date and text, never a vertraulich one."""

    stichtag: dt.date
    organisation: str
    text: str


@dataclass
class Massnahmenzeile:
    code: str
    titel: str
    federfuehrung: str
    frist: dt.date | None
    frist_herkunft: str
    gemeinsam: bool
    stand: object | None = None  # berichte.selectors.MassnahmeStand
    ergebnisse: list[Ergebnis] = field(default_factory=list)

    @property
    def ampel_text(self) -> str:
        """The Ampel in words with its symbol: never colour alone."""
        ampel = getattr(self.stand, "ampel", "")
        return f"{AMPELN[ampel][1]} {AMPELN[ampel][0]}" if ampel in AMPELN else ""


@dataclass
class Kapitel:
    nummer: str
    titel: str
    anker: str
    leitsaetze: list[str]
    ziele_text: str
    massnahmen: list[Massnahmenzeile]
    einschaetzung_html: str
    stand: object | None = None  # berichte.selectors HandlungsfeldStand
    diagramme: list = field(default_factory=list)  # berichte.charts.Diagramm
    id: int = 0

    @property
    def ist_handlungsfeld(self) -> bool:
        """False for the chapter of the Maßnahmen of the strategy as a whole (Allgemeine Grundsätze)."""
        return bool(self.nummer)

    @property
    def ueberschrift(self) -> str:
        return f"Handlungsfeld {self.nummer}: {self.titel}" if self.nummer else self.titel

    @property
    def kurz(self) -> str:
        """As the summary's tables name the chapter: its number, or "Grundsätze"."""
        return self.nummer or "Grundsätze"


@dataclass
class Matrixzeile:
    organisation: object  # OrganisationInfo
    zellen: list  # Zelle | None per column


@dataclass
class Matrixteil:
    """One page-wide piece of the annex matrix: the Maßnahmen je Organisation of one Handlungsfeld."""

    nummer: str
    titel: str
    massnahmen: list
    zeilen: list[Matrixzeile]


MATRIX_SPALTEN = 14  # columns per piece on an A4 landscape page


@dataclass
class Berichtsinhalt:
    titel: str
    untertitel: str
    gremium: str
    stichtag: dt.date
    datenstand: dt.datetime
    vorwort_html: str
    fazit_html: str
    kapitel: list[Kapitel]
    leitgedanke: list[Textteil] = field(default_factory=list)
    schwerpunkte: list[Textteil] = field(default_factory=list)
    fazit_quelle: list[Textteil] = field(default_factory=list)
    randnotizen: dict[str, list[str]] = field(default_factory=dict)  # "leitgedanke" | "handlungsfelder" | "fazit"
    uebersicht: object | None = None  # berichte.selectors.Uebersicht
    veraenderung: object | None = None  # berichte.selectors.Veraenderung
    vergleich_text: str = ""
    diagramme: list = field(default_factory=list)  # berichte.charts.Diagramm of the summary
    matrix_teile: list[Matrixteil] = field(default_factory=list)
    zaehlregeln: tuple[str, ...] = ZAEHLREGELN
    glossar: list[tuple[str, str]] = field(default_factory=list)
    anhaenge: list[pdf.Anhang] = field(default_factory=list)
    schluesselwoerter: list[str] = field(default_factory=list)
