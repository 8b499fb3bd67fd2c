"""Every table and chart of the dashboard and the profile as CSV (UTF-8 with BOM, semicolons: as German Excel
opens it) and XLSX (openpyxl), with Stichtag, Datenstand and the filter at the top of the file.

A text cell that starts with "=", "+", "-", "@" (or a tab or carriage return) could run as a formula: in CSV it
gets a leading apostrophe, in XLSX it is stored as a string with the quote prefix, so Excel and LibreOffice show
text.

Public: `tabellen_dashboard(uebersicht, veraenderung)`, `tabellen_profil(profil)` -> {name: Exporttabelle};
`als_csv(tabelle, kopfzeilen)`, `als_xlsx(tabelle, kopfzeilen)` -> bytes; `kopfzeilen(...)`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from berichte.charts import STATUS_KATEGORIEN
from berichte.selectors.ergebnisse import STATUSFOLGE, ZAEHLREGELN, Uebersicht, Veraenderung, zustand_label
from berichte.selectors.profil import Profil
from strategie.texte import export_safe

FORMELZEICHEN = ("=", "+", "-", "@", "\t", "\r")
AMPEL_TEXT = {"rot": "Rot: kritisch", "gelb": "Gelb: gefährdet", "gruen": "Grün: im Plan", "": ""}


@dataclass
class Exporttabelle:
    name: str
    titel: str
    kopf: tuple[str, ...]
    # the rows, or what reads them: a national strategy's matrix, red Ampeln and changed pairs are read only for
    # the table that is asked for
    quelle: list[tuple] | Callable[[], list[tuple]] = field(repr=False)

    @cached_property
    def zeilen(self) -> list[tuple]:
        return self.quelle() if callable(self.quelle) else self.quelle


def _text(wert) -> str | int | float:
    """A cell as German users read it: dates 31.12.2025, times in the portal's zone, ja/nein."""
    if wert is None:
        return ""
    if isinstance(wert, bool):
        return "ja" if wert else "nein"
    if isinstance(wert, dt.datetime):
        return timezone.localtime(wert).strftime("%d.%m.%Y %H:%M")
    if isinstance(wert, dt.date):
        return wert.strftime("%d.%m.%Y")
    return export_safe(wert)  # the text rule: nothing XML 1.0 forbids, even in data stored before it


def ist_formelverdaechtig(wert) -> bool:
    return isinstance(wert, str) and wert.startswith(FORMELZEICHEN)


def kopfzeilen(
    *,
    strategie_titel: str,
    stichtag: dt.date,
    datenstand: dt.datetime,
    filter_text: str,
    vergleich: dt.date | None = None,
) -> list[tuple[str, str]]:
    zeilen = [
        ("Strategie", strategie_titel),
        ("Stichtag", _text(stichtag)),
        ("Datenstand", _text(datenstand)),
        ("Filter", filter_text or "keiner"),
    ]
    if vergleich:
        zeilen.append(("Veränderung seit", _text(vergleich)))
    zeilen.append(("Zählregeln", " ".join(ZAEHLREGELN)))
    return zeilen


def als_csv(tabelle: Exporttabelle, kopfzeilen: list[tuple[str, str]]) -> bytes:
    puffer = io.StringIO()
    schreiber = csv.writer(puffer, delimiter=";", lineterminator="\r\n")

    def zeile(werte):
        zellen = []
        for wert in werte:
            wert = _text(wert)
            zellen.append(f"'{wert}" if ist_formelverdaechtig(wert) else wert)
        schreiber.writerow(zellen)

    zeile([tabelle.titel])
    for name, wert in kopfzeilen:
        zeile([name, wert])
    zeile([])
    zeile(tabelle.kopf)
    for werte in tabelle.zeilen:
        zeile(werte)
    return "\ufeff".encode() + puffer.getvalue().encode("utf-8")


