"""Download, edit two rows, upload: exactly those two rows become Statusmeldungen (XLSX and CSV)."""

import datetime as dt

from django.utils import timezone

from massnahmen.models import Berichtsrunde, Meldepflicht, Statusmeldung, Umsetzungsstand
from meldebogen.models import Meldebogenimport
from strategie.models import Organisation

from .meldebogen_hilfen import (
    KUSEL,
    download_meldebogen,
    edit_csv,
    edit_xlsx,
    kopf_und_zeilen_xlsx,
    open_runde,
    upload_meldebogen,
)


def _staende(organisation) -> dict[str, tuple]:
    return {
        s.massnahme.code: (s.status, s.fortschritt, s.version, s.letzte_meldung_id)
        for s in Umsetzungsstand.objects.filter(organisation=organisation).select_related("massnahme")
    }


def test_berichterstattung_changes_exactly_the_edited_rows_by_xlsx(
    client, rlp, kusel_user, geschaeftsstelle_user, django_capture_on_commit_callbacks
):
    kusel = Organisation.objects.get(kennung=KUSEL)
    runde = open_runde(rlp, geschaeftsstelle_user)
    client.force_login(kusel_user)
    vorher_staende, vorher_meldungen = _staende(kusel), Statusmeldung.objects.count()
    inhalt = download_meldebogen(client, "xlsx", organisation=kusel, runde=runde)
    _, zeilen = kopf_und_zeilen_xlsx(inhalt)
    assert {z[0] for z in zeilen} == set(
        runde.meldepflichten.filter(organisation=kusel).values_list("massnahme__code", flat=True)
    )

    bearbeitet = edit_xlsx(
        inhalt,
        {
            "I.2": {"Fortschritt (%)": 80, "Sachstand": "Rechenzentrum zertifiziert, Fachverfahren im Audit."},
            "VI.1": {"Status": "umgesetzt", "Fortschritt (%)": 100, "Ampel": "grün", "Vertraulich": "ja"},
        },
    )
    response = upload_meldebogen(
        client,
        bearbeitet,
        "meldebogen.xlsx",
        organisation=kusel,
        runde=runde,
        capture=django_capture_on_commit_callbacks,
    )

    assert response.status_code == 200
    assert "Der Meldebogen wurde übernommen." in response.content.decode()
    neue = Statusmeldung.objects.filter(organisation=kusel, berichtsrunde=runde).order_by("massnahme__code")
    assert Statusmeldung.objects.count() == vorher_meldungen + 2
    assert [m.massnahme.code for m in neue] == ["I.2", "VI.1"]
    i2, vi1 = neue
    assert (i2.fortschritt, i2.status, i2.stichtag, i2.von) == (80, "in_umsetzung", runde.stichtag, kusel_user)
    assert i2.text == "Rechenzentrum zertifiziert, Fachverfahren im Audit."
    assert (vi1.status, vi1.fortschritt, vi1.ampel, vi1.vertraulich) == ("umgesetzt", 100, "gruen", True)

    nachher = _staende(kusel)
    assert nachher["I.2"][:3] == ("in_umsetzung", 80, vorher_staende["I.2"][2] + 1)
    assert nachher["VI.1"][:3] == ("umgesetzt", 100, vorher_staende["VI.1"][2] + 1)
    unveraendert = {code: stand for code, stand in nachher.items() if code not in ("I.2", "VI.1")}
    assert unveraendert == {code: vorher_staende[code] for code in unveraendert}
    erfuellt = Meldepflicht.objects.filter(berichtsrunde=runde, organisation=kusel, statusmeldung__isnull=False)
    assert set(erfuellt.values_list("massnahme__code", flat=True)) == {"I.2", "VI.1"}
    meldebogenimport = Meldebogenimport.objects.get()
    assert (meldebogenimport.zustand, meldebogenimport.gemeldet, meldebogenimport.fortschritt) == ("fertig", 2, 100)
    assert meldebogenimport.zeilen == len(zeilen)


