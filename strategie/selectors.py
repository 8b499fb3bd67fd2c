"""Reads on strategies. Start from policy-scoped querysets; a fixed number of queries per page."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from strategie import policies
from strategie.models import Mitgliedschaft, Strategie


def demo_daten_geladen() -> bool:
    """Whether demo data is in the database (the pages then show a notice)."""
    from massnahmen.models import Statusmeldung

    return (
        Mitgliedschaft.objects.filter(ist_demo=True).exists() or Statusmeldung.objects.filter(ist_demo=True).exists()
    )


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
    from django.shortcuts import get_object_or_404

    return get_object_or_404(policies.strategien_visible_to(user).select_related("traeger"), slug=slug)


def list_abschnitte(*, strategie: Strategie):
    return strategie.abschnitte.order_by("ordnung")
