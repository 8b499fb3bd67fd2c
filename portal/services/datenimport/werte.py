"""What every step of the loader shares: where the files are, the result, writing one object."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from portal.services.datenschema import Datenfehler
from strategie.aenderungsverlauf import GRUND_DATENLADEN
from strategie.models import Organisation

DATEN_VERZEICHNIS = Path(__file__).resolve().parents[3] / "strategie" / "daten"  # versioned source data
ORGANISATIONEN_CSV = "organisationen.csv"
AENDERUNGSGRUND = GRUND_DATENLADEN
# Change reason of a load that left fields as users set them in the portal; the verbose names of those fields follow.
GRUND_BEHALTEN = f"{GRUND_DATENLADEN}; aus dem Portal behalten: "
# Fields users also edit in the portal; `dateistand` keeps what the file said of them (see _mit_nutzerwerten).
MASSNAHME_NUTZERFELDER = ("beschreibung",)  # the Federführung edits these in the portal
MEILENSTEIN_NUTZERFELDER = ("titel", "faellig_am")

# The CSV has no key for the five non-territorial rows; they are addressed by these Kennungen.
KENNUNG_OHNE_SCHLUESSEL = {
    "Landkreistag": "landkreistag",
    "KGRZ Koblenz": "kgrz-koblenz",
    "KommWis": "kommwis",
    "KDZ Mainz": "kdz-mainz",
    "Rheinland-Pfalz": "land-rlp",
}
ART_AUS_CSV = {
    "Landkreis": Organisation.Art.LANDKREIS,
    "kreisfreie Stadt": Organisation.Art.KREISFREIE_STADT,
    "Geschäftsstelle": Organisation.Art.GESCHAEFTSSTELLE,
    "IT-Dienstleister": Organisation.Art.IT_DIENSTLEISTER,
    "Land": Organisation.Art.LAND,
    "Verband": Organisation.Art.VERBAND,
}


@dataclass
class Ladeergebnis:
    neu: Counter = field(default_factory=Counter)
    geaendert: Counter = field(default_factory=Counter)
    archiviert: Counter = field(default_factory=Counter)
    entfernt: Counter = field(default_factory=Counter)
    strategien: list[str] = field(default_factory=list)
    angelegt: set[tuple[type, int]] = field(default_factory=set)  # rows created in this run: not "geändert"
    geschrieben: set[tuple[type, int]] = field(default_factory=set)  # rows created or changed in this run

    def count_aenderung(self, art: str, objekt) -> None:
        if (type(objekt), objekt.pk) not in self.angelegt:
            self.geaendert[art] += 1

    @property
    def hat_aenderungen(self) -> bool:
        return bool(self.neu or self.geaendert or self.archiviert or self.entfernt)


class YamlLader(yaml.SafeLoader):
    """SafeLoader without the implicit timestamp resolver: dates arrive as text and datenschema checks them,
    so an impossible date such as 2022-13-31 gets a German message instead of a ValueError."""


YamlLader.yaml_implicit_resolvers = {
    zeichen: [(tag, muster) for tag, muster in resolver if tag != "tag:yaml.org,2002:timestamp"]
    for zeichen, resolver in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _json(wert: Any) -> Any:
    """A value as it is kept in `dateistand` (JSON): dates as JJJJ-MM-TT."""
    return wert.isoformat() if isinstance(wert, dt.date) else wert


def _mit_nutzerwerten(
    objekt: models.Model | None, werte: dict[str, Any], nutzerfelder: tuple[str, ...]
) -> tuple[dict[str, Any], list[str]]:
    """Three-way rule for fields users also edit: keep a user's value while the file still says what it said.

    `dateistand` holds what the file said at the last load. If the database differs from it (a user changed the
    field) and the file still says the same, the user's value stays; otherwise the file wins. Returns the values to
    write, the new `dateistand` among them, and the fields kept from the portal.
    """
    basis = objekt.dateistand if objekt is not None else {}
    werte = {**werte, "dateistand": {feld: _json(werte[feld]) for feld in nutzerfelder}}
    behalten = [
        feld
        for feld in nutzerfelder
        if feld in basis and werte["dateistand"][feld] == basis[feld] and _json(getattr(objekt, feld)) != basis[feld]
    ]
    werte.update({feld: getattr(objekt, feld) for feld in behalten})
    return werte, behalten


def _grund(modell: type, behalten: list[str]) -> str:
    if not behalten:
        return AENDERUNGSGRUND
    felder = {f.name: str(f.verbose_name) for f in modell._meta.concrete_fields}
    return GRUND_BEHALTEN + ", ".join(felder[f] for f in behalten)


def _datenfehler(exc: ValidationError, modell: type, schluessel: str, datei: str) -> Datenfehler:
    """The first problem Django's validation found, in German, with file, item and field."""
    ort = f"Datei {datei}, {modell._meta.verbose_name} „{schluessel}“"
    feld, meldungen = next(iter(exc.message_dict.items())) if hasattr(exc, "error_dict") else (None, exc.messages)
    if feld is None or feld == NON_FIELD_ERRORS:
        return Datenfehler(f"{ort}: {' '.join(meldungen)}")
    return Datenfehler(f"{ort}, Feld „{feld}“: {' '.join(meldungen)}")


def save_if_changed(
    modell: type,
    suche: dict[str, Any],
    werte: dict[str, Any],
    ergebnis: Ladeergebnis,
    *,
    datei: str,
    schluessel: str | None = None,
    nutzerfelder: tuple[str, ...] = (),
) -> Any:
    """Create or update one row; write (and audit) only when something differs.

    `schluessel` names the item in error messages (default: the plain values of `suche`); `nutzerfelder` are
    fields users also edit in the portal (see _mit_nutzerwerten)."""
    objekt = modell.objects.filter(**suche).first()
    name = str(modell._meta.verbose_name_plural)
    neu = objekt is None
    behalten = []
    if nutzerfelder:
        werte, behalten = _mit_nutzerwerten(objekt, werte, nutzerfelder)
    if neu:
        objekt = modell(**suche, **werte)
    else:
        objekt._change_reason = _grund(modell, behalten)  # also for many-to-many changes that follow
        if all(getattr(objekt, k) == v for k, v in werte.items()):
            return objekt
        for k, v in werte.items():
            setattr(objekt, k, v)
    try:
        objekt.full_clean(validate_constraints=False)
    except ValidationError as exc:
        if schluessel is None:
            schluessel = ", ".join(str(v) for v in suche.values() if not isinstance(v, models.Model))
        raise _datenfehler(exc, modell, schluessel, datei) from exc
    objekt._change_reason = _grund(modell, behalten)
    objekt.save()
    ergebnis.geschrieben.add((modell, objekt.pk))
    if neu:
        ergebnis.neu[name] += 1
        ergebnis.angelegt.add((modell, objekt.pk))
    else:
        ergebnis.count_aenderung(name, objekt)
    return objekt


def remove_objekte(objekte, art: str, ergebnis: Ladeergebnis) -> None:
    """Delete rows that left their file, one by one so that the history records why."""
    for objekt in objekte:
        objekt._change_reason = AENDERUNGSGRUND
        objekt.delete()
        ergebnis.entfernt[art] += 1
