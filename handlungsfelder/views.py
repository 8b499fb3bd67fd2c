from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from handlungsfelder import selectors
from massnahmen import selectors as massnahmen_selectors
from strategie import selectors as strategie_selectors


@login_required
@require_GET
def handlungsfeld_detail(request: HttpRequest, slug: str, nummer: str) -> HttpResponse:
    strategie = strategie_selectors.get_strategie_for_user(user=request.user, slug=slug)
    handlungsfeld = selectors.get_handlungsfeld(strategie=strategie, nummer=nummer)
    massnahmen = massnahmen_selectors.list_massnahmen_for_handlungsfeld(user=request.user, handlungsfeld=handlungsfeld)
    ergebnisse = massnahmen_selectors.list_ergebnisse(user=request.user, massnahmen=massnahmen)
    context = {
        "strategie": strategie,
        "handlungsfeld": handlungsfeld,
        "texte": handlungsfeld.gemeinsam_mit or handlungsfeld,
        "ziele": selectors.list_ziele(handlungsfeld=handlungsfeld),
        "kennzahlen": handlungsfeld.kennzahlen.order_by("ordnung"),
        "massnahmen": massnahmen,
        "ergebnisse": [(m, ergebnisse[m.pk]) for m in massnahmen if m.pk in ergebnisse],
    }
    return render(request, "handlungsfelder/handlungsfeld_detail.html", context)
