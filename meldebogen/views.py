"""The Meldebogen pages: choose organisation and round, download XLSX/CSV, upload, follow the import."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from massnahmen.models import Berichtsrunde
from meldebogen import selectors
from meldebogen.forms import MeldebogenUploadForm
from meldebogen.models import Meldebogenimport
from meldebogen.services import auftraege, export, upload
from strategie import selectors as strategie_selectors
from strategie.models import Organisation, Strategie

ALLE = "alle"  # no round: every Maßnahme the organisation reports on
FORMATE = ("xlsx", "csv")


@dataclass
class Auswahl:
    strategie: Strategie
    organisationen: list[Organisation]
    organisation: Organisation
    runden: list[Berichtsrunde]
    runde: Berichtsrunde | None

    @property
    def parameter(self) -> str:
        """The choice as query parameters for links."""
        return urlencode({"organisation": self.organisation.pk, "runde": self.runde.pk if self.runde else ALLE})


def _auswahl(request: HttpRequest, slug: str, daten: QueryDict) -> Auswahl:
    """Strategy, organisation and round of the request. 404 for a strategy the user cannot see or a round that is
    not open for the organisation; 403 without a reporting role or for someone else's organisation."""
    strategie = strategie_selectors.get_strategie_for_user(user=request.user, slug=slug)
    organisationen = selectors.list_meldebogen_organisationen(user=request.user, strategie=strategie)
    if not organisationen:
        raise PermissionDenied
    gewaehlt = daten.get("organisation")
    organisation = next((o for o in organisationen if str(o.pk) == gewaehlt), None) if gewaehlt else organisationen[0]
    if organisation is None:
        raise PermissionDenied  # the organisation was forged
    runden = selectors.list_offene_berichtsrunden(strategie=strategie, organisation=organisation)
    runde_param = daten.get("runde", "")
    if runde_param == ALLE:
        runde = None
    elif runde_param:
        runde = next((r for r in runden if str(r.pk) == runde_param), None)
        if runde is None:
            raise Http404
    else:
        runde = next((r for r in runden if r.offen), None)
    return Auswahl(strategie, organisationen, organisation, runden, runde)


def _seite(request: HttpRequest, auswahl: Auswahl, form: MeldebogenUploadForm) -> HttpResponse:
    zeilen = selectors.list_meldebogenzeilen(
        user=request.user, strategie=auswahl.strategie, organisation=auswahl.organisation, berichtsrunde=auswahl.runde
    )
    context = {
        "strategie": auswahl.strategie,
        "auswahl": auswahl,
        "anzahl_zeilen": len(zeilen),
        "form": form,
        "importe": selectors.list_meldebogenimporte(strategie=auswahl.strategie, organisation=auswahl.organisation),
        "ALLE": ALLE,
    }
    return render(request, "meldebogen/meldebogen_seite.html", context)


@login_required
@require_GET
def meldebogen_seite(request: HttpRequest, slug: str) -> HttpResponse:
    return _seite(request, _auswahl(request, slug, request.GET), MeldebogenUploadForm())


@login_required
@require_GET
def meldebogen_herunterladen(request: HttpRequest, slug: str, format: str) -> HttpResponse:
    if format not in FORMATE:
        raise Http404
    auswahl = _auswahl(request, slug, request.GET)
    datei = export.export_meldebogen(
        actor=request.user,
        strategie=auswahl.strategie,
        organisation=auswahl.organisation,
        berichtsrunde=auswahl.runde,
        format=format,
    )
    response = HttpResponse(datei.inhalt, content_type=datei.content_type)
    response["Content-Disposition"] = f'attachment; filename="{datei.dateiname}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def meldebogen_hochladen(request: HttpRequest, slug: str) -> HttpResponse:
    auswahl = _auswahl(request, slug, request.POST)
    form = MeldebogenUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            datei = form.cleaned_data["datei"]
            inhalt = datei.read()
            datei.seek(0)
            # the file says whose Meldebogen it is and for which round; the page's selection only helps when not
            organisation = upload.find_organisation_der_datei(
                inhalt=inhalt, dateiname=datei.name, organisationen=auswahl.organisationen
            )
            runde = upload.find_berichtsrunde_der_datei(
                inhalt=inhalt, dateiname=datei.name, strategie=auswahl.strategie, vorgabe=auswahl.runde
            )
            meldebogenimport = upload.request_meldebogenimport(
                actor=request.user,
                strategie=auswahl.strategie,
                organisation=organisation or auswahl.organisation,
                berichtsrunde=runde,
                datei=form.cleaned_data["datei"],
            )
        except ValidationError as fehler:
            form.add_error("datei", fehler)
        else:
            return redirect("meldebogen:import", auswahl.strategie.slug, meldebogenimport.pk)
    return _seite(request, auswahl, form)


def _ergebnis(uebersicht: dict) -> dict | None:
    """The stored result of an import as groups of Kennziffern and the notes on skipped rows."""
    if not uebersicht:
        return None  # an import of an earlier version, or a refused one
    return {
        "gruppen": [
            ("Gespeichert", uebersicht.get("gespeichert", [])),
            ("Unverändert bestätigt", uebersicht.get("bestaetigt", [])),
            ("Übersprungen", uebersicht.get("uebersprungen", [])),
        ],
        "hinweise": [p for p in uebersicht.get("uebersprungen", []) if p.get("hinweis")],
    }


@login_required
@require_GET
@vary_on_headers("HX-Request")
def meldebogen_import(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The state of one upload; with htmx only the status region (polled every two seconds until final)."""
    strategie = strategie_selectors.get_strategie_for_user(user=request.user, slug=slug)
    meldebogenimport = selectors.get_meldebogenimport_for_user(user=request.user, strategie=strategie, pk=pk)
    context = {
        "strategie": strategie,
        "meldebogenimport": meldebogenimport,
        "ist_final": meldebogenimport.zustand in auftraege.ENDZUSTAENDE,
        "unveraendert": len(meldebogenimport.uebersicht.get("uebersprungen", []))
        if meldebogenimport.uebersicht
        else max(0, meldebogenimport.zeilen - meldebogenimport.gemeldet),
        "ergebnis": _ergebnis(meldebogenimport.uebersicht),
        "Zustand": Meldebogenimport.Zustand,
        "ALLE": ALLE,
    }
    if request.htmx:
        return render(request, "meldebogen/partials/meldebogen_import_status.html", context)
    return render(request, "meldebogen/meldebogen_import.html", context)
