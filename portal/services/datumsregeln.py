"""The date rules of strategie/daten/README.md: how a date is taken from the source text, and the checks
that refuse a date whose origin cannot be verified.

A date is named in the text (ausdrücklich), derived from its words by the README's table or a calculation
(abgeleitet, with the sentence), or inferred from the context (erschlossen, with a reason).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

HERKUNFT_WERTE = frozenset({"ausdruecklich", "abgeleitet", "erschlossen"})
MONATE = {
    name: nummer
    for nummer, name in enumerate(
        (
            "januar",
            "februar",
            "märz",
            "april",
            "mai",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "dezember",
        ),
        1,
    )
}
JAHR = re.compile(r"\b(?:19|20)\d{2}\b")
TAGESDATUM = re.compile(r"(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})")
QUARTAL = re.compile(r"(\d)\.?\s*quartal")


class Datenfehler(Exception):
    """A data file does not match the expected shape. The message is German and names file, item and field."""


def normalize_space(text: str) -> str:
    return " ".join((text or "").split())


def day_from_phrase(angabe: str) -> dt.date | None:
    """The day the README's table gives for a calendar phrase of the source ("seit Juni 2018" -> 2018-06-01).

    None when the phrase names no year. A state that begins gets the first day; something done or held
    the last day by which it certainly was ("im April 2017 fertig gestellt" -> 2017-04-30, "in 2019" -> 31.12.).
    """
    if tag := TAGESDATUM.search(angabe):
        return dt.date(int(tag[3]), int(tag[2]), int(tag[1]))
    jahre = JAHR.findall(angabe)
    if not jahre:
        return None
    klein = angabe.lower()
    jahr, worte = int(jahre[-1]), set(klein.replace(".", " ").split())
    if quartal := QUARTAL.search(klein):
        return dt.date(jahr, 3 * int(quartal[1]) - 2, 1)
    if "ende" in worte:
        return dt.date(jahr, 12, 31)
    if "mitte" in worte:
        return dt.date(jahr, 7, 1)
    beginnt = bool({"seit", "ab", "startet"} & worte)
    monat = next((MONATE[w] for w in worte if w in MONATE), None)
    if monat:
        return dt.date(jahr, monat, 1 if beginnt else calendar.monthrange(jahr, monat)[1])
    return dt.date(jahr, 1, 1) if beginnt else dt.date(jahr, 12, 31)


def validate_herkunft(
    eintrag: dict[str, Any],
    feld: str,
    ort: str,
    *,
    satz_in: str | None = None,
    wo: str = "",
    nach_tabelle: bool = False,
) -> None:
    """A date `feld` and its `<feld>_herkunft` / `<feld>_beleg` fit together.

    A set date says how it was taken; a derived or explicit one carries the sentence of the source (found in
    `satz_in`, if given; `wo` names that place in German, e.g. "im Feld „beschreibung“"), an inferred one its
    reason; a herkunft without a date is refused. With `nach_tabelle`, a derived date must be the day the
    README's table gives for its sentence (a Beginn "seit 2016" is the 1 January); a Frist computed from a
    duration is not (`nach_tabelle=False`).
    """
    datum, herkunft = eintrag.get(feld), eintrag.get(f"{feld}_herkunft")
    beleg = normalize_space(eintrag.get(f"{feld}_beleg") or "")
    if herkunft is None:
        if datum is not None:
            raise Datenfehler(
                f"{ort}, Feld „{feld}_herkunft“: Zu jedem Datum gehört, wie es aus dem Text genommen ist "
                "(ausdruecklich, abgeleitet oder erschlossen)."
            )
        return
    if datum is None:
        raise Datenfehler(
            f"{ort}, Feld „{feld}“: Das Datum ist als „{herkunft}“ angegeben, fehlt aber. Tragen Sie es ein oder "
            f"entfernen Sie „{feld}_herkunft“ und „{feld}_beleg“."
        )
    if not beleg:
        was = "seine Begründung" if herkunft == "erschlossen" else "den Satz der Quelle, aus dem es stammt"
        raise Datenfehler(f"{ort}, Feld „{feld}_beleg“: Ein {_adjektiv(herkunft)} Datum braucht {was}.")
    if herkunft != "erschlossen" and satz_in is not None and beleg not in normalize_space(satz_in):
        raise Datenfehler(
            f"{ort}, Feld „{feld}_beleg“: Der Satz steht nicht wörtlich {wo}; bitte zitieren Sie ihn aus der Quelle."
        )
    if herkunft == "abgeleitet" and nach_tabelle and (tag := day_from_phrase(beleg)) != datum:
        soll = f"der {tag:%d.%m.%Y}" if tag else "kein Tag"
        raise Datenfehler(
            f"{ort}, Feld „{feld}“: Aus dem Satz in „{feld}_beleg“ ergibt sich laut Tabelle {soll}, "
            f"nicht der {datum:%d.%m.%Y}."
        )


def _adjektiv(herkunft: str) -> str:
    return {"ausdruecklich": "ausdrücklich genanntes", "abgeleitet": "abgeleitetes"}.get(herkunft, "erschlossenes")


def validate_statusmeldung_datum(meldung: dict[str, Any], ort: str, *, berichtsdatum: dt.date | None) -> None:
    """A Statusmeldung is dated by the words of its text (README, Datumsregeln), or states the report's time."""
    text, laut_text = normalize_space(meldung["text"]), normalize_space(meldung["datum_laut_text"] or "")
    if laut_text and laut_text not in text:
        raise Datenfehler(f"{ort}, Feld „datum_laut_text“: „{laut_text}“ steht nicht wörtlich im Text.")
    tag = day_from_phrase(laut_text)
    if "stichtag" not in meldung:
        if tag is not None:
            raise Datenfehler(
                f"{ort}, Feld „stichtag“: „{laut_text}“ nennt einen Zeitpunkt, der Stichtag fehlt aber "
                f"(laut Tabelle der {tag:%d.%m.%Y})."
            )
        if not berichtsdatum:
            raise Datenfehler(f"{ort}, Feld „stichtag“: Ohne Stichtag muss die Strategie ein berichtsdatum haben.")
        return
    if not laut_text:
        raise Datenfehler(
            f"{ort}, Feld „datum_laut_text“: Ein Stichtag braucht die wörtliche Angabe des Textes, aus der er stammt."
        )
    if tag != meldung["stichtag"]:
        soll = f"der {tag:%d.%m.%Y}" if tag else "kein Tag"
        raise Datenfehler(
            f"{ort}, Feld „stichtag“: Aus „{laut_text}“ ergibt sich laut Tabelle {soll}, "
            f"nicht der {meldung['stichtag']:%d.%m.%Y}."
        )


def statusmeldung_herkunft(meldung: dict[str, Any]) -> str:
    """How the Stichtag of a checked Statusmeldung was taken: a named day, derived words, or the report's time."""
    if "stichtag" not in meldung:
        return "berichtszeitpunkt"
    return "ausdruecklich" if TAGESDATUM.search(meldung["datum_laut_text"]) else "abgeleitet"
