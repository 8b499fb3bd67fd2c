"""Root of the domain: Strategie, Organisation, Mitgliedschaft (and the Rollengruppe that holds its rights)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class BaseModel(models.Model):
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        abstract = True


class Organisation(BaseModel):
    """A public body or service taking part in strategies.

    Landkreis, Stadt, Geschäftsstelle, IT-Dienstleister, Land."""

    class Art(models.TextChoices):
        LANDKREIS = "landkreis", _("Landkreis")
        KREISFREIE_STADT = "kreisfreie_stadt", _("kreisfreie Stadt")
        GESCHAEFTSSTELLE = "geschaeftsstelle", _("Geschäftsstelle")
        IT_DIENSTLEISTER = "it_dienstleister", _("IT-Dienstleister")
        LAND = "land", _("Land")
        VERBAND = "verband", _("Verband")

    kennung = models.SlugField(_("Kennung"), max_length=40, unique=True)
    art = models.CharField(_("Art"), max_length=20, choices=Art.choices)
    schluessel = models.CharField(_("Kreisschlüssel"), max_length=5, blank=True)
    name = models.CharField(_("Name"), max_length=200)
    kurzname = models.CharField(_("Kurzname"), max_length=100)
    sitz = models.CharField(_("Sitz"), max_length=100, blank=True)
    einwohner = models.PositiveIntegerField(_("Einwohner"), null=True, blank=True)
    einwohner_stand = models.DateField(_("Stand der Einwohnerzahl"), null=True, blank=True)
    flaeche_km2 = models.DecimalField(_("Fläche in km²"), max_digits=8, decimal_places=2, null=True, blank=True)
    quelle = models.TextField(_("Quelle"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name, verbose_name_plural = _("Organisation"), _("Organisationen")
        ordering = ["kurzname", "kennung"]
        constraints = [
            models.UniqueConstraint(
                fields=["schluessel"], condition=~Q(schluessel=""), name="organisation_schluessel_unique"
            ),
            models.CheckConstraint(
                condition=Q(einwohner__isnull=True, einwohner_stand__isnull=True)
                | Q(einwohner__isnull=False, einwohner_stand__isnull=False),
                name="organisation_einwohner_mit_stand",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def auswahlname(self) -> str:
        """The short name every form offers, sortable and unambiguous: a kreisfreie Stadt and the Landkreis of
        the same name (Kaiserslautern) differ by the kind in brackets."""
        if self.art == self.Art.KREISFREIE_STADT:
            return f"{self.kurzname} (Stadt)"
        return self.kurzname


def organisation_choices(organisationen) -> list[tuple[int, str]]:
    """(pk, short name) of `organisationen`, sorted by that name: the one way forms list Organisationen."""
    return sorted(((o.pk, o.auswahlname) for o in organisationen), key=lambda paar: paar[1].casefold())


class Herkunft(models.TextChoices):
    """How a date of the data files was taken from the source document (strategie/daten/README.md)."""

    AUSDRUECKLICH = "ausdruecklich", _("ausdrücklich genannt")
    ABGELEITET = "abgeleitet", _("abgeleitet")
    ERSCHLOSSEN = "erschlossen", _("erschlossen")


def herkunft_felder(wessen: str) -> tuple[models.CharField, models.TextField]:
    """The pair `<feld>_herkunft`, `<feld>_beleg` that goes with a date of the data files (strategie/daten/README.md,
    Datumsregeln): how the date was taken, and the sentence of the source or the reason. `wessen` names the date in
    the genitive ("des Beginns", "der Frist")."""
    return (
        models.CharField(_(f"Herkunft {wessen}"), max_length=13, choices=Herkunft.choices, blank=True),
        models.TextField(_(f"Beleg {wessen}"), blank=True),
    )


class DatumHerkunft(models.TextChoices):
    """How the Stichtag of a Statusmeldung from a data file was taken from its text (empty: reported in the portal)."""

    AUSDRUECKLICH = "ausdruecklich", _("ausdrücklich genannt")
    ABGELEITET = "abgeleitet", _("abgeleitet")
    BERICHTSZEITPUNKT = "berichtszeitpunkt", _("Stand zum Berichtszeitpunkt")


class Strategie(BaseModel):
    """A strategy adopted by a body, whose Umsetzung the portal tracks."""

    class Sichtbarkeit(models.TextChoices):
        OFFEN = "offen", _("offen: Mitglieder sehen die Meldungen aller Organisationen")
        AGGREGIERT = "aggregiert", _("nur Aggregate: andere Organisationen nur in Summen")

    slug = models.SlugField(_("Kurzbezeichnung in Adressen"), max_length=60, unique=True)
    titel = models.CharField(_("Titel"), max_length=300)
    kurztitel = models.CharField(_("Kurztitel"), max_length=100)
    gremium = models.CharField(_("Gremium"), max_length=200, blank=True)
    beschlossen_am = models.DateField(_("beschlossen am"), null=True, blank=True)
    beschlossen_am_herkunft, beschlossen_am_beleg = herkunft_felder("des Beschlussdatums")
    laufzeit = models.CharField(_("Laufzeit"), max_length=300, blank=True)
    quelle = models.TextField(_("Quelle"), blank=True)
    traeger = models.ForeignKey(
        Organisation, verbose_name=_("Träger"), on_delete=models.PROTECT, related_name="getragene_strategien"
    )
    organisationen = models.ManyToManyField(
        Organisation, verbose_name=_("teilnehmende Organisationen"), related_name="strategien", blank=True
    )
    vision = models.TextField(_("Vision / Leitgedanke"), blank=True)
    grundsaetze = models.JSONField(_("Grundsätze"), default=list, blank=True)
    berichtsintervall_tage = models.PositiveSmallIntegerField(_("Berichtsintervall in Tagen"), default=365)
    sichtbarkeit = models.CharField(_("Sichtbarkeit"), max_length=12, choices=Sichtbarkeit.choices, default="offen")
    berichtsdatum = models.DateField(_("Datum des Quellberichts"), null=True, blank=True)
    berichtsdatum_herkunft, berichtsdatum_beleg = herkunft_felder("des Berichtszeitpunkts")
    history = HistoricalRecords(excluded_fields=["organisationen"])

    class Meta:
        verbose_name, verbose_name_plural = _("Strategie"), _("Strategien")
        ordering = ["titel"]
        permissions = [
            ("manage_strategie", _("Kann die Strategie verwalten (Geschäftsstelle)")),
            ("release_bericht", _("Kann Berichte freigeben (Lenkungsausschuss)")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(berichtsintervall_tage__gte=1), name="strategie_intervall_positiv"),
        ]

    def __str__(self) -> str:
        return self.titel

    def get_absolute_url(self) -> str:
        return reverse("portal:detail", args=[self.slug])


class Abschnitt(BaseModel):
    """A further text part of a Strategie (Einleitung, Leitgedanke, Fazit, Randnotiz …), in document order."""

    class Art(models.TextChoices):
        EINLEITUNG = "einleitung", _("Einleitung")
        LEITGEDANKE = "leitgedanke", _("Leitgedanke")
        TEAMGRUNDSAETZE = "teamgrundsaetze", _("Grundsätze für das Team")
        STRATEGISCHE_ZIELE = "strategische_ziele", _("Strategische Ziele")
        AUSGANGSSITUATION = "ausgangssituation", _("Ausgangssituation")
        OPERATIVE_ZIELE = "operative_ziele", _("Operative Ziele")
        MANAGEMENTZIELE = "managementziele", _("Ziele des Managements")
        ERFAHRUNGEN = "erfahrungen", _("Erfahrungen")
        HANDLUNGSFELDER_EINFUEHRUNG = "handlungsfelder_einfuehrung", _("Einführung in die Handlungsfelder")
        FAZIT = "fazit", _("Fazit")
        SCHWERPUNKTE = "schwerpunkte", _("Schwerpunkte")
        RANDNOTIZ = "randnotiz", _("Randnotiz")

    strategie = models.ForeignKey(Strategie, on_delete=models.PROTECT, related_name="abschnitte")
    ordnung = models.PositiveSmallIntegerField(_("Reihenfolge"))
    art = models.CharField(_("Art"), max_length=30, choices=Art.choices)
    titel = models.CharField(_("Titel"), max_length=300, blank=True)
    text = models.TextField(_("Text"), blank=True)
    punkte = models.JSONField(_("Aufzählungspunkte"), default=list, blank=True)
    bezug = models.CharField(_("steht neben"), max_length=300, blank=True)
    quelle = models.CharField(_("Quelle"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name, verbose_name_plural = _("Abschnitt"), _("Abschnitte")
        ordering = ["strategie", "ordnung"]
        constraints = [models.UniqueConstraint(fields=["strategie", "ordnung"], name="abschnitt_ordnung_unique")]

    def __str__(self) -> str:
        return self.titel or self.get_art_display()


class Mitgliedschaft(BaseModel):
    """A user's role in one Strategie on behalf of one Organisation."""

    class Rolle(models.TextChoices):
        BERICHTERSTATTUNG = "berichterstattung", _("Berichterstattung")
        LENKUNGSAUSSCHUSS = "lenkungsausschuss", _("Lenkungsausschuss")
        GESCHAEFTSSTELLE = "geschaeftsstelle", _("Geschäftsstelle")
        GAST = "gast", _("Gast")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Person"), on_delete=models.PROTECT, related_name="mitgliedschaften"
    )
    strategie = models.ForeignKey(
        Strategie, verbose_name=_("Strategie"), on_delete=models.PROTECT, related_name="mitgliedschaften"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("Organisation"), on_delete=models.PROTECT, related_name="mitgliedschaften"
    )
    rolle = models.CharField(_("Rolle"), max_length=20, choices=Rolle.choices)
    ist_demo = models.BooleanField(_("Demo-Daten"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name, verbose_name_plural = _("Mitgliedschaft"), _("Mitgliedschaften")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "strategie", "organisation", "rolle"], name="mitgliedschaft_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation.kurzname} · {self.get_rolle_display()}"


class Rollengruppe(BaseModel):
    """The Group that holds the django-guardian rights of one role of one Organisation in one Strategie. Written only
    by the sync in strategie.policies; a right read through the group is held on behalf of `organisation`."""

    strategie = models.ForeignKey(Strategie, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    rolle = models.CharField(_("Rolle"), max_length=20, choices=Mitgliedschaft.Rolle.choices)
    group = models.OneToOneField("auth.Group", on_delete=models.PROTECT, related_name="rollengruppe")

    class Meta:
        verbose_name, verbose_name_plural = _("Rollengruppe"), _("Rollengruppen")
        constraints = [
            models.UniqueConstraint(fields=["strategie", "organisation", "rolle"], name="rollengruppe_unique"),
        ]

    def __str__(self) -> str:
        return self.group.name


class Rolleneinladung(BaseModel):
    """A role offered to an existing account of another strategy: nothing changes until its owner accepts it, signed
    in, with one click. The Geschäftsstelle sees only what it typed (e-mail address and name), never the account."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="rolleneinladungen")
    strategie = models.ForeignKey(Strategie, on_delete=models.PROTECT, related_name="rolleneinladungen")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    rolle = models.CharField(_("Rolle"), max_length=20, choices=Mitgliedschaft.Rolle.choices)
    email = models.EmailField(_("E-Mail-Adresse wie angegeben"))
    vorname = models.CharField(_("Vorname wie angegeben"), max_length=150)
    nachname = models.CharField(_("Nachname wie angegeben"), max_length=150)
    von = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    angenommen_am = models.DateTimeField(_("angenommen am"), null=True, blank=True)

    class Meta:
        verbose_name, verbose_name_plural = _("Rolleneinladung"), _("Rolleneinladungen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} · {self.strategie.kurztitel} · {self.get_rolle_display()}"


class Sicherheitsereignis(models.Model):
    """A security-relevant event: sign-in, failed sign-in, lockout, role change, invitation, deactivation."""

    class Art(models.TextChoices):
        ANMELDUNG = "anmeldung", _("Anmeldung")
        ABMELDUNG = "abmeldung", _("Abmeldung")
        FEHLANMELDUNG = "fehlanmeldung", _("fehlgeschlagene Anmeldung")
        SPERRE = "sperre", _("Sperre nach Fehlanmeldungen")
        ENTSPERRT = "entsperrt", _("Sperre aufgehoben")
        ROLLE_VERGEBEN = "rolle_vergeben", _("Rolle vergeben")
        ROLLE_ENTZOGEN = "rolle_entzogen", _("Rolle entzogen")
        ROLLE_GEAENDERT = "rolle_geaendert", _("Rolle geändert")
        EINLADUNG = "einladung", _("Einladung versandt")
        PASSWORT_GESETZT = "passwort_gesetzt", _("Passwort gesetzt")
        DEAKTIVIERT = "deaktiviert", _("Benutzer deaktiviert")
        PASSWORT_ANGEFORDERT = "passwort_angefordert", _("neues Passwort angefordert")
        VERTRAULICH_GELESEN = "vertraulich_gelesen", _("vertrauliche Meldung in der Verwaltungsoberfläche gelesen")
        REAKTIVIERT = "reaktiviert", _("Benutzer wieder aktiviert")
        EINLADUNG_ZURUECKGEZOGEN = "einladung_zurueck", _("Einladung zurückgezogen")

    zeitpunkt = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True, db_index=True)
    art = models.CharField(_("Art"), max_length=20, choices=Art.choices)
    benutzername = models.CharField(_("Benutzername"), max_length=150, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="sicherheitsereignisse"
    )
    von = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    strategie = models.ForeignKey(Strategie, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    ip_adresse = models.GenericIPAddressField(_("IP-Adresse"), null=True, blank=True)
    details = models.CharField(_("Details"), max_length=500, blank=True)

    class Meta:
        verbose_name, verbose_name_plural = _("Sicherheitsereignis"), _("Sicherheitsereignisse")
        ordering = ["-zeitpunkt", "-id"]

    def __str__(self) -> str:
        return f"{self.zeitpunkt:%d.%m.%Y %H:%M} {self.get_art_display()} {self.benutzername}"
