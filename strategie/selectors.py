"""Reads on strategies. Start from policy-scoped querysets; a fixed number of queries per page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from strategie import policies
from strategie.models import Abschnitt, Mitgliedschaft, Organisation, Rolleneinladung, Sicherheitsereignis, Strategie


def list_strategien_for_startseite(*, user) -> QuerySet[Strategie]:
    return (
        policies.strategien_visible_to(user)
        .select_related("traeger")
        .annotate(
            anzahl_handlungsfelder=Count("handlungsfelder", distinct=True),
            anzahl_massnahmen=Count("massnahmen", filter=Q(massnahmen__is_archived=False), distinct=True),
        )
        .order_by("titel")
    )


def get_strategie_for_user(*, user, slug: str) -> Strategie:
    return get_object_or_404(policies.strategien_visible_to(user).select_related("traeger"), slug=slug)


def list_abschnitte(*, strategie: Strategie):
    return strategie.abschnitte.order_by("ordnung")


@dataclass
class Textabschnitt:
    """A titled section with the untitled parts that continue it and the margin notes beside it."""

    titel: str
    anker: str
    teile: list[Abschnitt] = field(default_factory=list)
    randnotizen: list[Abschnitt] = field(default_factory=list)


def list_textabschnitte(*, strategie: Strategie) -> list[Textabschnitt]:
    """Sections of the strategy text in order; a section without a title continues the one before it."""
    abschnitte = list(list_abschnitte(strategie=strategie))
    gliederung: list[Textabschnitt] = []
    for abschnitt in abschnitte:
        if abschnitt.art == Abschnitt.Art.RANDNOTIZ:
            continue
        if abschnitt.titel or not gliederung:
            titel = abschnitt.titel or abschnitt.get_art_display()
            gliederung.append(Textabschnitt(titel=titel, anker=f"abschnitt-{abschnitt.ordnung}"))
        gliederung[-1].teile.append(abschnitt)
    nach_titel = {t.titel: t for t in gliederung}
    for notiz in abschnitte:
        if notiz.art == Abschnitt.Art.RANDNOTIZ and notiz.bezug in nach_titel:
            nach_titel[notiz.bezug].randnotizen.append(notiz)
    return gliederung


def noch_nicht_angemeldet(praefix: str = "") -> Q:
    """Accounts created by an invitation that were never used: active, no password set, never signed in. They are
    listed as open invitations, never as users, so that a new address and an account of another strategy (which gets
    a Rolleneinladung) look alike to the Geschäftsstelle. `praefix` reaches the user through a relation ("user__")."""
    return Q(
        **{
            f"{praefix}password__startswith": UNUSABLE_PASSWORD_PREFIX,
            f"{praefix}last_login__isnull": True,
            f"{praefix}is_active": True,
        }
    )


def benutzer_der_strategie(*, strategie: Strategie) -> QuerySet:
    """The accounts the Geschäftsstelle manages as users of the strategy (not those still only invited)."""
    return (
        get_user_model()
        .objects.filter(mitgliedschaften__strategie=strategie)
        .exclude(noch_nicht_angemeldet())
        .distinct()
    )


def mitgliedschaften_der_benutzer(*, strategie: Strategie) -> QuerySet[Mitgliedschaft]:
    """The roles of the strategy held by its users (not the roles of persons still only invited)."""
    return Mitgliedschaft.objects.filter(strategie=strategie).exclude(noch_nicht_angemeldet("user__"))


def list_benutzer_for_verwaltung(*, strategie: Strategie) -> list:
    """Users of a strategy with their roles here and whether they are locked out. Four queries."""
    mitgliedschaften = Mitgliedschaft.objects.filter(strategie=strategie).select_related("organisation")
    benutzer = list(
        benutzer_der_strategie(strategie=strategie)
        .prefetch_related(Prefetch("mitgliedschaften", queryset=mitgliedschaften, to_attr="rollen_hier"))
        .order_by("last_name", "first_name", "username")
    )
    # Locked: as many failures with the user name within the cool-off, from any address (strategie/anmeldeschutz.py).
    seit = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
    gesperrt = set(
        AccessAttempt.objects.filter(username__in=[b.username for b in benutzer], attempt_time__gte=seit)
        .values("username")
        .annotate(fehlversuche=Sum("failures_since_start"))
        .filter(fehlversuche__gte=settings.AXES_FAILURE_LIMIT)
        .values_list("username", flat=True)
    )
    for b in benutzer:
        b.gesperrt = b.username in gesperrt
    return benutzer


def list_organisationen_der_strategie(*, strategie: Strategie) -> QuerySet[Organisation]:
    """The organisations roles of the strategy may be given for: its participants and its Träger."""
    return Organisation.objects.filter(
        pk__in=[strategie.traeger_id, *strategie.organisationen.values_list("pk", flat=True)]
    ).order_by("kurzname")


def list_offene_rolleneinladungen(*, strategie: Strategie) -> QuerySet[Rolleneinladung]:
    """Invitations of existing accounts not yet accepted, with only what the Geschäftsstelle typed. One query."""
    return (
        Rolleneinladung.objects.filter(strategie=strategie, angenommen_am__isnull=True)
        .select_related("organisation")
        .order_by("-created_at")
    )


EINLADUNG_NEU, EINLADUNG_ROLLE = "m", "r"


@dataclass(frozen=True)
class OffeneEinladung:
    """One line of "Offene Einladungen": a role given to a new account never used (art EINLADUNG_NEU, pk of the
    Mitgliedschaft) or a Rolleneinladung of an existing account (EINLADUNG_ROLLE, pk of the Rolleneinladung). Both
    read alike; `kennung` names the line in URLs without telling which kind it is."""

    art: str
    pk: int
    vorname: str
    nachname: str
    email: str
    rolle: str
    organisation: str
    eingeladen_am: datetime
    kennung: str

    @property
    def gueltig_bis(self) -> datetime:
        """Until when the link of the e-mail works (both kinds alike: EINLADUNG_GUELTIG_TAGE from sending)."""
        return self.eingeladen_am + timedelta(days=settings.EINLADUNG_GUELTIG_TAGE)

    @property
    def abgelaufen(self) -> bool:
        return timezone.now() > self.gueltig_bis


def einladungskennung(*, strategie: Strategie, art: str, pk: int) -> str:
    """An opaque, fixed-length name of an open invitation: a keyed hash, so neither its kind nor its pk can be read
    from it (a signed value would carry both readable) and no other one can be made up."""
    wert = f"{strategie.pk}:{art}:{pk}"
    return salted_hmac("strategie.selectors.einladungskennung", wert, algorithm="sha256").hexdigest()[:32]


def list_offene_einladungen(*, strategie: Strategie) -> list[OffeneEinladung]:
    """Open invitations of the strategy, newest first: roles of accounts created by an invitation and never used,
    and Rolleneinladungen not yet accepted. Two queries."""
    # sent last: a second invitation with the same role keeps the Mitgliedschaft but sends a fresh link, as a new
    # Rolleneinladung does for the other kind
    versandt = Sicherheitsereignis.objects.filter(
        art=Sicherheitsereignis.Art.EINLADUNG, user=OuterRef("user"), strategie=strategie
    ).order_by("-zeitpunkt")
    neue = (
        Mitgliedschaft.objects.filter(strategie=strategie)
        .filter(noch_nicht_angemeldet("user__"))
        .annotate(versandt_am=Subquery(versandt.values("zeitpunkt")[:1]))
    )
    einladungen = [
        OffeneEinladung(
            art=EINLADUNG_NEU,
            pk=m.pk,
            vorname=m.user.first_name,
            nachname=m.user.last_name,
            email=m.user.email,
            rolle=m.get_rolle_display(),
            organisation=m.organisation.kurzname,
            eingeladen_am=m.versandt_am or m.created_at,
            kennung=einladungskennung(strategie=strategie, art=EINLADUNG_NEU, pk=m.pk),
        )
        for m in neue.select_related("user", "organisation")
    ]
    einladungen += [
        OffeneEinladung(
            art=EINLADUNG_ROLLE,
            pk=e.pk,
            vorname=e.vorname,
            nachname=e.nachname,
            email=e.email,
            rolle=e.get_rolle_display(),
            organisation=e.organisation.kurzname,
            eingeladen_am=e.created_at,
            kennung=einladungskennung(strategie=strategie, art=EINLADUNG_ROLLE, pk=e.pk),
        )
        for e in list_offene_rolleneinladungen(strategie=strategie)
    ]
    return sorted(einladungen, key=lambda e: (e.eingeladen_am, e.art, e.pk), reverse=True)


def get_offene_einladung(*, strategie: Strategie, kennung: str) -> OffeneEinladung | None:
    """The open invitation of the strategy named `kennung`, or None."""
    return next(
        (e for e in list_offene_einladungen(strategie=strategie) if constant_time_compare(e.kennung, kennung)), None
    )
