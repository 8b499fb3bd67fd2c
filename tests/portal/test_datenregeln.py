"""Every date of both data files follows the date rules of strategie/daten/README.md.

The rules say how a date is taken from the source text; this test reads the files as they are shipped
and checks each Statusmeldung, Frist, Beginn, Kennzahl-Stand and strategy date against them, so a misdated
Ergebnis or a date without its sentence fails here.
"""

import datetime as dt
from pathlib import Path

import pytest
import yaml

from portal.services.datumsregeln import JAHR, day_from_phrase

DATEN = Path(__file__).resolve().parents[2] / "strategie" / "daten"
HERKUNFT = {"ausdruecklich", "abgeleitet", "erschlossen"}
DATEIEN = ["kgrz-koblenz.yaml", "rlp-digitalisierungsstrategie.yaml"]


def _leerzeichen(text: str) -> str:
    return " ".join(text.split())


def _massnahmen():
    """(file, strategy, Maßnahme) for every Maßnahme of both files, of a Handlungsfeld or the whole strategy."""
    for datei in DATEIEN:
        daten = yaml.safe_load((DATEN / datei).read_text(encoding="utf-8"))
        for massnahme in [m for hf in daten["handlungsfelder"] for m in hf["massnahmen"]] + daten.get(
            "massnahmen", []
        ):
            yield datei, daten["strategie"], massnahme


STATUSMELDUNGEN = [
    pytest.param(strategie, meldung, id=f"{datei} {massnahme['code']} {meldung['quelle']}")
    for datei, strategie, massnahme in _massnahmen()
    for meldung in massnahme["statusmeldungen"]
]
FRISTEN = [
    pytest.param(massnahme, id=f"{datei} {massnahme['code']}")
    for datei, _, massnahme in _massnahmen()
    if massnahme["frist"] is not None
]


@pytest.mark.parametrize(("strategie", "meldung"), STATUSMELDUNGEN)
def test_statusmeldung_follows_the_date_rules(strategie, meldung):
    text, laut_text = _leerzeichen(meldung["text"]), _leerzeichen(meldung["datum_laut_text"])
    assert laut_text in text, "datum_laut_text steht wörtlich im Text der Statusmeldung"
    if "stichtag" in meldung:
        # Dated by the text: the stichtag is the day the README's table gives for the words, and the text
        # names no second point in time (an Ergebnis with two dates becomes two Statusmeldungen).
        assert laut_text, "ein Stichtag braucht die wörtliche Angabe, aus der er stammt"
        assert day_from_phrase(laut_text) == meldung["stichtag"]
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
    assert day_from_phrase(angabe) == tag


@pytest.mark.parametrize("massnahme", FRISTEN)
def test_frist_says_how_it_was_taken_from_the_text(massnahme):
    assert massnahme["frist_herkunft"] in HERKUNFT
    beleg = _leerzeichen(massnahme["frist_beleg"])
    assert beleg, "eine Frist braucht ihren Satz bzw. ihre Begründung"
    if massnahme["frist_herkunft"] != "erschlossen":
        assert beleg in _leerzeichen(massnahme["beschreibung"]), "der Satz steht wörtlich in der Beschreibung"
    if massnahme["frist_herkunft"] == "ausdruecklich":
        assert day_from_phrase(beleg) == massnahme["frist"]


def _texte(wert, name=""):
    """Every text a file transcribes from its source (not its own notes `*_beleg` and `quelle`)."""
    if isinstance(wert, str):
        return [] if name.endswith("_beleg") or name == "quelle" else [wert]
    if isinstance(wert, dict):
        return [t for k, v in wert.items() for t in _texte(v, k)]
    if isinstance(wert, list):
        return [t for v in wert for t in _texte(v, name)]
    return []


def _weitere_daten():
    """(file, entry, field, table applies) for each date besides Statusmeldungen and Fristen."""
    for datei in DATEIEN:
        daten = yaml.safe_load((DATEN / datei).read_text(encoding="utf-8"))
        yield datei, daten, daten["strategie"], "beschlossen_am", False
        for hf in daten["handlungsfelder"]:
            for kennzahl in hf["kennzahlen"]:
                yield datei, daten, kennzahl, "stand", True
        for massnahme in [m for hf in daten["handlungsfelder"] for m in hf["massnahmen"]] + daten.get(
            "massnahmen", []
        ):
            yield datei, daten, massnahme, "beginn", True


WEITERE_DATEN = [
    pytest.param(
        daten, eintrag, feld, tabelle, id=f"{datei} {eintrag.get('code') or eintrag.get('bezeichnung') or ''} {feld}"
    )
    for datei, daten, eintrag, feld, tabelle in _weitere_daten()
]


@pytest.mark.parametrize(("daten", "eintrag", "feld", "tabelle"), WEITERE_DATEN)
def test_beginn_stand_and_beschluss_say_how_they_were_taken_from_the_text(daten, eintrag, feld, tabelle):
    if eintrag[feld] is None:
        assert f"{feld}_herkunft" not in eintrag and f"{feld}_beleg" not in eintrag
        return
    herkunft, beleg = eintrag[f"{feld}_herkunft"], _leerzeichen(eintrag[f"{feld}_beleg"])
    assert herkunft in HERKUNFT and beleg
    if herkunft != "erschlossen":
        assert beleg in _leerzeichen("\n".join(_texte(daten))), "der Satz steht wörtlich in der Datei"
    if herkunft == "ausdruecklich":
        assert str(eintrag[feld].day) in beleg and str(eintrag[feld].year) in beleg
    if herkunft == "abgeleitet" and tabelle:
        assert day_from_phrase(beleg) == eintrag[feld], "der Tag laut Tabelle der README"


def test_the_kgrz_goals_began_in_2016_as_the_einleitung_says():
    daten = yaml.safe_load((DATEN / "kgrz-koblenz.yaml").read_text(encoding="utf-8"))
    beginne = {(m["beginn"], m["beginn_herkunft"]) for hf in daten["handlungsfelder"] for m in hf["massnahmen"]}
    assert beginne == {(dt.date(2016, 1, 1), "abgeleitet")}


def test_every_massnahme_without_frist_has_no_herkunft():
    for _, _, massnahme in _massnahmen():
        if massnahme["frist"] is None:
            assert "frist_herkunft" not in massnahme and "frist_beleg" not in massnahme, massnahme["code"]


def test_the_report_date_of_the_kgrz_is_marked_as_inferred_with_its_reason():
    """Issue 15, point 8: the KGRZ report states no date; 2021 is inferred."""
    strategie = yaml.safe_load((DATEN / "kgrz-koblenz.yaml").read_text(encoding="utf-8"))["strategie"]
    assert strategie["berichtsdatum_herkunft"] == "erschlossen"
    assert "fünf Jahre" in strategie["berichtsdatum_beleg"]
    for datei in DATEIEN:
        strategie = yaml.safe_load((DATEN / datei).read_text(encoding="utf-8"))["strategie"]
        assert (strategie["berichtsdatum"] is None) == ("berichtsdatum_herkunft" not in strategie), datei


def test_the_emh_frist_is_derived_from_start_and_duration():
    """Issue 15, point 10: "im September 2021 startet und zwei Jahre andauert" gives 31.08.2023."""
    emh = next(m for datei, _, m in _massnahmen() if m["code"] == "III.1")
    assert (emh["frist"], emh["frist_herkunft"]) == (dt.date(2023, 8, 31), "abgeleitet")
    assert "im September 2021 startet und zwei Jahre andauert" in emh["frist_beleg"]


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
