"""Security events: written to the database (visible to the Geschäftsstelle) and to the security log."""

from __future__ import annotations

import logging

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
