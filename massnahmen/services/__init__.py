"""Writes on Maßnahmen and their status, split by sub-domain. Import from here."""

from .berichtsrunden import close_berichtsrunde, meldende_organisation_id, open_berichtsrunde, open_demo_berichtsrunde
from .beteiligungen import declare_entfaellt, join_massnahme, save_meilenstein, update_beschreibung
from .erinnerungen import send_erinnerungen
from .statusmeldungen import (
    Konflikt,
    Meldung,
    record_statusmeldung,
    refresh_umsetzungsstand,
    save_meldungsentwurf,
)

__all__ = [
    "declare_entfaellt",
    "join_massnahme",
    "save_meilenstein",
    "update_beschreibung",
    "Konflikt",
    "Meldung",
    "close_berichtsrunde",
    "meldende_organisation_id",
    "open_berichtsrunde",
    "open_demo_berichtsrunde",
    "record_statusmeldung",
    "refresh_umsetzungsstand",
    "save_meldungsentwurf",
    "send_erinnerungen",
]
