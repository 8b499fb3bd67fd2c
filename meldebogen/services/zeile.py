"""Typed cell values of one Meldebogen row: text, Status, Ampel, dates, numbers, ja/nein.

Every problem becomes a German message naming row and column; what the values mean decides `importe.py`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from openpyxl.utils.datetime import from_excel

from massnahmen.models import Ampel, Status
from meldebogen.selectors import Werte
from meldebogen.services.format import (
    AMPEL_TEXT,
    DATUMSFORMAT,
    JA,
    NEIN,
    STATUS_TEXT,
    TITEL,
    Fehler,
)
from meldebogen.services.reader import Rohzeile, is_leer
from strategie.texte import SACHSTAND_MAX, clean_text


def _vereinfacht(text: str) -> str:
    text = " ".join(text.lower().replace("_", " ").split())
    return text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")


_STATUS = {_vereinfacht(t): s for s, t in STATUS_TEXT.items()} | {_vereinfacht(s): s for s in Status.values}
_AMPEL = {_vereinfacht(t): a for a, t in AMPEL_TEXT.items()} | {
    "im plan": Ampel.GRUEN,
    "gefaehrdet": Ampel.GELB,
    "kritisch": Ampel.ROT,
}
_JA = {"ja", "j", "x", "wahr", "true", "1"}
_NEIN = {"nein", "n", "falsch", "false", "0", ""}


def _als_text(wert) -> str:
    if wert is None:
        return ""
    if isinstance(wert, bool):
        return JA if wert else NEIN
    if isinstance(wert, float) and wert.is_integer():
        return str(int(wert))
    if isinstance(wert, dt.datetime | dt.date):
        return wert.strftime(DATUMSFORMAT)
    return str(wert)


def _text(wert) -> str:
    return _als_text(wert).replace("\r\n", "\n").replace("\r", "\n").strip()


def _anzeige(wert) -> str:
    text = _als_text(wert).strip()
    return text if len(text) <= 40 else text[:39] + "…"


def _read_datum(wert) -> dt.date:
    if isinstance(wert, dt.datetime):
        return wert.date()
    if isinstance(wert, dt.date):
        return wert
    if isinstance(wert, int | float) and not isinstance(wert, bool) and 1 <= wert < 2958466:
        return from_excel(wert).date()  # an Excel date in a cell not formatted as date
    text = _als_text(wert).strip()
    if re.fullmatch(r"\d{5}", text):  # the same as text, e.g. in a CSV saved from such a cell: 46295 = 30.09.2026
        return from_excel(int(text)).date()
    text = text.split("T")[0].split(" ")[0]
    for format_ in (DATUMSFORMAT, "%Y-%m-%d", "%d.%m.%y"):
        try:
            return dt.datetime.strptime(text, format_).date()  # noqa: DTZ007 - a calendar day, no time zone
        except ValueError:
            continue
    raise ValueError(text)


def _ganzzahl(wert) -> int:
    if isinstance(wert, bool):
        raise ValueError(wert)
    if isinstance(wert, int) and abs(wert) < 10**9:
        return wert
    if isinstance(wert, float) and wert.is_integer() and abs(wert) < 10**9:
        return int(wert)
    text = _als_text(wert).strip().removesuffix("%").strip().replace(",", ".")
    if re.fullmatch(r"[+-]?\d{1,9}(\.0+)?", text):  # nine digits: more is no Fortschritt or Version, only an attack
        return int(text.split(".")[0])
    raise ValueError(wert)


@dataclass
class Gelesen:
    """A row read into typed values; `fehler` lists the cells that could not be read."""

    nummer: int
    kennziffer: str
    organisation: str
    version: int | None
    werte: Werte | None
    fehler: list[Fehler]
    pruefsumme: str | None = None  # fingerprint of the row as downloaded (see Werte.pruefsumme)
    bestaetigen: bool = False  # "Unverändert bestätigen": store the row even if nothing changed


def read_zeile(roh: Rohzeile) -> Gelesen:
    """Type the cells of one row. Unreadable cells become Fehler naming the row and the column title."""
    fehler: list[Fehler] = []
    z = roh.zellen

    def problem(feld: str, text: str) -> None:
        fehler.append(Fehler(roh.nummer, TITEL[feld], text))

    for feld, text in roh.ungueltig.items():
        problem(feld, text)

    kennziffer = _als_text(z["kennziffer"]).strip()
    if not kennziffer:
        problem("kennziffer", "Die Kennziffer fehlt. Bitte ändern Sie die Spalte „Kennziffer“ nicht.")
    organisation = z["organisation"]
    if isinstance(organisation, int | float) and not isinstance(organisation, bool):
        organisation = _als_text(organisation).zfill(5)  # a Kreisschlüssel that Excel turned into a number
    organisation = _als_text(organisation).strip()
    if organisation.isdigit() and len(organisation) < 5:
        organisation = organisation.zfill(5)  # the same in a CSV re-saved by Excel or LibreOffice: 07336 -> 7336
    if not organisation:
        problem("organisation", "Die Organisation fehlt. Bitte ändern Sie die Spalte „Organisation“ nicht.")

    version, pruefsumme = None, None
    try:
        stand_version = z["version"]
        treffer = (
            re.fullmatch(r"\s*(\d{1,9})-([0-9a-f]{8})\s*", stand_version) if isinstance(stand_version, str) else None
        )
        if treffer:  # "version-fingerprint" as written by the export
            version, pruefsumme = int(treffer[1]), treffer[2]
        else:  # a bare number (files of earlier exports)
            version = _ganzzahl(stand_version)
        if version < 0:
            raise ValueError(version)
    except ValueError:
        problem(
            "version", "Die Stand-Version fehlt oder wurde verändert. Bitte laden Sie den Meldebogen neu herunter."
        )

    stichtag = None
    if not is_leer(z["stichtag"]) and "stichtag" not in roh.ungueltig:
        try:
            stichtag = _read_datum(z["stichtag"])
        except (ValueError, OverflowError):
            problem(
                "stichtag",
                f"„{_anzeige(z['stichtag'])}“ ist kein gültiges Datum. Bitte schreiben Sie den "
                "Stichtag als TT.MM.JJJJ, z. B. 31.12.2025.",
            )

    status = ""
    if not is_leer(z["status"]) and "status" not in roh.ungueltig:
        status = _STATUS.get(_vereinfacht(_als_text(z["status"])), "")
        if not status:
            problem(
                "status",
                f"„{_anzeige(z['status'])}“ ist kein gültiger Status. Erlaubt sind: "
                + ", ".join(STATUS_TEXT.values())
                + ".",
            )

    fortschritt = None
    if not is_leer(z["fortschritt"]) and "fortschritt" not in roh.ungueltig:
        try:
            fortschritt = _ganzzahl(z["fortschritt"])
            if not 0 <= fortschritt <= 100:
                raise ValueError(fortschritt)
        except ValueError:
            fortschritt = None
            problem(
                "fortschritt",
                f"Fortschritt muss eine ganze Zahl zwischen 0 und 100 sein (gefunden: "
                f"„{_anzeige(z['fortschritt'])}“).",
            )

    ampel = ""
    if not is_leer(z["ampel"]) and "ampel" not in roh.ungueltig:
        ampel = _AMPEL.get(_vereinfacht(_als_text(z["ampel"])), "")
        if not ampel:
            problem(
                "ampel", f"Die Ampel muss „grün“, „gelb“, „rot“ oder leer sein (gefunden: „{_anzeige(z['ampel'])}“)."
            )

    schalter = {}
    for feld in ("vertraulich", "ist_korrektur", "bestaetigen"):
        text = _vereinfacht(_als_text(z[feld]))
        schalter[feld] = text in _JA
        if text not in _JA | _NEIN and feld not in roh.ungueltig:
            problem(feld, f"Bitte tragen Sie „ja“ oder „nein“ ein (gefunden: „{_anzeige(z[feld])}“).")

    texte = {}
    for feld in ("text", "naechste_schritte", "risiken"):  # the shared text rule (strategie/texte.py)
        try:
            texte[feld] = clean_text(_text(z[feld]), max_length=SACHSTAND_MAX, feld=f"Die Zelle „{TITEL[feld]}“")
        except ValidationError as fehler_im_text:
            problem(feld, fehler_im_text.messages[0])

    werte = None
    if not fehler:
        werte = Werte(
            stichtag=stichtag,
            status=status,
            fortschritt=fortschritt,
            ampel=ampel,
            text=texte["text"],
            naechste_schritte=texte["naechste_schritte"],
            risiken=texte["risiken"],
            vertraulich=schalter["vertraulich"],
            ist_korrektur=schalter["ist_korrektur"],
        )
    return Gelesen(roh.nummer, kennziffer, organisation, version, werte, fehler, pruefsumme, schalter["bestaetigen"])
