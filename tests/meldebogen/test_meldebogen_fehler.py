"""A faulty Meldebogen is refused with a German report (Zeile, Spalte, Problem) and nothing is stored."""

import io
import re
import zipfile

import pytest
from django.test import override_settings
from django.utils import timezone

from massnahmen.models import Massnahme, Statusmeldung, Umsetzungsstand
from massnahmen.services import Meldung, record_statusmeldung
from meldebogen.models import Meldebogenimport

from .meldebogen_hilfen import (
    COCHEM,
    download_meldebogen,
    edit_csv,
    edit_xlsx,
    open_runde,
    upload_meldebogen,
)


@pytest.fixture
def runde(rlp, geschaeftsstelle_user):
    return open_runde(rlp, geschaeftsstelle_user)


@pytest.fixture
def angemeldet(client, kusel_user):
    client.force_login(kusel_user)
    return client


def _staende():
    return list(Umsetzungsstand.objects.order_by("pk").values_list("pk", "version"))


def _berichtszeilen(html: str) -> list[tuple[str, str, str]]:
    """(Zeile, Spalte, Problem) of the report table, as a reader sees them."""
    tabelle = html.split('class="kern-table kern-table--small fehlerbericht"', 1)[1].split("</table>", 1)[0]
    zeilen = []
    for zeile in re.findall(r"<tr class=\"kern-table__row\">(.*?)</tr>", tabelle, re.S)[1:]:
        zellen = [re.sub(r"<[^>]+>", "", zelle).strip() for zelle in re.findall(r"<td[^>]*>(.*?)</td>", zeile, re.S)]
        zeilen.append(tuple(zellen))
    return zeilen


def _zeile_von(inhalt_xlsx: bytes, code: str) -> str:
    from openpyxl import load_workbook

    blatt = load_workbook(io.BytesIO(inhalt_xlsx))["Meldebogen"]
    return next(str(z[0].row) for z in blatt.iter_rows(min_row=2) if z[0].value == code)


def _hochladen_abgelehnt(client, inhalt, dateiname, kusel, runde, capture):
    vorher_meldungen, vorher_staende = Statusmeldung.objects.count(), _staende()
    response = upload_meldebogen(client, inhalt, dateiname, organisation=kusel, runde=runde, capture=capture)
    html = response.content.decode()
    assert Statusmeldung.objects.count() == vorher_meldungen
    assert _staende() == vorher_staende
    return response, html


def test_wrong_sheet_name_is_refused(angemeldet, kusel, runde, django_capture_on_commit_callbacks):
    inhalt = edit_xlsx(
        download_meldebogen(angemeldet, organisation=kusel, runde=runde),
        {"I.2": {"Fortschritt (%)": 90}},
        blattname="Tabelle1",
    )

    _, html = _hochladen_abgelehnt(angemeldet, inhalt, "m.xlsx", kusel, runde, django_capture_on_commit_callbacks)

    assert "Der Meldebogen wurde nicht übernommen. Es wurde nichts gespeichert." in html
    assert _berichtszeilen(html)[0][2].startswith("Das Tabellenblatt „Meldebogen“ fehlt (gefunden: „Tabelle1“")
    assert Meldebogenimport.objects.get().zustand == Meldebogenimport.Zustand.ABGELEHNT


def test_text_in_fortschritt_is_refused_and_the_valid_row_is_not_stored(
    angemeldet, kusel, runde, django_capture_on_commit_callbacks
):
    heruntergeladen = download_meldebogen(angemeldet, organisation=kusel, runde=runde)
    inhalt = edit_xlsx(heruntergeladen, {"I.2": {"Fortschritt (%)": "viel"}, "VI.1": {"Fortschritt (%)": 90}})

    _, html = _hochladen_abgelehnt(angemeldet, inhalt, "m.xlsx", kusel, runde, django_capture_on_commit_callbacks)

    assert _berichtszeilen(html) == [
        (
            _zeile_von(heruntergeladen, "I.2"),
            "Fortschritt (%)",
            "Fortschritt muss eine ganze Zahl zwischen 0 und 100 sein (gefunden: „viel“).",
        ),
    ]


def test_row_of_another_organisation_is_refused(angemeldet, kusel, runde, django_capture_on_commit_callbacks):
    heruntergeladen = download_meldebogen(angemeldet, organisation=kusel, runde=runde)
    inhalt = edit_xlsx(
        heruntergeladen,
        {"I.2": {"Organisation": COCHEM, "Fortschritt (%)": 10, "Sachstand": "Cochem-Zell trägt hier ein."}},
    )

    _, html = _hochladen_abgelehnt(angemeldet, inhalt, "m.xlsx", kusel, runde, django_capture_on_commit_callbacks)

    zeile, spalte, problem = _berichtszeilen(html)[0]
    assert (zeile, spalte) == (_zeile_von(heruntergeladen, "I.2"), "Organisation")
    assert "Cochem-Zell" in problem and "Sie können nur Meldungen für Landkreis Kusel" in problem
    assert not Statusmeldung.objects.filter(organisation__kennung=COCHEM, text__contains="trägt hier ein").exists()


