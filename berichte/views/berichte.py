"""The Bericht pages under /<slug>/berichte/: list, create, edit texts (htmx autosave), PDF, release, versions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from berichte import policies
from berichte.forms.berichte import BerichtAnlegenForm, BerichtTextForm
from berichte.models import Bericht
from berichte.selectors import berichte as selectors
from berichte.services import berichte as services
from berichte.services.rendern import open_bericht_pdf
from strategie import selectors as strategie_selectors


def _load_bericht(request: HttpRequest, slug: str, pk: int) -> Bericht:
    """The Bericht of the strategy in the URL; 404 for a strategy or Bericht the user may not see."""
    strategie = strategie_selectors.get_strategie_for_user(user=request.user, slug=slug)
    return selectors.get_bericht(user=request.user, strategie=strategie, pk=pk)


def _url(bericht: Bericht) -> str:
    return reverse("berichte:detail", args=[bericht.strategie.slug, bericht.pk])


def _textfelder(bericht: Bericht) -> list[dict]:
    titel = {hf.nummer: hf.titel for hf in bericht.strategie.handlungsfelder.all()}
    felder = []
    for feld in services.textfelder(bericht):
        if feld.startswith("einschaetzung-"):
            nummer = feld.removeprefix("einschaetzung-")
            label = f"Einschätzung zu Handlungsfeld {nummer}: {titel.get(nummer, '')}"
        else:
            label = {"vorwort": "Vorwort", "fazit": "Fazit"}[feld]
        felder.append(
            {
                "name": feld,
                "label": label,
                "text": services.read_text(bericht, feld),
                "version": int(bericht.textversionen.get(feld, 0)),
            }
        )
    return felder


def _status_context(request: HttpRequest, bericht: Bericht) -> dict:
    return {
        "strategie": bericht.strategie,
        "bericht": bericht,
        "Zustand": Bericht.Zustand,
        "Schritt": Bericht.Schritt,
        "schritte": [s for s in Bericht.Schritt if s.value],
        "warteschlange": selectors.get_warteschlange(bericht=bericht),
        "darf_bearbeiten": policies.can_edit_bericht(request.user, bericht),
        "darf_freigeben": policies.can_release_bericht(request.user, bericht),
        "darf_anlegen": policies.can_create_bericht(request.user, bericht.strategie),
        "nachfolger": selectors.get_nachfolger(bericht=bericht) if bericht.ist_freigegeben else None,
    }


@login_required
@require_GET
def bericht_liste(request: HttpRequest, slug: str) -> HttpResponse:
    strategie = strategie_selectors.get_strategie_for_user(user=request.user, slug=slug)
    if not policies.can_read_released_berichte(request.user, strategie):
        raise PermissionDenied
    context = {
        "strategie": strategie,
        "berichte": selectors.list_berichte(user=request.user, strategie=strategie),
        "darf_anlegen": policies.can_create_bericht(request.user, strategie),
        "form": BerichtAnlegenForm(initial={"art": _standard_art(strategie)}),
    }
    return render(request, "berichte/bericht_liste.html", context)


def _standard_art(strategie) -> str:
    return Bericht.Art.ALK_JAHRESBERICHT if strategie.gremium else Bericht.Art.UMSETZUNGSBERICHT


@login_required
@require_http_methods(["GET", "POST"])
def bericht_anlegen(request: HttpRequest, slug: str) -> HttpResponse:
    strategie = strategie_selectors.get_strategie_for_user(user=request.user, slug=slug)
    if not policies.can_create_bericht(request.user, strategie):
        raise PermissionDenied
    form = BerichtAnlegenForm(request.POST or None, initial={"art": _standard_art(strategie)})
    if form.is_valid():
        try:
            bericht = services.create_bericht(actor=request.user, strategie=strategie, **form.cleaned_data)
        except ValidationError as fehler:
            form.add_error(None, fehler)
        else:
            messages.success(request, f"Der {bericht.get_art_display()} {bericht.berichtsjahr} wurde angelegt.")
            return redirect(_url(bericht))
    return render(request, "berichte/bericht_anlegen.html", {"strategie": strategie, "form": form})


@login_required
@require_GET
def bericht_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    bericht = _load_bericht(request, slug, pk)
    return _detailseite(request, bericht)


def _detailseite(request: HttpRequest, bericht: Bericht, *, konflikt=None, status: int = 200) -> HttpResponse:
    context = {
        **_status_context(request, bericht),
        "textfelder": _textfelder(bericht),
        "versionen": selectors.list_versionen(user=request.user, bericht=bericht),
        "aenderungen": selectors.list_aenderungen(bericht=bericht)
        if policies.can_see_drafts(request.user, bericht.strategie)
        else [],
        "konflikt": konflikt,
        "texte_sperren": bericht.zustand in services.IN_BEARBEITUNG,
    }
    return render(request, "berichte/bericht_detail.html", context, status=status)


@login_required
@require_GET
@vary_on_headers("HX-Request")
def bericht_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The PDF region (queue, progress, download, actions); htmx polls it every two seconds until final."""
    bericht = _load_bericht(request, slug, pk)
    if not request.htmx:
        return redirect(_url(bericht))
    return render(request, "berichte/partials/bericht_status.html", _status_context(request, bericht))


