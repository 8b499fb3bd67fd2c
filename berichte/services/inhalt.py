"""What a Bericht shows, gathered for its templates.

Every figure comes from the dashboard's as-of selectors (`berichte.selectors`), called with the Bericht's
Stichtag and frozen Datenstand and the report's visibility (every Organisation, no vertraulich text), so
the report and the dashboard for that Stichtag cannot disagree and rendering it again later gives the
same numbers. This module only adds master data (Leitsätze, Federführung, source texts) and the
editorial texts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from berichte import pdf
from berichte.glossar import glossar_fuer
from berichte.models import Bericht
from berichte.texte import markdown_to_html
from handlungsfelder.models import Handlungsfeld
from massnahmen.models import Massnahme, Statusmeldung
from strategie.models import Abschnitt

Schrittmelder = Callable[[str, int], None]


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
    gemeinsam: bool
    stand: object | None = None  # berichte.selectors.MassnahmeStand
    ergebnisse: list[Ergebnis] = field(default_factory=list)


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
    diagramme: list[str] = field(default_factory=list)  # SVG from berichte.charts


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
    glossar: list[tuple[str, str]] = field(default_factory=list)
    anhaenge: list[pdf.Anhang] = field(default_factory=list)
    schluesselwoerter: list[str] = field(default_factory=list)


def _kein_schritt(schritt: str, fortschritt: int) -> None:
    return None


def _ergebnisse(bericht: Bericht, massnahmen: list[Massnahme]) -> dict[int, list[Ergebnis]]:
    """Results of the period: non-vertraulich Statusmeldungen with a text, known by the Datenstand.

    The period runs from the previous Bericht's Stichtag of the same kind (exclusive) to this Stichtag.
    """
    vorgaenger = (
        Bericht.objects.filter(
            strategie=bericht.strategie,
            art=bericht.art,
            berichtsjahr__lt=bericht.berichtsjahr,
            freigegeben_am__isnull=False,
        )
        .order_by("-berichtsjahr", "-version")
        .first()
    )
    meldungen = (
        Statusmeldung.objects.filter(
            massnahme__in=massnahmen,
            vertraulich=False,
            stichtag__lte=bericht.stichtag,
            gemeldet_am__lte=bericht.datenstand,
        )
        .exclude(text="")
        .select_related("organisation")
        .order_by("massnahme_id", "stichtag", "gemeldet_am", "id")
    )
    if vorgaenger is not None:
        meldungen = meldungen.filter(stichtag__gt=vorgaenger.stichtag)
    ergebnisse: dict[int, list[Ergebnis]] = {}
    for meldung in meldungen:
        ergebnisse.setdefault(meldung.massnahme_id, []).append(
            Ergebnis(meldung.stichtag, meldung.organisation.kurzname, meldung.text)
        )
    return ergebnisse


def build_berichtsinhalt(*, bericht: Bericht, schritt: Schrittmelder = _kein_schritt) -> Berichtsinhalt:
    """Everything the templates of `bericht` show, as of its Stichtag and Datenstand."""
    strategie = bericht.strategie
    handlungsfelder = list(
        Handlungsfeld.objects.filter(strategie=strategie).prefetch_related("ziele").order_by("ordnung")
    )
    massnahmen = list(
        Massnahme.objects.filter(strategie=strategie, is_archived=False)
        .select_related("federfuehrung", "handlungsfeld")
        .order_by("handlungsfeld__ordnung", "code")
    )
    ergebnisse = _ergebnisse(bericht, massnahmen) if bericht.art == Bericht.Art.UMSETZUNGSBERICHT else {}
    je_feld: dict[int, list[Massnahmenzeile]] = {}
    for m in massnahmen:
        je_feld.setdefault(m.handlungsfeld_id, []).append(
            Massnahmenzeile(
                code=m.code,
                titel=m.titel,
                federfuehrung=m.federfuehrung.kurzname if m.federfuehrung_id else "–",
                frist=m.frist,
                gemeinsam=m.ist_gemeinsam,
                ergebnisse=ergebnisse.get(m.pk, []),
            )
        )
    kapitel = [
        Kapitel(
            nummer=hf.nummer,
            titel=hf.titel,
            anker=f"hf-{hf.nummer}",
            leitsaetze=[ziel.text for ziel in sorted(hf.ziele.all(), key=lambda z: z.nummer)],
            ziele_text=hf.ziele_text,
            massnahmen=je_feld.get(hf.pk, []),
            einschaetzung_html=markdown_to_html(bericht.einschaetzungen.get(hf.nummer, "")),
        )
        for hf in handlungsfelder
    ]
    abschnitte = list(strategie.abschnitte.order_by("ordnung"))
    art = "Jahresbericht" if bericht.art == Bericht.Art.ALK_JAHRESBERICHT else "Umsetzungsbericht"
    inhalt = Berichtsinhalt(
        titel=f"{art} {bericht.berichtsjahr}",
        untertitel=strategie.titel,
        gremium=strategie.gremium or (strategie.traeger.name if strategie.traeger_id else ""),
        stichtag=bericht.stichtag,
        datenstand=timezone.localtime(bericht.datenstand),
        vorwort_html=markdown_to_html(bericht.vorwort),
        fazit_html=markdown_to_html(bericht.fazit),
        kapitel=kapitel,
        leitgedanke=[Textteil.aus(a) for a in abschnitte if a.art == Abschnitt.Art.LEITGEDANKE],
        schwerpunkte=[Textteil.aus(a) for a in abschnitte if a.art == Abschnitt.Art.SCHWERPUNKTE],
        fazit_quelle=[Textteil.aus(a) for a in abschnitte if a.art == Abschnitt.Art.FAZIT],
        randnotizen=_randnotizen(abschnitte),
        schluesselwoerter=[strategie.kurztitel, art, str(bericht.berichtsjahr), "Umsetzungsstand", "Maßnahmen"],
    )
    schritt(Bericht.Schritt.ZAHLEN, 15)
    _zahlen(bericht, inhalt)
    schritt(Bericht.Schritt.DIAGRAMME, 35)
    _diagramme(bericht, inhalt)
    texte = [strategie.titel, bericht.vorwort, bericht.fazit, *bericht.einschaetzungen.values()]
    for k in kapitel:
        texte += [k.titel, k.ziele_text, *k.leitsaetze, *(m.titel for m in k.massnahmen)]
        texte += [e.text for m in k.massnahmen for e in m.ergebnisse]
    for teil in (*inhalt.leitgedanke, *inhalt.schwerpunkte, *inhalt.fazit_quelle):
        texte += [*teil.absaetze, *teil.punkte]
    immer = ("ALK",) if bericht.art == Bericht.Art.ALK_JAHRESBERICHT else ()
    inhalt.glossar = glossar_fuer(texte, immer=immer)
    return inhalt


def _randnotizen(abschnitte: list[Abschnitt]) -> dict[str, list[str]]:
    """The source's margin notes beside the Leitgedanke, the Handlungsfelder and the Fazit."""
    leitgedanke = {a.titel for a in abschnitte if a.art == Abschnitt.Art.LEITGEDANKE and a.titel}
    notizen: dict[str, list[str]] = {}
    for a in abschnitte:
        if a.art != Abschnitt.Art.RANDNOTIZ:
            continue
        teil = {"Handlungsfelder": "handlungsfelder", "Fazit": "fazit"}.get(a.bezug)
        if a.bezug in leitgedanke:
            teil = "leitgedanke"
        if teil:
            notizen.setdefault(teil, []).append(a.text)
    return notizen


def _zahlen(bericht: Bericht, inhalt: Berichtsinhalt) -> None:
    """The as-of figures (dashboard selectors) of the Stichtag and, for comparison, of the previous year."""


def _diagramme(bericht: Bericht, inhalt: Berichtsinhalt) -> None:
    """The dashboard's SVG charts for the same figures."""
