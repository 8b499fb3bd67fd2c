"""Berichtsrunden pages: the list, opening a round, its overview, closing it (Geschäftsstelle)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from massnahmen import policies, services
from massnahmen.forms.berichtsrunden import BerichtsrundeForm
from massnahmen.models import Berichtsrunde
from massnahmen.selectors import berichtsrunden as selectors
from strategie import selectors as strategie_selectors
from strategie.models import Strategie


def _strategie(request: HttpRequest, slug: str) -> Strategie:
    """The strategy, if the user follows its rounds: 404 for non-members, 403 for a Gast."""
    strategie = strategie_selectors.get_strategie_for_user(user=request.user, slug=slug)
    if not policies.can_view_berichtsrunden(request.user, strategie):
        raise PermissionDenied
    return strategie


@login_required
@require_GET
def berichtsrunde_liste(request: HttpRequest, slug: str) -> HttpResponse:
    strategie = _strategie(request, slug)
    context = {
        "strategie": strategie,
        "berichtsrunden": selectors.list_berichtsrunden(user=request.user, strategie=strategie),
        "darf_verwalten": policies.can_manage_berichtsrunden(request.user, strategie),
    }
    return render(request, "massnahmen/berichtsrunde_liste.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def berichtsrunde_eroeffnen(request: HttpRequest, slug: str) -> HttpResponse:
    strategie = _strategie(request, slug)
    if not policies.can_manage_berichtsrunden(request.user, strategie):
        raise PermissionDenied
    gruppen = selectors.list_massnahmen_for_berichtsrunde(strategie=strategie)
    form = BerichtsrundeForm(request.POST or None, gruppen=gruppen, heute=timezone.localdate())
    if form.is_valid():
        daten = form.cleaned_data
        try:
            runde = services.open_berichtsrunde(
                actor=request.user,
                strategie=strategie,
                titel=daten["titel"],
                stichtag=daten["stichtag"],
                frist=daten["frist"],
                massnahmen=form.ausgewaehlte_massnahmen,
                erinnerung_tage_vor_frist=daten["erinnerung_tage_vor_frist"],
            )
        except ValidationError as fehler:
            form.add_error(None, fehler)
        else:
            messages.success(
                request,
                f"Die Berichtsrunde „{runde.titel}“ ist eröffnet. "
                f"Die Meldungen zum Stichtag {runde.stichtag:%d.%m.%Y} sind bis zum {runde.frist:%d.%m.%Y} fällig.",
            )
            return redirect("massnahmen:berichtsrunde_detail", strategie.slug, runde.pk)
    return render(request, "massnahmen/berichtsrunde_eroeffnen.html", {"strategie": strategie, "form": form})


@login_required
@require_GET
def berichtsrunde_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    strategie = _strategie(request, slug)
    runde = selectors.get_berichtsrunde(strategie=strategie, pk=pk)
    context = {
        "strategie": strategie,
        "runde": runde,
        "stand": selectors.get_rundenstand(user=request.user, berichtsrunde=runde),
        "darf_verwalten": policies.can_manage_berichtsrunden(request.user, strategie),
    }
    return render(request, "massnahmen/berichtsrunde_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def berichtsrunde_schliessen(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """GET asks for confirmation, POST closes the round."""
    strategie = _strategie(request, slug)
    runde = selectors.get_berichtsrunde(strategie=strategie, pk=pk)
    if not policies.can_manage_berichtsrunden(request.user, strategie):
        raise PermissionDenied
    if runde.zustand == Berichtsrunde.Zustand.GESCHLOSSEN:
        messages.info(request, f"Die Berichtsrunde „{runde.titel}“ ist bereits geschlossen.")
        return redirect("massnahmen:berichtsrunde_detail", strategie.slug, runde.pk)
    if request.method == "POST":
        try:
            services.close_berichtsrunde(actor=request.user, berichtsrunde=runde)
        except ValidationError as fehler:
            messages.error(request, " ".join(fehler.messages))
        else:
            messages.success(
                request,
                f"Die Berichtsrunde „{runde.titel}“ ist geschlossen. Meldungen zum Stichtag "
                f"{runde.stichtag:%d.%m.%Y} sind nicht mehr möglich.",
            )
        return redirect("massnahmen:berichtsrunde_detail", strategie.slug, runde.pk)
    context = {
        "strategie": strategie,
        "runde": runde,
        "stand": selectors.get_rundenstand(user=request.user, berichtsrunde=runde),
    }
    return render(request, "massnahmen/berichtsrunde_schliessen.html", context)
