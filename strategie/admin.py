from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from strategie.models import Abschnitt, Mitgliedschaft, Organisation, Strategie


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["kurzname", "art", "schluessel", "sitz", "einwohner"]
    list_filter = ["art"]
    search_fields = ["name", "kurzname", "schluessel", "kennung"]


class AbschnittInline(admin.StackedInline):
    model = Abschnitt
    extra = 0


@admin.register(Strategie)
class StrategieAdmin(SimpleHistoryAdmin):
    list_display = ["titel", "traeger", "beschlossen_am", "sichtbarkeit"]
    inlines = [AbschnittInline]
    filter_horizontal = ["organisationen"]


@admin.register(Mitgliedschaft)
class MitgliedschaftAdmin(SimpleHistoryAdmin):
    list_display = ["user", "strategie", "organisation", "rolle", "ist_demo"]
    list_filter = ["strategie", "rolle"]
    search_fields = ["user__username", "organisation__kurzname"]
