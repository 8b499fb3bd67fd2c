from django.contrib import admin

from handlungsfelder.models import Handlungsfeld, Kennzahl, Ziel
from strategie.admin import AuditAdmin, TextregelMixin


class ZielInline(TextregelMixin, admin.TabularInline):
    model = Ziel
    extra = 0


class KennzahlInline(TextregelMixin, admin.TabularInline):
    model = Kennzahl
    extra = 0


@admin.register(Handlungsfeld)
class HandlungsfeldAdmin(AuditAdmin):
    list_display = ["nummer", "titel", "strategie", "anhang"]
    list_filter = ["strategie"]
    inlines = [ZielInline, KennzahlInline]
