"""The file knows what it is: whose Meldebogen it is is read from the file, not from the page's selection, and a
row left as downloaded is recognised by its fingerprint whatever round the page has selected; a file of another
Organisation is refused in one sentence."""

from django.utils import timezone

from massnahmen.models import Statusmeldung
from meldebogen.models import Meldebogenimport

from .meldebogen_hilfen import download_meldebogen, edit_xlsx, upload_meldebogen


def test_file_downloaded_without_round_uploads_with_the_pages_default(
    client, kusel_user, kusel, i2, django_capture_on_commit_callbacks
):
    client.force_login(kusel_user)
    datei = download_meldebogen(client, "xlsx", organisation=kusel, runde="alle")
    vorher = Statusmeldung.objects.count()
    heute = timezone.localdate()
    bearbeitet = edit_xlsx(datei, {"I.2": {"Stichtag": heute, "Fortschritt (%)": 60, "Sachstand": "Audit bestanden."}})

    # the page's default is the open demo round; the file says "ohne Berichtsrunde"
    text = upload_meldebogen(client, bearbeitet, "m.xlsx", capture=django_capture_on_commit_callbacks).content.decode()

    assert "Der Meldebogen wurde übernommen." in text
    assert Statusmeldung.objects.count() == vorher + 1


def test_file_of_another_organisation_is_refused_in_one_sentence(client, kusel_user, cochem_user, kusel):
    client.force_login(kusel_user)
    datei = download_meldebogen(client, "csv", organisation=kusel, runde="alle")
    client.force_login(cochem_user)

    antwort = upload_meldebogen(client, datei, "kusel.csv")

    text = antwort.content.decode()
    assert antwort.status_code == 200
    assert (
        "Diese Datei ist der Meldebogen von Landkreis Kusel (07336); Sie können nur für Landkreis Cochem-Zell" in text
    )
    assert "Diese Zeile gehört zu" not in text  # one sentence for the file, not one per row
    assert not Meldebogenimport.objects.exists()
