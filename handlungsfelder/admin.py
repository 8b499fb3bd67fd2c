from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from handlungsfelder.models import Handlungsfeld, Kennzahl, Ziel


class ZielInline(admin.TabularInline):
    model = Ziel
    extra = 0


class KennzahlInline(admin.TabularInline):
    model = Kennzahl
    extra = 0


@admin.register(Handlungsfeld)
class HandlungsfeldAdmin(SimpleHistoryAdmin):
    list_display = ["nummer", "titel", "strategie", "anhang"]
    list_filter = ["strategie"]
    inlines = [ZielInline, KennzahlInline]
