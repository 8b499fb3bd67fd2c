"""Accessible, deterministic SVG charts for the dashboard and the PDF report: one code path for both.

Every chart is an inline `<svg role="img">` with `<title>` (WeasyPrint uses it as the figure's alternative
text) and `<desc>`, text as `<text>`, colours only in addition to patterns and direct labels (readable in
greyscale), presentation attributes instead of `style` (CSP), and ids derived from the `kennung` the caller
gives, so the same data gives byte-identical output. Each returns a `Diagramm` whose `tabelle` holds the same
figures for the table beside the chart (template `berichte/partials/diagramm.html`).

Public:
- `gestapelte_balken(kennung=, titel=, beschreibung=, zeilen=[(label, {kategorie: anzahl})], kategorien=)`:
  stacked bars, e.g. the status distribution per Handlungsfeld (`STATUS_KATEGORIEN`).
- `fortschrittsbalken(kennung=, titel=, beschreibung=, zeilen=[(label, prozent)])`: progress bars.
- `ampeluebersicht(kennung=, titel=, beschreibung=, anzahlen={ampel: anzahl})`: the Ampel overview.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BREITE = 520
SCHRIFT = 'font-family="Fira Sans, DejaVu Sans, sans-serif"'


@dataclass(frozen=True)
class Kategorie:
    """A series: label, fill colour, and a pattern that tells it apart without colour."""

    schluessel: str
    label: str
    farbe: str
    muster: str  # "voll", "streifen", "punkte", "kreuz", "quer", "leer"
    vordergrund: str = "#1a1a1a"


STATUS_KATEGORIEN = (
    Kategorie("umgesetzt", "umgesetzt", "#2f6b34", "voll"),
    Kategorie("in_umsetzung", "in Umsetzung", "#b9dcb9", "streifen", "#2f6b34"),
    Kategorie("in_planung", "in Planung", "#d5e3f5", "punkte", "#1f4e8c"),
    Kategorie("nicht_begonnen", "nicht begonnen", "#e4e4e4", "leer"),
    Kategorie("zurueckgestellt", "zurückgestellt", "#f5e1bb", "kreuz", "#7a4d00"),
    Kategorie("entfaellt", "entfällt", "#ffffff", "quer", "#666666"),
)
AMPEL_KATEGORIEN = (
    Kategorie("rot", "Rot: kritisch ▲", "#f4c7c3", "kreuz", "#a11b12"),
    Kategorie("gelb", "Gelb: gefährdet ◆", "#fbe7a6", "punkte", "#7a5b00"),
    Kategorie("gruen", "Grün: im Plan ●", "#c7e3c9", "streifen", "#2f6b34"),
)


@dataclass(frozen=True)
class Tabelle:
    kopf: tuple[str, ...]
    zeilen: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Diagramm:
    kennung: str
    titel: str
    beschreibung: str
    svg: SafeString
    tabelle: Tabelle


def _zahl(wert: float) -> str:
    """Coordinates with at most one decimal, always written the same way."""
    text = f"{wert:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _muster(kennung: str, k: Kategorie) -> str:
    pid = f"{kennung}-m-{k.schluessel}"
    kopf = f'<pattern id="{pid}" patternUnits="userSpaceOnUse" width="8" height="8">'
    grund = f'<rect width="8" height="8" fill="{k.farbe}"/>'
    linie = f'stroke="{k.vordergrund}" stroke-width="1.5"'
    zeichnung = {
        "voll": "",
        "leer": "",
        "streifen": f'<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" {linie}/>',
        "punkte": f'<circle cx="4" cy="4" r="1.6" fill="{k.vordergrund}"/>',
        "kreuz": f'<path d="M0,0 l8,8 M8,0 l-8,8" {linie}/>',
        "quer": f'<path d="M0,4 h8" {linie}/>',
    }[k.muster]
    return f"{kopf}{grund}{zeichnung}</pattern>"


def _kopf(kennung: str, titel: str, beschreibung: str, hoehe: float, kategorien=()) -> str:
    defs = "".join(_muster(kennung, k) for k in kategorien)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{kennung}-titel {kennung}-desc" '
        f'viewBox="0 0 {BREITE} {_zahl(hoehe)}" width="100%" class="diagramm__svg" focusable="false">'
        f'<title id="{kennung}-titel">{escape(titel)}</title><desc id="{kennung}-desc">{escape(beschreibung)}</desc>'
        + (f"<defs>{defs}</defs>" if defs else "")
    )


def _text(x: float, y: float, inhalt: str, *, groesse: int = 16, anker: str = "start", fett: bool = False) -> str:
    gewicht = ' font-weight="600"' if fett else ""
    return (
        f'<text x="{_zahl(x)}" y="{_zahl(y)}" font-size="{groesse}" text-anchor="{anker}" fill="#1a1a1a"{gewicht} '
        f"{SCHRIFT}>{escape(inhalt)}</text>"
    )


def _umbrechen(text: str, zeichen: int = 52) -> list[str]:
    """Split a label into lines that fit the chart's width (SVG text does not wrap)."""
    zeilen, aktuell = [], ""
    for wort in text.split():
        if aktuell and len(aktuell) + 1 + len(wort) > zeichen:
            zeilen.append(aktuell)
            aktuell = wort
        else:
            aktuell = f"{aktuell} {wort}".strip()
    return [*zeilen, aktuell] if aktuell else zeilen or [""]


