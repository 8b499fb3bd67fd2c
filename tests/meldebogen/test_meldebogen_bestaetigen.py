"""Meldealltag in the Meldebogen: confirming an unchanged state ("Unverändert bestätigen"), the result by Kennziffer,
an old file whose Maßnahme entfällt since the download, "50 %" typed into Excel, files of an earlier export, and the
round the file was downloaded for."""

import csv
import io

from django.utils import timezone
from openpyxl import load_workbook

from massnahmen.models import Berichtsrunde, Massnahme, Meldepflicht, Statusmeldung
from massnahmen.services import close_berichtsrunde
from massnahmen.services.beteiligungen import declare_entfaellt
from meldebogen.models import Meldebogenimport

from .meldebogen_hilfen import download_meldebogen, edit_csv, edit_xlsx, open_runde, upload_meldebogen

BESTAETIGEN = "Unverändert bestätigen"


def _main(antwort) -> str:
    text = antwort.content.decode()
    return text[text.find("<main") :]


def test_confirming_an_unchanged_row_in_a_round_fulfils_its_meldepflicht(
    client, rlp, kusel, kusel_user, geschaeftsstelle_user, django_capture_on_commit_callbacks
):
    runde = open_runde(rlp, geschaeftsstelle_user)
    client.force_login(kusel_user)
    datei = download_meldebogen(client, "xlsx", organisation=kusel, runde=runde)
    vi1 = Massnahme.objects.get(strategie=rlp, code="VI.1")
    vorher = Statusmeldung.objects.filter(massnahme=vi1, organisation=kusel).latest("gemeldet_am")

    antwort = upload_meldebogen(
        client, edit_xlsx(datei, {"VI.1": {BESTAETIGEN: "ja"}}), "m.xlsx", capture=django_capture_on_commit_callbacks
    )

    text = _main(antwort)
    assert "Der Meldebogen wurde übernommen." in text, text[:3000]
    assert "Unverändert bestätigt (1)" in text and "Übersprungen (3)" in text
    neu = Statusmeldung.objects.filter(massnahme=vi1, organisation=kusel).latest("gemeldet_am")
    assert neu.pk != vorher.pk and neu.stichtag == runde.stichtag and not neu.ist_korrektur
    assert (neu.status, neu.fortschritt, neu.ampel, neu.text) == (
        vorher.status,
        vorher.fortschritt,
        vorher.ampel,
        vorher.text,
    )
    assert Meldepflicht.objects.get(berichtsrunde=runde, massnahme=vi1, organisation=kusel).statusmeldung == neu
    uebersicht = Meldebogenimport.objects.get().uebersicht
    assert [p["kennziffer"] for p in uebersicht["bestaetigt"]] == ["VI.1"]
    assert sorted(p["kennziffer"] for p in uebersicht["uebersprungen"]) == ["I.1", "I.2", "VII.1"]


def test_result_lists_stored_confirmed_and_skipped_by_kennziffer(
    client, kusel, kusel_user, django_capture_on_commit_callbacks
):
    client.force_login(kusel_user)
    datei = download_meldebogen(client, "csv", organisation=kusel, runde="alle")
    heute = timezone.localdate().strftime("%d.%m.%Y")
    bearbeitet = edit_csv(
        datei,
        {
            "I.2": {"Stichtag": heute, "Fortschritt (%)": "60", "Sachstand": "Audit bestanden."},
            "VI.1": {BESTAETIGEN: "j"},
        },
    )

    text = _main(
        upload_meldebogen(client, bearbeitet, "m.csv", runde="alle", capture=django_capture_on_commit_callbacks)
    )

    assert "2 Statusmeldungen gespeichert" in text, text[:3000]
    assert "Gespeichert (1)</dt>" in text and "Unverändert bestätigt (1)</dt>" in text
    gespeichert = text[text.find("Gespeichert (1)") :].split("</dd>")[0]
    assert "I.2" in gespeichert and "VI.1" not in gespeichert
    neu = Statusmeldung.objects.filter(organisation=kusel, massnahme__code="VI.1").latest("gemeldet_am")
    assert neu.stichtag == timezone.localdate()  # the row's Stichtag was the last Meldung's: today counts


