"""`manage.py bericht_erstellen` renders in its own process and prints the PDF's path."""

import hashlib
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from berichte.models import Bericht


def test_command_renders_and_prints_the_path(rlp):
    ausgabe = io.StringIO()

    argumente = ["--strategie", "kgrz-koblenz", "--jahr", "2021", "--stichtag", "30.06.2021"]
    call_command("bericht_erstellen", *argumente, stdout=ausgabe)

    pfad = Path(ausgabe.getvalue().strip())
    bericht = Bericht.objects.get(strategie__slug="kgrz-koblenz", berichtsjahr=2021)
    assert (bericht.art, bericht.zustand, str(bericht.stichtag)) == ("umsetzungsbericht", "fertig", "2021-06-30")
    assert pfad.is_file() and pfad.name == "umsetzungsbericht-kgrz-koblenz-2021-v1.pdf"
    assert hashlib.sha256(pfad.read_bytes()).hexdigest() == bericht.sha256
    assert bericht.history.filter(history_user__isnull=True, history_change_reason="PDF angefordert").exists()


def test_command_names_a_wrong_strategy_and_date_in_german(rlp):
    with pytest.raises(CommandError, match="Eine Strategie „gibt-es-nicht“ gibt es nicht."):
        call_command("bericht_erstellen", "--strategie", "gibt-es-nicht", "--jahr", "2021")
    with pytest.raises(CommandError, match="kein Datum im Format TT.MM.JJJJ"):
        call_command("bericht_erstellen", "--strategie", "kgrz-koblenz", "--jahr", "2021", "--stichtag", "2021-06-30")
