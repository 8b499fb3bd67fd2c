"""Berichtsrunden pages: the list, opening a round, its overview, closing it (Geschäftsstelle)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from massnahmen import policies, services
from massnahmen.forms.berichtsrunden import BerichtsrundeAendernForm, BerichtsrundeForm
from massnahmen.models import Berichtsrunde
from massnahmen.selectors import berichtsrunden as selectors
from massnahmen.services.berichtsrunden import count_meldungen_der_runde
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
            if runde.stichtag > timezone.localdate():
                messages.warning(request, ZUKUNFT.format(stichtag=runde.stichtag))
            return redirect("massnahmen:berichtsrunde_detail", strategie.slug, runde.pk)
    return render(request, "massnahmen/berichtsrunde_eroeffnen.html", {"strategie": strategie, "form": form})


@login_required
@require_GET
def berichtsrunde_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    strategie = _strategie(request, slug)
    runde = selectors.get_berichtsrunde(strategie=strategie, pk=pk)
    darf_verwalten = policies.can_manage_berichtsrunden(request.user, strategie)
    context = {
        "strategie": strategie,
        "runde": runde,
        "stand": selectors.get_rundenstand(user=request.user, berichtsrunde=runde),
        "darf_verwalten": darf_verwalten,
        "heute": timezone.localdate(),
    }
    if darf_verwalten:
        context["erinnerungsstand"] = selectors.get_erinnerungsstand(berichtsrunde=runde)
        context["meldungen_gezaehlt"] = count_meldungen_der_runde(runde)
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
                f"{runde.stichtag:%d.%m.%Y} sind nicht mehr möglich. War das zu früh, öffnen Sie die Runde auf "
                "dieser Seite mit „Wieder öffnen …“ und einer Begründung erneut.",
            )
        return redirect("massnahmen:berichtsrunde_detail", strategie.slug, runde.pk)
    context = {
        "strategie": strategie,
        "runde": runde,
        "stand": selectors.get_rundenstand(user=request.user, berichtsrunde=runde),
    }
    return render(request, "massnahmen/berichtsrunde_schliessen.html", context)


ZUKUNFT = (
    "Der Stichtag {stichtag:%d.%m.%Y} liegt in der Zukunft: Meldungen zu dieser Runde sind erst ab diesem Tag möglich. "
    "„Meine Meldungen“ sagt das den Meldenden bis dahin."
)


def _verwaltete_runde(request: HttpRequest, slug: str, pk: int) -> tuple[Strategie, Berichtsrunde]:
    strategie = _strategie(request, slug)
    runde = selectors.get_berichtsrunde(strategie=strategie, pk=pk)
    if not policies.can_manage_berichtsrunden(request.user, strategie):
        raise PermissionDenied
    return strategie, runde


@login_required
@require_http_methods(["GET", "POST"])
def berichtsrunde_aendern(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Extend the Frist; correct title or Stichtag while no Meldung counts for the round."""
    strategie, runde = _verwaltete_runde(request, slug, pk)
    if runde.zustand != Berichtsrunde.Zustand.OFFEN:
        messages.info(request, "Eine geschlossene Berichtsrunde öffnen Sie zuerst wieder, bevor Sie sie ändern.")
        return redirect("massnahmen:berichtsrunde_detail", strategie.slug, runde.pk)
    initial = {"titel": runde.titel, "stichtag": runde.stichtag, "frist": runde.frist}
    form = BerichtsrundeAendernForm(request.POST or None, initial=initial)
    gezaehlt = count_meldungen_der_runde(runde)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.change_berichtsrunde(
                actor=request.user,
                berichtsrunde=runde,
                titel=d["titel"],
                stichtag=d["stichtag"],
                frist=d["frist"],
                grund=d["grund"],
            )
        except ValidationError as fehler:
            _fehler_ins_formular(form, fehler)
        else:
            runde.refresh_from_db()
            messages.success(request, f"Die Berichtsrunde „{runde.titel}“ wurde geändert.")
            if runde.stichtag > timezone.localdate():
                messages.warning(request, ZUKUNFT.format(stichtag=runde.stichtag))
            return redirect("massnahmen:berichtsrunde_detail", strategie.slug, runde.pk)
    context = {"strategie": strategie, "runde": runde, "form": form, "meldungen_gezaehlt": gezaehlt}
    return render(request, "massnahmen/berichtsrunde_aendern.html", context)


