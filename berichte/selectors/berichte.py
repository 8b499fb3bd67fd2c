"""Reads of the Bericht pages: the list, one Bericht with its versions, the queue position."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from berichte import policies
from berichte.models import Bericht
from strategie.models import Strategie


def list_berichte(*, user, strategie: Strategie) -> QuerySet[Bericht]:
    """The Berichte the user may see, newest year first. One query."""
    return (
        policies.berichte_visible_to(user, strategie)
        .select_related("freigegeben_von", "created_by", "angefordert_von")
        .order_by("-berichtsjahr", "art", "-version")
    )


def get_bericht(*, user, strategie: Strategie, pk: int) -> Bericht:
    """404 for a Bericht the user may not see, like a missing one."""
    return get_object_or_404(
        policies.berichte_visible_to(user, strategie).select_related(
            "strategie", "freigegeben_von", "created_by", "angefordert_von"
        ),
        pk=pk,
    )


def list_versionen(*, user, bericht: Bericht) -> list[Bericht]:
    """Every version of the same report (kind and year) the user may see, newest first."""
    return list(
        policies.berichte_visible_to(user, bericht.strategie)
        .filter(art=bericht.art, berichtsjahr=bericht.berichtsjahr)
        .select_related("freigegeben_von", "angefordert_von")
        .order_by("-version")
    )


def get_nachfolger(*, bericht: Bericht) -> Bericht | None:
    return Bericht.objects.filter(vorgaenger=bericht).first()


@dataclass(frozen=True)
class Warteschlange:
    platz: int  # 1: next to be rendered
    in_arbeit: int  # renders running now, all strategies


def get_warteschlange(*, bericht: Bericht) -> Warteschlange | None:
    """Where a requested Bericht waits: requested ones before it across the portal (the workers share one queue)."""
    if bericht.zustand != Bericht.Zustand.ANGEFORDERT or bericht.angefordert_am is None:
        return None
    vorher = Bericht.objects.filter(zustand=Bericht.Zustand.ANGEFORDERT, angefordert_am__lt=bericht.angefordert_am)
    return Warteschlange(
        platz=vorher.count() + 1, in_arbeit=Bericht.objects.filter(zustand=Bericht.Zustand.IN_ARBEIT).count()
    )


def list_aenderungen(*, bericht: Bericht, anzahl: int = 30) -> list:
    """The audit trail of the Bericht (simple-history): who changed what, when. Newest first."""
    return list(bericht.history.select_related("history_user").order_by("-history_date")[:anzahl])
