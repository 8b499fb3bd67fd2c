"""Path converters that match only what a key can be, so a malformed path segment (`%00`, a quote, a very long
string) is a 404 before any database query instead of a 500 (PostgreSQL refuses NUL in text)."""

from django.urls import register_converter


class MassnahmeCodeConverter:
    """A Maßnahme's Kennziffer: "I.3", "VII.9", "4.2", at most 20 characters of letters, digits, dot and hyphen."""

    regex = r"[0-9A-Za-z][0-9A-Za-z.\-]{0,19}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class HandlungsfeldNummerConverter(MassnahmeCodeConverter):
    """A Handlungsfeld's Nummer: "I" to "VII", "1" to "8"; at most 10 letters or digits."""

    regex = r"[0-9A-Za-z]{1,10}"


register_converter(MassnahmeCodeConverter, "massnahme_code")
register_converter(HandlungsfeldNummerConverter, "handlungsfeld_nummer")
