"""Reads on Maßnahmen, split by sub-domain (berichtsrunden, meldungen). The Maßnahme reads import from here."""

from .massnahmen import (
    ABGESCHLOSSEN,
    Aggregat,
    Handlungsfelduebersicht,
    Zeile,
    aggregate_massnahmen,
    get_massnahme_for_detail,
    ist_ueberfaellig,
    ist_veraltet,
    list_ergebnisse,
    list_massnahmen_for_handlungsfeld,
    list_statusmeldungen,
    list_umsetzungsstaende,
    summarize_handlungsfelder,
)

__all__ = [
    "ABGESCHLOSSEN",
    "Aggregat",
    "Handlungsfelduebersicht",
    "Zeile",
    "aggregate_massnahmen",
    "get_massnahme_for_detail",
    "ist_ueberfaellig",
    "ist_veraltet",
    "list_ergebnisse",
    "list_massnahmen_for_handlungsfeld",
    "list_statusmeldungen",
    "list_umsetzungsstaende",
    "summarize_handlungsfelder",
]
