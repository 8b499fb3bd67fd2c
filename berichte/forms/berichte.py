"""Forms of the Bericht pages: they check the shape of the input; the rules live in the services."""

from __future__ import annotations

from django import forms

from berichte.models import Bericht


class BerichtAnlegenForm(forms.Form):
    art = forms.ChoiceField(
        label="Art des Berichts",
        choices=Bericht.Art.choices,
        error_messages={"required": "Bitte wählen Sie die Art des Berichts."},
        widget=forms.Select(attrs={"class": "kern-form-input__select"}),
    )
    berichtsjahr = forms.IntegerField(
        label="Berichtsjahr",
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": "Bitte geben Sie das Berichtsjahr an.",
            "invalid": "Bitte geben Sie das Berichtsjahr als Zahl an, z. B. 2025.",
            "min_value": "Bitte geben Sie ein Berichtsjahr ab 2000 an.",
            "max_value": "Bitte geben Sie ein gültiges Berichtsjahr an.",
        },
        widget=forms.NumberInput(
            attrs={"class": "kern-form-input__input kern-form-input__input--width-4", "inputmode": "numeric"}
        ),
    )
    stichtag = forms.DateField(
        label="Stichtag",
        required=False,
        help_text="Ohne Angabe gilt der Stichtag der letzten geschlossenen Berichtsrunde des Jahres, sonst der 31.12.",
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={"invalid": "Bitte geben Sie ein Datum im Format TT.MM.JJJJ an."},
        widget=forms.DateInput(attrs={"type": "date", "class": "kern-form-input__input"}, format="%Y-%m-%d"),
    )


class BerichtTextForm(forms.Form):
    text = forms.CharField(required=False, strip=False)
    version = forms.IntegerField(min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].validators = []  # NUL and control characters are removed by the service's cleaning rule
