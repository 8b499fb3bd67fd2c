"""Reads on strategies. Start from policy-scoped querysets; a fixed number of queries per page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from strategie import policies
from strategie.models import Abschnitt, Mitgliedschaft, Organisation, Rolleneinladung, Strategie


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


def list_benutzer_for_verwaltung(*, strategie: Strategie) -> list:
    """Users of a strategy with their roles here and whether they are locked out. Four queries."""
    mitgliedschaften = Mitgliedschaft.objects.filter(strategie=strategie).select_related("organisation")
    benutzer = list(
        get_user_model()
        .objects.filter(mitgliedschaften__strategie=strategie)
        .distinct()
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