def _fehler_ins_formular(form, fehler: ValidationError) -> None:
    if hasattr(fehler, "error_dict"):
        for feld, liste in fehler.message_dict.items():
            form.add_error(feld if feld in form.fields else None, liste)
    else:
        form.add_error(None, fehler)


@login_required
@require_http_methods(["GET", "POST"])
def berichtsrunde_wieder_oeffnen(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """GET asks for the reason, POST reopens the closed round (audited)."""
    strategie, runde = _verwaltete_runde(request, slug, pk)
    fehler = ""
    if request.method == "POST":
        try:
            services.reopen_berichtsrunde(actor=request.user, berichtsrunde=runde, grund=request.POST.get("grund", ""))
        except ValidationError as exc:
            fehler = " ".join(exc.messages)
        else:
            messages.success(
                request, f"Die Berichtsrunde „{runde.titel}“ ist wieder offen. Der Grund steht in ihrem Verlauf."
            )
            return redirect("massnahmen:berichtsrunde_detail", strategie.slug, runde.pk)
    if runde.zustand == Berichtsrunde.Zustand.OFFEN and not fehler:
        messages.info(request, f"Die Berichtsrunde „{runde.titel}“ ist offen.")
        return redirect("massnahmen:berichtsrunde_detail", strategie.slug, runde.pk)
    context = {"strategie": strategie, "runde": runde, "fehler": fehler, "grund": request.POST.get("grund", "")}
    return render(request, "massnahmen/berichtsrunde_wieder_oeffnen.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def berichtsrunde_loeschen(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """GET asks, POST deletes a round opened by mistake (only while no Meldung counts for it)."""
    strategie, runde = _verwaltete_runde(request, slug, pk)
    gezaehlt = count_meldungen_der_runde(runde)
    if request.method == "POST":
        titel = runde.titel
        try:
            services.delete_berichtsrunde(actor=request.user, berichtsrunde=runde)
        except ValidationError as fehler:
            messages.error(request, " ".join(fehler.messages))
            return redirect("massnahmen:berichtsrunde_detail", strategie.slug, runde.pk)
        messages.success(request, f"Die Berichtsrunde „{titel}“ wurde gelöscht.")
        return redirect("massnahmen:berichtsrunde_liste", strategie.slug)
    context = {"strategie": strategie, "runde": runde, "meldungen_gezaehlt": gezaehlt}
    return render(request, "massnahmen/berichtsrunde_loeschen.html", context)


@login_required
@require_POST
def berichtsrunde_erinnern(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """ "Erinnerung jetzt senden": remind the owing Organisationen now, never twice a day."""
    strategie, runde = _verwaltete_runde(request, slug, pk)
    try:
        lauf = services.send_erinnerungen_jetzt(actor=request.user, berichtsrunde=runde, heute=timezone.localdate())
    except ValidationError as fehler:
        messages.error(request, " ".join(fehler.messages))
    else:
        teile = []
        if lauf.versandt:
            teile.append(
                f"Erinnerung versandt an {len(lauf.versandt)} Organisation{'en' if len(lauf.versandt) > 1 else ''}: {', '.join(lauf.versandt)}."
            )
        if lauf.heute_schon:
            teile.append(f"Heute schon erinnert (höchstens einmal am Tag): {', '.join(lauf.heute_schon)}.")
        if lauf.ohne_empfaenger:
            teile.append(f"Nicht erinnerbar, weil niemand für sie meldet: {', '.join(lauf.ohne_empfaenger)}.")
        if not teile:
            teile.append("Alle Organisationen haben vollständig gemeldet; es war niemand zu erinnern.")
        (messages.success if lauf.versandt else messages.info)(request, " ".join(teile))
    return redirect(f"{reverse('massnahmen:berichtsrunde_detail', args=[strategie.slug, runde.pk])}#erinnerungen")
