"""German error pages without technical details."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader


def _fehlerseite(request: HttpRequest, status: int, titel: str, text: str) -> HttpResponse:
    return render(request, "fehler.html", {"status": status, "titel": titel, "text": text}, status=status)


def nicht_gefunden(request: HttpRequest, exception=None) -> HttpResponse:
    return _fehlerseite(
        request, 404, "Seite nicht gefunden",
        "Die aufgerufene Seite gibt es nicht oder Sie haben keinen Zugriff darauf. "
        "Bitte prüfen Sie die Adresse oder wechseln Sie zur Startseite.",
    )  # fmt: skip


def verboten(request: HttpRequest, exception=None) -> HttpResponse:
    return _fehlerseite(
        request, 403, "Keine Berechtigung",
        "Für diese Aktion fehlt Ihrer Rolle die Berechtigung. Rollen vergibt die Geschäftsstelle Ihrer Strategie; "
        "wenden Sie sich bitte an sie, wenn Sie die Aktion für Ihre Arbeit brauchen.",
    )  # fmt: skip


def ungueltig(request: HttpRequest, exception=None) -> HttpResponse:
    return _fehlerseite(request, 400, "Ungültige Anfrage", "Die Anfrage konnte nicht verarbeitet werden.")


def serverfehler(request: HttpRequest) -> HttpResponse:
    """Rendered without request context: it must work even when the database is down."""
    return HttpResponse(loader.render_to_string("fehler_500.html"), status=500)


def csrf_fehler(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _fehlerseite(
        request, 403, "Sitzung abgelaufen",
        "Das Formular war zu lange geöffnet oder Ihre Sitzung ist abgelaufen. "
        "Bitte laden Sie die Seite neu und senden Sie es erneut ab.",
    )  # fmt: skip