def _beschriftung(y: float, label: str) -> tuple[str, float]:
    """A bold row label over one or more lines; returns markup and the height used."""
    zeilen = _umbrechen(label)
    return "".join(_text(0, y + 15 + 19 * i, z, fett=True) for i, z in enumerate(zeilen)), 22 + 19 * (len(zeilen) - 1)


def _legende(kennung: str, kategorien, y: float) -> tuple[str, float]:
    """Swatches with their labels, wrapped over lines; returns markup and the height used."""
    teile, x, zeile = [], 0.0, 0
    for k in kategorien:
        breite = 30 + 8.5 * len(k.label)
        if x and x + breite > BREITE:
            x, zeile = 0.0, zeile + 1
        oben = y + zeile * 24
        teile.append(
            f'<rect x="{_zahl(x)}" y="{_zahl(oben)}" width="18" height="18" fill="url(#{kennung}-m-{k.schluessel})" '
            f'stroke="#1a1a1a" stroke-width="1"/>'
        )
        teile.append(_text(x + 24, oben + 14, k.label, groesse=15))
        x += breite
    return "".join(teile), (zeile + 1) * 24


def gestapelte_balken(
    *,
    kennung: str,
    titel: str,
    beschreibung: str,
    zeilen: list[tuple[str, dict[str, int]]],
    kategorien: tuple[Kategorie, ...] = STATUS_KATEGORIEN,
) -> Diagramm:
    """One bar per row, split into the categories; every segment is labelled with its count when it has room."""
    teile, y = [], 0.0
    for label, werte in zeilen:
        summe = sum(werte.get(k.schluessel, 0) for k in kategorien)
        markup, hoehe = _beschriftung(y, f"{label} ({summe})")
        teile.append(markup)
        y += hoehe
        x = 0.0
        for k in kategorien:
            anzahl = werte.get(k.schluessel, 0)
            if not anzahl:
                continue
            breite = BREITE * anzahl / summe
            teile.append(
                f'<rect x="{_zahl(x)}" y="{_zahl(y)}" width="{_zahl(breite)}" height="26" '
                f'fill="url(#{kennung}-m-{k.schluessel})" stroke="#1a1a1a" stroke-width="1"/>'
            )
            if breite >= 26:
                mitte = x + breite / 2
                kasten = 8 + 8 * len(str(anzahl))
                teile.append(
                    f'<rect x="{_zahl(mitte - kasten / 2)}" y="{_zahl(y + 4)}" width="{_zahl(kasten)}" height="18" '
                    f'fill="#ffffff" stroke="#1a1a1a" stroke-width="0.5"/>'
                )
                teile.append(_text(mitte, y + 18, str(anzahl), groesse=14, anker="middle"))
            x += breite
        if not summe:
            teile.append(
                f'<rect x="0" y="{_zahl(y)}" width="{BREITE}" height="26" fill="#ffffff" stroke="#1a1a1a" '
                f'stroke-width="1" stroke-dasharray="4 3"/>'
            )
            teile.append(_text(8, y + 18, "keine Maßnahmen", groesse=13))
        y += 38
    legende, hoehe = _legende(kennung, kategorien, y + 4)
    y += hoehe + 8
    svg = _kopf(kennung, titel, beschreibung, y, kategorien) + "".join(teile) + legende + "</svg>"
    tabelle = Tabelle(
        kopf=("", *(k.label for k in kategorien), "insgesamt"),
        zeilen=tuple(
            (
                label,
                *(str(werte.get(k.schluessel, 0)) for k in kategorien),
                str(sum(werte.get(k.schluessel, 0) for k in kategorien)),
            )
            for label, werte in zeilen
        ),
    )
    return Diagramm(kennung, titel, beschreibung, mark_safe(svg), tabelle)  # noqa: S308 - built from escaped text