def test_confirming_a_maßnahme_without_any_meldung_names_the_column(
    client, rlp, kusel, kusel_user, django_capture_on_commit_callbacks
):
    client.force_login(kusel_user)
    datei = download_meldebogen(client, "csv", organisation=kusel, runde="alle")
    ohne = next(
        zeile[0]
        for zeile in csv.reader(io.StringIO(datei.decode("utf-8-sig")), delimiter=";")
        if zeile[-1].startswith("0-") and zeile[0] != "Kennziffer"
    )
    vorher = Statusmeldung.objects.count()

    text = _main(
        upload_meldebogen(
            client,
            edit_csv(datei, {ohne: {BESTAETIGEN: "ja"}}),
            "m.csv",
            runde="alle",
            capture=django_capture_on_commit_callbacks,
        )
    )

    assert "Der Meldebogen wurde nicht übernommen." in text
    assert f"Zu {ohne} gibt es noch keine Meldung, die Sie bestätigen könnten." in text
    assert Statusmeldung.objects.count() == vorher


def test_unchanged_row_of_a_maßnahme_that_entfaellt_since_the_download_is_skipped_with_a_note(
    client, rlp, kusel, kusel_user, geschaeftsstelle_user, django_capture_on_commit_callbacks
):
    client.force_login(kusel_user)
    datei = download_meldebogen(client, "csv", organisation=kusel, runde="alle")
    vii1 = Massnahme.objects.get(strategie=rlp, code="VII.1")
    declare_entfaellt(
        actor=geschaeftsstelle_user, massnahme=vii1, organisation=kusel, begruendung="Schulträger ist die Stadt."
    )
    heute = timezone.localdate().strftime("%d.%m.%Y")
    bearbeitet = edit_csv(datei, {"I.2": {"Stichtag": heute, "Fortschritt (%)": "60", "Sachstand": "Audit."}})

    text = _main(
        upload_meldebogen(client, bearbeitet, "m.csv", runde="alle", capture=django_capture_on_commit_callbacks)
    )

    assert "Der Meldebogen wurde übernommen." in text, text[:3000]
    assert "Zur Maßnahme VII.1 meldet Ihre Organisation seit dem Herunterladen nicht mehr" in text
    assert Statusmeldung.objects.filter(organisation=kusel, massnahme__code="I.2", fortschritt=60).exists()
    assert not Statusmeldung.objects.filter(organisation=kusel, massnahme=vii1, gemeldet_am__date=timezone.localdate())


def test_a_changed_row_of_a_maßnahme_that_entfaellt_is_still_refused(
    client, rlp, kusel, kusel_user, geschaeftsstelle_user, django_capture_on_commit_callbacks
):
    client.force_login(kusel_user)
    datei = download_meldebogen(client, "csv", organisation=kusel, runde="alle")
    vii1 = Massnahme.objects.get(strategie=rlp, code="VII.1")
    declare_entfaellt(actor=geschaeftsstelle_user, massnahme=vii1, organisation=kusel, begruendung="Stadt.")

    text = _main(
        upload_meldebogen(
            client,
            edit_csv(datei, {"VII.1": {"Sachstand": "Neu geschrieben."}}),
            "m.csv",
            runde="alle",
            capture=django_capture_on_commit_callbacks,
        )
    )

    assert "Der Meldebogen wurde nicht übernommen." in text
    assert "Zur Maßnahme VII.1 meldet Ihre Organisation nicht" in text


