"""Forms check only the shape of the input; the rules of a Statusmeldung live in the service."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from massnahmen.models import MELDUNGSFELDER, Ampel, Meldungsentwurf, Status
from massnahmen.services.statusmeldungen import Meldung
from strategie.models import organisation_choices
from strategie.texte import BEGRUENDUNG_MAX, BESCHREIBUNG_MAX, SACHSTAND_MAX, TITEL_MAX, UserTextField

EINREICHEN, ENTWURF = "einreichen", "entwurf"
AMPELNAME = {"gruen": "Grün", "gelb": "Gelb", "rot": "Rot"}


class StatusmeldungForm(forms.Form):
    organisation = forms.TypedChoiceField(label="Organisation", coerce=int)
    stichtag = forms.DateField(
        label="Stichtag",
        error_messages={
            "required": "Bitte geben Sie den Stichtag an.",
            "invalid": "Bitte geben Sie ein Datum im Format TT.MM.JJJJ an.",
        },
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Zu welchem Tag beschreibt die Meldung den Stand?",
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "Bitte wählen")] + Status.choices,
        error_messages={"required": "Bitte wählen Sie einen Status."},
    )
    fortschritt = forms.IntegerField(
        label="Fortschritt in Prozent",
        required=False,
        min_value=0,
        max_value=100,
        help_text="Ganze Zahl von 0 bis 100. Bei „umgesetzt“ gilt 100.",
    )
    ampel = forms.ChoiceField(
        label="Ampel",
        required=False,
        choices=[("", "keine Angabe")] + [(a.value, f"{AMPELNAME[a.value]}: {a.label}") for a in Ampel],
        widget=forms.RadioSelect,
    )
    text = UserTextField(
        max_length=SACHSTAND_MAX,
        label="Sachstand",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Pflicht bei „entfällt“ (Begründung) und wenn der Fortschritt sinkt (Grund). Gilt die Maßnahme für "
        "Ihre Organisation gar nicht, erklären Sie das besser über „Beteiligung erklären“: Dann zählt sie in den "
        "Summen nicht mit.",
    )
    naechste_schritte = UserTextField(
        max_length=SACHSTAND_MAX, label="Nächste Schritte", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    risiken = UserTextField(
        max_length=SACHSTAND_MAX, label="Risiken", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    vertraulich = forms.BooleanField(
        label="Vertraulich (Sachstand nur für Ihre Organisation und die Geschäftsstelle sichtbar)", required=False
    )
    ist_korrektur = forms.BooleanField(label="Korrektur einer früheren Meldung", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    aktion = forms.ChoiceField(
        choices=[(EINREICHEN, EINREICHEN), (ENTWURF, ENTWURF)], initial=EINREICHEN, required=False
    )

    def __init__(self, *args, organisationen: list, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and self.data.get(self.add_prefix("aktion")) == ENTWURF:
            for name in ("stichtag", "status"):  # a draft may be incomplete
                self.fields[name].required = False
        for feld in self.fields.values():
            art = type(feld.widget).__name__
            if art == "Select":
                feld.widget.attrs["class"] = "kern-form-input__select"
            elif art == "CheckboxInput":
                feld.widget.attrs["class"] = "kern-form-check__checkbox"
            elif art in {"DateInput", "NumberInput", "Textarea", "TextInput"}:
                feld.widget.attrs["class"] = "kern-form-input__input"
        self.fields["organisation"].choices = organisation_choices(organisationen)
        self.fields["fortschritt"].widget.attrs.update(
            {"inputmode": "numeric", "class": "kern-form-input__input kern-form-input__input--width-4"}
        )
        if len(organisationen) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = organisationen[0].pk

    @property
    def ist_entwurf(self) -> bool:
        return self.cleaned_data.get("aktion") == ENTWURF

    def entwurfswerte(self) -> dict:
        return {feld: self.cleaned_data[feld] for feld in MELDUNGSFELDER}

    def meldung(self) -> Meldung:
        return Meldung(**self.entwurfswerte())


def initial_aus_entwurf(entwurf: Meldungsentwurf | None) -> dict:
    return {} if entwurf is None else {feld: getattr(entwurf, feld) for feld in MELDUNGSFELDER}


def _vorgeschlagener_stichtag(posten):
    """The round's Stichtag while it is new for the pair and not in the future; else today."""
    runde = posten.meldepflicht.berichtsrunde if posten.meldepflicht else None
    heute = timezone.localdate()
    if (
        runde is not None
        and runde.stichtag <= heute
        and (posten.stand is None or runde.stichtag > posten.stand.stichtag)
    ):
        return runde.stichtag
    return heute


