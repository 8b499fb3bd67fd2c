from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from massnahmen.models import (
    Berichtsrunde,
    Beteiligung,
    Massnahme,
    Meilenstein,
    Meldepflicht,
    Statusmeldung,
    Umsetzungsstand,
)


class BeteiligungInline(admin.TabularInline):
    model = Beteiligung
    extra = 0
    autocomplete_fields = ["organisation"]


class MeilensteinInline(admin.TabularInline):
    model = Meilenstein
    extra = 0


@admin.register(Massnahme)
class MassnahmeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "titel", "strategie", "umsetzungsart", "federfuehrung", "frist", "is_archived"]
    list_filter = ["strategie", "umsetzungsart", "is_archived"]
    search_fields = ["code", "titel"]
    inlines = [BeteiligungInline, MeilensteinInline]
    filter_horizontal = ["ziele"]


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
class BerichtsrundeAdmin(SimpleHistoryAdmin):
    list_display = ["titel", "strategie", "stichtag", "frist", "zustand"]


@admin.register(Meldepflicht)
class MeldepflichtAdmin(StatusmeldungAdmin):
    list_display = ["berichtsrunde", "massnahme", "organisation", "statusmeldung"]
    list_filter = ["berichtsrunde"]
