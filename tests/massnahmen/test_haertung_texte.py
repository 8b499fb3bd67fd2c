"""Points 6 and 10 of issue 14: one text rule for every user text (forms and imports) refuses control characters,
NUL and non-characters with a German message, every text has a maximum length, and the export never writes what
XML 1.0 forbids, so the county's own unchanged file uploads again."""

import io
import re
import zipfile

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from massnahmen.models import Meldungsentwurf, Statusmeldung, Umsetzungsstand
from tests.conftest import RLP
from tests.meldebogen.meldebogen_hilfen import download_meldebogen, edit_csv, edit_xlsx, open_runde, upload_meldebogen

ZEICHEN = "unzulässiges Steuer- oder Sonderzeichen"


@pytest.fixture
def runde(rlp, geschaeftsstelle_user):
    return open_runde(rlp, geschaeftsstelle_user)


def _stand():
    return (
        Statusmeldung.objects.count(),
        Meldungsentwurf.objects.count(),
        list(Umsetzungsstand.objects.order_by("pk").values_list("pk", "version")),
    )


def _melden(client, i2, kusel, aktion="einreichen", **felder):
    stand = Umsetzungsstand.objects.filter(massnahme=i2, organisation=kusel).first()
    daten = {
        "organisation": kusel.pk,
        "stichtag": timezone.localdate().isoformat(),
        "status": "in_umsetzung",
        "fortschritt": 90,
        "text": "Sachstand",
        "version": stand.version if stand else 0,
        "aktion": aktion,
        **felder,
    }
    praefix = f"m{i2.pk}-o{kusel.pk}"
    return client.post(f"/{RLP}/massnahmen/I.2/melden/", {f"{praefix}-{k}": v for k, v in daten.items()})


@pytest.mark.parametrize(
    ("feld", "wert"),
    [
        ("text", "Vergabe läuft\uffff"),
        ("text", "Vergabe\ufffe läuft"),
        ("naechste_schritte", "Abnahme\x00"),
        ("risiken", "Lieferverzug\x01"),
        ("text", "Ende\U0010ffff"),
    ],
)
@pytest.mark.parametrize("aktion", ["einreichen", "entwurf"])
def test_kusel_cannot_store_control_or_non_characters(client, kusel_user, kusel, i2, feld, wert, aktion):
    client.force_login(kusel_user)
    vorher = _stand()

    response = _melden(client, i2, kusel, aktion=aktion, **{feld: wert})

    assert response.status_code == 200
    assert ZEICHEN in response.content.decode()
    assert _stand() == vorher


def test_kusel_cannot_store_more_than_10000_characters(client, kusel_user, kusel, i2):
    client.force_login(kusel_user)
    vorher = _stand()

    response = _melden(client, i2, kusel, text="x" * 10_001)

    assert response.status_code == 200
    assert "mit 10.001 Zeichen zu lang; erlaubt sind höchstens 10.000 Zeichen" in response.content.decode()
    assert _stand() == vorher


def test_kusel_line_breaks_and_tabs_are_kept(client, kusel_user, kusel, i2):
    client.force_login(kusel_user)

    response = _melden(client, i2, kusel, text="Zeile 1\r\nZeile 2\tmit Tab")

    assert response.status_code == 302
    assert Statusmeldung.objects.filter(massnahme=i2, organisation=kusel).latest("pk").text == (
        "Zeile 1\nZeile 2\tmit Tab"
    )


@pytest.mark.parametrize("wert", ["Stand\x01", "Stand\uffff", "x" * 10_001])
def test_kusel_import_with_bad_text_is_a_german_row_error(
    client, kusel_user, kusel, runde, django_capture_on_commit_callbacks, wert
):
    client.force_login(kusel_user)
    datei = edit_csv(download_meldebogen(client, "csv", organisation=kusel, runde=runde), {"I.2": {"Sachstand": wert}})
    vorher = _stand()

    response = upload_meldebogen(client, datei, "meldebogen.csv", kusel, runde, django_capture_on_commit_callbacks)

    text = response.content.decode()
    assert response.status_code == 200
    assert ZEICHEN in text or "zu lang" in text
    assert _stand() == vorher


def _ersetze_in_xlsx(inhalt: bytes, alt: str, neu: str) -> bytes:
    ausgabe = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(inhalt)) as quelle, zipfile.ZipFile(ausgabe, "w", zipfile.ZIP_DEFLATED) as ziel:
        for eintrag in quelle.infolist():
            daten = quelle.read(eintrag.filename)
            if eintrag.filename.endswith(".xml"):
                daten = daten.replace(alt.encode(), neu.encode())
            ziel.writestr(eintrag, daten)
    return ausgabe.getvalue()


@pytest.mark.parametrize("entitaet", ["&#1;", "&#0;", "&#xFFFF;"])
def test_kusel_xlsx_cell_with_character_reference_is_a_german_error(
    client, kusel_user, kusel, runde, django_capture_on_commit_callbacks, entitaet
):
    client.force_login(kusel_user)
    datei = edit_xlsx(download_meldebogen(client, organisation=kusel, runde=runde), {"I.2": {"Sachstand": "MARKE"}})
    datei = _ersetze_in_xlsx(datei, "MARKE", "MARKE" + entitaet)
    vorher = _stand()

    response = upload_meldebogen(client, datei, "meldebogen.xlsx", kusel, runde, django_capture_on_commit_callbacks)

    text = response.content.decode()
    assert response.status_code == 200
    assert ZEICHEN in text or "lässt sich nicht als Excel-Arbeitsmappe (.xlsx) öffnen" in text
    assert _stand() == vorher


def test_kusel_export_of_old_text_with_non_characters_uploads_again(
    client, kusel_user, kusel, runde, django_capture_on_commit_callbacks
):
    """A text stored before the rule (here written straight into the table) is exported without what XML 1.0
    forbids; the unchanged file is accepted."""
    stand = Umsetzungsstand.objects.get(massnahme__strategie__slug=RLP, massnahme__code="I.2", organisation=kusel)
    Statusmeldung.objects.filter(pk=stand.letzte_meldung_id).update(text="Alt\uffff\ufffe\x01 gespeichert")
    client.force_login(kusel_user)
    datei = download_meldebogen(client, organisation=kusel, runde=runde)
    blatt = load_workbook(io.BytesIO(datei))["Meldebogen"]
    werte = [z.value for zeile in blatt.iter_rows() for z in zeile if isinstance(z.value, str)]
    vorher = _stand()

    response = upload_meldebogen(client, datei, "meldebogen.xlsx", kusel, runde, django_capture_on_commit_callbacks)

    assert "Alt gespeichert" in werte
    assert not any(re.search("[\x00-\x08\ufffe\uffff]", w) for w in werte)
    assert response.status_code == 200
    assert "Der Meldebogen enthielt keine Änderungen." in response.content.decode()
    assert _stand() == vorher
