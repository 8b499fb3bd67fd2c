"""Pages of the portal root: Startseite, Strategie, sign-in, legal pages, health check."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from handlungsfelder import selectors as handlungsfelder_selectors
from massnahmen import policies as massnahmen_policies
from massnahmen import selectors as massnahmen_selectors
from massnahmen import selectors_meldungen
from strategie import policies, selectors
from strategie.forms_verwaltung import AnmeldeForm


@login_required
@require_GET
def startseite(request: HttpRequest) -> HttpResponse:
    strategien = selectors.list_strategien_for_startseite(user=request.user)
    offene_runden = [  # what the user's organisations still owe in open rounds, so nobody misses a Frist
        (block.strategie, runde)
        for block in selectors_meldungen.list_meine_meldungen(user=request.user)
        for runde in block.runden
        if runde.offen
    ]
    return render(request, "strategie/startseite.html", {"strategien": strategien, "offene_runden": offene_runden})


@login_required
@require_GET
def strategie_detail(request: HttpRequest, slug: str) -> HttpResponse:
    strategie = selectors.get_strategie_for_user(user=request.user, slug=slug)
    handlungsfelder = list(handlungsfelder_selectors.list_handlungsfelder_for_strategie(strategie=strategie))
    uebersicht = massnahmen_selectors.summarize_handlungsfelder(user=request.user, strategie=strategie)
    for handlungsfeld in handlungsfelder:
        handlungsfeld.uebersicht = uebersicht.get(handlungsfeld.pk)
    textabschnitte = selectors.list_textabschnitte(strategie=strategie)
    context = {
        "strategie": strategie,
        "handlungsfelder": handlungsfelder,
        "darf_berichtsrunden_sehen": massnahmen_policies.can_view_berichtsrunden(request.user, strategie),
        "darf_verwalten": policies.can_manage_strategie(request.user, strategie),
        "zeige_ziele": any(hf.anzahl_ziele or hf.gemeinsam_mit_id for hf in handlungsfelder),
        # The KGRZ report states its Leitgedanke as a section of its own; show it once.
        "zeige_vision": bool(strategie.vision)
        and not any(a.art == a.Art.LEITGEDANKE for t in textabschnitte for a in t.teile),
        "textabschnitte": textabschnitte,
    }
    return render(request, "strategie/strategie_detail.html", context)


class AnmeldenView(auth_views.LoginView):
    template_name = "strategie/anmelden.html"
    authentication_form = AnmeldeForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["demo_logins"] = settings.DEMO_ZUGAENGE_ZEIGEN and selectors.demo_daten_geladen()
        return context


class AbmeldenView(auth_views.LogoutView):
    template_name = "strategie/abgemeldet.html"


@require_GET
def seite(request: HttpRequest, template: str) -> HttpResponse:
    return render(request, template, {"betreiber_ist_beispiel": settings.BETREIBER_IST_BEISPIEL})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Whether the database and Redis answer. 200 when everything needed is reachable, else 503."""
    ergebnis = {"datenbank": "ok", "redis": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        ergebnis["datenbank"] = "nicht erreichbar"
    if settings.CELERY_TASK_ALWAYS_EAGER:
        ergebnis["redis"] = "nicht benötigt (eingebetteter Betrieb)"
    else:
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2).ping()
        except redis.RedisError:
            ergebnis["redis"] = "nicht erreichbar"
    gesund = "nicht erreichbar" not in ergebnis.values()
    return JsonResponse({"status": "ok" if gesund else "gestört", **ergebnis}, status=200 if gesund else 503)
