"""Reading the organisations (CSV) and the strategy files (YAML), each checked against the schema."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from portal.services.datenimport.werte import ART_AUS_CSV, KENNUNG_OHNE_SCHLUESSEL, ORGANISATIONEN_CSV, YamlLader
from portal.services.datenschema import ALLE_LANDKREISE, Datenfehler, validate_datei


def read_organisationen(verzeichnis: Path) -> list[dict[str, Any]]:
    datei = verzeichnis / ORGANISATIONEN_CSV
    zeilen = []
    with datei.open(encoding="utf-8", newline="") as f:
        for nummer, zeile in enumerate(csv.DictReader(f), start=2):
            ort = f"Datei {ORGANISATIONEN_CSV}, Zeile {nummer}"
            kennung = zeile["schluessel"] or KENNUNG_OHNE_SCHLUESSEL.get(zeile["kurzname"])
            if not kennung:
                raise Datenfehler(
                    f"{ort}, Feld „schluessel“: Ohne Kreisschlüssel ist „{zeile['kurzname']}“ unbekannt."
                )
            if zeile["art"] not in ART_AUS_CSV:
                raise Datenfehler(f"{ort}, Feld „art“: „{zeile['art']}“ ist keine bekannte Art.")
            try:
                einwohner = int(zeile["einwohner"]) if zeile["einwohner"] else None
                stand = dt.date.fromisoformat(zeile["stand"]) if zeile["stand"] else None
                flaeche = Decimal(zeile["flaeche_km2"]).quantize(Decimal("0.01")) if zeile["flaeche_km2"] else None
            except ValueError as exc:
                raise Datenfehler(f"{ort}: Einwohner, Stand oder Fläche ist keine gültige Angabe ({exc}).") from exc
            zeilen.append(
                {
                    "kennung": kennung,
                    "werte": {
                        "art": ART_AUS_CSV[zeile["art"]],
                        "schluessel": zeile["schluessel"],
                        "name": zeile["name"],
                        "kurzname": zeile["kurzname"],
                        "sitz": zeile["sitz"],
                        "einwohner": einwohner,
                        "einwohner_stand": stand,
                        "flaeche_km2": flaeche,
                        "quelle": zeile["quelle"],
                    },
                }
            )
    return zeilen


def read_strategien(verzeichnis: Path, kennungen: set[str]) -> list[tuple[str, dict[str, Any]]]:
    dateien = sorted(verzeichnis.glob("*.yaml"))
    if not dateien:
        raise Datenfehler(f"Im Ordner {verzeichnis} liegt keine Strategie-Datei (*.yaml).")
    geladen, slugs = [], {}
    for datei in dateien:
        try:
            daten = yaml.load(datei.read_text(encoding="utf-8"), Loader=YamlLader)  # noqa: S506 (a SafeLoader)
        except UnicodeDecodeError as exc:
            raise Datenfehler(f"Datei {datei.name}: Die Datei ist nicht in UTF-8 gespeichert.") from exc
        except (yaml.YAMLError, ValueError) as exc:  # ValueError: e.g. an explicit !!timestamp 2022-13-31
            stelle = getattr(exc, "problem_mark", None)
            zeile = f", Zeile {stelle.line + 1}" if stelle else ""
            raise Datenfehler(f"Datei {datei.name}{zeile}: Die Datei ist kein gültiges YAML.") from exc
        validate_datei(daten, datei.name, kennungen)
        slug = daten["strategie"]["slug"]
        if slug in slugs:
            raise Datenfehler(
                f"Datei {datei.name}, Strategie, Feld „slug“: „{slug}“ steht schon in der Datei {slugs[slug]}."
            )
        slugs[slug] = datei.name
        geladen.append((datei.name, daten))
    return geladen


def clean_text(wert: str | None) -> str:
    return (wert or "").strip()


def split_kennungen(wert: Any, landkreise: list[str]) -> list[str]:
    """Kennungen of `alle_landkreise` alone or as an entry of a list (beside further organisations)."""
    eintraege = [wert] if isinstance(wert, str) else list(wert or [])
    kennungen = []
    for eintrag in eintraege:
        kennungen += [k for k in (landkreise if eintrag == ALLE_LANDKREISE else [eintrag]) if k not in kennungen]
    return kennungen
