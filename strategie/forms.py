"""Forms of the user management: shape only; the services decide."""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.validators import MaxLengthValidator

from strategie.models import Mitgliedschaft, organisation_choices
from strategie.texte import UserTextField

KLASSE = {"class": "kern-form-input__input"}


def _organisation_feld(organisationen) -> forms.TypedChoiceField:
    """Nothing preselected (an invitation into the wrong Kreis is easily made); short names, sorted."""
    feld = forms.TypedChoiceField(
        label="Organisation",
        coerce=int,
        choices=[("", "Bitte wählen"), *organisation_choices(organisationen)],
        error_messages={
            "required": "Bitte wählen Sie die Organisation.",
            "invalid_choice": "Bitte wählen Sie eine Organisation dieser Strategie.",
        },
    )
    feld.widget.attrs["class"] = "kern-form-input__select"
    return feld


class EinladungForm(forms.Form):
    email = forms.EmailField(
        label="Dienstliche E-Mail-Adresse", widget=forms.EmailInput(attrs={**KLASSE, "autocomplete": "off"})
    )
    vorname = UserTextField(label="Vorname", max_length=150, widget=forms.TextInput(attrs=KLASSE))
    nachname = UserTextField(label="Nachname", max_length=150, widget=forms.TextInput(attrs=KLASSE))
    rolle = forms.ChoiceField(label="Rolle", choices=Mitgliedschaft.Rolle.choices)

    def __init__(self, *args, organisationen, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = _organisation_feld(organisationen)
        self.fields["rolle"].widget.attrs["class"] = "kern-form-input__select"
        self.order_fields(["email", "vorname", "nachname", "organisation", "rolle"])


class RolleForm(forms.Form):
    rolle = forms.ChoiceField(label="Neue Rolle", choices=Mitgliedschaft.Rolle.choices)

    def __init__(self, *args, organisationen, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = _organisation_feld(organisationen)
        self.fields["rolle"].widget.attrs["class"] = "kern-form-input__select"


BENUTZERNAME_ZU_LANG = "Der Benutzername ist zu lang: Benutzernamen haben höchstens %(limit_value)d Zeichen."


def _begrenze_benutzernamen(form: AuthenticationForm) -> None:
    """A user name longer than any account's is refused as a field error, so authentication (and django-axes, which
    cannot store it) never runs for it. Django sets only the widget's maxlength, not a validator."""
    feld = form.fields["username"]
    feld.validators.append(MaxLengthValidator(feld.max_length, message=BENUTZERNAME_ZU_LANG))


class AdminAnmeldeForm(AdminAuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _begrenze_benutzernamen(self)


class AnmeldeForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Benutzername, E-Mail-Adresse oder Passwort stimmen nicht. Bitte prüfen Sie Ihre Eingabe; "
        "beim Passwort werden Groß- und Kleinschreibung unterschieden.",
        "inactive": "Dieses Konto ist deaktiviert. Bitte wenden Sie sich an die Geschäftsstelle Ihrer Strategie.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = (
            "Bitte geben Sie Ihren Benutzernamen oder Ihre E-Mail-Adresse ein."
        )
        self.fields["password"].error_messages["required"] = "Bitte geben Sie Ihr Passwort ein."
        _begrenze_benutzernamen(self)


class PasswortVergessenForm(PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "E-Mail-Adresse"
        self.fields["email"].widget.attrs.update(KLASSE)


class PasswortSetzenForm(SetPasswordForm):
    error_messages = {
        "password_mismatch": "Die beiden Passwörter stimmen nicht überein. Bitte geben Sie zweimal dasselbe ein."
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Neues Passwort"
        self.fields["new_password2"].label = "Neues Passwort wiederholen"
        self.fields["new_password1"].help_text = (
            "Mindestens 12 Zeichen, nicht nur Ziffern, kein gebräuchliches Passwort und Ihrem Namen, Benutzernamen "
            "oder Ihrer E-Mail-Adresse nicht ähnlich."
        )  # linked to the field (includes/feld.html), unlike a paragraph above the form
        self.fields["new_password2"].help_text = "Bitte geben Sie dasselbe Passwort zur Bestätigung noch einmal ein."
        for feld in self.fields.values():
            feld.widget.attrs.update(KLASSE)

    def clean(self):
        """As Django's, but a broken password rule is reported at the new password, not at its repetition."""
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self)
