"""Beteiligung of an organisation, and what the Federführung edits: description and Meilensteine."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from massnahmen import policies, selectors, services
from massnahmen.forms import BeschreibungForm, BeteiligungForm, MeilensteinForm
from strategie.models import Organisation


def _massnahme(request: HttpRequest, slug: str, code: str):
    massnahme = selectors.get_massnahme_for_detail(user=request.user, slug=slug, code=code)
    return massnahme.strategie, massnahme


@login_required
@require_http_methods(["GET", "POST"])
def beteiligung_erklaeren(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    strategie, massnahme = _massnahme(request, slug, code)
    ids = policies.organisationen_fuer_beteiligung(request.user, massnahme)
    organisationen = list(Organisation.objects.filter(pk__in=ids).order_by("kurzname"))
    if not organisationen or massnahme.ist_gemeinsam:
        raise PermissionDenied
    form = BeteiligungForm(request.POST or None, organisationen=organisationen)
    if form.is_valid():
        organisation = next(o for o in organisationen if o.pk == form.cleaned_data["organisation"])
        try:
            if form.cleaned_data["aktion"] == BeteiligungForm.BEITRETEN:
                services.join_massnahme(
                    actor=request.user, massnahme=massnahme, organisation=organisation, seit=form.cleaned_data["seit"]
                )
                messages.success(
                    request, f"{organisation.kurzname} ist ab {form.cleaned_data['seit']:%d.%m.%Y} beteiligt."
                )
            else:
                services.declare_entfaellt(
                    actor=request.user,
                    massnahme=massnahme,
                    organisation=organisation,
                    begruendung=form.cleaned_data["begruendung"],
                )
                messages.success(request, f"Die Maßnahme entfällt für {organisation.kurzname}.")
        except ValidationError as fehler:
            form.add_error(None, fehler)
        else:
            return redirect(massnahme)
    beteiligungen = massnahme.beteiligungen.filter(organisation__in=organisationen).select_related("organisation")
    context = {"strategie": strategie, "massnahme": massnahme, "form": form, "beteiligungen": beteiligungen}
    return render(request, "massnahmen/beteiligung_erklaeren.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def massnahme_bearbeiten(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    strategie, massnahme = _massnahme(request, slug, code)
    if not policies.can_change_massnahme(request.user, massnahme):
        raise PermissionDenied
    form = BeschreibungForm(request.POST or None, initial={"beschreibung": massnahme.beschreibung})
    if form.is_valid():
        services.update_beschreibung(
            actor=request.user, massnahme=massnahme, beschreibung=form.cleaned_data["beschreibung"]
        )
        messages.success(request, "Die Beschreibung wurde gespeichert.")
        return redirect("massnahmen:bearbeiten", slug, code)
    meilensteine = [
        (
            m,
            MeilensteinForm(
                prefix=f"ms{m.pk}",
                initial={"titel": m.titel, "faellig_am": m.faellig_am, "erreicht_am": m.erreicht_am},
            ),
        )
        for m in massnahme.meilensteine.all()
    ]
    context = {
        "strategie": strategie,
        "massnahme": massnahme,
        "form": form,
        "meilensteine": meilensteine,
        "neu_form": MeilensteinForm(prefix="neu"),
    }
    return render(request, "massnahmen/massnahme_bearbeiten.html", context)


@login_required
@require_POST
def meilenstein_speichern(request: HttpRequest, slug: str, code: str, pk: int | None = None) -> HttpResponse:
    strategie, massnahme = _massnahme(request, slug, code)
    if not policies.can_change_massnahme(request.user, massnahme):
        raise PermissionDenied
    meilenstein = get_object_or_404(massnahme.meilensteine, pk=pk) if pk else None
    form = MeilensteinForm(request.POST, prefix=f"ms{pk}" if pk else "neu")
    if form.is_valid():
        try:
            services.save_meilenstein(
                actor=request.user, massnahme=massnahme, meilenstein=meilenstein, **form.cleaned_data
            )
        except ValidationError as fehler:
            form.add_error(None, fehler)
        else:
            messages.success(request, f"Der Meilenstein „{form.cleaned_data['titel']}“ wurde gespeichert.")
            return redirect("massnahmen:bearbeiten", slug, code)
    context = {"strategie": strategie, "massnahme": massnahme, "form": form, "meilenstein": meilenstein}
    return render(request, "massnahmen/meilenstein_speichern.html", context, status=200)
