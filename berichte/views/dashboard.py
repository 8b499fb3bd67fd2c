"""The Strategie-Dashboard, the Organisationsprofil and their exports: parse the GET filter, call the as-of
selectors, render. Visibility comes from berichte.policies; the selectors know no user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from berichte import charts, exports, policies
from berichte.forms.dashboard import DashboardFilterForm
from berichte.selectors import (
    Filter,
    Sichtbarkeit,
    Uebersicht,
    Veraenderung,
    Zeitpunkt,
    read_runden,
    read_uebersicht,
    read_veraenderung,
    vorige_runde,
)
from berichte.selectors.ergebnisse import AMPELN, ZUSTAENDE, Seite
from berichte.selectors.profil import read_profil
from strategie import selectors as strategie_selectors
from strategie.models import Organisation, Strategie

FORMATE = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass
class Ansicht:
    """What the dashboard shows for one request: parsed filter, figures, comparison."""

    strategie: Strategie
    sichtbarkeit: Sichtbarkeit
    form: DashboardFilterForm
    zeitpunkt: Zeitpunkt
    uebersicht: Uebersicht
    vergleich: dt.date | None
    veraenderung: Veraenderung | None
    filter_text: str
    query: str


def _strategie(request: HttpRequest, slug: str) -> tuple[Strategie, Sichtbarkeit]:
    strategie = strategie_selectors.get_strategie_for_user(user=request.user, slug=slug)
    if not policies.can_view_dashboard(request.user, strategie):
        raise Http404
    return strategie, policies.sichtbarkeit_fuer(request.user, strategie)


def _ansicht(request: HttpRequest, slug: str) -> Ansicht:
    strategie, sichtbarkeit = _strategie(request, slug)
    handlungsfelder = list(strategie.handlungsfelder.order_by("ordnung"))
    organisationen = list(  # the filter's choices: what it names of each, no model instances for 400
        Organisation.objects.filter(strategien=strategie)
        .order_by("kurzname", "kennung")
        .values_list("id", "kennung", "kurzname", "art", named=True)
        if sichtbarkeit.details
        else []
    )
    form = DashboardFilterForm(
        request.GET or None,
        handlungsfelder=handlungsfelder,
        organisationen=organisationen,
        details=sichtbarkeit.details,
    )
    werte = form.gueltige_werte() if request.GET else {}
    stichtag = werte.get("stichtag") or timezone.localdate()
    zeitpunkt = Zeitpunkt.am(stichtag)  # with D = now; today's is live

    beschreibung = []
    hf_ids = frozenset()
    if werte.get("handlungsfeld"):
        hf = next(h for h in handlungsfelder if h.nummer == werte["handlungsfeld"])
        hf_ids = frozenset({hf.pk})
        beschreibung.append(f"Handlungsfeld {hf.nummer} {hf.titel}")
    organisation_ids = None
    if werte.get("organisation"):
        org = next(o for o in organisationen if o.kennung == werte["organisation"])
        organisation_ids = frozenset({org.id})
        beschreibung.append(f"Organisation {org.kurzname}")
    if werte.get("organisationsart"):
        art = {o.id for o in organisationen if o.art == werte["organisationsart"]}
        organisation_ids = frozenset(art if organisation_ids is None else art & organisation_ids)
        beschreibung.append(f"Organisationsart {dict(Organisation.Art.choices)[werte['organisationsart']]}")
    if werte.get("status"):
        beschreibung.append(f"Status {ZUSTAENDE[werte['status']][0]}")
    if werte.get("ampel"):
        beschreibung.append(f"Ampel {AMPELN[werte['ampel']][0]}")
    auswahl = Filter(
        handlungsfeld_ids=hf_ids,
        organisation_ids=organisation_ids,
        status=werte.get("status", ""),
        ampel=werte.get("ampel", ""),
    )
    runden = read_runden(strategie)
    vergleich = werte.get("vergleich")
    if vergleich is None and (runde := vorige_runde(runden, stichtag)):
        vergleich = runde.stichtag
    seit = None if vergleich is None else zeitpunkt.mit_stichtag(vergleich)
    uebersicht = read_uebersicht(
        strategie=strategie,
        zeitpunkt=zeitpunkt,
        sichtbarkeit=sichtbarkeit,
        filter=auswahl,
        vergleich=seit,
        runden=runden,
    )
    veraenderung = None
    if seit is not None:
        veraenderung = read_veraenderung(
            strategie=strategie,
            seit=seit,
            bis=zeitpunkt,
            sichtbarkeit=sichtbarkeit,
            filter=auswahl,
            uebersicht=uebersicht,
        )
    query = urlencode(  # the valid values in their canonical form: exports and shortcuts repeat this view
        [(n, w.isoformat() if isinstance(w, dt.date) else w) for n, w in werte.items() if w not in (None, "")]
    )
    return Ansicht(
        strategie, sichtbarkeit, form, zeitpunkt, uebersicht, vergleich, veraenderung, "; ".join(beschreibung), query
    )


def _mit_stichtag(query: str, stichtag: dt.date) -> str:
    from django.http import QueryDict

    werte = QueryDict(query, mutable=True)
    werte["stichtag"] = stichtag.isoformat()
    werte.pop("vergleich", None)
    return werte.urlencode()


def _seite(request: HttpRequest, name: str = "matrix_seite") -> int:
    """The page a pager link asks for (`matrix_seite`, `meldungen_seite`); anything else is the first page."""
    wert = request.GET.get(name, "")
    return int(wert) if wert.isdigit() and len(wert) < 6 else 1


SEITENWAHL = ("massnahmen_seite", "matrix_seite", "vollstaendigkeit_seite", "rote_seite")  # the paged tables


def _blaettern(request: HttpRequest, query: str) -> dict[str, str]:
    """Per paged table the query its pager's links keep: the filter and the pages the other tables show."""
    seiten = {name: seite for name in SEITENWAHL if (seite := _seite(request, name)) > 1}
    return {
        name: "&".join(t for t in (query, urlencode({k: v for k, v in seiten.items() if k != name})) if t)
        for name in SEITENWAHL
    }


