"""manage.py strategien_laden: complete, faithful, idempotent, and all-or-nothing on bad data."""

import datetime as dt
from io import StringIO

from django.core.management import call_command

from handlungsfelder.models import Kennzahl, Ziel
from massnahmen.models import Massnahme, Statusmeldung, Umsetzungsstand
from strategie.models import Organisation, Strategie
from tests.portal.datendateien import abbild_der_daten, edit_datendatei


def test_second_run_changes_nothing_and_says_so(daten):
    vorher = abbild_der_daten()
    ausgabe = StringIO()

    call_command("strategien_laden", stdout=ausgabe)

    assert "Keine Änderungen" in ausgabe.getvalue()
    assert abbild_der_daten() == vorher


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
