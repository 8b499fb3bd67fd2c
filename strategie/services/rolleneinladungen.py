"""Invitations of existing accounts (Rolleneinladung): an account that belongs to someone beyond the inviting
strategy is offered a role, which its owner accepts signed in; the Geschäftsstelle may withdraw the offer.

`einladungen.invite_user` decides when an invitation becomes a Rolleneinladung; this module never imports it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from strategie import policies, selectors
from strategie.models import Mitgliedschaft, Rolleneinladung, Sicherheitsereignis, Strategie

from .mitgliedschaften import grant_rolle
from .sicherheit import record_sicherheitsereignis

ROLLENEINLADUNG_URL = "strategie:rolleneinladung"
logger = logging.getLogger(__name__)


def request_rolle(
    *,
    actor,
    user,
    strategie: Strategie,
    organisation,
    rolle: str,
    email: str,
    vorname: str,
    nachname: str,
    bei_versandfehler: Callable[[Exception], None] | None,
) -> Rolleneinladung:
    """Offer a role to an existing account; an earlier open offer of the same strategy is replaced. The caller
    (`einladungen.invite_user`) has checked the actor's right and the input."""
    Rolleneinladung.objects.filter(user=user, strategie=strategie, angenommen_am__isnull=True).delete()
    einladung = Rolleneinladung.objects.create(
        user=user,
        strategie=strategie,
        organisation=organisation,
        rolle=rolle,
        email=email,
        vorname=vorname.strip()[:150],
        nachname=nachname.strip()[:150],
        von=actor,
    )
    record_sicherheitsereignis(
        art=Sicherheitsereignis.Art.EINLADUNG,
        user=user,
        von=actor,
        strategie=strategie,
        details=f"Einladung an {email} in die Strategie; wartet auf Annahme",
    )
    if user.is_active:
        transaction.on_commit(lambda: _deliver_rolleneinladung(einladung, bei_versandfehler))
    return einladung


def _deliver_rolleneinladung(einladung: Rolleneinladung, bei_versandfehler) -> None:
    context = {
        "user": einladung.user,
        "strategie": einladung.strategie,
        "rolle": einladung.get_rolle_display(),
        "organisation": einladung.organisation,
        "link": settings.PORTAL_URL.rstrip("/") + reverse(ROLLENEINLADUNG_URL, args=[einladung.pk]),
        "gueltig_tage": settings.EINLADUNG_GUELTIG_TAGE,
        "von": einladung.von,
        "portal": settings.PORTAL_NAME,
    }
    try:
        mail = EmailMultiAlternatives(
            subject=f"Einladung zum {settings.PORTAL_NAME}: {einladung.strategie.kurztitel}",
            body=render_to_string("konto/email_rolleneinladung.txt", context),
            to=[einladung.user.email],
        )
        mail.send()
    except Exception as fehler:  # noqa: BLE001 - SMTP, DNS, connection: any failure means "not sent"
        logger.exception("Rolleneinladung an %s nicht versandt", einladung.user.email)
        if bei_versandfehler is not None:
            bei_versandfehler(fehler)


def withdraw_rolleneinladung(*, actor, strategie: Strategie, einladung: selectors.OffeneEinladung) -> str | None:
    """Delete the open Rolleneinladung `einladung`; the account it went to is not touched. Returns the e-mail
    address it went to, or None when it was accepted in the meantime.

    Called by `einladungen.withdraw_einladung`, which checks the actor's right, finds the open invitation and holds
    the transaction."""
    rolleneinladung = (
        Rolleneinladung.objects.select_for_update()
        .select_related("user")
        .filter(pk=einladung.pk, strategie=strategie, angenommen_am__isnull=True)
        .first()
    )
    if rolleneinladung is None:  # accepted in the meantime
        return None
    rolleneinladung.delete()
    record_sicherheitsereignis(
        art=Sicherheitsereignis.Art.EINLADUNG_ZURUECKGEZOGEN,
        user=rolleneinladung.user,
        von=actor,
        strategie=strategie,
        details=f"Einladung an {einladung.email} in die Strategie zurückgezogen",
    )
    return einladung.email


def get_offene_rolleneinladung(*, user, pk: int) -> Rolleneinladung | None:
    """The open, unexpired invitation `pk` of this user, or None (also for someone else's)."""
    frist = timezone.now() - timedelta(days=settings.EINLADUNG_GUELTIG_TAGE)
    return (
        Rolleneinladung.objects.select_related("strategie", "organisation", "von")
        .filter(pk=pk, user=user, angenommen_am__isnull=True, created_at__gte=frist)
        .first()
        if policies.ist_aktiv(user)
        else None
    )


@transaction.atomic
def accept_rolleneinladung(*, actor, pk: int) -> Mitgliedschaft:
    """The invited person, signed in, accepts: the role is given now, in the inviter's name if the inviter still
    manages the strategy."""
    einladung = get_offene_rolleneinladung(user=actor, pk=pk)
    if einladung is None:
        raise PermissionDenied
    einladung = Rolleneinladung.objects.select_for_update().get(pk=einladung.pk)
    if einladung.angenommen_am is not None:
        raise ValidationError("Diese Einladung haben Sie bereits angenommen.")
    if not policies.can_manage_strategie(einladung.von, einladung.strategie):
        raise ValidationError(
            "Diese Einladung gilt nicht mehr, weil die einladende Person die Strategie nicht mehr verwaltet. "
            "Bitte wenden Sie sich an die Geschäftsstelle der Strategie."
        )
    mitgliedschaft = grant_rolle(
        actor=einladung.von,
        user=actor,
        strategie=einladung.strategie,
        organisation=einladung.organisation,
        rolle=einladung.rolle,
    )
    einladung.angenommen_am = timezone.now()
    einladung.save(update_fields=["angenommen_am", "updated_at"])
    record_sicherheitsereignis(
        art=Sicherheitsereignis.Art.ROLLE_VERGEBEN,
        user=actor,
        von=actor,
        strategie=einladung.strategie,
        details="Einladung angenommen",
    )
    return mitgliedschaft
