"""What the as-of selectors return: plain dataclasses that the dashboard, the Organisationsprofil, the exports
and the PDF render, and the counting rules they follow (ZAEHLREGELN)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from berichte.selectors.sql import KEINE_MELDUNG, NICHT_BETEILIGT
from berichte.selectors.stand import Zeitpunkt
from berichte.selectors.summen import Aenderungssummen
from massnahmen.models import ERSTE_ROTE, Ampel, Status

# The counting rules, stated once: the page and the PDF print them; the SQL of berichte.selectors.sql applies them
# to each pair, berichte.selectors.kennzahlen.summieren to each Maßnahme.
ZAEHLREGELN = (
    "Gezählt wird je Maßnahme und Organisation die letzte Statusmeldung mit Stichtag bis zum gewählten Tag, "
    "die bis zum Datenstand gemeldet war; eine spätere Korrektur zum selben Stichtag ersetzt die frühere.",
    "Entfällt zählt nicht im Nenner; Entwürfe zählen nicht.",
    "Eine Organisation zählt ab dem Tag ihrer Beteiligung; wie die Beteiligung am Stichtag stand, zeigt ihr "
    "Änderungsverlauf.",
    "Eine Maßnahme zählt an jedem Stichtag, wie die Strategie damals war: Nimmt eine spätere Fassung sie heraus oder "
    "ordnet sie einem anderen Handlungsfeld zu, ändert das die Stichtage davor nicht.",
    "Vertrauliche Meldungen zählen mit; ihren Text lesen nur die meldende Organisation und die Geschäftsstelle.",
    "Eine Maßnahme je Organisation ist umgesetzt, wenn alle Organisationen im Nenner sie umgesetzt haben; "
    "sonst gilt der am weitesten gediehene Stand (in Umsetzung vor in Planung vor zurückgestellt vor nicht "
    "begonnen).",
    "Überfällig ist eine Maßnahme nach ihrer Frist, wie sie am Stichtag galt, solange sie nicht umgesetzt ist; "
    "veraltet ist ein offener Stand, dessen Stichtag länger als das Berichtsintervall der Strategie zurückliegt.",
)
TERMINE_TAGE = 90

# Zustände of a cell beyond the Status values: KEINE_MELDUNG, NICHT_BETEILIGT (see berichte.selectors.sql)
ZUSTAENDE: dict[str, tuple[str, str]] = {  # value -> (label, symbol); the symbol is decoration beside the text
    Status.UMGESETZT: ("umgesetzt", "✔"),
    Status.IN_UMSETZUNG: ("in Umsetzung", "◑"),
    Status.IN_PLANUNG: ("in Planung", "○"),
    Status.NICHT_BEGONNEN: ("nicht begonnen", "–"),
    Status.ZURUECKGESTELLT: ("zurückgestellt", "⏸"),
    Status.ENTFAELLT: ("entfällt", "⊘"),
    KEINE_MELDUNG: ("keine Meldung", "?"),
    NICHT_BETEILIGT: ("noch nicht beteiligt", "·"),
}
STATUSFOLGE = [
    Status.UMGESETZT,
    Status.IN_UMSETZUNG,
    Status.IN_PLANUNG,
    Status.NICHT_BEGONNEN,
    Status.ZURUECKGESTELLT,
    Status.ENTFAELLT,
]
AMPELN = {Ampel.ROT: ("kritisch", "▲"), Ampel.GELB: ("gefährdet", "◆"), Ampel.GRUEN: ("im Plan", "●")}
ABGESCHLOSSEN = {Status.UMGESETZT, Status.ENTFAELLT}


def zustand_label(zustand: str) -> str:
    return ZUSTAENDE.get(zustand, (zustand, ""))[0]


@dataclass(frozen=True)
class Filter:
    """What the figures are restricted to. Organisation filters apply to the Maßnahmen je Organisation; a
    gemeinsame Maßnahme is then left out. Status keeps the Maßnahmen in that overall status, Ampel those with a
    pair in that Ampel."""

    handlungsfeld_ids: frozenset[int] = frozenset()
    organisation_ids: frozenset[int] | None = None
    status: str = ""
    ampel: str = ""

    def fuer(self, details: bool) -> Filter:
        """What a reader may filter by: without details, nothing that narrows the figures down to Organisationen."""
        return self if details else Filter(self.handlungsfeld_ids, None, self.status, self.ampel)

    def ohne_auswahl(self) -> Filter:
        """Handlungsfelder and Organisationen only, without the status and Ampel choice: the Maßnahmen an earlier
        Zeitpunkt is compared over."""
        return Filter(self.handlungsfeld_ids, self.organisation_ids)


@dataclass(frozen=True)
class OrganisationInfo:
    id: int
    kennung: str
    kurzname: str
    name: str
    art: str
    art_label: str


@dataclass(frozen=True)
class Zelle:
    """One pair in the matrix and the profile."""

    zustand: str  # a Status value, KEINE_MELDUNG or NICHT_BETEILIGT
    fortschritt: int | None
    ampel: str
    stichtag: dt.date | None
    veraltet: bool
    im_nenner: bool

    @property
    def label(self) -> str:
        return zustand_label(self.zustand)

    @property
    def symbol(self) -> str:
        return ZUSTAENDE[self.zustand][1]

    @property
    def ampel_label(self) -> str:
        return AMPELN[self.ampel][0] if self.ampel in AMPELN else ""


@dataclass
class MassnahmeStand:
    id: int
    code: str
    titel: str
    handlungsfeld_id: int | None  # None: a Maßnahme of the strategy as a whole
    handlungsfeld_nummer: str | None
    gemeinsam: bool
    beginn: dt.date | None
    frist: dt.date | None
    frist_herkunft: str  # how the data file took the Frist from its source (Massnahme.Herkunft)
    status: str = Status.NICHT_BEGONNEN  # overall, see ZAEHLREGELN
    nenner: int = 0
    umgesetzt: int = 0
    entfallen: int = 0
    noch_nicht_beteiligt: int = 0
    verteilung: dict[str, int] = field(default_factory=dict)  # pairs in the Nenner by Zustand
    ampeln: dict[str, int] = field(default_factory=dict)
    fortschritt: int = 0  # mean over the Nenner, a missing figure counting 0
    ueberfaellig: bool = False
    veraltet: int = 0  # pairs
    ampel: str = ""  # gemeinsam: its Ampel; je Organisation: the worst one reported

    @property
    def status_label(self) -> str:
        return zustand_label(self.status)

    @property
    def ampel_label(self) -> str:
        return AMPELN[self.ampel][0] if self.ampel in AMPELN else ""

    @property
    def quote(self) -> str:
        """ "15 von 24" for a Maßnahme je Organisation."""
        return f"{self.umgesetzt} von {self.nenner}"


@dataclass
class Kennzahlen:
    massnahmen: int = 0
    nach_status: dict[str, int] = field(default_factory=dict)  # Maßnahmen by overall status, STATUSFOLGE order
    ueberfaellig: int = 0
    veraltet: int = 0  # Maßnahmen with at least one veraltet state
    je_organisation: int = 0
    paare_nenner: int = 0
    paare_umgesetzt: int = 0

    def anzahl(self, status: str) -> int:
        return self.nach_status.get(status, 0)

    @property
    def zeilen(self) -> list[tuple[str, str, int]]:
        """(key, label, value) in the order the page and the PDF show them."""
        zeilen = [("massnahmen", "Maßnahmen insgesamt", self.massnahmen)]
        zeilen += [(s, zustand_label(s), self.anzahl(s)) for s in STATUSFOLGE]
        zeilen += [("ueberfaellig", "überfällig", self.ueberfaellig), ("veraltet", "veraltet", self.veraltet)]
        return zeilen


@dataclass
class HandlungsfeldStand:
    id: int
    nummer: str
    titel: str
    massnahmen: int = 0
    nach_status: dict[str, int] = field(default_factory=dict)
    fortschritt: int = 0
    umgesetzt: int = 0
    ueberfaellig: int = 0


MATRIX_ZELLEN_JE_SEITE = 2_000  # one screen of the dashboard's matrix (a national strategy has 400 × 200 = 80,000)
MATRIX_SPALTEN_UNGEFILTERT = 60  # wider than this and beyond one screen, the matrix asks for a Handlungsfeld first


@dataclass(frozen=True)
class Matrixausschnitt:
    """The rows one page of the dashboard shows: all of them at the size of a Land, a page of Organisationen when
    the matrix would run to tens of thousands of cells, none while it is too wide (`zu_breit`)."""

    zeilen: list[tuple[OrganisationInfo, list[Zelle | None]]]
    seite: int
    seiten: int
    erste: int  # number of the page's first Organisation, counted from 1
    letzte: int
    organisationen: int
    zu_breit: bool = False

    @property
    def geteilt(self) -> bool:
        return self.seiten > 1


ZEILEN_JE_SEITE = 50  # rows of a long dashboard table per page (a national strategy: 200 Maßnahmen, 400 Kreise)


@dataclass(frozen=True)
class Seite:
    """One page of a long table on the dashboard: its rows, and where they stand among all (the exports and the
    report hold every row)."""

    zeilen: list
    seite: int
    seiten: int
    erste: int  # number of the page's first row, counted from 1
    letzte: int
    anzahl: int

    @property
    def geteilt(self) -> bool:
        return self.seiten > 1

    @classmethod
    def aus(cls, alle: list, seite: int, je_seite: int | None = None) -> Seite:
        """Page `seite` of `alle` (clamped to the pages there are), ZEILEN_JE_SEITE rows each unless said."""
        je_seite = je_seite or ZEILEN_JE_SEITE
        seiten = max(1, -(-len(alle) // je_seite))
        seite = min(max(seite, 1), seiten)
        start = (seite - 1) * je_seite
        zeilen = alle[start : start + je_seite]
        return cls(zeilen, seite, seiten, start + 1, start + len(zeilen), len(alle))


@dataclass
class Matrix:
    """Organisation × Maßnahme je Organisation. The cells are read when first asked for: those of one page's rows
    (`ausschnitt`), or all of them (`zeile`, `als_liste`), each in one query."""

    massnahmen: list[MassnahmeStand]
    organisationen: list[OrganisationInfo]
    # reads the cells of these Organisationen (None: of every row): {(massnahme_id, organisation_id): Zelle}
    lade_zellen: Callable[[list[int] | None], dict[tuple[int, int], Zelle]] = field(repr=False, compare=False)
    _zellen: dict[tuple[int, int], Zelle] = field(default_factory=dict, init=False, repr=False, compare=False)
    _geladen: set[int] = field(default_factory=set, init=False, repr=False, compare=False)

    def _laden(self, organisation_ids: list[int] | None) -> None:
        if organisation_ids is None:
            if len(self._geladen) < len(self.organisationen):
                self._zellen = self.lade_zellen(None)
                self._geladen = {o.id for o in self.organisationen}
            return
        fehlend = [o for o in organisation_ids if o not in self._geladen]
        if fehlend:
            self._zellen.update(self.lade_zellen(fehlend))
            self._geladen.update(fehlend)

    def zeile(self, organisation_id: int) -> list[Zelle | None]:
        if organisation_id not in self._geladen:
            self._laden(None)
        return [self._zellen.get((m.id, organisation_id)) for m in self.massnahmen]

    def ausschnitt(self, seite: int = 1) -> Matrixausschnitt:
        """Page `seite` (clamped) of the rows: about MATRIX_ZELLEN_JE_SEITE cells, at least ten rows."""
        spalten, anzahl = len(self.massnahmen), len(self.organisationen)
        zellen_je_seite = MATRIX_ZELLEN_JE_SEITE
        if spalten > MATRIX_SPALTEN_UNGEFILTERT and spalten * anzahl > zellen_je_seite:
            return Matrixausschnitt([], 1, 1, 0, 0, anzahl, zu_breit=True)
        teil = Seite.aus(self.organisationen, seite, je_seite=max(10, zellen_je_seite // max(spalten, 1)))
        self._laden([o.id for o in teil.zeilen])
        return Matrixausschnitt(
            [(o, self.zeile(o.id)) for o in teil.zeilen], teil.seite, teil.seiten, teil.erste, teil.letzte, anzahl
        )

    @property
    def als_liste(self) -> list[tuple[MassnahmeStand, Zelle | None]]:
        """The matrix of a strategy with one Organisation, collapsed to a list of its Maßnahmen."""
        if not self.organisationen:
            return []
        return list(zip(self.massnahmen, self.zeile(self.organisationen[0].id), strict=True))


@dataclass
class Vollstaendigkeit:
    organisation: OrganisationInfo
    geschuldet: int
    eingegangen: int
    veraltet: int
    ueberfaellig: int
    letzte_meldung: dt.datetime | None


@dataclass(frozen=True)
class Runde:
    id: int
    titel: str
    stichtag: dt.date
    offen: bool


@dataclass
class RoteAmpel:
    massnahme: MassnahmeStand
    organisation: OrganisationInfo | None  # None: not shown to this reader, or gemeinsam without report
    risiken: str | None  # None: vertraulich and not readable, or none given
    vertraulich: bool
    sachstand: str | None = None  # likewise
    stichtag: dt.date | None = None


ROTE_AMPELN_EINZELN = 60  # up to this many red Ampeln are listed one by one; beyond, one row per Maßnahme
ROTE_AMPELN_NAMEN = ERSTE_ROTE  # Organisationen named per Maßnahme in that row (as many as Standsummen keep)


@dataclass
class RoteAmpelGruppe:
    """The red Ampeln of one Maßnahme, when there are too many to list each (a national strategy): how many, the
    first few Organisationen by name; each one with its Risiken is in the export (and the report's attachment)."""

    massnahme: MassnahmeStand
    anzahl: int
    namen: list[str]

    @property
    def weitere(self) -> int:
        return self.anzahl - len(self.namen)

    @property
    def namen_text(self) -> str:
        """ "Alzey-Worms, Kusel und 12 weitere" as the page and the report print it; "–" when none may be named."""
        if not self.namen:
            return "–"
        return ", ".join(self.namen) + (f" und {self.weitere} weitere" if self.weitere else "")


@dataclass
class Termin:
    datum: dt.date
    art: str  # "Frist" | "Meilenstein"
    massnahme: MassnahmeStand
    titel: str


@dataclass
class Uebersicht:
    """Everything the dashboard shows for one Zeitpunkt."""

    strategie_id: int
    zeitpunkt: Zeitpunkt
    filter: Filter
    details: bool
    kennzahlen: Kennzahlen
    handlungsfelder: list[HandlungsfeldStand]
    massnahmen: list[MassnahmeStand]
    matrix: Matrix | None  # None without details
    vollstaendigkeit: list[Vollstaendigkeit]  # empty without details
    runde: Runde | None  # the round Vollständigkeit refers to
    runden: list[Runde]
    rote_ampeln_anzahl: int  # red Ampeln in the Nenner
    lade_rote_ampeln: Callable[[], list[RoteAmpel]] = field(repr=False, compare=False)
    lade_rote_gruppen: Callable[[], list[RoteAmpelGruppe]] = field(repr=False, compare=False)
    ueberfaellige: list[MassnahmeStand] = field(default_factory=list)
    termine: list[Termin] = field(default_factory=list)
    zaehlregeln: tuple[str, ...] = ZAEHLREGELN
    # the earlier Zeitpunkt named to read_uebersicht and what read_veraenderung needs of it
    aenderungen: tuple[Zeitpunkt, Aenderungssummen] | None = field(default=None, repr=False, compare=False)

    @cached_property
    def rote_ampeln(self) -> list[RoteAmpel]:
        """Each red Ampel with its Risiken (read when first asked for: the page lists them only when there are few)."""
        return self.lade_rote_ampeln()

    @cached_property
    def rote_ampeln_je_massnahme(self) -> list[RoteAmpelGruppe]:
        """The red Ampeln one row per Maßnahme when there are too many to list each (dashboard and report), else []."""
        if self.rote_ampeln_anzahl <= ROTE_AMPELN_EINZELN:
            return []
        return self.lade_rote_gruppen()


# --- change between two Zeitpunkte ----------------------------------------------------------------------------


@dataclass
class Aenderung:
    massnahme: MassnahmeStand
    organisation: OrganisationInfo | None  # None: the Maßnahme as a whole
    vorher: Zelle | None
    nachher: Zelle | None
    status_geaendert: bool
    ampel_geaendert: bool
    fortschritt_geaendert: bool


@dataclass
class Veraenderung:
    seit: Zeitpunkt
    bis: Zeitpunkt
    massnahmen: list[Aenderung]  # per Maßnahme: overall status, worst Ampel or mean progress changed
    lade_paare: Callable[[], list[Aenderung]] = field(repr=False, compare=False)
    neue_rote: list[MassnahmeStand] = field(default_factory=list)  # a red Ampel now that had none then
    neu_ueberfaellig: list[MassnahmeStand] = field(default_factory=list)
    je_handlungsfeld: dict[str, int] = field(default_factory=dict)  # Handlungsfeld number -> changed Maßnahmen
    je_organisation: list[tuple[OrganisationInfo, int]] = field(default_factory=list)  # changed pairs per Organisation

    @cached_property
    def paare(self) -> list[Aenderung]:
        """Per Organisation each changed pair (empty without details): read when first asked for (the export)."""
        return self.lade_paare()
