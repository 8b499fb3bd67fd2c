"""The one rule for every text a user writes, in forms and in imports, and what exports may write.

A user text is refused, never silently changed, when it holds a character that is not text: a control character
other than tab and line break (NUL included), a lone surrogate, or a Unicode non-character (U+FFFE, U+FFFF,
U+FDD0–U+FDEF and the last two code points of every plane). Such characters come from copy and paste out of other
programs or from a crafted file; XML 1.0 (and so XLSX) cannot hold most of them, PostgreSQL cannot hold NUL, and a
file with them fails on its next upload. Line breaks are normalised to "\n" (browsers send "\r\n"). Every user text
also has a maximum length with a German message.

Exports pass every text through `export_safe`, which drops those characters (everything XML 1.0 forbids among
them), so data stored before this rule never breaks a file or its next upload.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError

SACHSTAND_MAX = 10_000  # Sachstand, nächste Schritte, Risiken of a Statusmeldung
BESCHREIBUNG_MAX = 20_000  # description of a Maßnahme
BEGRUENDUNG_MAX = 2_000  # reasons, e.g. why a Maßnahme entfällt for an organisation
TITEL_MAX = 300  # one-line titles
BERICHTTEXT_MAX = 20_000  # an editorial text of a Bericht (Vorwort, Einschätzung)

# Control characters but tab and line feed; DEL and the C1 controls; lone surrogates; non-characters.
_VERBOTEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"{chr(ebene * 0x10000 + 0xFFFE)}{chr(ebene * 0x10000 + 0xFFFF)}" for ebene in range(1, 17))
    + "]"
)


def _beschreibe(zeichen: str) -> str:
    return f"U+{ord(zeichen):04X}"


def clean_text(text: str, *, max_length: int, feld: str = "Der Text") -> str:
    """The cleaned text (line breaks normalised), or ValidationError with a German message."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    treffer = _VERBOTEN.search(text)
    if treffer:
        raise ValidationError(
            f"{feld} enthält ein unzulässiges Steuer- oder Sonderzeichen ({_beschreibe(treffer.group())} an Stelle "
            f"{treffer.start() + 1}), etwa aus einem anderen Programm kopiert. Bitte entfernen Sie es.",
            code="unzulaessiges_zeichen",
        )
    if len(text) > max_length:
        raise ValidationError(
            f"{feld} ist mit {len(text):,} Zeichen zu lang; erlaubt sind höchstens {max_length:,} Zeichen.".replace(
                ",", "."
            ),
            code="zu_lang",
        )
    return text


def validate_zeichen(text) -> None:
    """The character part of the rule as a validator, for fields whose length the model already bounds (admin)."""
    if isinstance(text, str):
        clean_text(text, max_length=len(text))


def export_safe(wert):
    """A value as an export writes it: a string without any character the rule above refuses (a superset of what
    XML 1.0 forbids), with plain line breaks, so the file opens and uploads again; other values unchanged."""
    if not isinstance(wert, str):
        return wert
    return _VERBOTEN.sub("", wert.replace("\r\n", "\n").replace("\r", "\n"))


class UserTextField(forms.CharField):
    """A form field for user text: the shared rule above with its maximum length; the browser limits too."""

    def __init__(self, *, max_length: int, feld: str | None = None, **kwargs):
        self.feld = feld
        kwargs.setdefault("strip", True)
        super().__init__(max_length=None, **kwargs)
        self.text_max_length = max_length
        self.widget.attrs["maxlength"] = str(max_length)

    def to_python(self, value):
        text = super().to_python(value)
        return clean_text(text, max_length=self.text_max_length, feld=self.feld or f"„{self.label or 'Der Text'}“")
