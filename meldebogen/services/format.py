"""The Meldebogen file format: its columns and their explanations, the rules on the Hinweise sheet, and the
shape of a problem report. `writer.py` writes files of this format, `reader.py` and `zeile.py` read them back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from massnahmen.models import Ampel, Status

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


def als_mb(anzahl_bytes: int) -> str:
    return f"{anzahl_bytes / (1024 * 1024):.1f}".replace(".", ",").removesuffix(",0")


def als_zahl(zahl: int) -> str:
    return f"{zahl:,}".replace(",", ".")


def endung(dateiname: str) -> str:
    name = dateiname.lower().strip()
    return name[name.rfind(".") :] if "." in name else ""