def test_outdated_version_is_a_conflict_row(angemeldet, kusel, kusel_user, runde, django_capture_on_commit_callbacks):
    heruntergeladen = download_meldebogen(angemeldet, organisation=kusel, runde=runde)
    record_statusmeldung(  # somebody of Kusel reports in the browser after the download
        actor=kusel_user,
        massnahme=Massnahme.objects.get(strategie=runde.strategie, code="I.2"),
        organisation=kusel,
        meldung=Meldung(stichtag=runde.stichtag, status="in_umsetzung", fortschritt=60, text="Im Browser gemeldet."),
        erwartete_version=Umsetzungsstand.objects.get(organisation=kusel, massnahme__code="I.2").version,
    )
    inhalt = edit_xlsx(heruntergeladen, {"I.2": {"Fortschritt (%)": 75}, "VI.1": {"Fortschritt (%)": 80}})

    _, html = _hochladen_abgelehnt(angemeldet, inhalt, "m.xlsx", kusel, runde, django_capture_on_commit_callbacks)

    [(zeile, spalte, problem)] = _berichtszeilen(html)
    assert (zeile, spalte) == (_zeile_von(heruntergeladen, "I.2"), "Stand-Version")
    assert problem.startswith("Zu I.2 hat nach dem Herunterladen dieses Meldebogens Karl Kusel (Demo) am ")
    assert problem.endswith(
        "eine neuere Meldung gespeichert. Damit sie nicht überschrieben wird, laden Sie den "
        "Meldebogen bitte neu herunter und tragen Ihre Änderungen dort ein."
    )


def test_domain_rules_are_reported_in_their_columns(angemeldet, kusel, runde, django_capture_on_commit_callbacks):
    heruntergeladen = download_meldebogen(angemeldet, organisation=kusel, runde=runde)
    morgen = timezone.localdate() + timezone.timedelta(days=1)
    inhalt = edit_xlsx(
        heruntergeladen,
        {
            "I.2": {"Status": "umgesetzt", "Fortschritt (%)": 90},
            "VI.1": {"Status": "entfällt", "Sachstand": None, "Stichtag": morgen.strftime("%d.%m.%Y")},
            "VII.1": {"Status": "vielleicht", "Ampel": "blau", "Vertraulich": "kaum"},
        },
    )

    _, html = _hochladen_abgelehnt(angemeldet, inhalt, "m.xlsx", kusel, runde, django_capture_on_commit_callbacks)

    bericht = {(spalte, problem.split(" ")[0]) for _, spalte, problem in _berichtszeilen(html)}
    assert ("Fortschritt (%)", "Eine") in bericht  # umgesetzt needs 100 %
    assert ("Stichtag", "Der") in bericht and ("Sachstand", "Bitte") in bericht
    assert {("Status", "„vielleicht“"), ("Ampel", "Die"), ("Vertraulich", "Bitte")} <= bericht


def test_changed_header_is_refused(angemeldet, kusel, runde, django_capture_on_commit_callbacks):
    text = download_meldebogen(angemeldet, "csv", organisation=kusel, runde=runde).decode("utf-8-sig")
    inhalt = ("\ufeff" + text.replace(";Status;", ";Zustand;", 1)).encode()

    _, html = _hochladen_abgelehnt(angemeldet, inhalt, "m.csv", kusel, runde, django_capture_on_commit_callbacks)

    assert ("1", "Status", "In Spalte F wird die Überschrift „Status“ erwartet, gefunden wurde „Zustand“.") in (
        _berichtszeilen(html)
    )


def test_unknown_kennziffer_is_refused(angemeldet, kusel, runde, django_capture_on_commit_callbacks):
    inhalt = edit_csv(
        download_meldebogen(angemeldet, "csv", organisation=kusel, runde=runde),
        {"I.2": {"Kennziffer": "IX.9", "Fortschritt (%)": "70"}},
    )

    _, html = _hochladen_abgelehnt(angemeldet, inhalt, "m.csv", kusel, runde, django_capture_on_commit_callbacks)

    assert any(
        s == "Kennziffer" and "„IX.9“ gibt es in dieser Strategie nicht" in p for _, s, p in _berichtszeilen(html)
    )


@override_settings(MELDEBOGEN_MAX_ZEILEN=2)
def test_too_many_rows_are_refused(angemeldet, kusel, runde, django_capture_on_commit_callbacks):
    inhalt = download_meldebogen(angemeldet, "csv", organisation=kusel, runde=runde)

    _, html = _hochladen_abgelehnt(angemeldet, inhalt, "m.csv", kusel, runde, django_capture_on_commit_callbacks)

    assert "Die Datei enthält mehr als 2 Zeilen." in html


# --- refused at the upload itself: nothing is stored, not even the file ------------------------------------------


