from django.contrib import admin

from massnahmen import policies
from massnahmen.models import (
    Berichtsrunde,
    Beteiligung,
    Massnahme,
    Meilenstein,
    Meldepflicht,
    Statusmeldung,
    Umsetzungsstand,
)
from massnahmen.services.standsummen import rebuild_standsummen
from strategie.admin import AuditAdmin, TextregelMixin, audit
from strategie.anmeldeschutz import client_ip
from strategie.models import Sicherheitsereignis, Strategie
from strategie.services.mitgliedschaften import sync_strategie
from strategie.services.sicherheit import record_sicherheitsereignis


class BeteiligungInline(TextregelMixin, admin.TabularInline):
    model = Beteiligung
    extra = 0
    autocomplete_fields = ["organisation"]


class MeilensteinInline(TextregelMixin, admin.TabularInline):
    model = Meilenstein
    extra = 0


def _ableiten(strategie: Strategie) -> None:
    """What follows from Maßnahmen changed here (Federführung, Umsetzungsart, Frist, archiviert, Beteiligungen): the
    strategy's object permissions and its Standsummen, derived again."""
    sync_strategie(strategie)
    rebuild_standsummen(strategie_id=strategie.pk)


@admin.register(Massnahme)
class MassnahmeAdmin(AuditAdmin):
    list_display = ["code", "titel", "strategie", "umsetzungsart", "federfuehrung", "frist", "is_archived"]
    list_filter = ["strategie", "umsetzungsart", "is_archived"]
    search_fields = ["code", "titel"]
    inlines = [BeteiligungInline, MeilensteinInline]
    filter_horizontal = ["ziele"]

    # Federführung, Umsetzungsart, Frist, archiviert and the Beteiligungen decide who reports and edits and what
    # counts: after every change the strategy's (and the previous one's) rights and Standsummen follow (`_ableiten`).

    def save_model(self, request, obj, form, change):
        obj._strategie_vorher_id = (
            Massnahme.objects.filter(pk=obj.pk).values_list("strategie_id", flat=True).first() if change else None
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        massnahme = form.instance
        _ableiten(massnahme.strategie)
        vorher = getattr(massnahme, "_strategie_vorher_id", None)
        if vorher and vorher != massnahme.strategie_id:
            _ableiten(Strategie.objects.get(pk=vorher))

    def delete_model(self, request, obj):
        strategie = obj.strategie
        audit(obj, request, "Maßnahme gelöscht")
        super().delete_model(request, obj)
        _ableiten(strategie)

    def delete_queryset(self, request, queryset):
        strategien = set()
        for massnahme in queryset.select_related("strategie"):
            strategien.add(massnahme.strategie)
            audit(massnahme, request, "Maßnahme gelöscht")
            massnahme.delete()
        for strategie in strategien:
            _ableiten(strategie)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read-only: rows written only by the portal's services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


VERTRAULICHE_FELDER = ("text", "naechste_schritte", "risiken")
VERTRAULICH_HINWEIS = (
    "Vertraulich: Sachstand, nächste Schritte und Risiken lesen nur die meldende Organisation und die "
    "Geschäftsstelle der Strategie, auch in der Verwaltungsoberfläche."
)


@admin.register(Statusmeldung)
class StatusmeldungAdmin(ReadOnlyAdmin):
    """Read-only: Statusmeldungen are append-only events, recorded only through the portal's service. The texts of a
    vertrauliche Meldung follow the portal's policy (massnahmen.policies.can_read_vertraulich), operators without a
    role included; every opening of a vertrauliche Meldung is a security event."""

    list_display = ["massnahme", "organisation", "stichtag", "status", "ampel", "vertraulich", "gemeldet_am"]
    list_filter = ["status", "vertraulich", "ist_demo"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("massnahme__strategie", "organisation")

    def _darf_lesen(self, request, obj) -> bool:
        return policies.can_read_statusmeldung_text(request.user, obj.massnahme.strategie, obj)

    @admin.display(description="Vertrauliche Texte")
    def vertraulich_hinweis(self, obj) -> str:
        return VERTRAULICH_HINWEIS

    def get_fields(self, request, obj=None):
        felder = [f for f in super().get_fields(request, obj) if f != "vertraulich_hinweis"]
        if obj is not None and not self._darf_lesen(request, obj):
            return [f for f in felder if f not in VERTRAULICHE_FELDER] + ["vertraulich_hinweis"]
        return felder

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "vertraulich_hinweis"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        antwort = super().change_view(request, object_id, form_url, extra_context)
        meldung = getattr(antwort, "context_data", {}).get("original") if antwort.status_code == 200 else None
        if meldung is not None and meldung.vertraulich:
            texte = "angezeigt" if self._darf_lesen(request, meldung) else "verborgen"
            record_sicherheitsereignis(
                art=Sicherheitsereignis.Art.VERTRAULICH_GELESEN,
                user=request.user,
                von=request.user,
                strategie=meldung.massnahme.strategie,
                ip_adresse=client_ip(request),
                details=f"Statusmeldung {meldung.pk} ({meldung}) in der Verwaltungsoberfläche geöffnet; Texte {texte}",
            )
        return antwort


@admin.register(Umsetzungsstand)
class UmsetzungsstandAdmin(ReadOnlyAdmin):
    list_display = ["massnahme", "organisation", "status", "fortschritt", "stichtag", "version"]
    list_filter = ["status"]


@admin.register(Berichtsrunde)
class BerichtsrundeAdmin(ReadOnlyAdmin):
    """Read-only: rounds are opened and closed in the portal, whose service derives Meldepflichten and reminders."""

    list_display = ["titel", "strategie", "stichtag", "frist", "zustand"]
    list_filter = ["strategie", "zustand"]


@admin.register(Meldepflicht)
class MeldepflichtAdmin(ReadOnlyAdmin):
    list_display = ["berichtsrunde", "massnahme", "organisation", "statusmeldung"]
    list_filter = ["berichtsrunde"]
