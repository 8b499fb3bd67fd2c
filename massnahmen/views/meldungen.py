"""Reporting in the browser: the Statusmeldung form (full page or htmx); "Meine Meldungen" composes it."""

from __future__ import annotations

import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from massnahmen import policies, selectors, services
from massnahmen.forms import build_statusmeldung_form
from massnahmen.models import Ampel, Status, Statusmeldung
from massnahmen.selectors import meldungen as selectors_meldungen


def _partial(ansicht: str) -> str:
    """On "Meine Meldungen" the whole item is swapped (its state changes too); elsewhere only the form."""
    return (
        "massnahmen/partials/meldeposten.html" if ansicht == "meine" else "massnahmen/partials/statusmeldung_form.html"
    )


@login_required
@require_http_methods(["GET", "POST"])
def statusmeldung_erfassen(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    massnahme = selectors.get_massnahme_for_detail(user=request.user, slug=slug, code=code)
    strategie = massnahme.strategie
    organisationen = selectors_meldungen.list_meldende_organisationen(user=request.user, massnahme=massnahme)
    gewaehlt = request.GET.get("organisation")
    organisation = next((o for o in organisationen if str(o.pk) == gewaehlt), None) if gewaehlt else None
    if organisation is None and (gewaehlt or not organisationen):
        raise PermissionDenied
    organisation = organisation or organisationen[0]
    runde_id = _zahl(request.GET.get("runde"))
    posten = selectors_meldungen.get_meldeposten(massnahme=massnahme, organisation=organisation, runde_id=runde_id)
    ansicht = "meine" if request.GET.get("ansicht") == "meine" else "massnahme"
    korrektur = _korrigierte_meldung(request, massnahme, organisation)
    context = {
        "strategie": strategie,
        "massnahme": massnahme,
        "posten": posten,
        "ansicht": ansicht,
        "korrektur": korrektur,
    }

    form = build_statusmeldung_form(posten, organisationen, request.POST or None, korrektur=korrektur)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["organisation"] != organisation.pk:
            raise PermissionDenied  # the organisation field was forged
        try:
            if form.ist_entwurf:
                services.save_meldungsentwurf(
                    actor=request.user,
                    massnahme=massnahme,
                    organisation=organisation,
                    werte=form.entwurfswerte(),
                    basis_version=form.cleaned_data["version"],
                )
                erfolg = "Ihr Entwurf wurde gespeichert. Er zählt erst, wenn Sie die Meldung einreichen."
                gezaehlt_fuer = None
            else:
                eingabe = form.meldung()
                if korrektur is not None:
                    eingabe = dataclasses.replace(eingabe, ist_korrektur=True)
                meldung = services.record_statusmeldung(
                    actor=request.user,
                    massnahme=massnahme,
                    organisation=organisation,
                    meldung=eingabe,
                    erwartete_version=form.cleaned_data["version"],
                )
                erfolg = f"Ihre Meldung zum Stichtag {meldung.stichtag:%d.%m.%Y} wurde gespeichert."
                if meldung.berichtsrunde is not None:
                    erfolg += f" Sie zählt für die Berichtsrunde „{meldung.berichtsrunde.titel}“."
                gezaehlt_fuer = meldung.berichtsrunde_id  # the round it counts for, if any
        except services.Konflikt as konflikt:
            daten = request.POST.copy()
            daten[f"{posten.schluessel}-version"] = konflikt.stand.version
            form = build_statusmeldung_form(posten, organisationen, daten, korrektur=korrektur)
            form.is_valid()
            d = form.cleaned_data
            context.update(
                konflikt=konflikt.stand,
                konflikt_meldung=konflikt.stand.letzte_meldung,
                # the user's own earlier Meldung (another window, or back in the browser) is named as such
                konflikt_eigene=konflikt.stand.letzte_meldung is not None
                and konflikt.stand.letzte_meldung.von_id == request.user.pk,
                # whoever may report for the organisation reads its confidential text; asked, not assumed
                konflikt_text_lesbar=konflikt.stand.letzte_meldung is not None
                and policies.can_read_statusmeldung_text(request.user, strategie, konflikt.stand.letzte_meldung),
                eingabe={
                    "stichtag": d.get("stichtag"),
                    "status": Status(d["status"]).label if d.get("status") else "",
                    "fortschritt": d.get("fortschritt"),
                    "ampel": Ampel(d["ampel"]).label if d.get("ampel") else "",
                    "text": d.get("text", ""),
                    "naechste_schritte": d.get("naechste_schritte", ""),
                    "risiken": d.get("risiken", ""),
                    "vertraulich": d.get("vertraulich", False),
                },
            )
        except ValidationError as fehler:
            form.add_error(None, fehler)
        else:
            if not request.htmx:
                messages.success(request, erfolg)
                return redirect("portal:meine_meldungen" if ansicht == "meine" else massnahme.get_absolute_url())
            posten = selectors_meldungen.get_meldeposten(
                massnahme=massnahme, organisation=organisation, runde_id=runde_id
            )
            posten.form = build_statusmeldung_form(posten, organisationen)
            # the form is a clearly new Meldung, its buttons locked until something is changed (no double save)
            context.update(posten=posten, erfolg=erfolg, form=posten.form, ruhend=True, korrektur=None)
            if ansicht == "massnahme":  # the page's list, table and aggregate follow out of band
                context.update(
                    statusmeldungen=selectors.list_statusmeldungen(user=request.user, massnahme=massnahme),
                    zeilen=selectors.list_umsetzungsstaende(user=request.user, massnahme=massnahme),
                    aggregat=selectors.aggregate_massnahmen([massnahme])[massnahme.pk],
                    korrigierbar={o.pk for o in organisationen},
                )
            else:  # "Meine Meldungen": the count of the round the Meldung counts for follows out of band
                context["rundenblock"] = _rundenblock(request.user, gezaehlt_fuer)
            return render(request, _partial(ansicht), context)
    context["form"] = posten.form = form
    if request.htmx and request.method == "GET" and request.GET.get("teil") == "formular":
        return render(request, "massnahmen/partials/statusmeldung_form.html", context)  # loaded on opening an item
    if request.htmx:
        return render(request, _partial(ansicht), context)
    return render(request, "massnahmen/statusmeldung_erfassen.html", context)


def _zahl(wert: str | None) -> int | None:
    return int(wert) if wert and wert.isdigit() else None


def _korrigierte_meldung(request: HttpRequest, massnahme, organisation):
    """The Statusmeldung a "korrigieren" link names (?korrektur=<id>): one of this pair the user may read in full;
    404 for any other."""
    meldung_id = _zahl(request.GET.get("korrektur"))
    if meldung_id is None:
        return None
    meldung = Statusmeldung.objects.filter(pk=meldung_id, massnahme=massnahme, organisation=organisation).first()
    if meldung is None or not policies.can_read_statusmeldung_text(request.user, massnahme.strategie, meldung):
        raise Http404
    return meldung


def _rundenblock(user, runde_id: int | None):
    """The block of "Meine Meldungen" of that round, counted the same way as the page does."""
    if runde_id is None:
        return None
    bloecke = selectors_meldungen.list_meine_meldungen(user=user)
    return next((rb for block in bloecke for rb in block.runden if rb.runde.pk == runde_id), None)


def meldeposten_mit_formular(*, user, massnahme) -> list:
    """The reporting forms the Maßnahme page shows: one per organisation the user reports for."""
    organisationen = selectors_meldungen.list_meldende_organisationen(user=user, massnahme=massnahme)
    posten = [selectors_meldungen.get_meldeposten(massnahme=massnahme, organisation=o) for o in organisationen]
    for eintrag in posten:
        eintrag.form = build_statusmeldung_form(eintrag, [eintrag.organisation])
    return posten
