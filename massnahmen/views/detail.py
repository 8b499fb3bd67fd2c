from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from massnahmen import policies, selectors
from massnahmen.views import meldungen as views_meldungen


@login_required
@require_GET
def massnahme_detail(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    massnahme = selectors.get_massnahme_for_detail(user=request.user, slug=slug, code=code)
    strategie = massnahme.strategie
    meldeposten = views_meldungen.meldeposten_mit_formular(user=request.user, massnahme=massnahme)
    context = {
        "strategie": strategie,
        "massnahme": massnahme,
        "aggregat": selectors.aggregate_massnahmen([massnahme])[massnahme.pk],
        "zeilen": selectors.list_umsetzungsstaende(user=request.user, massnahme=massnahme),
        "statusmeldungen": selectors.list_statusmeldungen(user=request.user, massnahme=massnahme),
        "meldeposten": meldeposten,
        # "korrigieren" is offered on the entries of the organisations the user reports for
        "korrigierbar": {p.organisation.pk for p in meldeposten},
        "darf_bearbeiten": policies.can_change_massnahme(request.user, massnahme),
        "darf_verlauf_sehen": policies.can_view_verlauf(request.user, massnahme),
        "darf_beteiligung": not massnahme.ist_gemeinsam
        and bool(policies.organisationen_fuer_beteiligung(request.user, massnahme)),
    }
    return render(request, "massnahmen/massnahme_detail.html", context)