def als_xlsx(tabelle: Exporttabelle, kopfzeilen: list[tuple[str, str]]) -> bytes:
    mappe = Workbook()
    blatt = mappe.active
    blatt.title = tabelle.titel[:31].replace("/", "-").replace(":", " ")
    fett = Font(bold=True)

    def zeile(nummer: int, werte, *, hervorheben=False):
        for spalte, wert in enumerate(werte, 1):
            wert = _text(wert)
            zelle = blatt.cell(row=nummer, column=spalte, value=wert)
            if isinstance(wert, str):
                zelle.data_type = "s"  # never a formula, whatever the text starts with
                if ist_formelverdaechtig(wert):
                    zelle.quotePrefix = True
            if hervorheben:
                zelle.font = fett

    zeile(1, [tabelle.titel], hervorheben=True)
    for i, (name, wert) in enumerate(kopfzeilen, 2):
        zeile(i, [name, wert])
    start = len(kopfzeilen) + 3
    zeile(start, tabelle.kopf, hervorheben=True)
    for i, werte in enumerate(tabelle.zeilen, start + 1):
        zeile(i, werte)
    blatt.freeze_panes = blatt.cell(row=start + 1, column=2)
    puffer = io.BytesIO()
    mappe.save(puffer)
    return puffer.getvalue()


def _status_spalten() -> tuple[str, ...]:
    return tuple(k.label for k in STATUS_KATEGORIEN)


def tabellen_dashboard(uebersicht: Uebersicht, veraenderung: Veraenderung | None) -> dict[str, Exporttabelle]:
    """The dashboard's tables under their export names; tables with Organisation details only when visible."""
    u = uebersicht
    tabellen = [
        Exporttabelle(
            "kennzahlen",
            "Kennzahlen",
            ("Kennzahl", "Anzahl"),
            [(label, wert) for _, label, wert in u.kennzahlen.zeilen],
        ),
        Exporttabelle(
            "handlungsfelder",
            "Status je Handlungsfeld",
            ("Handlungsfeld", "Titel", "Maßnahmen", *_status_spalten(), "überfällig", "Fortschritt in Prozent"),
            [
                (
                    h.nummer,
                    h.titel,
                    h.massnahmen,
                    *(h.nach_status.get(s, 0) for s in STATUSFOLGE),
                    h.ueberfaellig,
                    h.fortschritt,
                )
                for h in u.handlungsfelder
            ],
        ),
        Exporttabelle(
            "massnahmen",
            "Maßnahmen",
            (
                "Kennziffer",
                "Maßnahme",
                "Handlungsfeld",
                "Umsetzungsart",
                "Status",
                "umgesetzt",
                "im Nenner",
                "entfällt",
                "noch nicht beteiligt",
                "Fortschritt in Prozent",
                "Ampel (ungünstigste)",
                "Frist",
                "überfällig",
                "veraltete Stände",
            ),
            [
                (
                    m.code,
                    m.titel,
                    m.handlungsfeld_nummer,
                    "gemeinsam" if m.gemeinsam else "je Organisation",
                    m.status_label,
                    m.umgesetzt,
                    m.nenner,
                    m.entfallen,
                    m.noch_nicht_beteiligt,
                    m.fortschritt,
                    AMPEL_TEXT[m.ampel],
                    m.frist,
                    m.ueberfaellig,
                    m.veraltet,
                )
                for m in u.massnahmen
            ],
        ),
        Exporttabelle(
            "ampeln",
            "Ampeln",
            ("Ampel", "Meldungen"),
            [(AMPEL_TEXT[a], sum(m.ampeln.get(a, 0) for m in u.massnahmen)) for a in ("rot", "gelb", "gruen")],
        ),
        Exporttabelle(
            "rote-ampeln",
            "Rote Ampeln mit Risiken",
            ("Kennziffer", "Maßnahme", "Organisation", "Stichtag", "Risiken", "Sachstand", "vertraulich"),
            lambda: [
                (
                    r.massnahme.code,
                    r.massnahme.titel,
                    r.organisation.kurzname if r.organisation else "",
                    r.stichtag,
                    r.risiken or ("(vertraulich)" if r.vertraulich and u.details else ""),
                    r.sachstand or ("(vertraulich)" if r.vertraulich and u.details else ""),
                    r.vertraulich,
                )
                for r in u.rote_ampeln
            ],
        ),
        Exporttabelle(
            "ueberfaellig",
            "Überfällige Maßnahmen",
            ("Kennziffer", "Maßnahme", "Frist", "Status", "umgesetzt", "im Nenner"),
            [(m.code, m.titel, m.frist, m.status_label, m.umgesetzt, m.nenner) for m in u.ueberfaellige],
        ),
        Exporttabelle(
            "termine",
            "Fristen und Meilensteine der nächsten 90 Tage",
            ("Datum", "Art", "Kennziffer", "Titel"),
            [(t.datum, t.art, t.massnahme.code, t.titel) for t in u.termine],
        ),
    ]
    if u.matrix is not None:
        m = u.matrix
        tabellen.append(
            Exporttabelle(
                "matrix",
                "Organisation × Maßnahme",
                ("Organisation", *(s.code for s in m.massnahmen)),
                lambda: (
                    [(o.kurzname, *((z.label if z else "") for z in m.zeile(o.id))) for o in m.organisationen]
                    + [("umgesetzt", *(s.quote for s in m.massnahmen))]
                ),
            )
        )
        tabellen.append(
            Exporttabelle(
                "vollstaendigkeit",
                "Vollständigkeit und Aktualität",
                ("Organisation", "Art", "geschuldet", "eingegangen", "veraltet", "überfällig", "letzte Meldung"),
                [
                    (
                        v.organisation.kurzname,
                        v.organisation.art_label,
                        v.geschuldet,
                        v.eingegangen,
                        v.veraltet,
                        v.ueberfaellig,
                        v.letzte_meldung,
                    )
                    for v in u.vollstaendigkeit
                ],
            )
        )
    if veraenderung is not None:
        v = veraenderung

        def zeilen() -> list[tuple]:
            return [
                (
                    a.massnahme.code,
                    a.massnahme.titel,
                    a.organisation.kurzname if a.organisation else "alle",
                    a.vorher.label if a.vorher else "",
                    a.nachher.label if a.nachher else "",
                    AMPEL_TEXT[a.vorher.ampel] if a.vorher else "",
                    AMPEL_TEXT[a.nachher.ampel] if a.nachher else "",
                    a.vorher.fortschritt if a.vorher else None,
                    a.nachher.fortschritt if a.nachher else None,
                )
                for a in [*v.massnahmen, *v.paare]
            ]

        tabellen.append(
            Exporttabelle(
                "veraenderung",
                "Veränderung",
                (
                    "Kennziffer",
                    "Maßnahme",
                    "Organisation",
                    "Status vorher",
                    "Status nachher",
                    "Ampel vorher",
                    "Ampel nachher",
                    "Fortschritt vorher",
                    "Fortschritt nachher",
                ),
                zeilen,
            )
        )
    return {t.name: t for t in tabellen}


