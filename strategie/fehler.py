"""German error pages without technical details."""

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django.template import loader

NICHT_GESPEICHERT = "Ihre Eingabe wurde nicht gespeichert; sie steht noch im Formular. "


def _ist_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _fehlerseite(request: HttpRequest, status: int, titel: str, text: str, **weiteres) -> HttpResponse:
    """The German error page; for htmx requests only the message, which the page shows above its content."""
    vorlage = "fehler_htmx.html" if _ist_htmx(request) else "fehler.html"
    return render(request, vorlage, {"status": status, "titel": titel, "text": text, **weiteres}, status=status)


def nicht_gefunden(request: HttpRequest, exception=None) -> HttpResponse:
    return _fehlerseite(
        request,
        404,
        "Seite nicht gefunden",
        "Die aufgerufene Seite gibt es nicht oder Sie haben keinen Zugriff darauf. "
        "Bitte prüfen Sie die Adresse oder wechseln Sie zur Startseite.",
    )


def verboten(request: HttpRequest, exception=None) -> HttpResponse:
    return _fehlerseite(
        request,
        403,
        "Keine Berechtigung",
        "Für diese Aktion fehlt Ihrer Rolle die Berechtigung. Rollen vergibt die Geschäftsstelle Ihrer Strategie; "
        "wenden Sie sich bitte an sie, wenn Sie die Aktion für Ihre Arbeit brauchen.",
    )


def ungueltig(request: HttpRequest, exception=None) -> HttpResponse:
    return _fehlerseite(request, 400, "Ungültige Anfrage", "Die Anfrage konnte nicht verarbeitet werden.")


def serverfehler(request: HttpRequest) -> HttpResponse:
    """Rendered without request context: it must work even when the database is down."""
    if _ist_htmx(request):
        kontext = {
            "status": 500,
            "titel": "Ein Fehler ist aufgetreten",
            "text": NICHT_GESPEICHERT + "Bitte versuchen Sie es in einigen Minuten erneut.",
        }
        return HttpResponse(loader.render_to_string("fehler_htmx.html", kontext), status=500)
    return HttpResponse(loader.render_to_string("fehler_500.html"), status=500)


def csrf_fehler(request: HttpRequest, reason: str = "") -> HttpResponse:
    if _ist_htmx(request):  # the message stands above the form, which keeps the input
        text = (
            NICHT_GESPEICHERT + "Das Formular war zu lange geöffnet, oder Sie haben sich in einem anderen Fenster "
            "ab- oder neu angemeldet. Bitte sichern Sie Ihren Text, laden Sie die Seite neu und senden Sie erneut."
        )
    else:
        text = (
            "Das Formular war zu lange geöffnet oder Ihre Sitzung ist abgelaufen. "
            "Bitte laden Sie die Seite neu und senden Sie es erneut ab."
        )
    return _fehlerseite(request, 403, "Sitzung abgelaufen", text)


class FehlerMiddleware:
    """German answers where Django gives none: a 405 (an action's address opened in the browser, e.g. /abmelden/
    after going back) gets the German error page instead of an empty one; an htmx request of someone who is no
    longer signed in (signed out in another window, session expired) gets a German message instead of the sign-in
    page, which htmx would otherwise put into the middle of the page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        antwort = self.get_response(request)
        if antwort.status_code == 405 and not antwort.content:
            seite = _fehlerseite(
                request,
                405,
                "Diese Adresse ist keine Seite",
                "Hinter dieser Adresse steht eine Aktion, die nur über ihre Schaltfläche im Portal ausgelöst wird, "
                "etwa „Abmelden“ oder „Speichern“. Bitte wechseln Sie zur Startseite.",
            )
            seite["Allow"] = antwort["Allow"]
            return seite
        anmelden = resolve_url(settings.LOGIN_URL)
        if (
            request.method == "POST"
            and not _ist_htmx(request)
            and antwort.status_code == 302
            and antwort["Location"].startswith(anmelden)
        ):
            return _keep_eingabe(request, anmelden)
        if _ist_htmx(request) and antwort.status_code == 302 and antwort["Location"].startswith(anmelden):
            zurueck = urlsplit(request.headers.get("HX-Current-URL", "")).path or "/"
            return _fehlerseite(
                request,
                401,
                "Nicht mehr angemeldet",
                NICHT_GESPEICHERT
                + "Sie wurden abgemeldet, etwa in einem anderen Fenster oder nach einer langen Pause. "
                "Bitte sichern Sie Ihren Text, melden Sie sich erneut an und senden Sie ihn dann noch einmal.",
                anmelden_url=f"{anmelden}?{urlencode({'next': zurueck})}",
            )
        return antwort


# The input of a full-page form sent after the session expired, kept in the (anonymous) session until the form's
# page is shown again after signing in. Passwords and the CSRF token are never kept; files cannot be.
GERETTET = "gerettete_eingabe"
NIE_RETTEN = {"csrfmiddlewaretoken", "password", "new_password1", "new_password2"}


def _keep_eingabe(request: HttpRequest, anmelden: str) -> HttpResponse:
    """A full-page form was sent without a valid sign-in (the CSRF check passed: it is the user's own browser).
    Keep what was typed, send the user to the sign-in page with the reason, and back to the form's page after."""
    herkunft = urlsplit(request.headers.get("Referer", ""))
    ziel = herkunft.path if herkunft.path and herkunft.netloc in ("", request.get_host()) else request.path
    request.session[GERETTET] = {
        "ziel": ziel,
        "felder": {k: request.POST.getlist(k) for k in request.POST if k not in NIE_RETTEN},
        "dateien": sorted({datei.name for datei in request.FILES.values()}),
    }
    from django.shortcuts import redirect

    return redirect(f"{anmelden}?{urlencode({'next': ziel, 'sitzung': 'abgelaufen'})}")


def gerettete_eingabe(request: HttpRequest) -> dict:
    """Context processor: the kept input for the page being shown (taken out of the session once shown)."""
    if not getattr(request, "user", None) or not request.user.is_authenticated or request.method != "GET":
        return {}
    if not hasattr(request, "session"):
        return {}
    gerettet = request.session.get(GERETTET)
    if not gerettet or gerettet.get("ziel") != request.path:
        return {}
    del request.session[GERETTET]
    return {"gerettete_eingabe": gerettet}
