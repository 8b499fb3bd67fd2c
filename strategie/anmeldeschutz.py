"""Protection of the sign-in against guessing: the client's address behind trusted proxies, and a lockout that
counts failures per account and, separately, per client address.

- Per account: ANMELDUNG_FEHLVERSUCHE_JE_KONTO (AXES_FAILURE_LIMIT) failed sign-ins with one user name, from any
  address, lock that user name for AXES_COOLOFF_TIME (a cool-off, not a permanent lock); the Geschäftsstelle can lift
  it earlier. Guessing one person's password from many addresses thus ends after a few tries.
- Per client address: ANMELDUNG_FEHLVERSUCHE_JE_ADRESSE failed sign-ins from one address, with any user names, lock
  that address for the same time (password spraying: one password tried on many accounts). The limit is higher,
  since many people of one Kreisverwaltung share one public address.
- The client address is the one the outermost trusted proxy saw: with VERTRAUTE_PROXYS = n, the n-th entry from the
  right of X-Forwarded-For (each proxy appends the address it was called from). Entries further left were written
  by the client and are not believed. With n = 0 (no proxy) it is REMOTE_ADDR.
"""

from __future__ import annotations

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def client_ip(request) -> str | None:
    """The client's address as the outermost trusted proxy saw it (AXES_CLIENT_IP_CALLABLE)."""
    direkt = request.META.get("REMOTE_ADDR")
    vertraute = settings.VERTRAUTE_PROXYS
    if vertraute <= 0:
        return direkt
    kette = [teil.strip() for teil in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if teil.strip()]
    if len(kette) < vertraute:  # the request did not pass all proxies: only the nearest address is certain
        return direkt
    kandidat = kette[-vertraute]
    try:
        return str(ipaddress.ip_address(kandidat))
    except ValueError:
        return direkt


def _summe(zeilen) -> int:
    return zeilen.aggregate(summe=Sum("failures_since_start"))["summe"] or 0


class AnmeldeschutzHandler(AxesDatabaseHandler):
    """django-axes' database handler with separate limits per account and per client address (module docstring)."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        frisch = AccessAttempt.objects.all()
        if settings.AXES_COOLOFF_TIME is not None:
            frisch = frisch.filter(attempt_time__gte=get_cool_off_threshold(request))
        username = get_client_username(request, credentials)
        konto = _summe(frisch.filter(username=username)) if username else 0
        adresse = getattr(request, "axes_ip_address", None)
        if (
            adresse
            and settings.ANMELDUNG_FEHLVERSUCHE_JE_ADRESSE
            and _summe(frisch.filter(ip_address=adresse)) >= settings.ANMELDUNG_FEHLVERSUCHE_JE_ADRESSE
        ):
            return max(konto, get_failure_limit(request, credentials))  # the address is locked, whatever the account
        return konto

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """A successful sign-in clears its own account's failures only: one valid account must not wipe the count of
        an address that is trying passwords on other accounts."""
        username = get_client_username(request, credentials)
        if not username:
            return 0
        anzahl, _ = AccessAttempt.objects.filter(username=username).delete()
        return anzahl