def test_percent_typed_into_an_excel_cell_is_read_as_the_percent_shown(
    client, kusel, i2, kusel_user, django_capture_on_commit_callbacks
):
    client.force_login(kusel_user)
    datei = download_meldebogen(client, "xlsx", organisation=kusel, runde="alle")
    mappe = load_workbook(io.BytesIO(datei))
    blatt = mappe["Meldebogen"]
    kopf = [z.value for z in blatt[1]]
    zeile = next(z for z in blatt.iter_rows(min_row=2) if z[0].value == "I.2")
    zeile[kopf.index("Stichtag")].value = timezone.localdate()
    zelle = zeile[kopf.index("Fortschritt (%)")]
    zelle.value, zelle.number_format = 0.6, "0%"  # what Excel stores when "60 %" is typed
    ausgabe = io.BytesIO()
    mappe.save(ausgabe)

    text = _main(
        upload_meldebogen(
            client, ausgabe.getvalue(), "m.xlsx", runde="alle", capture=django_capture_on_commit_callbacks
        )
    )

    assert "Der Meldebogen wurde übernommen." in text, text[:3000]
    assert Statusmeldung.objects.filter(massnahme=i2, organisation=kusel).latest("gemeldet_am").fortschritt == 60


def test_file_of_an_earlier_export_without_the_confirm_column_is_still_read(
    client, kusel, kusel_user, django_capture_on_commit_callbacks
):
    client.force_login(kusel_user)
    zeilen = list(
        csv.reader(
            io.StringIO(download_meldebogen(client, "csv", organisation=kusel, runde="alle").decode("utf-8-sig")),
            delimiter=";",
        )
    )
    spalte = zeilen[0].index(BESTAETIGEN)
    alt = io.StringIO()
    csv.writer(alt, delimiter=";").writerows([z[:spalte] + z[spalte + 1 :] for z in zeilen])

    text = _main(
        upload_meldebogen(
            client, alt.getvalue().encode(), "alt.csv", runde="alle", capture=django_capture_on_commit_callbacks
        )
    )

    assert "Der Meldebogen enthielt keine Änderungen." in text, text[:3000]


def test_round_is_read_from_the_file_not_from_the_page(
    client, rlp, kusel, kusel_user, geschaeftsstelle_user, django_capture_on_commit_callbacks
):
    runde = open_runde(rlp, geschaeftsstelle_user)
    client.force_login(kusel_user)
    datei = download_meldebogen(client, "xlsx", organisation=kusel, runde=runde)

    text = _main(upload_meldebogen(client, datei, "m.xlsx", runde="alle", capture=django_capture_on_commit_callbacks))

    assert "Der Meldebogen enthielt keine Änderungen." in text, text[:3000]
    assert Meldebogenimport.objects.get().berichtsrunde == runde
    assert f"{runde.titel} (Stichtag {runde.stichtag:%d.%m.%Y})" in text


def test_file_of_a_round_closed_since_the_download_is_refused_in_one_sentence(
    client, rlp, kusel, kusel_user, geschaeftsstelle_user
):
    runde = open_runde(rlp, geschaeftsstelle_user)
    client.force_login(kusel_user)
    datei = download_meldebogen(client, "xlsx", organisation=kusel, runde=runde)
    close_berichtsrunde(actor=geschaeftsstelle_user, berichtsrunde=runde)
    assert Berichtsrunde.objects.get(pk=runde.pk).zustand != Berichtsrunde.Zustand.OFFEN

    antwort = upload_meldebogen(client, datei, "m.xlsx", runde="alle")

    text = _main(antwort)
    assert antwort.status_code == 200
    assert (
        f"Diese Datei wurde für die Berichtsrunde „{runde.titel}“ (Stichtag {runde.stichtag:%d.%m.%Y}) heruntergeladen, "
        "die inzwischen geschlossen ist" in text
    )
    assert "Diese Zeile" not in text and "fehlerbericht" not in text  # one sentence, not one per row
    assert not Meldebogenimport.objects.exists()
