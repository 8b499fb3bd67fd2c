"""Writes on Maßnahmen and their status, split by sub-domain. Import from here."""

from .berichtsrunden import (
    change_berichtsrunde,
    close_berichtsrunde,
    delete_berichtsrunde,
    meldende_organisation_id,
    open_berichtsrunde,
    open_demo_berichtsrunde,
    reopen_berichtsrunde,
)
from .beteiligungen import declare_entfaellt, join_massnahme, save_meilenstein, update_beschreibung
from .erinnerungen import send_erinnerungen, send_erinnerungen_jetzt
from .standsummen import compare_standsummen, rebuild_standsummen, rebuild_standsummen_fuer, write_standsummen
from .statusmeldungen import (
    Konflikt,
    Meldung,
    record_statusmeldung,
    refresh_umsetzungsstand,
    save_meldungsentwurf,
)
from .verlauf import compare_meldungsverlauf, rebuild_meldungsverlauf, write_meldungsverlauf

__all__ = [
    "declare_entfaellt",
    "join_massnahme",
    "save_meilenstein",
    "update_beschreibung",
    "Konflikt",
    "Meldung",
    "change_berichtsrunde",
    "close_berichtsrunde",
    "delete_berichtsrunde",
    "reopen_berichtsrunde",
    "send_erinnerungen_jetzt",
    "meldende_organisation_id",
    "open_berichtsrunde",
    "open_demo_berichtsrunde",
    "record_statusmeldung",
    "refresh_umsetzungsstand",
    "save_meldungsentwurf",
    "compare_meldungsverlauf",
    "rebuild_meldungsverlauf",
    "write_meldungsverlauf",
    "compare_standsummen",
    "rebuild_standsummen",
    "rebuild_standsummen_fuer",
    "write_standsummen",
    "send_erinnerungen",
]
