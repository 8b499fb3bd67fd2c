"""The Meldebogen file format: its columns and their explanations, and writing it as XLSX or CSV.

No database access and no domain rules here; `meldebogen_lesen.py` reads the same format back and
`meldebogen.py` decides what the values mean.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.conf import settings
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from massnahmen.models import Ampel, Status
from massnahmen.selectors import bereich
from meldebogen.selectors import Meldebogenzeile, Werte
from strategie.texte import export_safe

ARBEITSBLATT, HINWEISBLATT = "Meldebogen", "Hinweise"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv; charset=utf-8"
ENDUNGEN = (".xlsx", ".csv")

# The file format is German whatever the interface language: fixed texts, not translated labels.
STATUS_TEXT = {
    Status.NICHT_BEGONNEN: "nicht begonnen",
    Status.IN_PLANUNG: "in Planung",
    Status.IN_UMSETZUNG: "in Umsetzung",
    Status.UMGESETZT: "umgesetzt",
    Status.ZURUECKGESTELLT: "zurückgestellt",
    Status.ENTFAELLT: "entfällt",
}
AMPEL_TEXT = {Ampel.GRUEN: "grün", Ampel.GELB: "gelb", Ampel.ROT: "rot"}
JA, NEIN = "ja", "nein"
DATUMSFORMAT = "%d.%m.%Y"


@dataclass(frozen=True)
class Spalte:
    titel: str
    feld: str
    breite: int
    bearbeitbar: bool
    erklaerung: str


SPALTEN = (
    Spalte(
        "Kennziffer",
        "kennziffer",
        11,
        False,
        "Kennziffer der Maßnahme in der Strategie, z. B. „I.1“. Daran wird die Zeile beim Hochladen erkannt: "
        "bitte nicht ändern.",
    ),
    Spalte(
        "Maßnahme", "massnahme", 48, False, "Titel der Maßnahme, zur Orientierung. Änderungen werden nicht übernommen."
    ),
    Spalte(
        "Handlungsfeld",
        "handlungsfeld",
        28,
        False,
        "Handlungsfeld der Maßnahme, zur Orientierung. Änderungen werden nicht übernommen.",
    ),
    Spalte(
        "Organisation",
        "organisation",
        14,
        False,
        "Kennung Ihrer Organisation (bei Landkreisen und kreisfreien Städten der Kreisschlüssel, z. B. 07336). "
        "Sie können nur Meldungen Ihrer eigenen Organisation hochladen: bitte nicht ändern.",
    ),
    Spalte(
        "Stichtag",
        "stichtag",
        12,
        True,
        "Tag, zu dem die Meldung den Stand beschreibt, als TT.MM.JJJJ (z. B. 31.12.2025). Er darf nicht in der "
        "Zukunft liegen und muss nach dem Stichtag der letzten Meldung liegen – außer bei einer Korrektur.",
    ),
    Spalte(
        "Status", "status", 17, True, "Einer der Werte aus der Auswahlliste: " + ", ".join(STATUS_TEXT.values()) + "."
    ),
    Spalte(
        "Fortschritt (%)",
        "fortschritt",
        15,
        True,
        "Ganze Zahl von 0 bis 100 ohne Prozentzeichen, oder leer. Bei „umgesetzt“ gilt immer 100.",
    ),
    Spalte("Ampel", "ampel", 9, True, "grün (im Plan), gelb (gefährdet), rot (kritisch) oder leer."),
    Spalte(
        "Sachstand",
        "text",
        60,
        True,
        "Was ist erreicht, was fehlt? Pflicht, wenn die Maßnahme entfällt (dann die Begründung) und wenn der "
        "Fortschritt sinkt (dann der Grund).",
    ),
    Spalte("Nächste Schritte", "naechste_schritte", 40, True, "Was als Nächstes geschieht, optional."),
    Spalte("Risiken", "risiken", 40, True, "Was die Umsetzung gefährdet, optional."),
    Spalte(
        "Vertraulich",
        "vertraulich",
        12,
        True,
        "„ja“: Sachstand, nächste Schritte und Risiken sehen nur Ihre Organisation und die Geschäftsstelle; der "
        "Status zählt trotzdem in den Summen. Sonst „nein“.",
    ),
    Spalte(
        "Korrektur",
        "ist_korrektur",
        11,
        True,
        "„ja“, wenn Sie eine frühere Meldung berichtigen; nur dann darf der Stichtag auf oder vor dem der letzten "
        "Meldung liegen. Sonst „nein“.",
    ),
    Spalte(
        "Unverändert bestätigen",
        "bestaetigen",
        14,
        True,
        "„ja“, wenn sich seit der letzten Meldung nichts geändert hat und Sie das melden wollen: Die Zeile wird mit "
        "ihren Werten als neue Statusmeldung gespeichert und erfüllt die Meldepflicht. Als Stichtag gilt der der "
        "Zeile; liegt er nicht nach dem der letzten Meldung, der heutige Tag. Sonst „nein“.",
    ),
    Spalte(
        "Stand-Version",
        "version",
        14,
        False,
        "Version des Umsetzungsstands beim Herunterladen und ein Prüfwert der Zeile. Daran erkennt das Portal, ob "
        "seitdem jemand anderes gemeldet hat und ob Sie die Zeile geändert haben: bitte nicht ändern.",
    ),
)
KOPFZEILE = tuple(s.titel for s in SPALTEN)
TITEL = {s.feld: s.titel for s in SPALTEN}
# Files downloaded before the column "Unverändert bestätigen" existed are read as well (the column counts as "nein").
SPALTEN_BIS_2026 = tuple(s for s in SPALTEN if s.feld != "bestaetigen")

REGELN = (
    "Jede Zeile ist eine Maßnahme Ihrer Organisation. Ändern Sie nur die weißen Spalten (Stichtag bis Unverändert "
    "bestätigen); die grau hinterlegten Spalten sind gesperrt.",
    "Zeilen, die Sie nicht ändern, werden beim Hochladen übersprungen. Jede geänderte Zeile wird eine neue "
    "Statusmeldung. Hat sich nichts geändert und wollen Sie das melden, tragen Sie bei „Unverändert bestätigen“ "
    "„ja“ ein.",
    "Bei „umgesetzt“ beträgt der Fortschritt 100 %. Ein anderer Wert wird abgelehnt, ein leerer als 100 % gelesen.",
    "Bei „entfällt“ begründen Sie im Sachstand, warum die Maßnahme entfällt.",
    "Der Stichtag darf nicht in der Zukunft liegen.",
    "Sinkt der Fortschritt gegenüber der letzten Meldung, erläutern Sie den Grund im Sachstand.",
    "Der Stichtag muss nach dem der letzten Meldung liegen. Wollen Sie eine ältere Meldung berichtigen, tragen Sie "
    "bei „Korrektur“ „ja“ ein; eine Korrektur zu einem älteren Stichtag bleibt in der Historie und ändert den "
    "aktuellen Stand nicht.",
    "Für eine geschlossene Berichtsrunde nimmt das Portal keine Meldungen mehr an; wählen Sie dann einen späteren "
    "Stichtag.",
    "Das Hochladen gilt ganz oder gar nicht: Enthält auch nur eine Zeile einen Fehler, wird nichts gespeichert. Sie "
    "erhalten eine Liste mit Zeile, Spalte und Problem, korrigieren die Datei und laden sie erneut hoch.",
    "Hat seit dem Herunterladen jemand anderes zu einer Maßnahme gemeldet, wird die Zeile abgelehnt (Stand-Version). "
    "Laden Sie den Meldebogen dann neu herunter und übertragen Sie Ihre Angaben.",
    "Erlaubt sind Excel-Arbeitsmappen (.xlsx, ohne Makros) und CSV-Dateien (.csv), wie Excel oder LibreOffice sie "
    "speichern: Semikolon oder Komma als Trennzeichen, UTF-8 (mit oder ohne BOM) oder Windows-1252. Führende Nullen "
    "der Kennung, Datumsangaben wie 30.09.2026 oder 30.09.26 und Prozentangaben wie „50 %“ werden erkannt. Die "
    "Datei braucht genau diese Spalten und darf höchstens {max_mb} MB und {max_zeilen} Zeilen haben.",
)


@dataclass(frozen=True)
class Fehler:
    """One problem of an uploaded file, for the report table (Zeile, Spalte, Problem)."""

    zeile: int | None
    spalte: str
    problem: str

    def als_dict(self) -> dict:
        return {"zeile": self.zeile, "spalte": self.spalte, "problem": self.problem}


@dataclass(frozen=True)
class Kopfdaten:
    """What the Hinweise sheet says about the file."""

    strategie: str
    organisation: str
    kennung: str
    berichtsrunde: str  # "" without a round
    erstellt_am: dt.datetime
    berichtsrunde_nr: int | None = None  # the round's id, read back on upload
    stichtag: dt.date | None = None  # the round's Stichtag


# Labels of the Hinweise rows that the upload reads back (column A), see reader.read_kopfdaten.
HINWEIS_RUNDE_NR, HINWEIS_STICHTAG, OHNE_RUNDE = "Berichtsrunde-Nr.", "Stichtag der Runde", "ohne"


# --- writing ----------------------------------------------------------------------------------------------------


def _datum(tag: dt.date | None) -> str:
    return tag.strftime(DATUMSFORMAT) if tag else ""


def _ja_nein(wert: bool) -> str:
    return JA if wert else NEIN


def _zellwerte(zeile: Meldebogenzeile) -> dict[str, object]:
    w: Werte = zeile.werte
    return {
        "kennziffer": zeile.massnahme.code,
        "massnahme": export_safe(zeile.massnahme.titel),
        "handlungsfeld": bereich(zeile.massnahme),
        "organisation": zeile.organisation.kennung,
        "stichtag": w.stichtag,
        "status": STATUS_TEXT.get(w.status, ""),
        "fortschritt": w.fortschritt,
        "ampel": AMPEL_TEXT.get(w.ampel, ""),
        "text": export_safe(w.text),
        "naechste_schritte": export_safe(w.naechste_schritte),
        "risiken": export_safe(w.risiken),
        "vertraulich": _ja_nein(w.vertraulich),
        "ist_korrektur": _ja_nein(w.ist_korrektur),
        "bestaetigen": NEIN,
        "version": f"{zeile.version}-{w.pruefsumme()}",
    }


def _liste(werte) -> str:
    return '"' + ",".join(werte) + '"'


def _auswahl(werte, titel: str, meldung: str) -> DataValidation:
    return DataValidation(
        type="list",
        formula1=_liste(werte),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=titel,
        error=meldung,
        showInputMessage=False,
    )


def write_xlsx(*, zeilen: list[Meldebogenzeile], kopf: Kopfdaten) -> bytes:
    """The Meldebogen as an Excel workbook: the sheet "Meldebogen" (key columns locked, drop-downs for the choices)
    and the sheet "Hinweise" explaining every column and rule."""
    mappe = Workbook()
    blatt = mappe.active
    blatt.title = ARBEITSBLATT
    fett, grau = Font(bold=True), PatternFill("solid", fgColor="E4E6EC")
    oben = Alignment(vertical="top", wrap_text=True)
    offen = Protection(locked=False)

    blatt.append(KOPFZEILE)
    for spalte_nr, spalte in enumerate(SPALTEN, start=1):
        zelle = blatt.cell(row=1, column=spalte_nr)
        zelle.font, zelle.fill, zelle.alignment = fett, grau, Alignment(vertical="top", wrap_text=True)
        blatt.column_dimensions[get_column_letter(spalte_nr)].width = spalte.breite
    for zeile_nr, zeile in enumerate(zeilen, start=2):
        werte = _zellwerte(zeile)
        for spalte_nr, spalte in enumerate(SPALTEN, start=1):
            wert = werte[spalte.feld]
            if isinstance(wert, str):
                wert = ILLEGAL_CHARACTERS_RE.sub("", wert)
            zelle = blatt.cell(row=zeile_nr, column=spalte_nr, value=wert if wert != "" else None)
            if isinstance(wert, str) and wert:
                zelle.data_type = "s"  # text that starts with "=" stays text, never a formula
            zelle.alignment = oben
            if spalte.feld == "stichtag":
                zelle.number_format = "DD.MM.YYYY"
            elif spalte.feld in ("kennziffer", "organisation"):
                zelle.number_format = "@"
            if spalte.bearbeitbar:
                zelle.protection = offen
            else:
                zelle.fill = grau

    letzte = len(zeilen) + 1
    if zeilen:

        def bereich(feld: str) -> str:
            buchstabe = get_column_letter(list(TITEL).index(feld) + 1)
            return f"{buchstabe}2:{buchstabe}{letzte}"

        status = _auswahl(STATUS_TEXT.values(), "Ungültiger Status", "Bitte wählen Sie einen Status aus der Liste.")
        ampel = _auswahl(
            AMPEL_TEXT.values(), "Ungültige Ampel", "Bitte wählen Sie grün, gelb, rot oder lassen Sie die Zelle leer."
        )
        ja_nein = _auswahl((JA, NEIN), "Bitte ja oder nein", "Bitte wählen Sie „ja“ oder „nein“.")
        fortschritt = DataValidation(
            type="whole",
            operator="between",
            formula1="0",
            formula2="100",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Ungültiger Fortschritt",
            error="Fortschritt muss eine ganze Zahl zwischen 0 und 100 sein.",
        )
        for pruefung, felder in (
            (status, ["status"]),
            (ampel, ["ampel"]),
            (ja_nein, ["vertraulich", "ist_korrektur", "bestaetigen"]),
            (fortschritt, ["fortschritt"]),
        ):
            blatt.add_data_validation(pruefung)
            for feld in felder:
                pruefung.add(bereich(feld))
        blatt.auto_filter.ref = f"A1:{get_column_letter(len(SPALTEN))}{letzte}"
    blatt.freeze_panes = "B2"
    _protect(blatt)

    _write_hinweise(mappe.create_sheet(HINWEISBLATT), kopf)
    mappe.active = 0
    mappe.properties.creator = settings.PORTAL_NAME
    mappe.properties.title = f"Meldebogen {kopf.organisation}"
    ausgabe = io.BytesIO()
    mappe.save(ausgabe)
    return ausgabe.getvalue()


def _protect(blatt) -> None:
    """Sheet protection without a password: it guides, the server checks. Column widths and filters stay usable."""
    schutz = blatt.protection
    schutz.sheet = True
    schutz.formatColumns = schutz.formatRows = schutz.autoFilter = False


def _write_hinweise(blatt, kopf: Kopfdaten) -> None:
    fett = Font(bold=True)
    umbruch = Alignment(vertical="top", wrap_text=True)
    blatt.column_dimensions["A"].width = 22
    blatt.column_dimensions["B"].width = 100
    blatt.column_dimensions["C"].width = 12

    def zeile(*werte, schrift=None):
        blatt.append(list(werte))
        for zelle in blatt[blatt.max_row]:
            zelle.alignment = umbruch
            if isinstance(zelle.value, str) and zelle.value:
                zelle.data_type = "s"
            if schrift:
                zelle.font = schrift

    zeile("Meldebogen – Hinweise zum Ausfüllen", schrift=Font(bold=True, size=14))
    zeile("Strategie", kopf.strategie)
    zeile("Organisation", f"{kopf.organisation} (Kennung {kopf.kennung})")
    zeile(
        "Berichtsrunde", kopf.berichtsrunde or "ohne Berichtsrunde: alle Maßnahmen, zu denen Ihre Organisation meldet"
    )
    zeile(HINWEIS_RUNDE_NR, str(kopf.berichtsrunde_nr) if kopf.berichtsrunde_nr else OHNE_RUNDE)
    zeile(HINWEIS_STICHTAG, _datum(kopf.stichtag) or "je Zeile")
    zeile("Erstellt am", kopf.erstellt_am.strftime("%d.%m.%Y, %H:%M Uhr"))
    zeile(
        "Hochladen",
        "Laden Sie die ausgefüllte Datei im Portal auf der Seite „Meldebogen“ wieder hoch. Organisation und "
        "Berichtsrunde liest das Portal aus dieser Datei; bitte ändern Sie die Angaben oben nicht.",
    )
    zeile()
    zeile("Spalte", "Bedeutung", "Änderbar", schrift=fett)
    for spalte in SPALTEN:
        zeile(spalte.titel, spalte.erklaerung, JA if spalte.bearbeitbar else NEIN)
    zeile()
    zeile("Regeln", schrift=fett)
    grenzen = {"max_mb": als_mb(settings.MELDEBOGEN_MAX_BYTES), "max_zeilen": als_zahl(settings.MELDEBOGEN_MAX_ZEILEN)}
    for nummer, regel in enumerate(REGELN, start=1):
        zeile(f"{nummer}.", regel.format(**grenzen))
    blatt.protection.sheet = True


def write_csv(*, zeilen: list[Meldebogenzeile]) -> bytes:
    """The same table as CSV: semicolons, UTF-8 with BOM (Excel recognises the encoding), dates as TT.MM.JJJJ."""
    ausgabe = io.StringIO()
    schreiber = csv.writer(ausgabe, delimiter=";", lineterminator="\r\n")
    schreiber.writerow(KOPFZEILE)
    for zeile in zeilen:
        werte = _zellwerte(zeile)
        schreiber.writerow([_csv_zelle(werte[s.feld]) for s in SPALTEN])
    return ("\ufeff" + ausgabe.getvalue()).encode("utf-8")


def _csv_zelle(wert) -> str:
    if wert is None:
        return ""
    if isinstance(wert, dt.date):
        return _datum(wert)
    text = str(wert)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text  # a spreadsheet must not read it as a formula; reading strips the apostrophe again
    return text


def als_mb(anzahl_bytes: int) -> str:
    return f"{anzahl_bytes / (1024 * 1024):.1f}".replace(".", ",").removesuffix(",0")


def als_zahl(zahl: int) -> str:
    return f"{zahl:,}".replace(",", ".")


def endung(dateiname: str) -> str:
    name = dateiname.lower().strip()
    return name[name.rfind(".") :] if "." in name else ""
