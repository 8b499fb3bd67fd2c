"""Security events of sign-in and lockout, recorded from Django's and django-axes' signals."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from strategie.anmeldeschutz import client_ip
from strategie.models import Sicherheitsereignis
from strategie.services.sicherheit import record_sicherheitsereignis


def _ip(request) -> str | None:
    return client_ip(request) if request is not None else None


@receiver(user_logged_in, dispatch_uid="sicherheit_anmeldung")
def _angemeldet(sender, request, user, **kwargs):
    record_sicherheitsereignis(art=Sicherheitsereignis.Art.ANMELDUNG, user=user, ip_adresse=_ip(request))


@receiver(user_logged_out, dispatch_uid="sicherheit_abmeldung")
def _abgemeldet(sender, request, user, **kwargs):
    if user is not None:
        record_sicherheitsereignis(art=Sicherheitsereignis.Art.ABMELDUNG, user=user, ip_adresse=_ip(request))


@receiver(user_login_failed, dispatch_uid="sicherheit_fehlanmeldung")
def _fehlgeschlagen(sender, credentials, request=None, **kwargs):
    record_sicherheitsereignis(
        art=Sicherheitsereignis.Art.FEHLANMELDUNG,
        benutzername=str(credentials.get("username", ""))[:150],
        ip_adresse=_ip(request),
    )


@receiver(user_locked_out, dispatch_uid="sicherheit_sperre")
def _gesperrt(sender, request, username, ip_address, **kwargs):
    record_sicherheitsereignis(
        art=Sicherheitsereignis.Art.SPERRE,
        benutzername=str(username or "")[:150],
        ip_adresse=ip_address,
        details="Anmeldung nach wiederholten Fehlversuchen vorübergehend gesperrt",
    )
