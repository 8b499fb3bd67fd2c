"""Who may use the Meldebogen: those who report, only for the organisation they report for (a Kreis's
Berichterstattung; the Geschäftsstelle for the Träger's gemeinsame Maßnahmen)."""

import pytest
from django.urls import reverse

from massnahmen.models import Massnahme, Statusmeldung
from meldebogen.models import Meldebogenimport
from strategie.models import Organisation

from .meldebogen_hilfen import (
    COCHEM,
    KUSEL,
    RLP,
    download_meldebogen,
    download_url,
    edit_xlsx,
    kopf_und_zeilen_xlsx,
    open_runde,
    upload_meldebogen,
)

SEITE = reverse("meldebogen:seite", args=[RLP])
HOCHLADEN = reverse("meldebogen:hochladen", args=[RLP])


def test_anonymous_is_sent_to_sign_in(client, daten):
    for url in (SEITE, download_url("xlsx"), download_url("csv")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("strategie:anmelden"))
    assert client.post(HOCHLADEN).status_code == 302


@pytest.mark.parametrize("benutzer", ["gast", "lenkungsausschuss_user"])
def test_members_without_reporting_role_cannot_export_or_import(client, request, benutzer, rlp):
    client.force_login(request.getfixturevalue(benutzer))

    assert client.get(SEITE).status_code == 403
    assert client.get(download_url("xlsx")).status_code == 403
    assert client.get(download_url("csv")).status_code == 403
    response = client.post(HOCHLADEN, {"datei": _leere_datei()})
    assert response.status_code == 403
    assert not Meldebogenimport.objects.exists()


def test_geschaeftsstelle_reports_the_traegers_gemeinsame_massnahmen_by_meldebogen(
    client, rlp, geschaeftsstelle_user, django_capture_on_commit_callbacks
):
    gemeinsam = (
        Massnahme.objects.filter(
            strategie=rlp, umsetzungsart="gemeinsam", federfuehrung__isnull=True, is_archived=False
        )
        .order_by("pk")
        .first()
    )
    runde = open_runde(rlp, geschaeftsstelle_user, codes=(gemeinsam.code, "I.2"))
    client.force_login(geschaeftsstelle_user)
    kusel = Organisation.objects.get(kennung=KUSEL)

    inhalt = download_meldebogen(client, "xlsx", organisation=rlp.traeger, runde=runde)
    _, zeilen = kopf_und_zeilen_xlsx(inhalt)
    assert [z[0] for z in zeilen] == [gemeinsam.code]  # what the Träger owes, none of the Kreise's I.2
    assert client.get(download_url("xlsx", organisation=kusel, runde=runde)).status_code == 403
    bearbeitet = edit_xlsx(
        inhalt,
        {
            gemeinsam.code: {
                "Status": "in Umsetzung",
                "Fortschritt (%)": 30,
                "Sachstand": "Arbeitsgruppe eingerichtet.",
            }
        },
    )
    response = upload_meldebogen(
        client,
        bearbeitet,
        "meldebogen.xlsx",
        organisation=rlp.traeger,
        runde=runde,
        capture=django_capture_on_commit_callbacks,
    )

    assert "Der Meldebogen wurde übernommen." in response.content.decode()
    meldung = Statusmeldung.objects.get(massnahme=gemeinsam, berichtsrunde=runde)
    assert (meldung.organisation, meldung.fortschritt, meldung.von) == (rlp.traeger, 30, geschaeftsstelle_user)
    assert runde.meldepflichten.get(massnahme=gemeinsam).statusmeldung == meldung


def test_user_of_another_strategy_gets_404(client, kgrz_user, kusel_user, daten):
    client.force_login(kgrz_user)
    assert client.get(SEITE).status_code == 404
    assert client.get(download_url("xlsx")).status_code == 404
    client.force_login(kusel_user)
    assert client.get(reverse("meldebogen:seite", args=["kgrz-koblenz"])).status_code == 404


def test_berichterstattung_sees_the_page(client, rlp, kusel_user, geschaeftsstelle_user):
    runde = open_runde(rlp, geschaeftsstelle_user)
    client.force_login(kusel_user)

    response = client.get(SEITE)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Excel-Datei (.xlsx) herunterladen" in html and "CSV-Datei herunterladen" in html
    assert f'<option value="{runde.pk}"' in html  # open rounds to choose from
    assert 'type="file"' in html and "höchstens 2 MB und 2.000 Zeilen" in html


def test_forged_organisation_is_refused_and_nothing_is_stored(
    client, rlp, kusel_user, geschaeftsstelle_user, django_capture_on_commit_callbacks
):
    kusel, cochem = Organisation.objects.get(kennung=KUSEL), Organisation.objects.get(kennung=COCHEM)
    runde = open_runde(rlp, geschaeftsstelle_user)
    client.force_login(kusel_user)
    inhalt = edit_xlsx(download_meldebogen(client, organisation=kusel, runde=runde), {"I.2": {"Fortschritt (%)": 90}})
    vorher = Statusmeldung.objects.count()

    assert client.get(download_url("xlsx", organisation=cochem, runde=runde)).status_code == 403
    assert client.get(SEITE + f"?organisation={cochem.pk}").status_code == 403
    response = upload_meldebogen(
        client, inhalt, "m.xlsx", organisation=cochem, runde=runde, capture=django_capture_on_commit_callbacks
    )

    assert response.status_code == 403
    assert Statusmeldung.objects.count() == vorher
    assert not Meldebogenimport.objects.exists()


def test_round_of_another_strategy_or_closed_round_gets_404(client, rlp, kusel_user, geschaeftsstelle_user):
    from massnahmen.services import close_berichtsrunde

    runde = open_runde(rlp, geschaeftsstelle_user)
    close_berichtsrunde(actor=geschaeftsstelle_user, berichtsrunde=runde)
    client.force_login(kusel_user)

    assert client.get(download_url("xlsx", runde=runde)).status_code == 404
    assert client.get(download_url("xlsx", runde="999999")).status_code == 404


def test_import_is_visible_only_to_the_uploading_organisation(
    client, rlp, kusel_user, cochem_user, geschaeftsstelle_user, django_capture_on_commit_callbacks
):
    kusel = Organisation.objects.get(kennung=KUSEL)
    client.force_login(kusel_user)
    inhalt = download_meldebogen(client, organisation=kusel, runde="alle")
    upload_meldebogen(
        client, inhalt, "m.xlsx", organisation=kusel, runde="alle", capture=django_capture_on_commit_callbacks
    )
    url = reverse("meldebogen:import", args=[RLP, Meldebogenimport.objects.get().pk])

    assert client.get(url).status_code == 200
    for anderer in (cochem_user, geschaeftsstelle_user):
        client.force_login(anderer)
        assert client.get(url).status_code == 404
        assert client.get(url, headers={"HX-Request": "true"}).status_code == 404


def _leere_datei():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("m.csv", b"Kennziffer\r\n")
