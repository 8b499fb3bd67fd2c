"""Opening a Berichtsrunde: the form checks the shape of the input; the rules live in the service."""

from __future__ import annotations

import datetime as dt

from django import forms

from massnahmen.selectors.berichtsrunden import Massnahmengruppe
from massnahmen.services.berichtsrunden import quartalsende
from strategie.texte import UserTextField

DATUM = {"required": "Bitte geben Sie ein Datum an.", "invalid": "Bitte geben Sie ein Datum im Format TT.MM.JJJJ an."}


def _datumsfeld(label: str, help_text: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        error_messages=DATUM,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date", "class": "kern-form-input__input"}, format="%Y-%m-%d"),
    )


class BerichtsrundeForm(forms.Form):
    titel = UserTextField(
        label="Titel",
        max_length=200,
        required=False,
        help_text="Ohne Angabe heißt die Runde „Berichtsrunde zum“ und das Datum des Stichtags.",
        widget=forms.TextInput(attrs={"class": "kern-form-input__input"}),
    )
    stichtag = _datumsfeld(
        "Stichtag",
        "Zu welchem Tag beschreiben die Meldungen den Stand? Liegt er in der Zukunft, sind Meldungen erst ab diesem Tag "
        "möglich.",
    )
    frist = _datumsfeld("Frist", "Bis wann sollen die Meldungen eingehen?")
    erinnerung_tage_vor_frist = forms.IntegerField(
        label="Erinnerung … Tage vor der Frist",
        min_value=0,
        max_value=90,
        initial=7,
        help_text=(
            "Organisationen, die dann noch Meldungen schulden, erhalten eine E-Mail; nach der Frist wöchentlich."
        ),
        error_messages={"required": "Bitte geben Sie eine Zahl von 0 bis 90 an."},
        widget=forms.NumberInput(
            attrs={"class": "kern-form-input__input kern-form-input__input--width-4", "inputmode": "numeric"}
        ),
    )
    ALLE, AUSWAHL = "alle", "auswahl"
    umfang = forms.ChoiceField(
        label="Maßnahmen der Runde",
        choices=[(ALLE, "alle aktiven Maßnahmen"), (AUSWAHL, "nur die unten ausgewählten Maßnahmen")],
        initial=ALLE,
        required=False,  # without it (older pages, scripts) the ticked Maßnahmen count
        widget=forms.RadioSelect,
    )
    massnahmen = forms.TypedMultipleChoiceField(label="Maßnahmen", coerce=int, required=False)
    handlungsfelder = forms.TypedMultipleChoiceField(label="ganze Handlungsfelder", coerce=int, required=False)

    def __init__(self, *args, gruppen: list[Massnahmengruppe], heute: dt.date, **kwargs):
        stichtag = quartalsende(heute)
        alle = [m.pk for g in gruppen for m in g.massnahmen]
        kwargs.setdefault(
            "initial",
            {"stichtag": stichtag, "frist": stichtag + dt.timedelta(weeks=6), "massnahmen": alle, "umfang": self.ALLE},
        )
        super().__init__(*args, **kwargs)
        self.gruppen = gruppen
        self.fields["massnahmen"].choices = [(m.pk, m.code) for g in gruppen for m in g.massnahmen]
        self.fields["handlungsfelder"].choices = [(g.schluessel, str(g.schluessel)) for g in gruppen]

    def clean(self):
        daten = super().clean()
        ganze = set(daten.get("handlungsfelder") or ())
        gewaehlt = set(daten.get("massnahmen") or ())
        alle = daten.get("umfang") == self.ALLE
        self.ausgewaehlte_massnahmen = [
            m for g in self.gruppen for m in g.massnahmen if alle or m.pk in gewaehlt or g.schluessel in ganze
        ]
        if not self.ausgewaehlte_massnahmen and "massnahmen" not in self.errors:
            self.add_error("massnahmen", "Bitte wählen Sie mindestens eine Maßnahme.")
        if daten.get("stichtag") and daten.get("frist") and daten["frist"] < daten["stichtag"]:
            self.add_error("frist", "Die Frist darf nicht vor dem Stichtag liegen.")  # with the others, not after them
        if not daten.get("titel") and daten.get("stichtag"):
            daten["titel"] = f"Berichtsrunde zum {daten['stichtag']:%d.%m.%Y}"
        return daten

    def auswahl(self) -> list[dict]:
        """Per Handlungsfeld its Maßnahmen and whether each box is ticked, for the grouped checkboxes."""
        gewaehlt = {str(v) for v in (self["massnahmen"].value() or ())}
        ganze = {str(v) for v in (self["handlungsfelder"].value() or ())}
        return [
            {
                "handlungsfeld": g.handlungsfeld,
                "schluessel": g.schluessel,
                "ganz": str(g.schluessel) in ganze,
                "massnahmen": [(m, str(m.pk) in gewaehlt) for m in g.massnahmen],
            }
            for g in self.gruppen
        ]


class BerichtsrundeAendernForm(forms.Form):
    """Changing a round: the Frist always (while open); title and Stichtag only while no Meldung counts for it."""

    titel = forms.CharField(
        label="Titel",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "kern-form-input__input"}),
    )
    stichtag = _datumsfeld("Stichtag", "Nur änderbar, solange keine Meldung für die Runde eingegangen ist.")
    frist = _datumsfeld("Frist", "Bis wann sollen die Meldungen eingehen? Sie können die Frist jederzeit verlängern.")
    grund = forms.CharField(
        label="Anlass der Änderung (optional, erscheint im Verlauf)",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "kern-form-input__input"}),
    )

    def clean(self):
        daten = super().clean()
        if daten.get("stichtag") and daten.get("frist") and daten["frist"] < daten["stichtag"]:
            self.add_error("frist", "Die Frist darf nicht vor dem Stichtag liegen.")
        return daten
