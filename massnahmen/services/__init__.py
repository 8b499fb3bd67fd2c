"""Writes on Maßnahmen and their status, split by sub-domain. Import from here."""

from .statusmeldungen import (
    Konflikt,
    record_statusmeldung,
    refresh_umsetzungsstand,
    save_meldungsentwurf,
)

__all__ = ["Konflikt", "record_statusmeldung", "refresh_umsetzungsstand", "save_meldungsentwurf"]
