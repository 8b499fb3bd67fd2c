"""Pages that compose several apps: Startseite, Strategie, Handlungsfeld, Meine Meldungen; legal pages, health check."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from berichte import policies as berichte_policies
from handlungsfelder import selectors as handlungsfelder_selectors
from massnahmen import policies as massnahmen_policies
from massnahmen import selectors as massnahmen_selectors
from massnahmen.forms import build_statusmeldung_form
from massnahmen.selectors import meldungen as selectors_meldungen
from strategie import policies as strategie_policies
from strategie import selectors as strategie_selectors


@login_required
@require_GET
def startseite(request: HttpRequest) -> HttpResponse:
    strategien = list(strategie_selectors.list_strategien_for_startseite(user=request.user))
    verwaltet = set(strategie_policies.strategien_managed_by(request.user).values_list("pk", flat=True))
    for strategie in strategien:  # the Geschäftsstelle's daily entry points, on the page it lands on
        strategie.darf_verwalten = strategie.pk in verwaltet
    offene_runden = [  # what the user's organisations still owe in open rounds, so nobody misses a Frist
        (block.strategie, runde)
        for block in selectors_meldungen.list_meine_meldungen(user=request.user)
        for runde in block.runden
        if runde.offen
    ]
    return render(request, "portal/startseite.html", {"strategien": strategien, "offene_runden": offene_runden})


@login_required
@require_GET
def strategie_detail(request: HttpRequest, slug: str) -> HttpResponse:
    strategie = strategie_selectors.get_strategie_for_user(user=request.user, slug=slug)
    handlungsfelder = list(handlungsfelder_selectors.list_handlungsfelder_for_strategie(strategie=strategie))
    uebersicht = massnahmen_selectors.summarize_strategie(user=request.user, strategie=strategie)
    for handlungsfeld in handlungsfelder:
        handlungsfeld.uebersicht = uebersicht.handlungsfelder.get(handlungsfeld.pk)
    textabschnitte = strategie_selectors.list_textabschnitte(strategie=strategie)
    context = {
        "strategie": strategie,
        "handlungsfelder": handlungsfelder,
        "ganze_strategie": uebersicht.ganze_strategie,  # Maßnahmen of no Handlungsfeld, under the Grundsätze
        "summe": uebersicht.summe,
        "darf_berichtsrunden_sehen": massnahmen_policies.can_view_berichtsrunden(request.user, strategie),
        "darf_berichte_sehen": berichte_policies.can_read_released_berichte(request.user, strategie),
        "darf_verwalten": strategie_policies.can_manage_strategie(request.user, strategie),
        "zeige_ziele": any(hf.anzahl_ziele or hf.gemeinsam_mit_id for hf in handlungsfelder),
        # The KGRZ report states its Leitgedanke as a section of its own; show it once.
        "zeige_vision": bool(strategie.vision)
        and not any(a.art == a.Art.LEITGEDANKE for t in textabschnitte for a in t.teile),
        "textabschnitte": textabschnitte,
    }
    return render(request, "portal/strategie_detail.html", context)


@login_required
@require_GET
def handlungsfeld_detail(request: HttpRequest, slug: str, nummer: str) -> HttpResponse:
    strategie = strategie_selectors.get_strategie_for_user(user=request.user, slug=slug)
    handlungsfeld = handlungsfelder_selectors.get_handlungsfeld(strategie=strategie, nummer=nummer)
    massnahmen = massnahmen_selectors.list_massnahmen_for_handlungsfeld(user=request.user, handlungsfeld=handlungsfeld)
    ergebnisse = massnahmen_selectors.list_ergebnisse(user=request.user, massnahmen=massnahmen)
    context = {
        "strategie": strategie,
        "handlungsfeld": handlungsfeld,
        "texte": handlungsfeld.gemeinsam_mit or handlungsfeld,
        "ziele": handlungsfelder_selectors.list_ziele(handlungsfeld=handlungsfeld),
        "kennzahlen": handlungsfeld.kennzahlen.order_by("ordnung"),
        "massnahmen": massnahmen,
        "ergebnisse": [(m, ergebnisse[m.pk]) for m in massnahmen if m.pk in ergebnisse],
    }
    return render(request, "portal/handlungsfeld_detail.html", context)


@login_required
@require_GET
def meine_meldungen(request: HttpRequest) -> HttpResponse:
    bloecke = selectors_meldungen.list_meine_meldungen(user=request.user)
    alle = [p for block in bloecke for p in [p for runde in block.runden for p in runde.posten] + block.weitere]
    erster = next((p for p in alle if not p.ist_erledigt and not p.erst_ab), None)
    for posten in alle:  # only the first open item's form is rendered; the others load when opened
        posten.form = build_statusmeldung_form(posten, [posten.organisation]) if posten is erster else None
    meldet = bool(bloecke) or massnahmen_policies.reports_anywhere(request.user)
    return render(request, "portal/meine_meldungen.html", {"bloecke": bloecke, "meldet": meldet})


@require_GET
def seite(request: HttpRequest, template: str) -> HttpResponse:
    kontext = {
        "betreiber_ist_beispiel": settings.BETREIBER_IST_BEISPIEL,
        "MELDEBOGEN_AUFBEWAHRUNG_TAGE": settings.MELDEBOGEN_AUFBEWAHRUNG_TAGE,
    }
    return render(request, template, kontext)


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
