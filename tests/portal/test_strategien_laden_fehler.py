"""manage.py strategien_laden on bad data: each problem named in German with file, item and field, and nothing
changed (all or nothing); dates are read alike whether quoted or not."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from massnahmen.models import Massnahme
from tests.portal.datendateien import KGRZ_DATEI, RLP_DATEI, abbild_der_daten, edit_datendatei, massnahme_in


def test_missing_field_stops_with_german_message_and_changes_nothing(daten, datenkopie):
    pfad = datenkopie / "rlp-digitalisierungsstrategie.yaml"
    edit_datendatei(pfad, lambda d: d["handlungsfelder"][0]["massnahmen"][0].pop("frist"))
    edit_datendatei(pfad, lambda d: d["strategie"].update(titel="Geänderter Titel"))  # would be written first
    vorher = abbild_der_daten()

    with pytest.raises(CommandError) as fehler:
        call_command("strategien_laden", verzeichnis=str(datenkopie))

    assert "rlp-digitalisierungsstrategie.yaml" in str(fehler.value)
    assert "Maßnahme „I.1“" in str(fehler.value) and "„frist“" in str(fehler.value)
    assert "nichts wurde geändert" in str(fehler.value)
    assert abbild_der_daten() == vorher


def test_wrong_date_is_named(daten, datenkopie):
    pfad = datenkopie / "kgrz-koblenz.yaml"
    edit_datendatei(pfad, lambda d: d["handlungsfelder"][3]["massnahmen"][1].update(beginn="2016-13-01"))

    with pytest.raises(CommandError) as fehler:
        call_command("strategien_laden", verzeichnis=str(datenkopie))

    assert "kgrz-koblenz.yaml" in str(fehler.value) and "„beginn“" in str(fehler.value)
    assert "kein gültiges Datum" in str(fehler.value)


def _replace(pfad, alt, neu):
    """Edit the text itself, for what a YAML round trip cannot express (an unquoted impossible date)."""
    text = pfad.read_text(encoding="utf-8")
    assert alt in text
    pfad.write_text(text.replace(alt, neu, 1), encoding="utf-8")


FEHLERHAFTE_DATEN = {
    "unmögliches Datum ohne Anführungszeichen": (
        RLP_DATEI,
        None,
        ("frist: 2022-12-31", "frist: 2022-13-31"),
        "Datei rlp-digitalisierungsstrategie.yaml, Maßnahme „I.1“, Feld „frist“: „2022-13-31“ ist kein gültiges "
        "Datum (erwartet JJJJ-MM-TT, z. B. 2022-12-31).",
    ),
    "31. April als Stichtag": (
        KGRZ_DATEI,
        None,
        ("stichtag: 2018-04-01", "stichtag: 2018-04-31"),
        "Datei kgrz-koblenz.yaml, Maßnahme „7.1“, Statusmeldung 1, Feld „stichtag“: „2018-04-31“ ist kein gültiges "
        "Datum (erwartet JJJJ-MM-TT, z. B. 2022-12-31).",
    ),
    "Leitsatz ohne Felder": (
        RLP_DATEI,
        lambda d: d["handlungsfelder"][0]["ziele"].__setitem__(0, "Leitsatz als Text"),
        None,
        "Datei rlp-digitalisierungsstrategie.yaml, Handlungsfeld „I“, Leitsatz ?: Ein Eintrag mit Feldern wird "
        "erwartet.",
    ),
    "Kennzahl ohne Felder": (
        RLP_DATEI,
        lambda d: d["handlungsfelder"][2]["kennzahlen"].__setitem__(0, 117),
        None,
        "Datei rlp-digitalisierungsstrategie.yaml, Handlungsfeld „III“, Kennzahl „?“: Ein Eintrag mit Feldern wird "
        "erwartet.",
    ),
    "Titel länger als das Datenbankfeld": (
        RLP_DATEI,
        lambda d: massnahme_in(d, "I.1").update(titel="x" * 301),
        None,
        "Datei rlp-digitalisierungsstrategie.yaml, Maßnahme „I.1“, Feld „titel“: Bitte sicherstellen, dass der Wert "
        "aus höchstens 300 Zeichen besteht. (Er besteht aus 301 Zeichen.)",
    ),
    "fehlender Leitsatz": (
        RLP_DATEI,
        lambda d: massnahme_in(d, "I.1").update(ziele=[9]),
        None,
        "Datei rlp-digitalisierungsstrategie.yaml, Maßnahme „I.1“, Feld „ziele“: Leitsatz 9 gibt es im "
        "Handlungsfeld „I“ nicht.",
    ),
    "abgeleitete Frist ohne Datum": (
        RLP_DATEI,
        lambda d: massnahme_in(d, "III.1").update(frist=None),
        None,
        "Datei rlp-digitalisierungsstrategie.yaml, Maßnahme „III.1“, Feld „frist“: Das Datum ist als „abgeleitet“ "
        "angegeben, fehlt aber. Tragen Sie es ein oder entfernen Sie „frist_herkunft“ und „frist_beleg“.",
    ),
    "abgeleitete Frist ohne Satz": (
        RLP_DATEI,
        lambda d: massnahme_in(d, "III.1").update(frist_beleg=" "),
        None,
        "Datei rlp-digitalisierungsstrategie.yaml, Maßnahme „III.1“, Feld „frist_beleg“: Ein abgeleitetes Datum "
        "braucht den Satz der Quelle, aus dem es stammt.",
    ),
    "Frist ohne Herkunft": (
        RLP_DATEI,
        lambda d: [massnahme_in(d, "I.2").pop(feld) for feld in ("frist_herkunft", "frist_beleg")],
        None,
        "Datei rlp-digitalisierungsstrategie.yaml, Maßnahme „I.2“, Feld „frist_herkunft“: Zu jedem Datum gehört, "
        "wie es aus dem Text genommen ist (ausdruecklich, abgeleitet oder erschlossen).",
    ),
    "Satz der Frist nicht aus der Quelle": (
        RLP_DATEI,
        lambda d: massnahme_in(d, "I.1").update(frist_beleg="Die Analyse ist bis Ende 2022 abzuschließen."),
        None,
        "Datei rlp-digitalisierungsstrategie.yaml, Maßnahme „I.1“, Feld „frist_beleg“: Der Satz steht nicht "
        "wörtlich im Feld „beschreibung“; bitte zitieren Sie ihn aus der Quelle.",
    ),
    "Beginn ohne Herkunft": (
        KGRZ_DATEI,
        lambda d: [massnahme_in(d, "1.1").pop(feld) for feld in ("beginn_herkunft", "beginn_beleg")],
        None,
        "Datei kgrz-koblenz.yaml, Maßnahme „1.1“, Feld „beginn_herkunft“: Zu jedem Datum gehört, wie es aus dem "
        "Text genommen ist (ausdruecklich, abgeleitet oder erschlossen).",
    ),
    "abgeleiteter Beginn ohne Datum": (
        RLP_DATEI,
        lambda d: massnahme_in(d, "III.1").update(beginn=None),
        None,
        "Datei rlp-digitalisierungsstrategie.yaml, Maßnahme „III.1“, Feld „beginn“: Das Datum ist als „abgeleitet“ "
        "angegeben, fehlt aber. Tragen Sie es ein oder entfernen Sie „beginn_herkunft“ und „beginn_beleg“.",
    ),
    "Beginn anders als die Tabelle": (
        KGRZ_DATEI,
        lambda d: massnahme_in(d, "1.1").update(beginn="2016-07-01"),
        None,
        "Datei kgrz-koblenz.yaml, Maßnahme „1.1“, Feld „beginn“: Aus dem Satz in „beginn_beleg“ ergibt sich laut "
        "Tabelle der 01.01.2016, nicht der 01.07.2016.",
    ),
    "Satz des Beginns nicht aus der Quelle": (
        KGRZ_DATEI,
        lambda d: massnahme_in(d, "1.1").update(beginn_beleg="Seit 2016 verfolgen wir diesen Weg."),
        None,
        "Datei kgrz-koblenz.yaml, Maßnahme „1.1“, Feld „beginn_beleg“: Der Satz steht nicht wörtlich in den Texten "
        "der Datei; bitte zitieren Sie ihn aus der Quelle.",
    ),
    "Stand einer Kennzahl ohne Satz": (
        RLP_DATEI,
        lambda d: d["handlungsfelder"][2]["kennzahlen"][0].update(stand_beleg=""),
        None,
        "Datei rlp-digitalisierungsstrategie.yaml, Handlungsfeld „III“, Kennzahl „Software allgemeines“, Feld "
        "„stand_beleg“: Ein abgeleitetes Datum braucht den Satz der Quelle, aus dem es stammt.",
    ),
    "Beschlussdatum ohne Herkunft": (
        RLP_DATEI,
        lambda d: d["strategie"].pop("beschlossen_am_herkunft"),
        None,
        "Datei rlp-digitalisierungsstrategie.yaml, Strategie, Feld „beschlossen_am_herkunft“: Zu jedem Datum "
        "gehört, wie es aus dem Text genommen ist (ausdruecklich, abgeleitet oder erschlossen).",
    ),
    "erschlossener Berichtszeitpunkt ohne Begründung": (
        KGRZ_DATEI,
        lambda d: d["strategie"].update(berichtsdatum_beleg=""),
        None,
        "Datei kgrz-koblenz.yaml, Strategie, Feld „berichtsdatum_beleg“: Ein erschlossenes Datum braucht seine "
        "Begründung.",
    ),
    "Stichtag ohne wörtliche Angabe": (
        KGRZ_DATEI,
        lambda d: massnahme_in(d, "4.3")["statusmeldungen"][0].update(datum_laut_text=""),
        None,
        "Datei kgrz-koblenz.yaml, Maßnahme „4.3“, Statusmeldung 1, Feld „datum_laut_text“: Ein Stichtag braucht "
        "die wörtliche Angabe des Textes, aus der er stammt.",
    ),
    "Stichtag anders als die Angabe": (
        KGRZ_DATEI,
        lambda d: massnahme_in(d, "6.7")["statusmeldungen"][0].update(stichtag="2018-06-30"),
        None,
        "Datei kgrz-koblenz.yaml, Maßnahme „6.7“, Statusmeldung 1, Feld „stichtag“: Aus „seit Juni 2018“ ergibt "
        "sich laut Tabelle der 01.06.2018, nicht der 30.06.2018.",
    ),
    "Zeitangabe ohne Stichtag": (
        KGRZ_DATEI,
        lambda d: massnahme_in(d, "2.2")["statusmeldungen"][0].update(datum_laut_text="in 2016"),
        None,
        "Datei kgrz-koblenz.yaml, Maßnahme „2.2“, Statusmeldung 1, Feld „stichtag“: „in 2016“ nennt einen "
        "Zeitpunkt, der Stichtag fehlt aber (laut Tabelle der 31.12.2016).",
    ),
    "Leitsatz des Partners fehlt": (
        RLP_DATEI,
        lambda d: massnahme_in(d, "VI.1").update(ziele=[6]),
        None,
        "Datei rlp-digitalisierungsstrategie.yaml, Maßnahme „VI.1“, Feld „ziele“: Leitsatz 6 gibt es im "
        "Handlungsfeld „V“ nicht.",
    ),
}


@pytest.mark.parametrize("fall", FEHLERHAFTE_DATEN)
def test_bad_data_is_named_in_german_and_changes_nothing(daten, datenkopie, fall):
    datei, aenderung, ersetzung, meldung = FEHLERHAFTE_DATEN[fall]
    pfad = datenkopie / datei
    edit_datendatei(pfad, lambda d: d["strategie"].update(titel="Geänderter Titel"))  # would be written first
    if aenderung:
        edit_datendatei(pfad, aenderung)
    if ersetzung:
        _replace(pfad, *ersetzung)
    vorher = abbild_der_daten()

    with pytest.raises(CommandError) as fehler:
        call_command("strategien_laden", verzeichnis=str(datenkopie))

    assert str(fehler.value) == f"Die Strategiedaten wurden nicht geladen, nichts wurde geändert. {meldung}"
    assert abbild_der_daten() == vorher


def test_quoted_and_unquoted_dates_are_read_alike(daten, datenkopie):
    _replace(datenkopie / RLP_DATEI, "frist: 2022-12-31", 'frist: "2022-12-31"')
    ausgabe = StringIO()

    call_command("strategien_laden", verzeichnis=str(datenkopie), stdout=ausgabe)

    assert "Keine Änderungen" in ausgabe.getvalue()
    assert Massnahme.objects.get(strategie__slug="rlp-digitalisierungsstrategie", code="I.1").frist == dt.date(
        2022, 12, 31
    )