def tabellen_profil(profil: Profil) -> dict[str, Exporttabelle]:
    p = profil
    return {
        "massnahmen": Exporttabelle(
            "massnahmen",
            f"{p.organisation.kurzname}: Maßnahmen",
            (
                "Kennziffer",
                "Maßnahme",
                "Stand der Organisation",
                "Fortschritt in Prozent",
                "Ampel",
                "Stichtag",
                "alle: umgesetzt",
                "alle: Fortschritt in Prozent",
            ),
            [
                (
                    z.massnahme.code,
                    z.massnahme.titel,
                    z.zelle.label,
                    z.zelle.fortschritt,
                    AMPEL_TEXT[z.zelle.ampel],
                    z.zelle.stichtag,
                    z.massnahme.quote,
                    z.massnahme.fortschritt,
                )
                for z in p.zeilen
            ],
        ),
        "meldungen": Exporttabelle(
            "meldungen",
            f"{p.organisation.kurzname}: Meldungen",
            (
                "Kennziffer",
                "Maßnahme",
                "Stichtag",
                "gemeldet am",
                "Status",
                "Fortschritt in Prozent",
                "Ampel",
                "Korrektur",
                "vertraulich",
                "Sachstand",
                "Nächste Schritte",
                "Risiken",
            ),
            [
                (
                    m.massnahme_code,
                    m.massnahme_titel,
                    m.stichtag,
                    m.gemeldet_am,
                    zustand_label(m.status),
                    m.fortschritt,
                    AMPEL_TEXT[m.ampel],
                    m.ist_korrektur,
                    m.vertraulich,
                    "(vertraulich)" if m.sachstand is None else m.sachstand,
                    "(vertraulich)" if m.naechste_schritte is None else m.naechste_schritte,
                    "(vertraulich)" if m.risiken is None else m.risiken,
                )
                for m in p.meldungen
            ],
        ),
        "runden": Exporttabelle(
            "runden",
            f"{p.organisation.kurzname}: Berichtsrunden",
            ("Berichtsrunde", "Stichtag", "offen", "geschuldet", "eingegangen"),
            [(r.titel, r.stichtag, r.offen, r.geschuldet, r.eingegangen) for r in p.runden],
        ),
    }
