"""Editing copies of the strategy data files as a person would, for the tests of strategien_laden."""

import yaml

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