def fortschrittsbalken(*, kennung: str, titel: str, beschreibung: str, zeilen: list[tuple[str, int]]) -> Diagramm:
    """One bar per row from 0 to 100 %, with the share written beside it."""
    teile, y, skala = [], 0.0, BREITE - 70
    for label, prozent in zeilen:
        prozent = max(0, min(100, prozent))
        markup, hoehe = _beschriftung(y, label)
        teile.append(markup)
        y += hoehe
        teile.append(
            f'<rect x="0" y="{_zahl(y)}" width="{skala}" height="20" fill="#ffffff" stroke="#1a1a1a" '
            f'stroke-width="1"/>'
        )
        if prozent:
            teile.append(
                f'<rect x="0" y="{_zahl(y)}" width="{_zahl(skala * prozent / 100)}" height="20" fill="#2f6b34" '
                f'stroke="#1a1a1a" stroke-width="1"/>'
            )
        teile.append(_text(skala + 10, y + 15, f"{prozent} %", groesse=14))
        y += 32
    svg = _kopf(kennung, titel, beschreibung, max(y, 20)) + "".join(teile) + "</svg>"
    tabelle = Tabelle(kopf=("", "Fortschritt in Prozent"), zeilen=tuple((label, str(p)) for label, p in zeilen))
    return Diagramm(kennung, titel, beschreibung, mark_safe(svg), tabelle)  # noqa: S308 - built from escaped text


def ampeluebersicht(*, kennung: str, titel: str, beschreibung: str, anzahlen: dict[str, int]) -> Diagramm:
    """One bar per Ampel, scaled to the largest, labelled with symbol, word and count."""
    groesste = max([anzahlen.get(k.schluessel, 0) for k in AMPEL_KATEGORIEN] + [1])
    teile, y, skala = [], 0.0, BREITE - 230
    for k in AMPEL_KATEGORIEN:
        anzahl = anzahlen.get(k.schluessel, 0)
        teile.append(_text(0, y + 19, k.label, fett=True))
        teile.append(
            f'<rect x="170" y="{_zahl(y)}" width="{_zahl(max(2.0, skala * anzahl / groesste))}" height="26" '
            f'fill="url(#{kennung}-m-{k.schluessel})" stroke="#1a1a1a" stroke-width="1"/>'
        )
        teile.append(_text(180 + max(2.0, skala * anzahl / groesste), y + 19, str(anzahl)))
        y += 36
    svg = _kopf(kennung, titel, beschreibung, y, AMPEL_KATEGORIEN) + "".join(teile) + "</svg>"
    tabelle = Tabelle(
        kopf=("Ampel", "Anzahl"),
        zeilen=tuple((k.label.rsplit(" ", 1)[0], str(anzahlen.get(k.schluessel, 0))) for k in AMPEL_KATEGORIEN),
    )
    return Diagramm(kennung, titel, beschreibung, mark_safe(svg), tabelle)  # noqa: S308 - built from escaped text


def diagramme_fuer_uebersicht(uebersicht, *, praefix: str = "diagramm") -> dict[str, Diagramm]:
    """The dashboard's (and the report's) three charts for a `berichte.selectors.Uebersicht`."""
    stichtag = uebersicht.zeitpunkt.stichtag.strftime("%d.%m.%Y")
    felder = uebersicht.handlungsfelder
    ampeln = {a: sum(m.ampeln.get(a, 0) for m in uebersicht.massnahmen) for a in ("rot", "gelb", "gruen")}
    return {
        "status": gestapelte_balken(
            kennung=f"{praefix}-status",
            titel=f"Status der Maßnahmen je Handlungsfeld am {stichtag}",
            beschreibung="Gestapelte Balken: je Handlungsfeld die Zahl der Maßnahmen nach Status. "
            + "; ".join(
                f"{h.nummer} {h.titel}: "
                + ", ".join(f"{n} {k.label}" for k in STATUS_KATEGORIEN if (n := h.nach_status.get(k.schluessel)))
                for h in felder
            ),
            zeilen=[(f"{h.nummer} {h.titel}", h.nach_status) for h in felder],
        ),
        "fortschritt": fortschrittsbalken(
            kennung=f"{praefix}-fortschritt",
            titel=f"Mittlerer Fortschritt je Handlungsfeld am {stichtag}",
            beschreibung="Balken von 0 bis 100 Prozent: "
            + "; ".join(f"{h.nummer} {h.titel}: {h.fortschritt} Prozent" for h in felder),
            zeilen=[(f"{h.nummer} {h.titel}", h.fortschritt) for h in felder],
        ),
        "ampeln": ampeluebersicht(
            kennung=f"{praefix}-ampeln",
            titel=f"Ampeln der gezählten Meldungen am {stichtag}",
            beschreibung=f"Rot (kritisch): {ampeln['rot']}, Gelb (gefährdet): {ampeln['gelb']}, "
            f"Grün (im Plan): {ampeln['gruen']}.",
            anzahlen=ampeln,
        ),
    }
