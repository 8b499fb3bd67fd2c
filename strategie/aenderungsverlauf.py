"""Readable German diffs of django-simple-history records, for every "Verlauf" page."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone

ARTEN = {"+": "angelegt", "~": "geändert", "-": "gelöscht"}
UNSICHTBAR = frozenset({"id", "created_at", "updated_at"})
GRUND_DATENLADEN = "Strategiedaten geladen"  # the change reason the loader writes


@dataclass
class Feldaenderung:
    feld: str
    alt: str
    neu: str


@dataclass
class Eintrag:
    zeitpunkt: dt.datetime
    person: str
    grund: str
    art: str
    objekt: str
    aenderungen: list[Feldaenderung] = field(default_factory=list)
    bestandteile: list[str] = field(default_factory=list)  # the objects a summarising entry stands for


def _text(wert, feld: models.Field, bezuege: dict) -> str:
    if wert is None or wert == "":
        return "–"
    if isinstance(feld, models.ForeignKey):
        return bezuege.get((feld.related_model, wert), f"#{wert}")
    if isinstance(feld, models.BooleanField):
        return "ja" if wert else "nein"
    if isinstance(wert, dt.datetime):
        return timezone.localtime(wert).strftime("%d.%m.%Y %H:%M")
    if isinstance(wert, dt.date):
        return wert.strftime("%d.%m.%Y")
    if feld.choices:
        return str(dict(feld.flatchoices).get(wert, wert))
    return str(wert)


def _felder(modell: type[models.Model], ausblenden: frozenset[str] = frozenset()) -> list[models.Field]:
    """The fields of `modell` its history records; fields excluded from the history (e.g. dateistand) are not."""
    erfasst = {f.name for f in modell.history.model._meta.concrete_fields}
    return [f for f in modell._meta.concrete_fields if f.name in erfasst and f.name not in UNSICHTBAR | ausblenden]


def build_verlauf(historien: list, describe=str, ausblenden: frozenset[str] = frozenset()) -> list[Eintrag]:
    """Entries newest first. `historien` are historical records of one or several models; `beschreibe(record)`
    names the object a line is about; fields in `ausblenden` (e.g. the Maßnahme every line belongs to) are left
    out. Rows created by loading the strategy data are folded into one line. Related objects are fetched in one
    query per model."""
    nach_objekt = defaultdict(list)
    for record in historien:
        nach_objekt[(type(record.instance), record.instance.pk)].append(record)

    ids = defaultdict(set)
    for record in historien:
        for f in _felder(type(record.instance)):
            if isinstance(f, models.ForeignKey) and getattr(record, f.attname) is not None:
                ids[f.related_model].add(getattr(record, f.attname))
    bezuege = {(m, o.pk): str(o) for m, pks in ids.items() for o in m._default_manager.filter(pk__in=pks)}

    eintraege = []
    for (modell, _pk), records in nach_objekt.items():
        records.sort(key=lambda r: (r.history_date, r.history_id))
        vorher = None
        for record in records:
            person = (
                record.history_user.get_full_name() or record.history_user.username
                if record.history_user
                else "System"
            )
            eintrag = Eintrag(
                record.history_date,
                person,
                record.history_change_reason or "",
                ARTEN[record.history_type],
                describe(record),
            )
            for f in _felder(modell, ausblenden):
                neu = getattr(record, f.attname)
                alt = getattr(vorher, f.attname) if vorher is not None else None
                if (
                    record.history_type == "-"
                    or (vorher is not None and alt == neu)
                    or (vorher is None and neu in (None, ""))
                ):
                    continue
                eintrag.aenderungen.append(
                    Feldaenderung(
                        str(f.verbose_name), _text(alt, f, bezuege) if vorher else "–", _text(neu, f, bezuege)
                    )
                )
            if eintrag.aenderungen or record.history_type != "~":
                eintraege.append(eintrag)  # a change of many-to-many links only has no field diff to show
            vorher = record
    geladen = [e for e in eintraege if e.art == "angelegt" and e.grund == GRUND_DATENLADEN]
    if len(geladen) > 1:
        eintraege = [e for e in eintraege if e not in geladen]
        eintraege.append(
            Eintrag(
                min(e.zeitpunkt for e in geladen),
                "System",
                GRUND_DATENLADEN,
                "angelegt",
                f"{len(geladen)} Einträge aus den Strategiedaten",
                bestandteile=sorted(e.objekt for e in geladen),
            )
        )
    return sorted(eintraege, key=lambda e: e.zeitpunkt, reverse=True)
