"""Maßnahmen, who takes part, milestones, and the status reported on them."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from strategie.models import BaseModel


class Status(models.TextChoices):
    NICHT_BEGONNEN = "nicht_begonnen", _("nicht begonnen")
    IN_PLANUNG = "in_planung", _("in Planung")
    IN_UMSETZUNG = "in_umsetzung", _("in Umsetzung")
    UMGESETZT = "umgesetzt", _("umgesetzt")
    ZURUECKGESTELLT = "zurueckgestellt", _("zurückgestellt")
    ENTFAELLT = "entfaellt", _("entfällt")


class Ampel(models.TextChoices):
    GRUEN = "gruen", _("im Plan")
    GELB = "gelb", _("gefährdet")
    ROT = "rot", _("kritisch")


FORTSCHRITT_0_100 = Q(fortschritt__isnull=True) | Q(fortschritt__gte=0, fortschritt__lte=100)
UMGESETZT_IST_100 = ~Q(status=Status.UMGESETZT) | Q(fortschritt=100)


class Massnahme(BaseModel):
    """A concrete measure of a Handlungsfeld, carried out jointly or by each Organisation."""

    class Umsetzungsart(models.TextChoices):
        GEMEINSAM = "gemeinsam", _("gemeinsam")
        JE_ORGANISATION = "je_organisation", _("je Organisation")

    strategie = models.ForeignKey("strategie.Strategie", on_delete=models.PROTECT, related_name="massnahmen")
    handlungsfeld = models.ForeignKey(
        "handlungsfelder.Handlungsfeld", on_delete=models.PROTECT, related_name="massnahmen"
    )
    code = models.CharField(_("Kennziffer"), max_length=20)
    ordnung = models.PositiveSmallIntegerField(_("Reihenfolge"))
    titel = models.CharField(_("Titel"), max_length=300)
    beschreibung = models.TextField(_("Beschreibung"), blank=True)
    ziele = models.ManyToManyField("handlungsfelder.Ziel", verbose_name=_("Leitsätze"), blank=True)
    federfuehrung = models.ForeignKey(
        "strategie.Organisation",
        verbose_name=_("Federführung"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="federfuehrungen",
    )
    umsetzungsart = models.CharField(_("Umsetzungsart"), max_length=20, choices=Umsetzungsart.choices)
    beginn = models.DateField(_("Beginn"), null=True, blank=True)
    frist = models.DateField(_("Frist"), null=True, blank=True)
    finanzierung = models.TextField(_("Finanzierung"), blank=True)
    quelle = models.CharField(_("Quelle"), max_length=300, blank=True)
    is_archived = models.BooleanField(_("archiviert"), default=False)
    history = HistoricalRecords(m2m_fields=[ziele])

    class Meta:
        verbose_name, verbose_name_plural = _("Maßnahme"), _("Maßnahmen")
        ordering = ["strategie", "handlungsfeld__ordnung", "ordnung"]
        permissions = [("report_massnahme", _("Kann Statusmeldungen zur Maßnahme abgeben"))]
        constraints = [
            models.UniqueConstraint(fields=["strategie", "code"], name="massnahme_code_unique"),
            models.CheckConstraint(
                condition=Q(beginn__isnull=True) | Q(frist__isnull=True) | Q(frist__gte=F("beginn")),
                name="massnahme_frist_nach_beginn",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.titel}"

    def get_absolute_url(self) -> str:
        return reverse("massnahmen:detail", args=[self.strategie.slug, self.code])

    @property
    def ist_gemeinsam(self) -> bool:
        return self.umsetzungsart == self.Umsetzungsart.GEMEINSAM


class Beteiligung(BaseModel):
    """An Organisation taking part in a Maßnahme since a date ("Hineinwachsen"), or for which it entfällt."""

    massnahme = models.ForeignKey(Massnahme, on_delete=models.PROTECT, related_name="beteiligungen")
    organisation = models.ForeignKey("strategie.Organisation", on_delete=models.PROTECT, related_name="beteiligungen")
    seit = models.DateField(_("beteiligt seit"), null=True, blank=True)
    entfaellt = models.BooleanField(_("entfällt"), default=False)
    begruendung = models.TextField(_("Begründung"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name, verbose_name_plural = _("Beteiligung"), _("Beteiligungen")
        constraints = [
            models.UniqueConstraint(fields=["massnahme", "organisation"], name="beteiligung_unique"),
            models.CheckConstraint(
                condition=Q(entfaellt=False) | ~Q(begruendung=""), name="beteiligung_entfaellt_begruendet"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.massnahme.code}"


class Meilenstein(BaseModel):
    """A milestone of a Maßnahme."""

    massnahme = models.ForeignKey(Massnahme, on_delete=models.PROTECT, related_name="meilensteine")
    ordnung = models.PositiveSmallIntegerField(_("Reihenfolge"))
    titel = models.CharField(_("Titel"), max_length=300)
    faellig_am = models.DateField(_("fällig am"), null=True, blank=True)
    erreicht_am = models.DateField(_("erreicht am"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name, verbose_name_plural = _("Meilenstein"), _("Meilensteine")
        ordering = ["massnahme", "ordnung"]
        constraints = [models.UniqueConstraint(fields=["massnahme", "ordnung"], name="meilenstein_ordnung_unique")]

    def __str__(self) -> str:
        return self.titel


class Berichtsrunde(BaseModel):
    """A reporting round: which Maßnahmen every beteiligte Organisation reports on, as of a Stichtag."""

    class Zustand(models.TextChoices):
        OFFEN = "offen", _("offen")
        GESCHLOSSEN = "geschlossen", _("geschlossen")

    strategie = models.ForeignKey("strategie.Strategie", on_delete=models.PROTECT, related_name="berichtsrunden")
    titel = models.CharField(_("Titel"), max_length=200)
    stichtag = models.DateField(_("Stichtag"))
    frist = models.DateField(_("Frist"))
    zustand = models.CharField(_("Zustand"), max_length=12, choices=Zustand.choices, default=Zustand.OFFEN)
    massnahmen = models.ManyToManyField(Massnahme, verbose_name=_("Maßnahmen"), related_name="berichtsrunden")
    geschlossen_am = models.DateTimeField(_("geschlossen am"), null=True, blank=True)
    ist_demo = models.BooleanField(_("Demo-Daten"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["massnahmen"])

    class Meta:
        verbose_name, verbose_name_plural = _("Berichtsrunde"), _("Berichtsrunden")
        ordering = ["strategie", "-stichtag"]
        constraints = [
            models.UniqueConstraint(fields=["strategie", "stichtag"], name="berichtsrunde_stichtag_unique"),
            models.CheckConstraint(condition=Q(frist__gte=F("stichtag")), name="berichtsrunde_frist_nach_stichtag"),
        ]

    def __str__(self) -> str:
        return self.titel


class Statusmeldung(BaseModel):
    """Dated, append-only report of one Organisation on how one Maßnahme stands."""

    massnahme = models.ForeignKey(Massnahme, on_delete=models.PROTECT, related_name="statusmeldungen")
    organisation = models.ForeignKey("strategie.Organisation", on_delete=models.PROTECT, related_name="+")
    berichtsrunde = models.ForeignKey(
        Berichtsrunde, on_delete=models.PROTECT, null=True, blank=True, related_name="statusmeldungen"
    )
    stichtag = models.DateField(_("Stichtag"))
    gemeldet_am = models.DateTimeField(_("gemeldet am"), default=timezone.now)
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices)
    fortschritt = models.PositiveSmallIntegerField(_("Fortschritt in Prozent"), null=True, blank=True)
    ampel = models.CharField(_("Ampel"), max_length=5, choices=Ampel.choices, blank=True)
    text = models.TextField(_("Sachstand"), blank=True)
    naechste_schritte = models.TextField(_("Nächste Schritte"), blank=True)
    risiken = models.TextField(_("Risiken"), blank=True)
    vertraulich = models.BooleanField(_("vertraulich"), default=False)
    ist_korrektur = models.BooleanField(_("Korrektur"), default=False)
    von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gemeldet von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    quelle = models.CharField(_("Quelle"), max_length=300, blank=True)
    ist_demo = models.BooleanField(_("Demo-Daten"), default=False)

    class Meta:
        verbose_name, verbose_name_plural = _("Statusmeldung"), _("Statusmeldungen")
        ordering = ["massnahme", "organisation", "stichtag", "gemeldet_am", "id"]
        indexes = [models.Index(fields=["massnahme", "organisation", "-stichtag", "-gemeldet_am"])]
        constraints = [
            models.CheckConstraint(condition=FORTSCHRITT_0_100, name="statusmeldung_fortschritt_0_100"),
            models.CheckConstraint(condition=UMGESETZT_IST_100, name="statusmeldung_umgesetzt_100"),
            models.CheckConstraint(
                condition=~Q(status=Status.ENTFAELLT) | ~Q(text=""), name="statusmeldung_entfaellt_begruendet"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.massnahme.code} · {self.organisation.kurzname} · {self.stichtag:%d.%m.%Y}"


class Umsetzungsstand(BaseModel):
    """Current state of one Maßnahme for one Organisation: the latest accepted Statusmeldung, versioned."""

    massnahme = models.ForeignKey(Massnahme, on_delete=models.PROTECT, related_name="umsetzungsstaende")
    organisation = models.ForeignKey(
        "strategie.Organisation", on_delete=models.PROTECT, related_name="umsetzungsstaende"
    )
    letzte_meldung = models.ForeignKey(Statusmeldung, on_delete=models.PROTECT, related_name="+")
    stichtag = models.DateField(_("Stichtag"))
    gemeldet_am = models.DateTimeField(_("gemeldet am"))
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices)
    fortschritt = models.PositiveSmallIntegerField(_("Fortschritt in Prozent"), null=True, blank=True)
    ampel = models.CharField(_("Ampel"), max_length=5, choices=Ampel.choices, blank=True)
    version = models.PositiveIntegerField(_("Version"), default=1)

    class Meta:
        verbose_name, verbose_name_plural = _("Umsetzungsstand"), _("Umsetzungsstände")
        constraints = [
            models.UniqueConstraint(fields=["massnahme", "organisation"], name="umsetzungsstand_unique"),
            models.CheckConstraint(condition=FORTSCHRITT_0_100, name="umsetzungsstand_fortschritt_0_100"),
            models.CheckConstraint(condition=UMGESETZT_IST_100, name="umsetzungsstand_umgesetzt_100"),
        ]

    def __str__(self) -> str:
        return f"{self.massnahme.code} · {self.organisation.kurzname}: {self.get_status_display()}"


class Meldepflicht(BaseModel):
    """An Organisation owes a Statusmeldung on a Maßnahme in a Berichtsrunde; `statusmeldung` once it is in."""

    berichtsrunde = models.ForeignKey(Berichtsrunde, on_delete=models.PROTECT, related_name="meldepflichten")
    massnahme = models.ForeignKey(Massnahme, on_delete=models.PROTECT, related_name="meldepflichten")
    organisation = models.ForeignKey("strategie.Organisation", on_delete=models.PROTECT, related_name="meldepflichten")
    statusmeldung = models.ForeignKey(
        Statusmeldung, on_delete=models.PROTECT, null=True, blank=True, related_name="erfuellte_meldepflichten"
    )

    class Meta:
        verbose_name, verbose_name_plural = _("Meldepflicht"), _("Meldepflichten")
        constraints = [
            models.UniqueConstraint(fields=["berichtsrunde", "massnahme", "organisation"], name="meldepflicht_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.berichtsrunde} · {self.massnahme.code} · {self.organisation.kurzname}"

    @property
    def ist_erfuellt(self) -> bool:
        return self.statusmeldung_id is not None
