"""Point 5 of issue 14: openpyxl reads uploaded XLSX through defusedxml; an XML entity bomb in a Meldebogen is
refused with a German file error, and `manage.py check` fails when defusedxml is not in use."""

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from massnahmen.models import Statusmeldung
from meldebogen.models import Meldebogenimport
from tests.meldebogen.meldebogen_hilfen import download_meldebogen, open_runde, upload_meldebogen

PROJEKT = Path(__file__).resolve().parents[2]
# A "billion laughs" DTD: &i; expands to 10^9 characters; nothing may expand it.
DTD = (
    '<!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    + "]>"
)


def _mit_bombe(xlsx: bytes) -> bytes:
    """The downloaded Meldebogen with the DTD in its workbook part and the sheet named "Meldebogen&i;"."""
    ausgabe = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as alt, zipfile.ZipFile(ausgabe, "w", zipfile.ZIP_DEFLATED) as neu:
        for eintrag in alt.infolist():
            inhalt = alt.read(eintrag.filename)
            if eintrag.filename == "xl/workbook.xml":
                text = inhalt.decode()
                kopf, rest = text.split("?>", 1) if text.startswith("<?xml") else ("", text)
                text = (kopf + "?>" if kopf else "") + DTD + rest.replace('name="Meldebogen"', 'name="Meldebogen&i;"')
                inhalt = text.encode()
            neu.writestr(eintrag, inhalt)
    return ausgabe.getvalue()


def test_openpyxl_parses_with_defusedxml():
    from openpyxl.xml import functions

    assert openpyxl.DEFUSEDXML is True
    assert functions.iterparse.__module__.startswith("defusedxml")
    with pytest.raises(Exception, match="(?i)entit|amplification"):  # defusedxml, or lxml where pikepdf brings it
        functions.fromstring(("<?xml version='1.0'?>" + DTD + "<a>&i;</a>").encode())


def test_kusel_entity_bomb_is_refused_in_german(
    client, kusel_user, kusel, rlp, geschaeftsstelle_user, django_capture_on_commit_callbacks
):
    runde = open_runde(rlp, geschaeftsstelle_user)
    client.force_login(kusel_user)
    datei = _mit_bombe(download_meldebogen(client, organisation=kusel, runde=runde))
    vorher = Statusmeldung.objects.count()

    response = upload_meldebogen(client, datei, "meldebogen.xlsx", kusel, runde, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    text = response.content.decode()
    assert "lässt sich nicht als Excel-Arbeitsmappe (.xlsx) öffnen" in text, text[text.index("<main") :]
    assert Statusmeldung.objects.count() == vorher
    assert Meldebogenimport.objects.filter(organisation=kusel).latest("pk").zustand != "fertig"


@pytest.mark.parametrize("wert", ["False"])
def test_check_fails_without_defusedxml(wert):
    umgebung = {**os.environ, "OPENPYXL_DEFUSEDXML": wert, "DJANGO_SETTINGS_MODULE": "strategie.settings.test"}

    ergebnis = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"], cwd=PROJEKT, env=umgebung, capture_output=True, text=True, timeout=120
    )

    assert ergebnis.returncode != 0
    assert "strategie.E001" in ergebnis.stderr
