"""Point 2 of issue 14: the Meldebogen reader is bounded by what a Meldebogen can be. A small XLSX with millions of
empty rows (with a true, a false or no dimension), rows with a value only outside the Meldebogen's columns, or a row
of 16,384 cells is refused with a German message and stores nothing; a note beside the columns is ignored.
(How fast and how lean: benchmarks/meldebogen_grenzen.py.)"""

import io
import re
import zipfile

import pytest

from massnahmen.models import Statusmeldung, Umsetzungsstand
from tests.meldebogen.meldebogen_hilfen import download_meldebogen, open_runde, upload_meldebogen

ZU_GROSS = "Die Tabelle ist größer, als ein Meldebogen sein kann"
ZU_VIELE = "Die Datei enthält mehr als 2.000 Zeilen. Leere Zeilen zählen mit"
ENTPACKT = "Die Datei ist entpackt ungewöhnlich groß"


@pytest.fixture
def runde(rlp, geschaeftsstelle_user):
    return open_runde(rlp, geschaeftsstelle_user)


def _stand():
    return Statusmeldung.objects.count(), list(Umsetzungsstand.objects.order_by("pk").values_list("pk", "version"))


def _blatt_aendern(xlsx: bytes, aendern) -> bytes:
    """The workbook with its "Meldebogen" sheet XML changed by `aendern(text) -> text`."""
    ausgabe = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as alt, zipfile.ZipFile(ausgabe, "w", zipfile.ZIP_DEFLATED) as neu:
        for eintrag in alt.infolist():
            daten = alt.read(eintrag.filename)
            if eintrag.filename == "xl/worksheets/sheet1.xml":
                daten = aendern(daten.decode()).encode()
            neu.writestr(eintrag, daten)
    return ausgabe.getvalue()


def _dimension(text: str, ref: str | None) -> str:
    text = re.sub(r"<dimension [^>]*/>", "", text)
    return text.replace("<sheetViews>", f'<dimension ref="{ref}"/><sheetViews>', 1) if ref else text


def _anhaengen(text: str, zeilen: str) -> str:
    return text.replace("</sheetData>", zeilen + "</sheetData>", 1)


LEER = "<row/>" * 1_000_000  # about 6 MB unpacked, a few KB packed
NUR_SPALTE_O = ("<row>" + "<c/>" * 14 + '<c t="inlineStr"><is><t>x</t></is></c></row>') * 30_000
BREIT = "<row>" + "<c><v>1</v></c>" * 16_384 + "</row>"


@pytest.mark.parametrize(
    ("aendern", "meldung"),
    [
        (lambda t: _dimension(_anhaengen(t, LEER), "A1:N1000010"), ZU_VIELE),  # dimension refused first
        (lambda t: _dimension(_anhaengen(t, LEER), "A1:N2"), ZU_VIELE),  # a false dimension: rows counted
        (lambda t: _dimension(_anhaengen(t, LEER), None), ZU_VIELE),
        (lambda t: _anhaengen(t, NUR_SPALTE_O), ZU_VIELE),  # values outside the columns count as rows
        (lambda t: _anhaengen(t, BREIT), ZU_GROSS),
        (lambda t: _anhaengen(t, "<row/>" * 7_400_000), ENTPACKT),  # the file: 44 MB unpacked
    ],
)
def test_kusel_oversized_sheet_is_refused_in_german(
    client, kusel_user, kusel, runde, django_capture_on_commit_callbacks, aendern, meldung
):
    client.force_login(kusel_user)
    datei = _blatt_aendern(download_meldebogen(client, organisation=kusel, runde=runde), aendern)
    vorher = _stand()

    response = upload_meldebogen(client, datei, "meldebogen.xlsx", kusel, runde, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert meldung in response.content.decode()
    assert _stand() == vorher


def test_kusel_note_beside_the_columns_is_ignored(
    client, kusel_user, kusel, runde, django_capture_on_commit_callbacks
):
    client.force_login(kusel_user)
    notiz = '<c r="P2" t="inlineStr"><is><t>Notiz neben der Tabelle</t></is></c></row>'
    datei = _blatt_aendern(
        download_meldebogen(client, organisation=kusel, runde=runde),
        lambda t: re.sub(r'(<row r="2"[^>]*>.*?)</row>', lambda m: m.group(1) + notiz, t, count=1, flags=re.S),
    )
    vorher = _stand()

    response = upload_meldebogen(client, datei, "meldebogen.xlsx", kusel, runde, django_capture_on_commit_callbacks)

    assert "Der Meldebogen enthielt keine Änderungen." in response.content.decode()
    assert _stand() == vorher
