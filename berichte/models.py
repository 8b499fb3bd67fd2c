"""Reports of a Strategie: the yearly ALK report and Umsetzungsberichte, rendered as PDF."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from strategie.models import BaseModel


class Bericht(BaseModel):
    """A report as of a Stichtag and Datenstand; rendering it again gives the same numbers."""

    class Schritt(models.TextChoices):
        WARTEN = "", _("wartet")
        ZAHLEN = "zahlen", _("Zahlen ermitteln")
        DIAGRAMME = "diagramme", _("Diagramme")
        SEITEN = "seiten", _("Seiten setzen")
        PDFA = "pdfa", _("PDF/A schreiben")

    class Art(models.TextChoices):
        ALK_JAHRESBERICHT = "alk_jahresbericht", _("Jahresbericht an die ALK")
        UMSETZUNGSBERICHT = "umsetzungsbericht", _("Umsetzungsbericht")

    class Zustand(models.TextChoices):
        ENTWURF = "entwurf", _("Entwurf")
        ANGEFORDERT = "angefordert", _("angefordert")
        IN_ARBEIT = "in_arbeit", _("in Arbeit")
        FERTIG = "fertig", _("fertig")
        FEHLGESCHLAGEN = "fehlgeschlagen", _("fehlgeschlagen")

    strategie = models.ForeignKey("strategie.Strategie", on_delete=models.PROTECT, related_name="berichte")
    art = models.CharField(_("Art"), max_length=20, choices=Art.choices)
    berichtsjahr = models.PositiveSmallIntegerField(_("Berichtsjahr"))
    stichtag = models.DateField(_("Stichtag"))
    datenstand = models.DateTimeField(
        _("Datenstand"), null=True, blank=True, help_text=_("Eingefroren, wenn das PDF angefordert wird.")
    )
    version = models.PositiveSmallIntegerField(_("Version"), default=1)
    vorgaenger = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="nachfolger", verbose_name=_("Vorgänger")
    )
    textversionen = models.JSONField(
        _("Versionen der Texte"),
        default=dict,
        blank=True,
        help_text=_("Zähler je Textfeld gegen verlorene Änderungen."),
    )
    vorwort = models.TextField(_("Vorwort"), blank=True)
    einschaetzungen = models.JSONField(_("Einschätzung je Handlungsfeld"), default=dict, blank=True)
    fazit = models.TextField(_("Fazit"), blank=True)
    zustand = models.CharField(_("Zustand"), max_length=15, choices=Zustand.choices, default=Zustand.ENTWURF)
    fortschritt = models.PositiveSmallIntegerField(_("Fortschritt in Prozent"), default=0)
    schritt = models.CharField(_("Schritt"), max_length=10, choices=Schritt.choices, blank=True, default="")
    angefordert_am = models.DateTimeField(_("angefordert am"), null=True, blank=True)
    angefordert_von = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    fertig_am = models.DateTimeField(_("fertig am"), null=True, blank=True)
    fehlermeldung = models.TextField(_("Fehlermeldung"), blank=True)
    datei = models.FileField(_("PDF-Datei"), upload_to="berichte/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    groesse = models.PositiveIntegerField(_("Dateigröße in Bytes"), null=True, blank=True)
    seiten = models.PositiveSmallIntegerField(_("Seitenzahl"), null=True, blank=True)
    freigegeben_von = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    freigegeben_am = models.DateTimeField(_("freigegeben am"), null=True, blank=True)
    ist_demo = models.BooleanField(_("Demo-Daten"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["fortschritt", "schritt"])

    class Meta:
        verbose_name, verbose_name_plural = _("Bericht"), _("Berichte")
        ordering = ["strategie", "-berichtsjahr", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fortschritt__gte=0, fortschritt__lte=100), name="bericht_fortschritt_0_100"
            ),
            models.CheckConstraint(
                condition=~Q(zustand="fertig") | (~Q(datei="") & ~Q(sha256="")), name="bericht_fertig_mit_datei"
            ),
            models.CheckConstraint(
                condition=Q(freigegeben_am__isnull=True) | Q(zustand="fertig"), name="bericht_freigabe_nur_fertig"
            ),
            models.CheckConstraint(
                condition=Q(zustand="entwurf") | Q(datenstand__isnull=False), name="bericht_datenstand_ab_anforderung"
            ),
            models.UniqueConstraint(
                fields=["strategie", "art", "berichtsjahr", "version"], name="bericht_eine_version_je_nummer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_art_display()} {self.berichtsjahr} (Version {self.version})"

    @property
    def ist_freigegeben(self) -> bool:
        return self.freigegeben_am is not None

    @property
    def ist_final(self) -> bool:
        """No render is pending: the status region stops polling."""
        return self.zustand in (self.Zustand.ENTWURF, self.Zustand.FERTIG, self.Zustand.FEHLGESCHLAGEN)