def _mit_makro(inhalt: bytes) -> bytes:
    ausgabe = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(inhalt)) as alt, zipfile.ZipFile(ausgabe, "w", zipfile.ZIP_DEFLATED) as neu:
        for eintrag in alt.infolist():
            neu.writestr(eintrag, alt.read(eintrag.filename))
        neu.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 kein echtes Makro")
    return ausgabe.getvalue()


@pytest.mark.parametrize(
    ("erzeuge", "dateiname", "meldung"),
    [
        (
            lambda inhalt: inhalt,
            "meldebogen.xlsm",
            "Dateien mit Makros (.xlsm) werden aus Sicherheitsgründen nicht angenommen.",
        ),
        (
            _mit_makro,
            "meldebogen.xlsx",
            "Die Datei enthält Makros (VBA-Projekt) und wird aus Sicherheitsgründen nicht angenommen.",
        ),
        (
            lambda inhalt: b"x" * (2 * 1024 * 1024 + 1),
            "meldebogen.csv",
            "Die Datei ist mit 2 MB zu groß. Erlaubt sind höchstens 2 MB.",
        ),
        (
            lambda inhalt: inhalt,
            "meldebogen.ods",
            "Bitte laden Sie eine Excel-Datei (.xlsx) oder eine CSV-Datei (.csv) hoch.",
        ),
        (
            lambda inhalt: b"PK kaputt",
            "meldebogen.xlsx",
            "Die Datei lässt sich nicht als Excel-Arbeitsmappe (.xlsx) öffnen.",
        ),
    ],
    ids=["xlsm", "xlsx-mit-vbaProject", "zu-gross", "falscher-typ", "kein-zip"],
)
def test_unsafe_or_oversized_file_is_refused_at_upload(
    angemeldet, kusel, runde, django_capture_on_commit_callbacks, erzeuge, dateiname, meldung
):
    inhalt = erzeuge(
        edit_xlsx(download_meldebogen(angemeldet, organisation=kusel, runde=runde), {"I.2": {"Fortschritt (%)": 90}})
    )

    response, html = _hochladen_abgelehnt(
        angemeldet, inhalt, dateiname, kusel, runde, django_capture_on_commit_callbacks
    )

    assert response.status_code == 200
    assert "Die Datei wurde nicht angenommen. Es wurde nichts gespeichert." in html
    [(zeile, spalte, problem)] = _berichtszeilen(html)
    assert (zeile, spalte) == ("ganze Datei–", "keine bestimmte Spalte–")
    assert problem.startswith(meldung)
    assert not Meldebogenimport.objects.exists()


def test_previous_sachstand_does_not_explain_a_drop_or_entfaellt(
    angemeldet, kusel, kusel_user, runde, django_capture_on_commit_callbacks
):
    for code in ("I.2", "VI.1"):  # a state with a Sachstand, which the export then carries in the Sachstand column
        record_statusmeldung(
            actor=kusel_user,
            massnahme=Massnahme.objects.get(strategie=runde.strategie, code=code),
            organisation=kusel,
            meldung=Meldung(
                stichtag=runde.stichtag - timezone.timedelta(days=90),
                status="in_umsetzung",
                fortschritt=60,
                text="Ausschreibung läuft.",
            ),
            erwartete_version=getattr(
                Umsetzungsstand.objects.filter(organisation=kusel, massnahme__code=code).first(), "version", 0
            ),
        )
    heruntergeladen = download_meldebogen(angemeldet, organisation=kusel, runde=runde)
    inhalt = edit_xlsx(heruntergeladen, {"I.2": {"Fortschritt (%)": 30}, "VI.1": {"Status": "entfällt"}})

    _, html = _hochladen_abgelehnt(angemeldet, inhalt, "m.xlsx", kusel, runde, django_capture_on_commit_callbacks)

    assert set(_berichtszeilen(html)) == {
        (
            _zeile_von(heruntergeladen, "I.2"),
            "Sachstand",
            "Der Fortschritt sinkt von 60 auf 30 Prozent. Bitte "
            "erläutern Sie den Grund im Sachstand (der bisherige Sachstand genügt dafür nicht).",
        ),
        (
            _zeile_von(heruntergeladen, "VI.1"),
            "Sachstand",
            "Bitte begründen Sie im Sachstand, warum die Maßnahme "
            "entfällt. Der bisherige Sachstand genügt dafür nicht.",
        ),
    }

    inhalt = edit_xlsx(
        heruntergeladen,
        {
            "I.2": {"Fortschritt (%)": 30, "Sachstand": "Vergabe gescheitert, neue Ausschreibung."},
            "VI.1": {"Status": "entfällt", "Sachstand": "Der Kreistag hat die E-Akte bis 2027 zurückgestellt."},
        },
    )
    upload_meldebogen(
        angemeldet, inhalt, "m.xlsx", organisation=kusel, runde=runde, capture=django_capture_on_commit_callbacks
    )

    assert Umsetzungsstand.objects.get(organisation=kusel, massnahme__code="I.2").fortschritt == 30
    assert Umsetzungsstand.objects.get(organisation=kusel, massnahme__code="VI.1").status == "entfaellt"
