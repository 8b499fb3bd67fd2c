"""Security events: written to the database (visible to the Geschäftsstelle) and to the security log."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from strategie.models import Sicherheitsereignis, Strategie

logger = logging.getLogger("umsetzungsmonitor.sicherheit")


def record_sicherheitsereignis(
    *,
    art: str,
    user=None,
    benutzername: str = "",
    von=None,
    strategie: Strategie | None = None,
    ip_adresse: str | None = None,
    details: str = "",
) -> Sicherheitsereignis:
    ereignis = Sicherheitsereignis.objects.create(
        art=art,
        user=user if user is not None and user.pk else None,
        benutzername=benutzername or (user.get_username() if user is not None else ""),
        von=von,
        strategie=strategie,
        ip_adresse=ip_adresse or None,
        details=details[:500],
    )
    logger.info(
        "%s benutzer=%s von=%s strategie=%s ip=%s %s",
        art,
        ereignis.benutzername,
        von.get_username() if von else "-",
        strategie.slug if strategie else "-",
        ip_adresse or "-",
        details,
    )
    return ereignis


def record_passwort_anfrage(*, email: str, ip_adresse: str | None) -> bool:
    """Record a request for a password link; whether a link may be sent. At most PASSWORT_ANFRAGEN_JE_EMAIL requests
    for one e-mail address and PASSWORT_ANFRAGEN_JE_CLIENT from one client address within an hour lead to an
    e-mail; beyond that nothing is sent, and the person sees the same answer (nothing about the account is told).

    The request is stored first and counted with those stored before it, so parallel requests cannot all slip
    under the limit."""
    email = email.strip().lower()[:150]
    ereignis = record_sicherheitsereignis(
        art=Sicherheitsereignis.Art.PASSWORT_ANGEFORDERT, benutzername=email, ip_adresse=ip_adresse
    )
    frueher = Sicherheitsereignis.objects.filter(
        art=Sicherheitsereignis.Art.PASSWORT_ANGEFORDERT,
        zeitpunkt__gte=timezone.now() - timedelta(hours=1),
        pk__lte=ereignis.pk,
    )
    zu_viele = frueher.filter(benutzername=email).count() > settings.PASSWORT_ANFRAGEN_JE_EMAIL or (
        ip_adresse is not None and frueher.filter(ip_adresse=ip_adresse).count() > settings.PASSWORT_ANFRAGEN_JE_CLIENT
    )
    if zu_viele:
        ereignis.details = "kein Link versandt: zu viele Anfragen innerhalb einer Stunde"
        ereignis.save(update_fields=["details"])
        logger.warning("Passwort-Link gedrosselt: email=%s ip=%s", email, ip_adresse or "-")
    return not zu_viele
