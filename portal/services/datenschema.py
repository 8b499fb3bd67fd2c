"""Shape of the strategy data files (see strategie/daten/README.md), checked before anything is written.

Each problem is reported in German with file, item and field, so whoever edits a data file can fix it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from .datumsregeln import HERKUNFT_WERTE, Datenfehler, validate_herkunft, validate_statusmeldung_datum

__all__ = ["Datenfehler", "validate_datei", "ALLE_LANDKREISE"]

STATUS_WERTE = {"nicht_begonnen", "in_planung", "in_umsetzung", "umgesetzt", "zurueckgestellt", "entfaellt"}
ABSCHNITT_ARTEN = {
    "einleitung",
    "leitgedanke",
    "teamgrundsaetze",
    "strategische_ziele",
    "ausgangssituation",
    "operative_ziele",
    "managementziele",
    "erfahrungen",
    "handlungsfelder_einfuehrung",
    "fazit",
    "schwerpunkte",
    "randnotiz",
}
ALLE_LANDKREISE = "alle_landkreise"  # in `beteiligte`/`organisationen`: the 24 Landkreise, alone or in a list
QUELLTEXT_WO = "in den Texten der Datei"
DATUM_FORM = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Feld:
    art: str  # text | datum | zahl | ganzzahl | liste | kennung | kennungen | auswahl
    pflicht_wert: bool = False  # must not be empty
    leer_erlaubt: bool = True  # null allowed (for datum / kennung)
    auswahl: frozenset[str] = frozenset()


TEXT, PFLICHTTEXT = Feld("text"), Feld("text", pflicht_wert=True)
DATUM, PFLICHTDATUM = Feld("datum"), Feld("datum", leer_erlaubt=False)
HERKUNFT = Feld("auswahl", auswahl=HERKUNFT_WERTE)

STRATEGIE = {
    "slug": PFLICHTTEXT,
    "titel": PFLICHTTEXT,
    "kurztitel": PFLICHTTEXT,
    "gremium": TEXT,
    "beschlossen_am": DATUM,
    "laufzeit": TEXT,
    "quelle": PFLICHTTEXT,
    "traeger": Feld("kennung", leer_erlaubt=False),
    "berichtsintervall_tage": Feld("ganzzahl"),
    "sichtbarkeit": Feld("auswahl", auswahl=frozenset({"offen", "aggregiert"})),
    "berichtsdatum": DATUM,
    "vision": TEXT,
    "grundsaetze": Feld("liste"),
    "abschnitte": Feld("liste"),
}
STRATEGIE_OPTIONAL = {
    "organisationen": Feld("kennungen"),
    "berichtsdatum_herkunft": HERKUNFT,
    "berichtsdatum_beleg": TEXT,
    "beschlossen_am_herkunft": HERKUNFT,
    "beschlossen_am_beleg": TEXT,
}
GRUNDSATZ = {"nummer": Feld("ganzzahl"), "text": PFLICHTTEXT, "quelle": TEXT}
ABSCHNITT = {
    "art": Feld("auswahl", auswahl=frozenset(ABSCHNITT_ARTEN)),
    "titel": TEXT,
    "text": TEXT,
    "punkte": Feld("textliste"),
    "quelle": TEXT,
}
ABSCHNITT_OPTIONAL = {"bezug": TEXT}
HANDLUNGSFELD = {
    "nummer": PFLICHTTEXT,
    "titel": PFLICHTTEXT,
    "anhang": TEXT,
    "gemeinsam_mit": Feld("text", leer_erlaubt=True),
    "ausgangslage": TEXT,
    "ziele_text": TEXT,
    "loesungsansatz": TEXT,
    "begruendung": TEXT,
    "quelle": TEXT,
    "ziele": Feld("liste"),
    "kennzahlen": Feld("liste"),
    "massnahmen": Feld("liste"),
}
ZIEL = {"nummer": Feld("ganzzahl"), "text": PFLICHTTEXT, "quelle": TEXT}
KENNZAHL = {"bezeichnung": PFLICHTTEXT, "wert": Feld("zahl"), "einheit": TEXT, "stand": PFLICHTDATUM, "quelle": TEXT}
KENNZAHL_OPTIONAL = {"stand_herkunft": HERKUNFT, "stand_beleg": TEXT}
MASSNAHME = {
    "code": PFLICHTTEXT,
    "titel": PFLICHTTEXT,
    "beschreibung": TEXT,
    "ziele": Feld("liste"),
    "federfuehrung": Feld("kennung"),
    "umsetzungsart": Feld("auswahl", auswahl=frozenset({"gemeinsam", "je_organisation"})),
    "beteiligte": Feld("kennungen"),
    "beginn": DATUM,
    "frist": DATUM,
    "finanzierung": TEXT,
    "quelle": TEXT,
    "meilensteine": Feld("liste"),
    "statusmeldungen": Feld("liste"),
}
MASSNAHME_OPTIONAL = {
    "frist_herkunft": HERKUNFT,
    "frist_beleg": TEXT,
    "beginn_herkunft": HERKUNFT,
    "beginn_beleg": TEXT,
}
MEILENSTEIN = {"titel": PFLICHTTEXT, "faellig_am": DATUM}
STATUSMELDUNG = {
    "datum_laut_text": TEXT,
    "status": Feld("auswahl", auswahl=frozenset(STATUS_WERTE)),
    "organisation": Feld("kennung", leer_erlaubt=False),
    "text": PFLICHTTEXT,
    "quelle": PFLICHTTEXT,
}
STATUSMELDUNG_OPTIONAL = {"stichtag": PFLICHTDATUM}


def _datum(wert: Any) -> dt.date | None:
    """`wert` as a date if it is one or is written exactly JJJJ-MM-TT, else None."""
    if isinstance(wert, dt.date) and not isinstance(wert, dt.datetime):
        return wert
    if isinstance(wert, str) and DATUM_FORM.fullmatch(wert):
        try:
            return dt.date.fromisoformat(wert)
        except ValueError:  # e.g. 2022-13-31 or 2018-04-31
            return None
    return None


def _name(eintrag: Any, schluessel: str) -> Any:
    """The identifying value of an item for messages, also when the item is not a mapping."""
    return eintrag.get(schluessel, "?") if isinstance(eintrag, dict) else "?"


def _validate_wert(wert: Any, feld: Feld, ort: str, name: str, kennungen: set[str]) -> Any:
    """Check one value; return it, dates parsed (the YAML is read without implicit timestamps)."""

    def fehler(problem: str) -> Datenfehler:
        return Datenfehler(f"{ort}, Feld „{name}“: {problem}")

    if feld.art in {"datum", "kennung"} and wert is None:
        if not feld.leer_erlaubt:
            raise fehler("Ein Wert ist erforderlich, die Angabe fehlt.")
        return wert
    if feld.art == "text":
        if wert is None and feld.leer_erlaubt and not feld.pflicht_wert:
            return wert
        if not isinstance(wert, str):
            raise fehler(f"Text erwartet, gefunden wurde {wert!r}.")
        if feld.pflicht_wert and not wert.strip():
            raise fehler("Der Text darf nicht leer sein.")
    elif feld.art == "datum":
        datum = _datum(wert)
        if datum is None:
            raise fehler(f"„{wert}“ ist kein gültiges Datum (erwartet JJJJ-MM-TT, z. B. 2022-12-31).")
        return datum
    elif feld.art == "ganzzahl":
        if isinstance(wert, bool) or not isinstance(wert, int) or wert < 0:
            raise fehler(f"Eine ganze Zahl ab 0 wird erwartet, gefunden wurde {wert!r}.")
    elif feld.art == "zahl":
        if isinstance(wert, bool) or not isinstance(wert, int | float):
            raise fehler(f"Eine Zahl wird erwartet, gefunden wurde {wert!r}.")
    elif feld.art == "liste":
        if not isinstance(wert, list):
            raise fehler("Eine Liste wird erwartet.")
    elif feld.art == "textliste":
        if not isinstance(wert, list) or not all(isinstance(eintrag, str) for eintrag in wert):
            raise fehler("Eine Liste von Texten wird erwartet.")
    elif feld.art == "auswahl":
        if not isinstance(wert, str) or wert not in feld.auswahl:
            erlaubt = ", ".join(sorted(feld.auswahl))
            raise fehler(f"„{wert}“ ist nicht erlaubt. Erlaubt sind: {erlaubt}.")
    elif feld.art == "kennung":
        if not isinstance(wert, str) or wert not in kennungen:
            raise fehler(f"Unbekannte Organisation „{wert}“ (Kennung oder Kreisschlüssel in Anführungszeichen).")
    elif feld.art == "kennungen":
        if wert == ALLE_LANDKREISE:
            return wert
        if not isinstance(wert, list):
            raise fehler("„alle_landkreise“ oder eine Liste von Kennungen wird erwartet.")
        for eintrag in wert:
            if eintrag == ALLE_LANDKREISE:
                continue
            if not isinstance(eintrag, str) or eintrag not in kennungen:
                raise fehler(f"Unbekannte Organisation „{eintrag}“.")
    return wert


def validate_eintrag(
    eintrag: Any, felder: dict[str, Feld], ort: str, kennungen: set[str], optional: dict[str, Feld] | None = None
) -> None:
    """Check one item: all fields present, no unknown ones, each of the right kind. Dates are parsed in place."""
    if not isinstance(eintrag, dict):
        raise Datenfehler(f"{ort}: Ein Eintrag mit Feldern wird erwartet.")
    optional = optional or {}
    for name, feld in felder.items():
        if name not in eintrag:
            raise Datenfehler(f"{ort}, Feld „{name}“: Das Feld fehlt.")
        eintrag[name] = _validate_wert(eintrag[name], feld, ort, name, kennungen)
    for name, feld in optional.items():
        if name in eintrag:
            eintrag[name] = _validate_wert(eintrag[name], feld, ort, name, kennungen)
    unbekannt = set(eintrag) - set(felder) - set(optional)
    if unbekannt:
        raise Datenfehler(f"{ort}: Unbekanntes Feld „{sorted(unbekannt)[0]}“.")


def validate_datei(daten: Any, datei: str, kennungen: set[str]) -> None:
    """Check a whole strategy file. Raises Datenfehler at the first problem; parses its dates in place."""
    if not isinstance(daten, dict) or "strategie" not in daten or "handlungsfelder" not in daten:
        raise Datenfehler(f"Datei {datei}: Die Abschnitte „strategie“ und „handlungsfelder“ werden erwartet.")
    strategie = daten["strategie"]
    validate_eintrag(strategie, STRATEGIE, f"Datei {datei}, Strategie", kennungen, STRATEGIE_OPTIONAL)
    quelltext = _quelltext(daten)
    validate_herkunft(strategie, "berichtsdatum", f"Datei {datei}, Strategie")
    validate_herkunft(strategie, "beschlossen_am", f"Datei {datei}, Strategie", satz_in=quelltext, wo=QUELLTEXT_WO)
    for i, grundsatz in enumerate(strategie["grundsaetze"], 1):
        validate_eintrag(grundsatz, GRUNDSATZ, f"Datei {datei}, Grundsatz {i}", kennungen)
    for i, abschnitt in enumerate(strategie["abschnitte"], 1):
        validate_eintrag(abschnitt, ABSCHNITT, f"Datei {datei}, Abschnitt {i}", kennungen, ABSCHNITT_OPTIONAL)

    if not isinstance(daten["handlungsfelder"], list) or not daten["handlungsfelder"]:
        raise Datenfehler(f"Datei {datei}: „handlungsfelder“ muss eine nicht leere Liste sein.")
    leitsaetze: dict[str, set[int]] = {}  # Handlungsfeld nummer -> its Leitsatz numbers
    codes = set()
    for hf in daten["handlungsfelder"]:
        ort = f"Datei {datei}, Handlungsfeld „{_name(hf, 'nummer')}“"
        validate_eintrag(hf, HANDLUNGSFELD, ort, kennungen)
        if hf["nummer"] in leitsaetze:
            raise Datenfehler(f"{ort}, Feld „nummer“: Die Nummer kommt doppelt vor.")
        leitsaetze[hf["nummer"]] = set()
        for ziel in hf["ziele"]:
            validate_eintrag(ziel, ZIEL, f"{ort}, Leitsatz {_name(ziel, 'nummer')}", kennungen)
            if ziel["nummer"] in leitsaetze[hf["nummer"]]:
                raise Datenfehler(f"{ort}, Leitsatz {ziel['nummer']}: Die Nummer kommt doppelt vor.")
            leitsaetze[hf["nummer"]].add(ziel["nummer"])
        kennzahlen = set()
        for kennzahl in hf["kennzahlen"]:
            kort = f"{ort}, Kennzahl „{_name(kennzahl, 'bezeichnung')}“"
            validate_eintrag(kennzahl, KENNZAHL, kort, kennungen, KENNZAHL_OPTIONAL)
            validate_herkunft(kennzahl, "stand", kort, satz_in=quelltext, wo=QUELLTEXT_WO, nach_tabelle=True)
            if (kennzahl["bezeichnung"].strip(), kennzahl["stand"]) in kennzahlen:
                raise Datenfehler(f"{kort}: Bezeichnung und Stand kommen in diesem Handlungsfeld doppelt vor.")
            kennzahlen.add((kennzahl["bezeichnung"].strip(), kennzahl["stand"]))
        for massnahme in hf["massnahmen"]:
            _validate_massnahme(massnahme, datei, codes, strategie, kennungen, quelltext)
    if not isinstance(daten.get("massnahmen", []), list):
        raise Datenfehler(f"Datei {datei}: „massnahmen“ (der Strategie als Ganzes) muss eine Liste sein.")
    for massnahme in daten.get("massnahmen", []):
        _validate_massnahme(massnahme, datei, codes, strategie, kennungen, quelltext)
        if massnahme["ziele"]:
            raise Datenfehler(
                f"Datei {datei}, Maßnahme „{massnahme['code']}“, Feld „ziele“: Eine Maßnahme der Strategie als "
                "Ganzes gehört zu keinem Handlungsfeld und verweist daher auf keine Leitsätze ([])."
            )
    for hf in daten["handlungsfelder"]:
        ort = f"Datei {datei}, Handlungsfeld „{hf['nummer']}“"
        if hf["gemeinsam_mit"] is not None and hf["gemeinsam_mit"] not in leitsaetze:
            raise Datenfehler(f"{ort}, Feld „gemeinsam_mit“: Handlungsfeld „{hf['gemeinsam_mit']}“ gibt es nicht.")
        if hf["gemeinsam_mit"] == hf["nummer"]:
            raise Datenfehler(
                f"{ort}, Feld „gemeinsam_mit“: Ein Handlungsfeld teilt den Anhang nicht mit sich selbst."
            )
        _validate_leitsatzbezuege(hf, leitsaetze, datei)


def _validate_leitsatzbezuege(hf: dict[str, Any], leitsaetze: dict[str, set[int]], datei: str) -> None:
    """Each Maßnahme refers to Leitsätze of its Handlungsfeld, or of the partner it shares its Anhang with."""
    ziel_hf = hf["gemeinsam_mit"] or hf["nummer"]
    for massnahme in hf["massnahmen"]:
        for nummer in massnahme["ziele"]:
            if isinstance(nummer, bool) or not isinstance(nummer, int):
                raise Datenfehler(
                    f"Datei {datei}, Maßnahme „{massnahme['code']}“, Feld „ziele“: Nummern von Leitsätzen werden "
                    f"erwartet, gefunden wurde {nummer!r}."
                )
            if nummer not in leitsaetze[ziel_hf]:
                raise Datenfehler(
                    f"Datei {datei}, Maßnahme „{massnahme['code']}“, Feld „ziele“: Leitsatz {nummer} gibt es im "
                    f"Handlungsfeld „{ziel_hf}“ nicht."
                )


def _quelltext(daten: dict[str, Any]) -> str:
    """Every text the file transcribes from its source (not its own notes: `*_beleg`, `quelle`), joined, so that
    the sentence a date is taken from can be found wherever it stands (a Beginn may come from the Einleitung)."""
    teile: list[str] = []

    def sammeln(wert: Any, name: str = "") -> None:
        if isinstance(wert, str) and not name.endswith("_beleg") and name != "quelle":
            teile.append(wert)
        elif isinstance(wert, dict):
            for schluessel, inhalt in wert.items():
                sammeln(inhalt, str(schluessel))
        elif isinstance(wert, list):
            for inhalt in wert:
                sammeln(inhalt, name)

    sammeln(daten)
    return "\n".join(teile)


def _validate_massnahme(
    massnahme: Any, datei: str, codes: set[str], strategie: dict[str, Any], kennungen: set[str], quelltext: str
) -> None:
    """One Maßnahme with its Meilensteine and Statusmeldungen; its dates follow the README's date rules."""
    mort = f"Datei {datei}, Maßnahme „{_name(massnahme, 'code')}“"
    validate_eintrag(massnahme, MASSNAHME, mort, kennungen, MASSNAHME_OPTIONAL)
    validate_herkunft(massnahme, "frist", mort, satz_in=massnahme["beschreibung"], wo="im Feld „beschreibung“")
    validate_herkunft(massnahme, "beginn", mort, satz_in=quelltext, wo=QUELLTEXT_WO, nach_tabelle=True)
    if massnahme["code"] in codes:
        raise Datenfehler(f"{mort}, Feld „code“: Die Kennziffer kommt doppelt vor.")
    codes.add(massnahme["code"])
    if massnahme["beginn"] and massnahme["frist"] and massnahme["frist"] < massnahme["beginn"]:
        raise Datenfehler(f"{mort}, Feld „frist“: Die Frist liegt vor dem Beginn.")
    for i, meilenstein in enumerate(massnahme["meilensteine"], 1):
        validate_eintrag(meilenstein, MEILENSTEIN, f"{mort}, Meilenstein {i}", kennungen)
    meldungen = set()
    for i, meldung in enumerate(massnahme["statusmeldungen"], 1):
        sort = f"{mort}, Statusmeldung {i}"
        validate_eintrag(meldung, STATUSMELDUNG, sort, kennungen, STATUSMELDUNG_OPTIONAL)
        validate_statusmeldung_datum(meldung, sort, berichtsdatum=strategie["berichtsdatum"])
        if (meldung["organisation"], meldung["quelle"].strip()) in meldungen:
            raise Datenfehler(
                f"{sort}, Feld „quelle“: Diese Organisation hat schon eine Statusmeldung mit dieser Quelle; "
                "die Quelle unterscheidet die Statusmeldungen einer Maßnahme."
            )
        meldungen.add((meldung["organisation"], meldung["quelle"].strip()))
