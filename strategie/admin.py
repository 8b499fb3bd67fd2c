from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from strategie.forms import AdminAnmeldeForm
from strategie.models import Abschnitt, Mitgliedschaft, Organisation, Strategie
from strategie.services import mitgliedschaften, organisationen
from strategie.texte import validate_zeichen

ADMIN_GRUND = "in der Verwaltungsoberfläche"
admin.site.login_form = AdminAnmeldeForm  # refuses an over-long user name before authentication runs


def audit(objekt, request, was: str) -> None:
    """Who changed `objekt` in the admin, and a German change reason for its history."""
    objekt._history_user, objekt._change_reason = request.user, f"{was} {ADMIN_GRUND}"


class TextregelMixin:
    """Every text typed in the admin follows the portal's text rule (strategie/texte.py): a control or
    non-character is refused with a German field error; the model's max_length bounds the length."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        feld = super().formfield_for_dbfield(db_field, request, **kwargs)
        if feld is not None and isinstance(db_field, models.CharField | models.TextField) and not db_field.choices:
            feld.validators = [*feld.validators, validate_zeichen]
        return feld


class AuditAdmin(TextregelMixin, SimpleHistoryAdmin):
    """Admin edits are audited like the portal's own: who, and a German change reason, inline rows included."""

    def save_model(self, request, obj, form, change):
        audit(obj, request, f"{obj._meta.verbose_name} {'geändert' if change else 'angelegt'}")
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        objekte = formset.save(commit=False)
        for objekt in formset.deleted_objects:
            audit(objekt, request, f"{objekt._meta.verbose_name} gelöscht")
            objekt.delete()
        for objekt in objekte:
            audit(objekt, request, f"{objekt._meta.verbose_name} gespeichert")
            objekt.save()
        formset.save_m2m()


@admin.register(Organisation)
class OrganisationAdmin(AuditAdmin):
    list_display = ["kurzname", "art", "schluessel", "sitz", "einwohner"]
    list_filter = ["art"]
    search_fields = ["name", "kurzname", "schluessel", "kennung"]

    def get_readonly_fields(self, request, obj=None):
        # The Kennung addresses the Organisation in the data files, the Meldebögen and the profile's address.
        return ["kennung"] if obj else []

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        organisationen.after_organisation_changed(form.instance)  # the Kurzname orders names on the dashboard


class AbschnittInline(TextregelMixin, admin.StackedInline):
    model = Abschnitt
    extra = 0


@admin.register(Strategie)
class StrategieAdmin(AuditAdmin):
    list_display = ["titel", "traeger", "beschlossen_am", "sichtbarkeit"]
    inlines = [AbschnittInline]
    filter_horizontal = ["organisationen"]

    def get_readonly_fields(self, request, obj=None):
        # The slug is in every address of the strategy and matches its data file in strategien_laden.
        return ["slug"] if obj else []

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        mitgliedschaften.sync_strategie(form.instance)  # Träger and Organisationen decide rights


class MitgliedschaftAdminForm(forms.ModelForm):
    class Meta:
        model = Mitgliedschaft
        fields = ["user", "strategie", "organisation", "rolle", "ist_demo"]

    def clean(self):
        daten = super().clean()
        if daten.get("strategie") and daten.get("organisation"):
            try:
                mitgliedschaften.validate_organisation(
                    strategie=daten["strategie"], organisation=daten["organisation"]
                )
            except ValidationError as fehler:
                self.add_error("organisation", fehler)
        return daten


@admin.register(Mitgliedschaft)
class MitgliedschaftAdmin(TextregelMixin, SimpleHistoryAdmin):
    """Every change goes through the services, so groups and object permissions follow at once."""

    form = MitgliedschaftAdminForm
    list_display = ["user", "strategie", "organisation", "rolle", "ist_demo"]
    list_filter = ["strategie", "rolle"]
    search_fields = ["user__username", "organisation__kurzname"]

    def has_delete_permission(self, request, obj=None):
        eigene_geschaeftsstelle = (
            obj is not None and obj.user_id == request.user.pk and obj.rolle == Mitgliedschaft.Rolle.GESCHAEFTSSTELLE
        )
        return not eigene_geschaeftsstelle and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        grund = f"Rolle {ADMIN_GRUND} {'geändert' if change else 'vergeben'}"
        mitgliedschaften.save_mitgliedschaft(actor=request.user, mitgliedschaft=obj, grund=grund)

    def delete_model(self, request, obj):
        mitgliedschaften.revoke_rolle(actor=request.user, mitgliedschaft=obj, grund=f"Rolle {ADMIN_GRUND} entzogen")

    def delete_queryset(self, request, queryset):
        for mitgliedschaft in queryset.select_related("user", "strategie", "organisation"):
            self.delete_model(request, mitgliedschaft)
