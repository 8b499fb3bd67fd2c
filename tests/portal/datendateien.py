"""Editing copies of the strategy data files as a person would, and a picture of every loaded row, for the tests of
strategien_laden."""

import yaml

from handlungsfelder.models import Handlungsfeld, Kennzahl, Ziel
from massnahmen.models import Beteiligung, Massnahme, Statusmeldung, Umsetzungsstand
from strategie.models import Abschnitt, Organisation, Strategie

RLP_DATEI, KGRZ_DATEI = "rlp-digitalisierungsstrategie.yaml", "kgrz-koblenz.yaml"


def edit_datendatei(pfad, aenderung):
    """Load the YAML file, let `aenderung` edit the data, write it back."""
    daten = yaml.safe_load(pfad.read_text(encoding="utf-8"))
    aenderung(daten)
    pfad.write_text(yaml.safe_dump(daten, allow_unicode=True, sort_keys=False), encoding="utf-8")


def massnahme_in(daten, code):
    """The Maßnahme with `code` in loaded file data, of a Handlungsfeld or of the strategy as a whole."""
    alle = [m for hf in daten["handlungsfelder"] for m in hf["massnahmen"]] + daten.get("massnahmen", [])
    return next(m for m in alle if m["code"] == code)


MODELLE = [
    Organisation,
    Strategie,
    Abschnitt,
    Handlungsfeld,
    Ziel,
    Kennzahl,
    Massnahme,
    Beteiligung,
    Statusmeldung,
    Umsetzungsstand,
]


def abbild_der_daten():
    """Every row of every loaded model, to compare two states of the database."""
    return {m.__name__: sorted(map(tuple, m.objects.values_list())) for m in MODELLE}
