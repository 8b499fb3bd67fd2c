"""Request-level protections that hold for every page: a bounded request body, no caching of signed-in pages."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

ANFRAGE_ZU_GROSS = (
    "Die gesendeten Daten sind größer als erlaubt und wurden nicht angenommen. Eine Datei zum Hochladen darf "
    "höchstens {mb} MB groß sein. Bitte verkleinern Sie die Datei oder teilen Sie sie auf."
)


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is larger than ANFRAGE_MAX_BYTES before anything reads it.

    Django reads a multipart body in full (into memory or a temporary file) as soon as a view or the CSRF check
    touches `request.POST`; a form's own size check comes too late to spare the process. A body without a
    Content-Length (chunked) is not read by Django's WSGI handler at all. The reverse proxy in front of the portal
    sets the same limit (README, docker/nginx.conf), so such a body does not even reach gunicorn."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            laenge = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            laenge = 0
        if laenge > settings.ANFRAGE_MAX_BYTES:
            mb = f"{settings.MELDEBOGEN_MAX_BYTES / (1024 * 1024):.1f}".replace(".", ",").removesuffix(",0")
            vorlage = "fehler_htmx.html" if request.headers.get("HX-Request") == "true" else "fehler.html"
            kontext = {"status": 413, "titel": "Daten zu groß", "text": ANFRAGE_ZU_GROSS.format(mb=mb)}
            antwort = render(request, vorlage, kontext, status=413)
            antwort["Connection"] = "close"  # the unread body must not be taken for the next request
            return antwort
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Every answer to a signed-in person carries `Cache-Control: no-store` (ASVS 8.2.1): pages with vertraulich
    text or personal data are not kept in the browser's or a proxy's cache after signing out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
