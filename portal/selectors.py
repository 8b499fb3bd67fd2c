"""Reads that span several apps."""

from __future__ import annotations

from massnahmen.models import Statusmeldung
from strategie.models import Mitgliedschaft


def demo_daten_geladen() -> bool:
    """Whether demo data is in the database (the pages then show a notice)."""
    return (
        Mitgliedschaft.objects.filter(ist_demo=True).exists() or Statusmeldung.objects.filter(ist_demo=True).exists()
    )
