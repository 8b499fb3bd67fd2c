"""Maßnahmen, who takes part, milestones, and the status reported on them."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from strategie.models import BaseModel, DatumHerkunft, herkunft_felder


def _dateistand_feld() -> models.JSONField:
    """What the data file said at its last load for the fields the portal edits too (strategien_laden compares it,
    so that a change made in the portal survives a reload of an unchanged file). Not in the history."""
    return models.JSONField(
        _("zuletzt aus der Strategie-Datei geladen"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_(
            "Was die Datendatei beim letzten Laden für die Felder angab, die auch im Portal bearbeitet werden."
        ),
    )


# The order in which a later Statusmeldung supersedes an earlier one of its pair: for the Umsetzungsstand, the
# Meldung a Meldepflicht points to, and the history pages.
NEUESTE_ZUERST = ("-stichtag", "-gemeldet_am", "-id")


def neueste_zuerst_sql(alias: str, *, felder=NEUESTE_ZUERST, spalten: dict[str, str] | None = None) -> str:
    """`felder` (NEUESTE_ZUERST or a part of it) as an SQL ORDER BY list over `alias`, so raw SQL supersedes exactly
    as the ORM does; `spalten` names a field's column where it differs (the Umsetzungsstand's `letzte_meldung_id`)."""
    spalten = spalten or {}
    teile = []
    for feld in felder:
        name = feld.lstrip("-")
        teile.append(f"{alias}.{spalten.get(name, name)} {'DESC' if feld.startswith('-') else 'ASC'}")
    return ", ".join(teile)


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


# The values a user reports, in form order: the fields of a Statusmeldung form, a Meldungsentwurf and a Meldebogen row.
MELDUNGSFELDER = (
    "stichtag",
    "status",
    "fortschritt",
    "ampel",
    "text",
    "naechste_schritte",
    "risiken",
    "vertraulich",
    "ist_korrektur",
)
FORTSCHRITT_0_100 = Q(fortschritt__isnull=True) | Q(fortschritt__gte=0, fortschritt__lte=100)
UMGESETZT_IST_100 = ~Q(status=Status.UMGESETZT) | Q(fortschritt=100)


class Massnahme(BaseModel):
    """A concrete measure of a Handlungsfeld, or of the strategy as a whole (no Handlungsfeld: from its
    Allgemeine Grundsätze), carried out jointly or by each Organisation."""

    class Umsetzungsart(models.TextChoices):
        GEMEINSAM = "gemeinsam", _("gemeinsam")
        JE_ORGANISATION = "je_organisation", _("je Organisation")

    strategie = models.ForeignKey(
        "strategie.Strategie", verbose_name=_("Strategie"), on_delete=models.PROTECT, related_name="massnahmen"
    )
    handlungsfeld = models.ForeignKey(
        "handlungsfelder.Handlungsfeld",
        verbose_name=_("Handlungsfeld"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="massnahmen",
        help_text=_("Leer: Die Maßnahme gehört zur Strategie als Ganzes (Allgemeine Grundsätze)."),
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
    beginn_herkunft, beginn_beleg = herkunft_felder("des Beginns")
    frist = models.DateField(_("Frist"), null=True, blank=True)
    frist_herkunft, frist_beleg = herkunft_felder("der Frist")
    finanzierung = models.TextField(_("Finanzierung"), blank=True)
    quelle = models.CharField(_("Quelle"), max_length=300, blank=True)
    is_archived = models.BooleanField(_("archiviert"), default=False)
    dateistand = _dateistand_feld()
    history = HistoricalRecords(m2m_fields=[ziele], excluded_fields=["dateistand"])

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

    massnahme = models.ForeignKey(
        Massnahme, verbose_name=_("Maßnahme"), on_delete=models.PROTECT, related_name="beteiligungen"
    )
    organisation = models.ForeignKey(
        "strategie.Organisation",
        verbose_name=_("Organisation"),
        on_delete=models.PROTECT,
        related_name="beteiligungen",
    )
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

    massnahme = models.ForeignKey(
        Massnahme, verbose_name=_("Maßnahme"), on_delete=models.PROTECT, related_name="meilensteine"
    )
    ordnung = models.PositiveSmallIntegerField(_("Reihenfolge"))
    titel = models.CharField(_("Titel"), max_length=300)
    faellig_am = models.DateField(_("fällig am"), null=True, blank=True)
    erreicht_am = models.DateField(_("erreicht am"), null=True, blank=True)
    datei_nummer = models.PositiveSmallIntegerField(
        _("Nummer in der Strategie-Datei"),
        null=True,
        blank=True,
        help_text=_("Stelle in der Liste „meilensteine“ der Datendatei; leer bei Meilensteinen aus dem Portal."),
    )
    dateistand = _dateistand_feld()
    history = HistoricalRecords(excluded_fields=["dateistand"])

    class Meta:
        verbose_name, verbose_name_plural = _("Meilenstein"), _("Meilensteine")
        ordering = ["massnahme", "ordnung"]
        constraints = [
            models.UniqueConstraint(fields=["massnahme", "ordnung"], name="meilenstein_ordnung_unique"),
            models.UniqueConstraint(
                fields=["massnahme", "datei_nummer"],
                condition=Q(datei_nummer__isnull=False),
                name="meilenstein_datei_nummer_unique",
            ),
        ]

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
    erinnerung_tage_vor_frist = models.PositiveSmallIntegerField(
        _("Erinnerung … Tage vor der Frist"),
        default=7,
        help_text=_("Organisationen, die noch Meldungen schulden, werden so viele Tage vor der Frist erinnert."),
    )
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
    # the indexes below lead with the Organisation: no index of its own
    organisation = models.ForeignKey(
        "strategie.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )
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
    datum_herkunft = models.CharField(
        _("Herkunft des Stichtags"), max_length=17, choices=DatumHerkunft.choices, blank=True
    )
    datum_laut_text = models.CharField(_("Datum laut Quelltext"), max_length=200, blank=True)
    ist_demo = models.BooleanField(_("Demo-Daten"), default=False)

    class Meta:
        verbose_name, verbose_name_plural = _("Statusmeldung"), _("Statusmeldungen")
        ordering = ["massnahme", "organisation", "stichtag", "gemeldet_am", "id"]
        indexes = [
            # a pair's Meldung as of a Zeitpunkt (berichte.selectors.sql): one index-only probe in NEUESTE_ZUERST order
            models.Index(
                fields=["massnahme", "organisation", "-stichtag", "-gemeldet_am", "-id"],
                name="statusmeldung_paar_neueste",
            ),
            # an Organisation's latest Meldung (Vollständigkeit): one probe per Organisation, whatever the history
            models.Index(fields=["organisation", "-gemeldet_am"], name="statusmeldung_org_neueste"),
            # an Organisation's Meldungen, newest first (Organisationsprofil, a page of 50): flat in history
            models.Index(fields=["organisation", *NEUESTE_ZUERST], name="statusmeldung_org_verlauf"),
            # "are demo data loaded?" on every page (the banner): answered by this small index, never a table scan
            models.Index(fields=["ist_demo"], condition=Q(ist_demo=True), name="statusmeldung_demo"),
        ]
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


class Meldungsverlauf(models.Model):
    """Which Statusmeldung of a pair counts for a Stichtag from `gueltig_ab` up to (not including) `gueltig_bis`
    (None: open), with every Meldung recorded so far: per Stichtag reported, the one NEUESTE_ZUERST puts first.
    Derived from the Statusmeldungen and rewritten with the pair's Umsetzungsstand, in the same transaction, so
    that a past Stichtag is read by one range scan (`verlauf_zeitraum`) instead of one probe per pair."""

    # `verlauf_paar` leads with the Maßnahme: no index of its own
    massnahme = models.ForeignKey(Massnahme, on_delete=models.CASCADE, related_name="+", db_index=False)
    organisation = models.ForeignKey("strategie.Organisation", on_delete=models.CASCADE, related_name="+")
    meldung = models.OneToOneField(Statusmeldung, on_delete=models.CASCADE, related_name="+")
    gueltig_ab = models.DateField()  # the Meldung's Stichtag
    gueltig_bis = models.DateField(null=True)  # the pair's next Stichtag reported
    gemeldet_am = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices)
    fortschritt = models.PositiveSmallIntegerField(null=True)
    ampel = models.CharField(max_length=5, choices=Ampel.choices, blank=True)
    zuletzt_gemeldet_am = models.DateTimeField()  # the latest of the pair's Meldungen with stichtag ≤ gueltig_ab

    class Meta:
        verbose_name, verbose_name_plural = _("Meldungsverlauf"), _("Meldungsverläufe")
        indexes = [models.Index(fields=["massnahme", "organisation", "gueltig_ab"], name="verlauf_paar")]
        constraints = [
            models.CheckConstraint(
                condition=Q(gueltig_bis__isnull=True) | Q(gueltig_bis__gt=F("gueltig_ab")),
                name="verlauf_zeitraum_positiv",
            )
        ]

    def __str__(self) -> str:
        return f"{self.massnahme_id}/{self.organisation_id} ab {self.gueltig_ab:%d.%m.%Y}: {self.status}"


ERSTE_ROTE = 5  # the red Ampeln a Standsumme names per group; the dashboard names as many per Maßnahme


class Standsumme(models.Model):
    """The current state of the pairs je Organisation counted by every value today's counting rules read, so that
    today's dashboard of a national strategy adds up a few thousand rows instead of reading 80,000 pairs:

    - "m": per Maßnahme, the pairs with equal Beteiligung (seit, entfällt) and Umsetzungsstand (status, Ampel,
      Stichtag): how many, their Fortschritt summed (a missing figure counting 0);
    - "o": per Organisation, the pairs of the strategy's active Maßnahmen je Organisation with equal Beteiligung,
      status and Stichtag, by the Maßnahme's Handlungsfeld and Frist;
    - "r": among the pairs of one "m" group with a red Ampel, the first ERSTE_ROTE by the Organisation's Kurzname
      and Kennung (`organisation` set, `anzahl` 1): the first names of a union of groups are among theirs.

    Derived from Beteiligung, Umsetzungsstand, Maßnahme and Organisation by `massnahmen.services.standsummen`, per
    Maßnahme and Organisation in the writer's transaction. The Stichtag-dependent rules (noch nicht beteiligt,
    veraltet, überfällig) are applied when read, so the sums hold for any day until the next write."""

    class Art(models.TextChoices):
        MASSNAHME = "m", "je Maßnahme"
        ORGANISATION = "o", "je Organisation"
        ROT = "r", "erste rote Ampeln"

    art = models.CharField(max_length=1, choices=Art.choices)
    strategie = models.ForeignKey("strategie.Strategie", on_delete=models.CASCADE, related_name="+", db_index=False)
    massnahme = models.ForeignKey(Massnahme, on_delete=models.CASCADE, null=True, related_name="+", db_index=False)
    organisation = models.ForeignKey(
        "strategie.Organisation", on_delete=models.CASCADE, null=True, related_name="+", db_index=False
    )
    handlungsfeld = models.ForeignKey(
        "handlungsfelder.Handlungsfeld", on_delete=models.CASCADE, null=True, related_name="+", db_index=False
    )
    frist = models.DateField(null=True)
    seit = models.DateField(null=True)
    entfaellt = models.BooleanField()
    status = models.CharField(max_length=20, blank=True)  # "": no Meldung yet
    ampel = models.CharField(max_length=5, blank=True)
    stichtag = models.DateField(null=True)
    anzahl = models.PositiveIntegerField()
    fortschritt = models.PositiveIntegerField()

    class Meta:
        verbose_name, verbose_name_plural = _("Standsumme"), _("Standsummen")
        indexes = [
            models.Index(fields=["strategie", "art", "massnahme"], name="standsumme_massnahme"),
            models.Index(fields=["organisation", "strategie", "art"], name="standsumme_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.art} {self.massnahme_id or self.organisation_id}: {self.anzahl} × {self.status or '–'}"


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


class Meldungsentwurf(BaseModel):
    """A Statusmeldung an Organisation has started but not yet submitted; one per Maßnahme and Organisation."""

    massnahme = models.ForeignKey(Massnahme, on_delete=models.PROTECT, related_name="entwuerfe")
    organisation = models.ForeignKey("strategie.Organisation", on_delete=models.PROTECT, related_name="+")
    stichtag = models.DateField(_("Stichtag"), null=True, blank=True)
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, blank=True)
    fortschritt = models.PositiveSmallIntegerField(_("Fortschritt in Prozent"), null=True, blank=True)
    ampel = models.CharField(_("Ampel"), max_length=5, choices=Ampel.choices, blank=True)
    text = models.TextField(_("Sachstand"), blank=True)
    naechste_schritte = models.TextField(_("Nächste Schritte"), blank=True)
    risiken = models.TextField(_("Risiken"), blank=True)
    vertraulich = models.BooleanField(_("vertraulich"), default=False)
    ist_korrektur = models.BooleanField(_("Korrektur"), default=False)
    basis_version = models.PositiveIntegerField(_("Version beim Öffnen"), default=0)
    von = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name, verbose_name_plural = _("Meldungsentwurf"), _("Meldungsentwürfe")
        constraints = [
            models.UniqueConstraint(fields=["massnahme", "organisation"], name="meldungsentwurf_unique"),
            models.CheckConstraint(condition=FORTSCHRITT_0_100, name="meldungsentwurf_fortschritt_0_100"),
        ]

    def __str__(self) -> str:
        return f"Entwurf {self.massnahme.code} · {self.organisation.kurzname}"


class Erinnerung(BaseModel):
    """A reminder e-mail sent to an Organisation that still owes Meldungen; at most one per round, organisation
    and day (the unique constraint makes the Celery beat task idempotent)."""

    class Art(models.TextChoices):
        VOR_FRIST = "vor_frist", _("vor der Frist")
        UEBERFAELLIG = "ueberfaellig", _("Frist überschritten")

    berichtsrunde = models.ForeignKey(Berichtsrunde, on_delete=models.PROTECT, related_name="erinnerungen")
    organisation = models.ForeignKey("strategie.Organisation", on_delete=models.PROTECT, related_name="+")
    datum = models.DateField(_("Tag"))
    art = models.CharField(_("Art"), max_length=15, choices=Art.choices)
    offene_meldungen = models.PositiveIntegerField(_("offene Meldungen"))
    empfaenger = models.TextField(_("Empfänger"), blank=True)

    class Meta:
        verbose_name, verbose_name_plural = _("Erinnerung"), _("Erinnerungen")
        constraints = [
            models.UniqueConstraint(
                fields=["berichtsrunde", "organisation", "datum"], name="erinnerung_einmal_am_tag"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.berichtsrunde} · {self.organisation.kurzname} · {self.datum:%d.%m.%Y}"
