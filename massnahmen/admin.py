from django.contrib import admin

from massnahmen.models import (
    Berichtsrunde,
    Beteiligung,
    Massnahme,
    Meilenstein,
    Meldepflicht,
    Statusmeldung,
    Umsetzungsstand,
)
from strategie.admin import AuditAdmin, audit
from strategie.models import Strategie
from strategie.services.mitgliedschaften import sync_strategie


class BeteiligungInline(admin.TabularInline):
    model = Beteiligung
    extra = 0
    autocomplete_fields = ["organisation"]


class MeilensteinInline(admin.TabularInline):
    model = Meilenstein
    extra = 0


@admin.register(Massnahme)
class MassnahmeAdmin(AuditAdmin):
    list_display = ["code", "titel", "strategie", "umsetzungsart", "federfuehrung", "frist", "is_archived"]
    list_filter = ["strategie", "umsetzungsart", "is_archived"]
    search_fields = ["code", "titel"]
    inlines = [BeteiligungInline, MeilensteinInline]
    filter_horizontal = ["ziele"]

    # Federführung, Umsetzungsart, archiviert and the Beteiligungen decide who reports and edits: after every
    # change the object permissions of the strategy (and of the previous one) are derived again.

    def save_model(self, request, obj, form, change):
        obj._strategie_vorher_id = (
            Massnahme.objects.filter(pk=obj.pk).values_list("strategie_id", flat=True).first() if change else None
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        massnahme = form.instance
        sync_strategie(massnahme.strategie)
        vorher = getattr(massnahme, "_strategie_vorher_id", None)
        if vorher and vorher != massnahme.strategie_id:
            sync_strategie(Strategie.objects.get(pk=vorher))

    def delete_model(self, request, obj):
        strategie = obj.strategie
        audit(obj, request, "Maßnahme gelöscht")
        super().delete_model(request, obj)
        sync_strategie(strategie)

    def delete_queryset(self, request, queryset):
        strategien = set()
        for massnahme in queryset.select_related("strategie"):
            strategien.add(massnahme.strategie)
            audit(massnahme, request, "Maßnahme gelöscht")
            massnahme.delete()
        for strategie in strategien:
            sync_strategie(strategie)


@admin.register(Statusmeldung)
class StatusmeldungAdmin(admin.ModelAdmin):
    """Read-only: Statusmeldungen are append-only events, recorded only through the portal's service."""

    list_display = ["massnahme", "organisation", "stichtag", "status", "ampel", "vertraulich", "gemeldet_am"]
    list_filter = ["status", "vertraulich", "ist_demo"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Umsetzungsstand)
class UmsetzungsstandAdmin(StatusmeldungAdmin):
    list_display = ["massnahme", "organisation", "status", "fortschritt", "stichtag", "version"]
    list_filter = ["status"]


@admin.register(Berichtsrunde)
class BerichtsrundeAdmin(StatusmeldungAdmin):
    """Read-only: rounds are opened and closed in the portal, whose service derives Meldepflichten and reminders."""

    list_display = ["titel", "strategie", "stichtag", "frist", "zustand"]
    list_filter = ["strategie", "zustand"]


@admin.register(Meldepflicht)
class MeldepflichtAdmin(StatusmeldungAdmin):
    list_display = ["berichtsrunde", "massnahme", "organisation", "statusmeldung"]
    list_filter = ["berichtsrunde"]