def test_unchanged_file_stores_nothing(
    client, rlp, kusel_user, geschaeftsstelle_user, django_capture_on_commit_callbacks
):
    kusel = Organisation.objects.get(kennung=KUSEL)
    runde = open_runde(rlp, geschaeftsstelle_user)
    client.force_login(kusel_user)
    vorher = Statusmeldung.objects.count()
    inhalt = download_meldebogen(client, "xlsx", organisation=kusel, runde=runde)

    response = upload_meldebogen(
        client, inhalt, "meldebogen.xlsx", organisation=kusel, runde=runde, capture=django_capture_on_commit_callbacks
    )

    assert "Der Meldebogen enthielt keine Änderungen." in response.content.decode()
    assert Statusmeldung.objects.count() == vorher
    assert Meldebogenimport.objects.get().zustand == Meldebogenimport.Zustand.FERTIG


def test_berichterstattung_changes_exactly_the_edited_rows_by_csv(
    client, rlp, kusel_user, django_capture_on_commit_callbacks
):
    kusel = Organisation.objects.get(kennung=KUSEL)
    client.force_login(kusel_user)
    vorher_staende, vorher_meldungen = _staende(kusel), Statusmeldung.objects.count()
    inhalt = download_meldebogen(client, "csv", organisation=kusel, runde="alle")
    assert inhalt.startswith("\ufeff".encode())
    text = inhalt.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Kennziffer;Maßnahme;Handlungsfeld;Organisation;Stichtag;Status;")
    heute = timezone.localdate().strftime("%d.%m.%Y")

    bearbeitet = edit_csv(
        inhalt,
        {
            "I.2": {"Stichtag": heute, "Fortschritt (%)": "65", "Risiken": "- Personal knapp"},
            "VI.1": {
                "Stichtag": timezone.localdate().isoformat(),
                "Status": "zurückgestellt",
                "Ampel": "rot",
                "Sachstand": "Fachverfahrenswechsel geht vor.",
            },
        },
    )
    response = upload_meldebogen(
        client,
        bearbeitet,
        "meldebogen.csv",
        organisation=kusel,
        runde="alle",
        capture=django_capture_on_commit_callbacks,
    )

    assert "Der Meldebogen wurde übernommen." in response.content.decode()
    assert Statusmeldung.objects.count() == vorher_meldungen + 2
    i2 = Statusmeldung.objects.filter(organisation=kusel, massnahme__code="I.2").latest("gemeldet_am")
    demo_runde = Berichtsrunde.objects.get(strategie=rlp, ist_demo=True)  # open: a Meldung about today counts for it
    assert (i2.stichtag, i2.fortschritt, i2.risiken, i2.berichtsrunde) == (
        timezone.localdate(),
        65,
        "- Personal knapp",
        demo_runde,
    )
    nachher = _staende(kusel)
    assert nachher["VI.1"][:2] == ("zurueckgestellt", 70)
    assert nachher["VI.1"][2] == vorher_staende["VI.1"][2] + 1
    assert {c: s for c, s in nachher.items() if c not in ("I.2", "VI.1")} == {
        c: s for c, s in vorher_staende.items() if c not in ("I.2", "VI.1")
    }


def test_csv_keeps_text_that_looks_like_a_formula(client, rlp, kusel_user, django_capture_on_commit_callbacks):
    kusel = Organisation.objects.get(kennung=KUSEL)
    client.force_login(kusel_user)
    inhalt = download_meldebogen(client, "csv", organisation=kusel, runde="alle")
    heute = timezone.localdate().strftime("%d.%m.%Y")
    upload_meldebogen(
        client,
        edit_csv(inhalt, {"I.2": {"Stichtag": heute, "Sachstand": "'=SUMME(A1:A3)"}}),
        "m.csv",
        organisation=kusel,
        runde="alle",
        capture=django_capture_on_commit_callbacks,
    )

    meldung = Statusmeldung.objects.filter(organisation=kusel, massnahme__code="I.2").latest("gemeldet_am")
    assert meldung.text == "=SUMME(A1:A3)"
    wieder = download_meldebogen(client, "csv", organisation=kusel, runde="alle").decode("utf-8-sig")
    assert ";'=SUMME(A1:A3);" in wieder


