"""The dashboard's filter: a GET form whose parameter names stay stable, so a shared link shows the same view."""

from __future__ import annotations

import datetime as dt
from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from massnahmen.models import Ampel
from strategie.models import Organisation

DATUM = {"invalid": "Bitte geben Sie ein gültiges Datum an, zum Beispiel 31.12.2025 oder 2025-12-31."}
AUSWAHL = {"invalid_choice": "Diesen Wert gibt es hier nicht. Bitte wählen Sie einen der angebotenen Werte."}
STATUS_AUSWAHL = [
    ("", "alle"),
    ("umgesetzt", "umgesetzt"),
    ("in_umsetzung", "in Umsetzung"),
    ("in_planung", "in Planung"),
    ("nicht_begonnen", "nicht begonnen"),
    ("zurueckgestellt", "zurückgestellt"),
    ("entfaellt", "entfällt"),
]


def _datum(label: str, help_text: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        help_text=help_text,
        error_messages=DATUM,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date", "class": "kern-form-input__input"}, format="%Y-%m-%d"),
    )


class Select(forms.Select):
    """Django's Select with its options written in Python, not one template each: the list of 400 Organisationen
    of a national strategy took a fifth of the dashboard's time. Same markup, same name (the form's templates
    wrap a field by its widget type, "select")."""

    def render(self, name, value, attrs=None, renderer=None):
        gewaehlt = "" if value is None else str(value)
        optionen = "\n".join(
            f'<option value="{escape(str(wert))}"{" selected" if str(wert) == gewaehlt else ""}>{escape(str(text))}</option>'
            for wert, text in self.choices
        )
        return format_html(
            '<select name="{}"{}>\n{}\n</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            mark_safe(optionen),  # noqa: S308 - every value and text is escaped above (html.escape: Django's without its lazy check)
        )


def _auswahl(label: str, choices) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=choices,
        error_messages=AUSWAHL,
        widget=Select(attrs={"class": "kern-form-input__select"}),
    )


class DashboardFilterForm(forms.Form):
    stichtag = _datum("Stand am", "Ohne Angabe: heute.")
    vergleich = _datum("Veränderung seit", "Ohne Angabe: Stichtag der vorigen Berichtsrunde.")
    handlungsfeld = _auswahl("Handlungsfeld", [])
    status = _auswahl("Status", STATUS_AUSWAHL)
    ampel = _auswahl("Ampel", [("", "alle")] + [(a.value, f"{a.name.capitalize()}: {a.label}") for a in Ampel])
    organisation = _auswahl("Organisation", [])
    organisationsart = _auswahl("Organisationsart", [])

    def __init__(self, data=None, *, handlungsfelder, organisationen, details: bool):
        super().__init__(data)
        self.fields["ampel"].choices = [
            ("", "alle"),
            ("rot", "Rot: kritisch"),
            ("gelb", "Gelb: gefährdet"),
            ("gruen", "Grün: im Plan"),
        ]
        self.fields["handlungsfeld"].choices = [("", "alle")] + [
            (h.nummer, f"{h.nummer} {h.titel}") for h in handlungsfelder
        ]
        arten = dict(Organisation.Art.choices)
        if details:
            self.fields["organisation"].choices = [("", "alle")] + [(o.kennung, o.kurzname) for o in organisationen]
            vorhandene = sorted({o.art for o in organisationen}, key=lambda a: str(arten[a]))
            self.fields["organisationsart"].choices = [("", "alle")] + [(a, arten[a]) for a in vorhandene]
        else:  # aggregates only: no filter that could narrow the figures down to one Organisation
            del self.fields["organisation"]
            del self.fields["organisationsart"]

    def clean_stichtag(self) -> dt.date | None:
        stichtag = self.cleaned_data.get("stichtag")
        if stichtag and stichtag > timezone.localdate():
            raise forms.ValidationError("Der Stand kann nur für heute oder einen vergangenen Tag gezeigt werden.")
        return stichtag

    def clean_vergleich(self) -> dt.date | None:
        vergleich = self.cleaned_data.get("vergleich")
        if vergleich and vergleich > timezone.localdate():
            raise forms.ValidationError("Der Vergleichstag darf nicht in der Zukunft liegen.")
        return vergleich

    def clean(self):
        daten = super().clean()
        stichtag = daten.get("stichtag") or timezone.localdate()
        if daten.get("vergleich") and daten["vergleich"] >= stichtag:
            self.add_error("vergleich", "Der Vergleichstag muss vor dem Tag „Stand am“ liegen.")
        return daten

    def gueltige_werte(self) -> dict:
        """The values that passed; a wrong field is left out (and shown with its message) instead of failing all."""
        self.is_valid()
        return {name: wert for name, wert in getattr(self, "cleaned_data", {}).items() if name not in self.errors}