@login_required
@require_GET
@vary_on_headers("HX-Request")
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    ansicht = _ansicht(request, slug)
    u = ansicht.uebersicht
    matrix = u.matrix
    context = {
        "matrix_ausschnitt": matrix.ausschnitt(_seite(request)) if matrix is not None else None,
        "massnahmen_seite": Seite.aus(u.massnahmen, _seite(request, "massnahmen_seite")),
        "vollstaendigkeit_seite": Seite.aus(u.vollstaendigkeit, _seite(request, "vollstaendigkeit_seite")),
        "rote_seite": Seite.aus(u.rote_ampeln_je_massnahme, _seite(request, "rote_seite")),
        "blaettern": _blaettern(request, ansicht.query),
        "strategie": ansicht.strategie,
        "ansicht": ansicht,
        "form": ansicht.form,
        "u": u,
        "v": ansicht.veraenderung,
        "diagramme": charts.diagramme_fuer_uebersicht(u, praefix="dashboard"),
        "als_liste": matrix is not None and len(matrix.organisationen) <= 1,
        "kurzwahl": [(r, _mit_stichtag(ansicht.query, r.stichtag)) for r in u.runden[:8]],
        "heute": timezone.localdate(),
    }
    if request.htmx:
        return render(request, "berichte/partials/dashboard_antwort.html", context)
    return render(request, "berichte/dashboard.html", context)


def _antwort(tabelle: exports.Exporttabelle, kopf: list, format: str, dateiname: str) -> HttpResponse:
    inhalt = exports.als_csv(tabelle, kopf) if format == "csv" else exports.als_xlsx(tabelle, kopf)
    antwort = HttpResponse(inhalt, content_type=FORMATE[format])
    antwort["Content-Disposition"] = f'attachment; filename="{dateiname}.{format}"'
    return antwort


@login_required
@require_GET
def dashboard_export(request: HttpRequest, slug: str, tabelle: str, format: str) -> HttpResponse:
    if format not in FORMATE:
        raise Http404
    ansicht = _ansicht(request, slug)
    tabellen = exports.tabellen_dashboard(ansicht.uebersicht, ansicht.veraenderung)
    if tabelle not in tabellen:
        raise Http404
    kopf = exports.kopfzeilen(
        strategie_titel=ansicht.strategie.titel,
        stichtag=ansicht.zeitpunkt.stichtag,
        datenstand=ansicht.zeitpunkt.datenstand,
        filter_text=ansicht.filter_text,
        vergleich=ansicht.vergleich if tabelle == "veraenderung" else None,
    )
    dateiname = f"{ansicht.strategie.slug}-{tabelle}-{ansicht.zeitpunkt.stichtag.isoformat()}"
    return _antwort(tabellen[tabelle], kopf, format, dateiname)


def _profil(request: HttpRequest, slug: str, kennung: str, *, meldungen_seite: int | None = 1):
    strategie, sichtbarkeit = _strategie(request, slug)
    organisation = get_object_or_404(
        Organisation.objects.filter(Q(strategien=strategie) | Q(pk=strategie.traeger_id)).distinct(), kennung=kennung
    )
    if not policies.can_view_organisationsprofil(request.user, strategie, organisation.pk):
        raise Http404
    form = DashboardFilterForm(
        {"stichtag": request.GET.get("stichtag", "")}, handlungsfelder=[], organisationen=[], details=False
    )
    stichtag = form.gueltige_werte().get("stichtag") or timezone.localdate()
    zeitpunkt = Zeitpunkt.am(stichtag)
    profil = read_profil(
        strategie=strategie,
        organisation=organisation,
        zeitpunkt=zeitpunkt,
        sichtbarkeit=sichtbarkeit,
        meldungen_seite=meldungen_seite,
    )
    return strategie, sichtbarkeit, form, profil


@login_required
@require_GET
def organisationsprofil(request: HttpRequest, slug: str, kennung: str) -> HttpResponse:
    strategie, sichtbarkeit, form, profil = _profil(
        request, slug, kennung, meldungen_seite=_seite(request, "meldungen_seite")
    )
    context = {
        "strategie": strategie,
        "profil": profil,
        "form": form,
        "query": form.data["stichtag"] and urlencode({"stichtag": form.data["stichtag"]}),
        "darf_dashboard_details": sichtbarkeit.details,
    }
    return render(request, "berichte/organisationsprofil.html", context)


@login_required
@require_GET
def organisationsprofil_export(request: HttpRequest, slug: str, kennung: str, tabelle: str, format: str):
    if format not in FORMATE:
        raise Http404
    strategie, _, _, profil = _profil(request, slug, kennung, meldungen_seite=None)
    tabellen = exports.tabellen_profil(profil)
    if tabelle not in tabellen:
        raise Http404
    kopf = exports.kopfzeilen(
        strategie_titel=strategie.titel,
        stichtag=profil.zeitpunkt.stichtag,
        datenstand=profil.zeitpunkt.datenstand,
        filter_text=f"Organisation {profil.organisation.kurzname}",
    )
    dateiname = f"{strategie.slug}-{kennung}-{tabelle}-{profil.zeitpunkt.stichtag.isoformat()}"
    return _antwort(tabellen[tabelle], kopf, format, dateiname)