@login_required
@require_POST
def bericht_text_speichern(request: HttpRequest, slug: str, pk: int, feld: str) -> HttpResponse:
    """Save one text (htmx autosave or the button). A conflicting save writes nothing and shows both versions."""
    bericht = _load_bericht(request, slug, pk)
    strategie = bericht.strategie
    if not policies.can_create_bericht(request.user, strategie):
        raise PermissionDenied
    form = BerichtTextForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Die Eingabe ist unvollständig. Bitte laden Sie die Seite neu.", status=400)
    version = form.cleaned_data["version"]
    ueberschreiben = request.POST.get("ueberschreiben", "")
    if ueberschreiben.isdigit():
        version = int(ueberschreiben)  # "Meine Fassung trotzdem speichern" after a conflict
    context = {"strategie": strategie, "bericht": bericht, "feld": {"name": feld}}
    try:
        stand = services.save_bericht_text(
            actor=request.user, bericht=bericht, feld=feld, text=form.cleaned_data["text"], version=version
        )
    except services.Textkonflikt as konflikt:
        context["feld"]["version"] = version
        context["konflikt"] = konflikt
        if not request.htmx:
            bericht.refresh_from_db()
            return _detailseite(request, bericht, konflikt=konflikt, status=409)
        return render(request, "berichte/partials/bericht_textstatus.html", context, status=200)
    except ValidationError as fehler:
        if not request.htmx:
            messages.error(request, " ".join(fehler.messages))
            return redirect(_url(bericht))
        context["feld"]["version"] = version
        context["fehler"] = " ".join(fehler.messages)
        return render(request, "berichte/partials/bericht_textstatus.html", context)
    if not request.htmx:
        messages.success(request, "Der Text wurde gespeichert.")
        return redirect(_url(bericht) + f"#feld-{feld}")
    context["feld"]["version"] = stand.version
    context["gespeichert"] = True
    response = render(request, "berichte/partials/bericht_textstatus.html", context)
    response["HX-Trigger"] = "bericht-geaendert"
    return response


@login_required
@require_POST
def bericht_pdf_erzeugen(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Freeze the Datenstand and queue the render; also "Erneut versuchen" after a failure."""
    bericht = _load_bericht(request, slug, pk)
    try:
        bericht = services.request_bericht_pdf(actor=request.user, bericht=bericht)
    except ValidationError as fehler:
        messages.error(request, " ".join(fehler.messages))
    bericht.refresh_from_db()
    if request.htmx:
        return render(request, "berichte/partials/bericht_status.html", _status_context(request, bericht))
    return redirect(_url(bericht))


@login_required
@require_POST
def bericht_freigeben(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    bericht = _load_bericht(request, slug, pk)
    try:
        bericht = services.release_bericht(actor=request.user, bericht=bericht)
    except ValidationError as fehler:
        messages.error(request, " ".join(fehler.messages))
    else:
        messages.success(
            request,
            f"Der {bericht.get_art_display()} {bericht.berichtsjahr} (Version {bericht.version}) ist freigegeben.",
        )
    return redirect(_url(bericht))


@login_required
@require_POST
def bericht_neue_version(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    bericht = _load_bericht(request, slug, pk)
    try:
        neu = services.create_bericht_version(actor=request.user, bericht=bericht)
    except ValidationError as fehler:
        messages.error(request, " ".join(fehler.messages))
        return redirect(_url(bericht))
    messages.success(
        request,
        f"Version {neu.version} wurde angelegt. Die freigegebene Version {bericht.version} bleibt unverändert.",
    )
    return redirect(_url(neu))


@login_required
@require_GET
def bericht_herunterladen(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The finished PDF; never a file of a Bericht that is not FERTIG (half-written or outdated)."""
    bericht = _load_bericht(request, slug, pk)
    if bericht.zustand != Bericht.Zustand.FERTIG or not bericht.datei:
        raise Http404
    name = bericht.datei.name.rsplit("/", 1)[-1]
    response = FileResponse(
        open_bericht_pdf(bericht), as_attachment=True, filename=name, content_type="application/pdf"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-SHA256"] = bericht.sha256
    return response
