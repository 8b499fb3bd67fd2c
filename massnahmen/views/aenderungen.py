"""The Verlauf of a Maßnahme: who changed what and when, as a readable German diff."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from massnahmen import policies, selectors
from massnahmen.models import Beteiligung, Massnahme, Meilenstein
from strategie import aenderungsverlauf


@login_required
@require_GET
def massnahme_verlauf(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    massnahme = selectors.get_massnahme_for_detail(user=request.user, slug=slug, code=code)
    strategie = massnahme.strategie
    if not policies.can_view_verlauf(request.user, massnahme):
        raise PermissionDenied
    historie = [
        *Massnahme.history.filter(id=massnahme.pk).select_related("history_user"),
        *Beteiligung.history.filter(massnahme_id=massnahme.pk).select_related("history_user", "organisation"),
        *Meilenstein.history.filter(massnahme_id=massnahme.pk).select_related("history_user"),
    ]

    def describe(record) -> str:
        if isinstance(record.instance, Beteiligung):
            return f"Beteiligung {record.organisation.kurzname}"
        if isinstance(record.instance, Meilenstein):
            return f"Meilenstein „{record.titel}“"
        return "Maßnahme"

    context = {
        "strategie": strategie,
        "massnahme": massnahme,
        "verlauf": aenderungsverlauf.build_verlauf(
            historie, describe=describe, ausblenden=frozenset({"massnahme", "strategie"})
        ),
    }
    return render(request, "massnahmen/massnahme_verlauf.html", context)