def test_korrektur_of_an_older_stichtag_stays_in_the_history(
    client, rlp, kusel_user, django_capture_on_commit_callbacks
):
    kusel = Organisation.objects.get(kennung=KUSEL)
    client.force_login(kusel_user)
    stand = Umsetzungsstand.objects.get(organisation=kusel, massnahme__code="I.2")
    inhalt = download_meldebogen(client, "csv", organisation=kusel, runde="alle")
    aelter = {"Stichtag": "31.12.2023", "Fortschritt (%)": "30", "Sachstand": "Stand Ende 2023 nachgetragen."}

    abgelehnt = upload_meldebogen(
        client,
        edit_csv(inhalt, {"I.2": aelter}),
        "m.csv",
        organisation=kusel,
        runde="alle",
        capture=django_capture_on_commit_callbacks,
    )
    angenommen = upload_meldebogen(
        client,
        edit_csv(inhalt, {"I.2": {**aelter, "Korrektur": "ja"}}),
        "m.csv",
        organisation=kusel,
        runde="alle",
        capture=django_capture_on_commit_callbacks,
    )

    assert "Der Stichtag liegt nicht nach der letzten Meldung (30.06.2024)." in abgelehnt.content.decode()
    assert "Der Meldebogen wurde übernommen." in angenommen.content.decode()
    korrektur = Statusmeldung.objects.get(organisation=kusel, massnahme__code="I.2", stichtag=dt.date(2023, 12, 31))
    assert (korrektur.ist_korrektur, korrektur.fortschritt) == (True, 30)
    nachher = Umsetzungsstand.objects.get(pk=stand.pk)
    assert (nachher.stichtag, nachher.fortschritt, nachher.version) == (stand.stichtag, 55, stand.version)


def test_two_colleagues_working_from_one_download_do_not_block_each_other(
    client, rlp, kusel_user, geschaeftsstelle_user, django_capture_on_commit_callbacks
):
    """The second upload changes another row; the row the first one changed is untouched in it and is skipped."""
    kusel = Organisation.objects.get(kennung=KUSEL)
    runde = open_runde(rlp, geschaeftsstelle_user)
    client.force_login(kusel_user)
    download = download_meldebogen(client, "xlsx", organisation=kusel, runde=runde)
    erste = edit_xlsx(download, {"I.2": {"Fortschritt (%)": 70, "Sachstand": "Kollegin: Audit bestanden."}})
    zweite = edit_xlsx(download, {"VI.1": {"Fortschritt (%)": 80, "Sachstand": "Kollege: E-Akte im Bauamt."}})

    for datei in (erste, zweite):
        antwort = upload_meldebogen(
            client,
            datei,
            "meldebogen.xlsx",
            organisation=kusel,
            runde=runde,
            capture=django_capture_on_commit_callbacks,
        )
        assert "Der Meldebogen wurde übernommen." in antwort.content.decode()

    neue = Statusmeldung.objects.filter(organisation=kusel, berichtsrunde=runde).order_by("massnahme__code")
    assert [(m.massnahme.code, m.fortschritt) for m in neue] == [("I.2", 70), ("VI.1", 80)]  # the first one stays
    # a row that was typed over, not left as downloaded, still meets the conflict
    dritte = edit_xlsx(download, {"I.2": {"Fortschritt (%)": 75}})
    antwort = upload_meldebogen(
        client, dritte, "meldebogen.xlsx", organisation=kusel, runde=runde, capture=django_capture_on_commit_callbacks
    )
    assert "Zu I.2 hat nach dem Herunterladen" in antwort.content.decode()
    assert Statusmeldung.objects.filter(organisation=kusel, berichtsrunde=runde).count() == 2