def build_statusmeldung_form(posten, organisationen, data=None, version=None, korrektur=None) -> StatusmeldungForm:
    """The form for one Meldeposten (a selectors.meldungen item), filled with its state and draft; for a correction
    (`korrektur`, the Statusmeldung corrected) with that Meldung's values, never today's state. Field ids carry the
    round, so a pair owed in two open rounds appears twice on a page without clashing ids."""
    initial = {
        "organisation": posten.organisation.pk,
        "version": posten.version if version is None else version,
        "stichtag": _vorgeschlagener_stichtag(posten),
        "status": posten.stand.status if posten.stand else "",
        "fortschritt": posten.stand.fortschritt if posten.stand else None,
        "ampel": posten.stand.ampel if posten.stand else "",
        **initial_aus_entwurf(posten.entwurf),
    }
    if korrektur is not None:
        initial.update({feld: getattr(korrektur, feld) for feld in MELDUNGSFELDER}, ist_korrektur=True)
    return StatusmeldungForm(
        data,
        initial=initial,
        organisationen=organisationen,
        prefix=posten.schluessel,
        auto_id=f"id_{posten.dom_id}_%s",
    )


class BeteiligungForm(forms.Form):
    BEITRETEN, ENTFAELLT = "beitreten", "entfaellt"

    organisation = forms.TypedChoiceField(label="Organisation", coerce=int)
    aktion = forms.ChoiceField(
        label="Was möchten Sie erklären?",
        choices=[
            (BEITRETEN, "Unsere Organisation beteiligt sich ab einem Datum"),
            (ENTFAELLT, "Die Maßnahme entfällt für unsere Organisation"),
        ],
        widget=forms.RadioSelect,
    )
    seit = forms.DateField(
        label="Beteiligt ab",
        required=False,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date", "class": "kern-form-input__input"}, format="%Y-%m-%d"),
    )
    begruendung = UserTextField(
        max_length=BEGRUENDUNG_MAX,
        label="Begründung",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "kern-form-input__input"}),
        help_text="Nur bei „entfällt“: Warum betrifft die Maßnahme Ihre Organisation nicht?",
    )

    def __init__(self, *args, organisationen: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisation_choices(organisationen)
        self.fields["organisation"].widget.attrs["class"] = "kern-form-input__select"
        if len(organisationen) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = organisationen[0].pk

    def clean(self):
        daten = super().clean()
        if daten.get("aktion") == self.BEITRETEN and not daten.get("seit"):
            self.add_error("seit", "Bitte geben Sie an, ab wann sich Ihre Organisation beteiligt.")
        return daten


class BeschreibungForm(forms.Form):
    beschreibung = UserTextField(
        max_length=BESCHREIBUNG_MAX,
        label="Beschreibung",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "class": "kern-form-input__input"}),
    )


class MeilensteinForm(forms.Form):
    titel = UserTextField(
        label="Meilenstein", max_length=TITEL_MAX, widget=forms.TextInput(attrs={"class": "kern-form-input__input"})
    )
    faellig_am = forms.DateField(
        label="Fällig am",
        required=False,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date", "class": "kern-form-input__input"}, format="%Y-%m-%d"),
    )
    erreicht_am = forms.DateField(
        label="Erreicht am",
        required=False,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date", "class": "kern-form-input__input"}, format="%Y-%m-%d"),
    )
