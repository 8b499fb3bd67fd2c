"""Writes on Maßnahmen and their status. One use case per function, atomic, policy checked."""

from __future__ import annotations

from django.db import transaction

from massnahmen.models import Massnahme, Statusmeldung, Umsetzungsstand
from strategie.models import Organisation


@transaction.atomic
def refresh_umsetzungsstand(*, massnahme: Massnahme, organisation: Organisation) -> Umsetzungsstand | None:
    """Set the Umsetzungsstand of the pair to its latest Statusmeldung (by Stichtag, then time of report)."""
    letzte = (
        Statusmeldung.objects.filter(massnahme=massnahme, organisation=organisation)
        .order_by("-stichtag", "-gemeldet_am", "-id")
        .first()
    )
    stand = Umsetzungsstand.objects.select_for_update().filter(massnahme=massnahme, organisation=organisation).first()
    if letzte is None:
        return stand
    werte = {
        "letzte_meldung": letzte,
        "stichtag": letzte.stichtag,
        "gemeldet_am": letzte.gemeldet_am,
        "status": letzte.status,
        "fortschritt": letzte.fortschritt,
        "ampel": letzte.ampel,
    }
    if stand is None:
        return Umsetzungsstand.objects.create(massnahme=massnahme, organisation=organisation, **werte)
    if any(getattr(stand, k) != v for k, v in werte.items()):
        for k, v in werte.items():
            setattr(stand, k, v)
        stand.version += 1
        stand.save()
    return stand
