"""Handlungsfelder of a Strategie with their numbered Leitsätze (Ziele) and baseline figures."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from strategie.models import BaseModel, herkunft_felder


class Handlungsfeld(BaseModel):
    """A field of action of a Strategie, with the texts of its Anhang."""

    strategie = models.ForeignKey("strategie.Strategie", on_delete=models.PROTECT, related_name="handlungsfelder")
    nummer = models.CharField(_("Nummer"), max_length=10)
    ordnung = models.PositiveSmallIntegerField(_("Reihenfolge"))
    titel = models.CharField(_("Titel"), max_length=200)
    anhang = models.CharField(_("Anhang"), max_length=40, blank=True)
    gemeinsam_mit = models.ForeignKey(
        "self",
        verbose_name=_("Anhang gemeinsam mit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Handlungsfeld, dessen Leitsätze und Texte dieses Handlungsfeld teilt."),
    )
    ausgangslage = models.TextField(_("Ausgangslage"), blank=True)
    ziele_text = models.TextField(_("Ziele"), blank=True)
    loesungsansatz = models.TextField(_("Lösungsansatz"), blank=True)
    begruendung = models.TextField(_("Begründung"), blank=True)
    quelle = models.CharField(_("Quelle"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name, verbose_name_plural = _("Handlungsfeld"), _("Handlungsfelder")
        ordering = ["strategie", "ordnung"]
        constraints = [
            models.UniqueConstraint(fields=["strategie", "nummer"], name="handlungsfeld_nummer_unique"),
            models.UniqueConstraint(fields=["strategie", "ordnung"], name="handlungsfeld_ordnung_unique"),
            models.CheckConstraint(condition=~Q(gemeinsam_mit=F("id")), name="handlungsfeld_nicht_mit_sich_selbst"),
        ]

    def __str__(self) -> str:
        return f"{self.nummer} {self.titel}"

    def get_absolute_url(self) -> str:
        return reverse("portal:handlungsfeld", args=[self.strategie.slug, self.nummer])

    @property
    def texte_von_id(self) -> int:
        """Id of the Handlungsfeld whose Leitsätze and Anhang texts this one shows."""
        return self.gemeinsam_mit_id or self.pk


class Ziel(BaseModel):
    """A numbered Leitsatz or goal of a Handlungsfeld."""

    handlungsfeld = models.ForeignKey(Handlungsfeld, on_delete=models.PROTECT, related_name="ziele")
    nummer = models.PositiveSmallIntegerField(_("Nummer"))
    text = models.TextField(_("Text"))
    quelle = models.CharField(_("Quelle"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name, verbose_name_plural = _("Leitsatz"), _("Leitsätze")
        ordering = ["handlungsfeld", "nummer"]
        constraints = [models.UniqueConstraint(fields=["handlungsfeld", "nummer"], name="ziel_nummer_unique")]

    def __str__(self) -> str:
        return f"{self.handlungsfeld.nummer}.{self.nummer}"


class Kennzahl(BaseModel):
    """A figure the strategy text states, e.g. the 2019 survey of software products."""

    handlungsfeld = models.ForeignKey(Handlungsfeld, on_delete=models.PROTECT, related_name="kennzahlen")
    ordnung = models.PositiveSmallIntegerField(_("Reihenfolge"))
    bezeichnung = models.CharField(_("Bezeichnung"), max_length=200)
    wert = models.DecimalField(_("Wert"), max_digits=14, decimal_places=2)
    einheit = models.CharField(_("Einheit"), max_length=60, blank=True)
    stand = models.DateField(_("Stand"))
    stand_herkunft, stand_beleg = herkunft_felder("des Stands")
    quelle = models.CharField(_("Quelle"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name, verbose_name_plural = _("Kennzahl"), _("Kennzahlen")
        ordering = ["handlungsfeld", "ordnung"]
        constraints = [
            models.UniqueConstraint(fields=["handlungsfeld", "bezeichnung", "stand"], name="kennzahl_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.bezeichnung}: {self.wert}"
