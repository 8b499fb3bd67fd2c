from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from berichte.models import Bericht
from strategie.admin import TextregelMixin


@admin.register(Bericht)
class BerichtAdmin(TextregelMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "strategie", "stichtag", "zustand", "freigegeben_am"]
    readonly_fields = [
        "sha256",
        "datei",
        "zustand",
        "fortschritt",
        "fehlermeldung",
        "freigegeben_von",
        "freigegeben_am",
    ]
