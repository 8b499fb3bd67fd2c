from django.conf import settings
from django.http import HttpRequest

from portal import selectors


def portal(request: HttpRequest) -> dict:
    """Portal-wide template data: name, operator, whether demo data is loaded (lazily, one query)."""
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "BETREIBER": settings.BETREIBER,
        "demo_daten_geladen": selectors.demo_daten_geladen,
    }
