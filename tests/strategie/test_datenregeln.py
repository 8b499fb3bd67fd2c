"""Every Statusmeldung of both data files follows the date rules of strategie/daten/README.md.

The rules say how a date is taken from the source text; this test reads the files as they are shipped
and checks each Statusmeldung against them, so a misdated Ergebnis fails here before it is loaded.
"""

import calendar
import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

DATEN = Path(__file__).resolve().parents[2] / "strategie" / "daten"
DATEIEN = ["kgrz-koblenz.yaml", "rlp-digitalisierungsstrategie.yaml"]
MONATE = {
    name: nummer
    for nummer, name in enumerate(
        [
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
        ],
        1,
    )
}
JAHR = re.compile(r"\b(?:19|20)\d{2}\b")


def _leerzeichen(text: str) -> str:
    return " ".join(text.split())


def datum_laut_regeln(angabe: str) -> dt.date:
    """The day the README's table gives for a calendar phrase of the source (e.g. "seit Juni 2018")."""
    worte = _leerzeichen(angabe).lower().replace(".", ". ").split()
    text = " ".join(worte)
    if tag := re.search(r"(\d{1,2})\. (\d{1,2})\. (\d{4})", text):
        return dt.date(int(tag[3]), int(tag[2]), int(tag[1]))
    jahr = int(JAHR.findall(text)[-1])
    if quartal := re.search(r"(\d)\.? quartal", text):
        return dt.date(jahr, 3 * int(quartal[1]) - 2, 1)
    if "ende" in worte:
        return dt.date(jahr, 12, 31)
    if "mitte" in worte:
        return dt.date(jahr, 7, 1)
    monat = next((MONATE[w] for w in worte if w in MONATE), None)
    beginnt = bool({"seit", "ab", "startet"} & set(worte))
    if monat:
        return dt.date(jahr, monat, 1 if beginnt else calendar.monthrange(jahr, monat)[1])
    return dt.date(jahr, 1, 1) if beginnt else dt.date(jahr, 12, 31)


def _statusmeldungen():
    for datei in DATEIEN:
        daten = yaml.safe_load((DATEN / datei).read_text(encoding="utf-8"))
        for hf in daten["handlungsfelder"]:
            for massnahme in hf["massnahmen"]:
                for meldung in massnahme["statusmeldungen"]:
                    name = f"{datei} {massnahme['code']} {meldung['quelle']}"
                    yield pytest.param(daten["strategie"], meldung, id=name)


STATUSMELDUNGEN = list(_statusmeldungen())


@pytest.mark.parametrize(("strategie", "meldung"), STATUSMELDUNGEN)
def test_statusmeldung_follows_the_date_rules(strategie, meldung):
    text, laut_text = _leerzeichen(meldung["text"]), _leerzeichen(meldung["datum_laut_text"])
    assert laut_text in text, "datum_laut_text steht wörtlich im Text der Statusmeldung"
    if "stichtag" in meldung:
        # Dated by the text: the stichtag is the day the README's table gives for the words, and the text
        # names no second point in time (an Ergebnis with two dates becomes two Statusmeldungen).
        assert laut_text, "ein Stichtag braucht die wörtliche Angabe, aus der er stammt"
        assert datum_laut_regeln(laut_text) == meldung["stichtag"]
        assert len(JAHR.findall(text)) == 1, "der Text nennt genau einen Zeitpunkt"
    else:
        # The state at the time of the report: a year in the text is then not the state's date (e.g. the
        # beginning of the work), and datum_laut_text names the words that place the state at report time.
        assert strategie["berichtsdatum"], "ohne eigenes Datum gilt der Berichtszeitpunkt"
        assert not JAHR.search(laut_text)
        if JAHR.search(text):
            assert laut_text, "der Text nennt ein Jahr; datum_laut_text sagt, was den Stand zum Bericht datiert"


@pytest.mark.parametrize(
    ("angabe", "tag"),
    [
        ("zum 01.04.2018", dt.date(2018, 4, 1)),
        ("am 14.07.2016", dt.date(2016, 7, 14)),
        ("Seit Juni 2018", dt.date(2018, 6, 1)),
        ("seit 2020", dt.date(2020, 1, 1)),
        ("Seit Mitte 2018", dt.date(2018, 7, 1)),
        ("Seit dem 4 Quartal 2018", dt.date(2018, 10, 1)),
        ("seit Ende 2018", dt.date(2018, 12, 31)),
        ("Ende 2019", dt.date(2019, 12, 31)),
        ("in 2019", dt.date(2019, 12, 31)),
        ("im April 2017", dt.date(2017, 4, 30)),
        ("im September 2021 startet", dt.date(2021, 9, 1)),
    ],
)
def test_the_table_of_the_readme_reads_each_kind_of_phrase(angabe, tag):
    assert datum_laut_regeln(angabe) == tag


def _meldungen_von(datei: str, code: str) -> list[dict]:
    daten = yaml.safe_load((DATEN / datei).read_text(encoding="utf-8"))
    return next(m for hf in daten["handlungsfelder"] for m in hf["massnahmen"] if m["code"] == code)["statusmeldungen"]


def test_results_stated_at_report_time_carry_no_older_date():
    """Issue 15, points 1 and 2: "auch heute noch" and "steht kurz vor" describe the state of the report."""
    (innere_organisation,) = _meldungen_von("kgrz-koblenz.yaml", "2.2")
    assert "stichtag" not in innere_organisation
    digitalbeirat = next(m for m in _meldungen_von("kgrz-koblenz.yaml", "8.3") if "Digitalbeirat" in m["text"])
    assert "stichtag" not in digitalbeirat


def test_both_dates_of_the_licence_result_are_kept():
    """Issue 15, point 7: "zum 01.04.2018" and "Seit dem 4 Quartal 2018" each date a Statusmeldung."""
    assert [m["stichtag"] for m in _meldungen_von("kgrz-koblenz.yaml", "7.1")] == [
        dt.date(2018, 4, 1),
        dt.date(2018, 10, 1),
    ]
