"""User management of the Geschäftsstelle: users, invitations, roles, deactivation, unlocking, Verlauf."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from strategie import aenderungsverlauf, policies, selectors
from strategie.forms import EinladungForm, RolleForm
from strategie.models import Mitgliedschaft, Sicherheitsereignis, Strategie, organisation_choices
from strategie.services import einladungen, mitgliedschaften


def _verwaltete_strategie(request: HttpRequest, slug: str):
    strategie = selectors.get_strategie_for_user(user=request.user, slug=slug)  # 404 for non-members
    if not policies.can_manage_strategie(request.user, strategie):
        raise PermissionDenied
    return strategie


def _benutzer_der_strategie(strategie, user_id: int):
    """A user of the strategy; 404 also for an account only invited so far (it is listed as an invitation, and its
    id must not tell a new account from one of another strategy)."""
    return get_object_or_404(selectors.benutzer_der_strategie(strategie=strategie), pk=user_id)


def _fehler(request: HttpRequest, fehler: ValidationError) -> None:
    for text in fehler.messages:
        messages.error(request, text)


@login_required
@require_GET
def benutzer_liste(request: HttpRequest, slug: str) -> HttpResponse:
    strategie = _verwaltete_strategie(request, slug)
    organisationen = selectors.list_organisationen_der_strategie(strategie=strategie)
    context = {
        "strategie": strategie,
        "benutzer": selectors.list_benutzer_for_verwaltung(strategie=strategie),
        "offene_einladungen": selectors.list_offene_einladungen(strategie=strategie),
        "organisationen": organisationen,
        "organisation_choices": organisation_choices(organisationen),
        "rollen": Mitgliedschaft.Rolle.choices,
        "sichtbarkeiten": Strategie.Sichtbarkeit.choices,
    }
    return render(request, "strategie/verwaltung_benutzer.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def benutzer_einladen(request: HttpRequest, slug: str) -> HttpResponse:
    strategie = _verwaltete_strategie(request, slug)
    organisationen = list(selectors.list_organisationen_der_strategie(strategie=strategie))
    # "Person einladen" from a round's list of Organisationen nobody reports for names the organisation and role
    vorschlag = {k: request.GET[k] for k in ("organisation", "rolle") if request.GET.get(k)}
    form = EinladungForm(request.POST or None, organisationen=organisationen, initial=vorschlag)
    if form.is_valid():
        d = form.cleaned_data
        organisation = next(o for o in organisationen if o.pk == d["organisation"])
        versandfehler: list[Exception] = []
        email = d["email"].strip().lower()
        try:
            user, art = einladungen.invite_user(
                actor=request.user,
                strategie=strategie,
                email=email,
                vorname=d["vorname"],
                nachname=d["nachname"],
                organisation=organisation,
                rolle=d["rolle"],
                bei_versandfehler=versandfehler.append,
            )
        except ValidationError as fehler:
            form.add_error(None, fehler)
        else:
            # A new address and an account of someone beyond this strategy read the same: the page tells nobody
            # whether an address has an account (the account accepts the invitation itself, signed in).
            if art == einladungen.MITGLIED:
                messages.success(
                    request,
                    f"{user.get_full_name() or user.username} gehört bereits zu dieser Strategie und erhält die "
                    "zusätzliche Rolle.",
                )
            elif versandfehler:
                messages.warning(
                    request,
                    f"Die Einladung an {email} ist gespeichert, aber die E-Mail mit dem Einladungslink konnte nicht "
                    "versandt werden. Bitte prüfen Sie die Adresse und laden Sie die Person erneut ein; sie erhält "
                    "dann einen neuen Link.",
                )
            else:
                messages.success(request, f"Die Einladung an {email} wurde versandt. Der Link gilt einmalig.")
            return redirect("strategie:benutzer_liste", slug)
    return render(request, "strategie/verwaltung_einladen.html", {"strategie": strategie, "form": form})


@login_required
@require_POST
def rolle_aendern(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    strategie = _verwaltete_strategie(request, slug)
    mitgliedschaft = get_object_or_404(selectors.mitgliedschaften_der_benutzer(strategie=strategie), pk=pk)
    organisationen = list(selectors.list_organisationen_der_strategie(strategie=strategie))
    form = RolleForm(request.POST, organisationen=organisationen)
    if not form.is_valid():
        messages.error(request, "Bitte wählen Sie eine Organisation der Strategie und eine Rolle.")
        return redirect("strategie:benutzer_liste", slug)
    organisation = next(o for o in organisationen if o.pk == form.cleaned_data["organisation"])
    try:
        mitgliedschaften.change_rolle(
            actor=request.user,
            mitgliedschaft=mitgliedschaft,
            organisation=organisation,
            rolle=form.cleaned_data["rolle"],
        )
    except ValidationError as fehler:
        _fehler(request, fehler)
    else:
        messages.success(request, "Die Rolle wurde geändert.")
    return redirect("strategie:benutzer_liste", slug)


@login_required
@require_POST
def rolle_entziehen(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    strategie = _verwaltete_strategie(request, slug)
    mitgliedschaft = get_object_or_404(selectors.mitgliedschaften_der_benutzer(strategie=strategie), pk=pk)
    try:
        mitgliedschaften.revoke_rolle(actor=request.user, mitgliedschaft=mitgliedschaft)
    except ValidationError as fehler:
        _fehler(request, fehler)
    else:
        messages.success(request, "Die Rolle wurde entzogen. Bisherige Meldungen bleiben mit Namen erhalten.")
    return redirect("strategie:benutzer_liste", slug)


@login_required
@require_POST
def einladung_zurueckziehen(request: HttpRequest, slug: str, einladung: str) -> HttpResponse:
    """Withdraw an open invitation, whichever kind it is; 404 for a name the strategy has no open invitation of."""
    strategie = _verwaltete_strategie(request, slug)
    email = einladungen.withdraw_einladung(actor=request.user, strategie=strategie, kennung=einladung)
    if email is None:
        raise Http404
    messages.success(request, f"Die Einladung an {email} wurde zurückgezogen.")
    return redirect("strategie:benutzer_liste", slug)


def _switch_konto(request: HttpRequest, slug: str, user_id: int, *, aktivieren: bool) -> HttpResponse:
    """Deactivating and reactivating an account: GET asks for confirmation, POST acts (audited)."""
    strategie = _verwaltete_strategie(request, slug)
    user = _benutzer_der_strategie(strategie, user_id)
    name = user.get_full_name() or user.username
    if request.method == "POST":
        try:
            if aktivieren:
                einladungen.reactivate_user(
                    actor=request.user, strategie=strategie, user=user, grund=request.POST.get("grund", "")
                )
            else:
                einladungen.deactivate_user(actor=request.user, strategie=strategie, user=user)
        except ValidationError as fehler:
            _fehler(request, fehler)
        else:
            messages.success(request, KONTO_GESCHALTET[aktivieren].format(name=name))
        return redirect("strategie:benutzer_liste", slug)
    context = {"strategie": strategie, "person": user, "aktivieren": aktivieren}
    return render(request, "strategie/verwaltung_konto_schalten.html", context)


KONTO_GESCHALTET = {
    False: "{name} wurde deaktiviert. Sie können das Konto in der Benutzerliste wieder aktivieren.",
    True: "{name} wurde wieder aktiviert und kann sich mit dem bisherigen Passwort anmelden.",
}


@login_required
@require_http_methods(["GET", "POST"])
def benutzer_deaktivieren(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    return _switch_konto(request, slug, user_id, aktivieren=False)


@login_required
@require_http_methods(["GET", "POST"])
def benutzer_reaktivieren(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    return _switch_konto(request, slug, user_id, aktivieren=True)


@login_required
@require_POST
def benutzer_entsperren(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    strategie = _verwaltete_strategie(request, slug)
    user = _benutzer_der_strategie(strategie, user_id)
    try:
        einladungen.unlock_user(actor=request.user, strategie=strategie, user=user)
    except ValidationError as fehler:
        _fehler(request, fehler)
    else:
        messages.success(request, f"Die Anmeldesperre für {user.get_full_name() or user.username} wurde aufgehoben.")
    return redirect("strategie:benutzer_liste", slug)


@login_required
@require_GET
def benutzer_verlauf(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    strategie = _verwaltete_strategie(request, slug)
    user = _benutzer_der_strategie(strategie, user_id)
    historie = list(
        Mitgliedschaft.history.filter(user_id=user.pk, strategie_id=strategie.pk).select_related("history_user")
    )
    verlauf = aenderungsverlauf.build_verlauf(historie, describe=lambda r: "Rolle")
    # Events of other strategies are none of this Geschäftsstelle's business. Sign-ins (with addresses) belong to no
    # strategy: shown only for an account whose every role lies in this strategy.
    eigenes_konto = einladungen.is_eigenes_konto(strategie=strategie, user=user)
    sichtbar = Q(strategie=strategie) | Q(strategie__isnull=True) if eigenes_konto else Q(strategie=strategie)
    ereignisse = (
        Sicherheitsereignis.objects.filter(user=user).filter(sichtbar).select_related("von", "strategie")[:100]
    )
    context = {
        "strategie": strategie,
        "person": user,
        "verlauf": verlauf,
        "ereignisse": ereignisse,
        "eigenes_konto": eigenes_konto,
    }
    return render(request, "strategie/verwaltung_verlauf.html", context)


@login_required
@require_POST
def sichtbarkeit_setzen(request: HttpRequest, slug: str) -> HttpResponse:
    strategie = _verwaltete_strategie(request, slug)
    try:
        mitgliedschaften.set_sichtbarkeit(
            actor=request.user, strategie=strategie, sichtbarkeit=request.POST.get("sichtbarkeit", "")
        )
    except ValidationError as fehler:
        _fehler(request, fehler)
    else:
        messages.success(request, f"Sichtbarkeit gespeichert: {strategie.get_sichtbarkeit_display()}.")
    return redirect("strategie:benutzer_liste", slug)
