from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from strategie.models import BaseModel


class Meldebogenimport(BaseModel):
    """An uploaded Meldebogen (XLSX or CSV) being checked and imported; progress and errors for the user."""

    class Zustand(models.TextChoices):
        ANGEFORDERT = "angefordert", _("angefordert")
        IN_ARBEIT = "in_arbeit", _("in Arbeit")
        FERTIG = "fertig", _("fertig")
        ABGELEHNT = "abgelehnt", _("abgelehnt (Fehler in der Datei)")
        FEHLGESCHLAGEN = "fehlgeschlagen", _("fehlgeschlagen")

    strategie = models.ForeignKey("strategie.Strategie", on_delete=models.PROTECT, related_name="+")
    berichtsrunde = models.ForeignKey(
        "massnahmen.Berichtsrunde", on_delete=models.PROTECT, null=True, blank=True, related_name="importe"
    )
    organisation = models.ForeignKey("strategie.Organisation", on_delete=models.PROTECT, related_name="+")
    von = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    datei = models.FileField(_("Datei"), upload_to="meldeboegen/")
    dateiname = models.CharField(_("Dateiname"), max_length=255)
    zustand = models.CharField(_("Zustand"), max_length=15, choices=Zustand.choices, default=Zustand.ANGEFORDERT)
    fortschritt = models.PositiveSmallIntegerField(_("Fortschritt in Prozent"), default=0)
    zeilen = models.PositiveIntegerField(_("Zeilen"), default=0)
    gemeldet = models.PositiveIntegerField(_("übernommene Meldungen"), default=0)
    fehler = models.JSONField(_("Fehlerbericht"), default=list, blank=True)
    # {"gespeichert": [...], "bestaetigt": [...], "uebersprungen": [...]}, each {"zeile", "kennziffer", "hinweis"}
    uebersicht = models.JSONField(_("Ergebnis je Maßnahme"), default=dict, blank=True)
    abgeschlossen_am = models.DateTimeField(_("abgeschlossen am"), null=True, blank=True)

    class Meta:
        verbose_name, verbose_name_plural = _("Meldebogen-Import"), _("Meldebogen-Importe")
        db_table = "massnahmen_meldebogenimport"  # the table the model had in massnahmen; rows stay
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fortschritt__gte=0, fortschritt__lte=100), name="import_fortschritt_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dateiname} ({self.get_zustand_display()})"
