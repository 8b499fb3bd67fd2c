"""Reads on Handlungsfelder."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from handlungsfelder.models import Handlungsfeld, Ziel
from strategie.models import Strategie


def list_handlungsfelder_for_strategie(*, strategie: Strategie) -> QuerySet[Handlungsfeld]:
    return (
        strategie.handlungsfelder.select_related("strategie", "gemeinsam_mit__strategie")
        .annotate(
            anzahl_ziele=Count("ziele", distinct=True),
            anzahl_massnahmen=Count("massnahmen", filter=Q(massnahmen__is_archived=False), distinct=True),
        )
        .order_by("ordnung")
    )


def get_handlungsfeld(*, strategie: Strategie, nummer: str) -> Handlungsfeld:
    return get_object_or_404(
        Handlungsfeld.objects.select_related("strategie", "gemeinsam_mit__strategie"),
        strategie=strategie,
        nummer=nummer,
    )


def list_ziele(*, handlungsfeld: Handlungsfeld) -> QuerySet[Ziel]:
    """Leitsätze shown on the Handlungsfeld page (those of the Handlungsfeld it shares its Anhang with)."""
    return Ziel.objects.filter(handlungsfeld_id=handlungsfeld.texte_von_id).order_by("nummer")
