"""manage.py strategien_laden: complete, faithful, idempotent, and all-or-nothing on bad data."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from handlungsfelder.models import Handlungsfeld, Kennzahl, Ziel
from massnahmen.models import Beteiligung, Massnahme, Statusmeldung, Umsetzungsstand
from strategie.models import Abschnitt, Organisation, Strategie
from tests.portal.datendateien import KGRZ_DATEI, RLP_DATEI, edit_datendatei, massnahme_in

MODELLE = [
    Organisation,
    Strategie,
    Abschnitt,
    Handlungsfeld,
    Ziel,
    Kennzahl,
    Massnahme,
    Beteiligung,
    Statusmeldung,
    Umsetzungsstand,
]


def _abbild():
    """Every row of every loaded model, to compare two states of the database."""
    return {m.__name__: sorted(map(tuple, m.objects.values_list())) for m in MODELLE}


def test_second_run_changes_nothing_and_says_so(daten):
    vorher = _abbild()
    ausgabe = StringIO()

    call_command("strategien_laden", stdout=ausgabe)

    assert "Keine Änderungen" in ausgabe.getvalue()
    assert _abbild() == vorher


def test_rlp_is_complete(rlp):
    assert rlp.titel == "Digitalisierungsstrategie der rheinland-pfälzischen Landkreise"
    assert rlp.beschlossen_am == dt.date(2021, 10, 6)
    assert rlp.traeger.kennung == "landkreistag"
    assert "Motor ländlicher Entwicklung" in rlp.vision
    assert [g["nummer"] for g in rlp.grundsaetze] == [1, 2, 3, 4, 5]
    assert "DigitalisierungsEuro" in rlp.grundsaetze[1]["text"]
    handlungsfelder = list(rlp.handlungsfelder.order_by("ordnung"))
    assert [h.nummer for h in handlungsfelder] == ["I", "II", "III", "IV", "V", "VI", "VII"]
    assert handlungsfelder[6].titel == "Schulen"
    assert handlungsfelder[5].gemeinsam_mit == handlungsfelder[4]
    assert Ziel.objects.filter(handlungsfeld__strategie=rlp).count() == 33
    assert {h.nummer: h.ziele.count() for h in handlungsfelder} == {
        "I": 5,
        "II": 7,
        "III": 6,
        "IV": 6,
        "V": 5,
        "VI": 0,
        "VII": 4,
    }
    kennzahlen = Kennzahl.objects.filter(handlungsfeld__strategie=rlp).order_by("ordnung")
    assert [int(k.wert) for k in kennzahlen] == [117, 33, 148]
    assert all(k.stand.year == 2019 for k in kennzahlen)
    iii = handlungsfelder[2]
    assert "Flickenteppich" in iii.ausgangslage and "Ein-Produkt-Strategie" in iii.loesungsansatz
    assert "Youngster-Workshop" in handlungsfelder[4].begruendung


def test_rlp_massnahmen_carry_dates_and_actors(rlp):
    massnahmen = Massnahme.objects.filter(strategie=rlp)
    assert massnahmen.count() >= 40
    soll_ist = massnahmen.get(titel__icontains="Soll-Ist-Analyse")
    assert soll_ist.frist == dt.date(2022, 12, 31)
    assert soll_ist.umsetzungsart == Massnahme.Umsetzungsart.JE_ORGANISATION
    assert soll_ist.beteiligungen.count() == 24
    assert massnahmen.get(titel__icontains="Zertifizierung").frist == dt.date(2024, 12, 31)
    ag = massnahmen.get(code="I.5")  # beteiligte: [alle_landkreise, landkreistag]
    assert ag.beteiligungen.filter(organisation__art="landkreis").count() == 24
    assert ag.beteiligungen.filter(organisation__kennung="landkreistag").exists() and ag.beteiligungen.count() == 25
    emh = massnahmen.get(titel__icontains="EMH")
    assert (emh.beginn, emh.frist) == (dt.date(2021, 9, 1), dt.date(2023, 8, 31))
    assert sorted(emh.beteiligungen.values_list("organisation__kurzname", flat=True)) == [
        "Bernkastel-Wittlich",
        "Cochem-Zell",
        "Vulkaneifel",
    ]
    schul_it = massnahmen.get(
        titel__icontains="Schul-IT",
        umsetzungsart="gemeinsam",
        beteiligungen__isnull=False,
        handlungsfeld__nummer="VII",
        beteiligungen__organisation__schluessel="07336",
    )
    assert set(schul_it.beteiligungen.values_list("organisation__schluessel", flat=True)) == {
        "07333",
        "07335",
        "07336",
    }
    cloud = massnahmen.get(handlungsfeld__nummer="IV", federfuehrung__kennung="landkreistag")
    assert "Cloud-Strategie" in cloud.titel
    assert massnahmen.filter(titel__icontains="E-Akte", handlungsfeld__nummer="VI").exists()
    assert all(m.quelle for m in massnahmen)


def test_kgrz_is_complete(kgrz):
    assert kgrz.handlungsfelder.count() == 8
    assert list(kgrz.handlungsfelder.order_by("ordnung").values_list("titel", flat=True)) == [
        "Strategie",
        "Innere Organisation",
        "Personalmanagement",
        "Rechenzentrumsbetrieb",
        "Projektarbeit",
        "Technische Strategie",
        "Betriebswirtschaft",
        "Sonstiges",
    ]
    assert Massnahme.objects.filter(strategie=kgrz).count() == 44
    meldungen = Statusmeldung.objects.filter(massnahme__strategie=kgrz)
    assert meldungen.count() == 67
    assert meldungen.get(text__contains="Informationssicherheitsleitlinie").stichtag == dt.date(2018, 1, 1)
    assert meldungen.get(text__contains="Rufbereitschaft für den Fall").stichtag == dt.date(2017, 9, 1)
    assert meldungen.get(text__contains="Lizenzfragen").stichtag == dt.date(2018, 10, 1)
    arten = set(kgrz.abschnitte.values_list("art", flat=True))
    assert {
        "leitgedanke",
        "strategische_ziele",
        "operative_ziele",
        "managementziele",
        "erfahrungen",
        "fazit",
        "schwerpunkte",
        "randnotiz",
    } <= arten
    leitgedanke, fortsetzung = kgrz.abschnitte.filter(art="leitgedanke").order_by("ordnung")
    assert fortsetzung.text.startswith("IT-Dienstleister der Stadtverwaltung Koblenz") and not fortsetzung.titel
    assert leitgedanke.punkte == ["professioneller", "serviceorientierter", "zielorientierter", "verlässlicher"]
    assert len(kgrz.abschnitte.get(art="schwerpunkte").punkte) == 3
    assert kgrz.abschnitte.filter(art="randnotiz").count() >= 15
    staende = Umsetzungsstand.objects.filter(massnahme__strategie=kgrz)
    # seven goals without Ergebnis; the only Ergebnis of 1.2 is the Stadt's
    assert staende.filter(organisation__kennung="kgrz-koblenz").count() == 44 - 8
    assert sorted(staende.filter(organisation__schluessel="07111").values_list("massnahme__code", flat=True)) == [
        "1.2",
        "6.1",
    ]


def test_organisations_come_from_the_csv(daten):
    assert Organisation.objects.filter(art="landkreis").count() == 24
    assert Organisation.objects.filter(art="kreisfreie_stadt").count() == 12
    kusel = Organisation.objects.get(schluessel="07336")
    assert (kusel.name, kusel.sitz, kusel.einwohner_stand) == ("Landkreis Kusel", "Kusel", dt.date(2024, 12, 31))
    assert kusel.einwohner > 60000
    assert (
        Organisation.objects.filter(
            kennung__in=["landkreistag", "kgrz-koblenz", "kommwis", "kdz-mainz", "land-rlp"]
        ).count()
        == 5
    )


def test_missing_field_stops_with_german_message_and_changes_nothing(daten, datenkopie):
    pfad = datenkopie / "rlp-digitalisierungsstrategie.yaml"
    edit_datendatei(pfad, lambda d: d["handlungsfelder"][0]["massnahmen"][0].pop("frist"))
    edit_datendatei(pfad, lambda d: d["strategie"].update(titel="Geänderter Titel"))  # would be written first
    vorher = _abbild()

    with pytest.raises(CommandError) as fehler:
        call_command("strategien_laden", verzeichnis=str(datenkopie))

    assert "rlp-digitalisierungsstrategie.yaml" in str(fehler.value)
    assert "Maßnahme „I.1“" in str(fehler.value) and "„frist“" in str(fehler.value)
    assert "nichts wurde geändert" in str(fehler.value)
    assert _abbild() == vorher


def test_wrong_date_is_named(daten, datenkopie):
    pfad = datenkopie / "kgrz-koblenz.yaml"
    edit_datendatei(pfad, lambda d: d["handlungsfelder"][3]["massnahmen"][1].update(beginn="2016-13-01"))

    with pytest.raises(CommandError) as fehler:
        call_command("strategien_laden", verzeichnis=str(datenkopie))

    assert "kgrz-koblenz.yaml" in str(fehler.value) and "„beginn“" in str(fehler.value)
    assert "kein gültiges Datum" in str(fehler.value)


def test_changed_file_updates_in_place_and_keeps_reported_status(rlp, datenkopie):
    massnahme = Massnahme.objects.get(strategie=rlp, code="I.1")
    demo_meldungen = massnahme.statusmeldungen.count()
    staende = set(massnahme.umsetzungsstaende.values_list("organisation_id", "status"))
    pfad = datenkopie / "rlp-digitalisierungsstrategie.yaml"
    edit_datendatei(pfad, lambda d: d["handlungsfelder"][0]["massnahmen"][0].update(titel="Neuer Titel der Analyse"))
    ausgabe = StringIO()

    call_command("strategien_laden", verzeichnis=str(datenkopie), stdout=ausgabe)

    massnahme.refresh_from_db()
    assert massnahme.titel == "Neuer Titel der Analyse"
    assert "1 Maßnahmen geändert" in ausgabe.getvalue()
    assert massnahme.statusmeldungen.count() == demo_meldungen > 0
    assert set(massnahme.umsetzungsstaende.values_list("organisation_id", "status")) == staende
    assert massnahme.history.first().history_change_reason == "Strategiedaten geladen"


def test_reload_adds_the_origin_of_dates_to_a_database_loaded_without_it(rlp, kgrz):
    """A database loaded before the data files said how Beginn, Stand and Beschlussdatum were taken gets the
    origins on the next `strategien_laden`, keeping every reported status."""
    Massnahme.objects.filter(strategie__in=[rlp, kgrz]).update(beginn_herkunft="", beginn_beleg="")
    Kennzahl.objects.update(stand_herkunft="", stand_beleg="")
    Strategie.objects.filter(pk=rlp.pk).update(beschlossen_am_herkunft="", beschlossen_am_beleg="")
    meldungen = sorted(Statusmeldung.objects.values_list("pk", "status", "stichtag"))
    staende = sorted(Umsetzungsstand.objects.values_list("massnahme_id", "organisation_id", "status"))

    call_command("strategien_laden", stdout=StringIO())

    emh, ikz = Massnahme.objects.get(strategie=rlp, code="III.1"), Massnahme.objects.get(strategie=kgrz, code="1.1")
    assert (emh.beginn, emh.beginn_herkunft) == (dt.date(2021, 9, 1), "abgeleitet")
    assert "seit 2016" in ikz.beginn_beleg and ikz.beginn_herkunft == "abgeleitet"
    assert set(Kennzahl.objects.values_list("stand_herkunft", flat=True)) == {"abgeleitet"}
    rlp.refresh_from_db()
    assert rlp.beschlossen_am_herkunft == "ausdruecklich" and "06. Oktober 2021" in rlp.beschlossen_am_beleg
    assert sorted(Statusmeldung.objects.values_list("pk", "status", "stichtag")) == meldungen
    assert sorted(Umsetzungsstand.objects.values_list("massnahme_id", "organisation_id", "status")) == staende


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
    vorher = _abbild()

    with pytest.raises(CommandError) as fehler:
        call_command("strategien_laden", verzeichnis=str(datenkopie))

    assert str(fehler.value) == f"Die Strategiedaten wurden nicht geladen, nichts wurde geändert. {meldung}"
    assert _abbild() == vorher


def test_quoted_and_unquoted_dates_are_read_alike(daten, datenkopie):
    _replace(datenkopie / RLP_DATEI, "frist: 2022-12-31", 'frist: "2022-12-31"')
    ausgabe = StringIO()

    call_command("strategien_laden", verzeichnis=str(datenkopie), stdout=ausgabe)

    assert "Keine Änderungen" in ausgabe.getvalue()
    assert Massnahme.objects.get(strategie__slug="rlp-digitalisierungsstrategie", code="I.1").frist == dt.date(
        2022, 12, 31
    )
