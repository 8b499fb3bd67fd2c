"""Forms of the Maßnahmen pages, split by page. Import from here."""

from .berichtsrunden import BerichtsrundeForm
from .massnahme import (
    AMPELNAME,
    BeschreibungForm,
    BeteiligungForm,
    MeilensteinForm,
    StatusmeldungForm,
    build_statusmeldung_form,
    initial_aus_entwurf,
)

__all__ = [
    "AMPELNAME",
    "BerichtsrundeForm",
    "BeschreibungForm",
    "BeteiligungForm",
    "MeilensteinForm",
    "StatusmeldungForm",
    "build_statusmeldung_form",
    "initial_aus_entwurf",
]
