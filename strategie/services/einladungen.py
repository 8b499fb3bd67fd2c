"""Users of a strategy: invitations with a one-time link, deactivation, unlocking. Geschäftsstelle only."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

from strategie import policies
from strategie.models import Mitgliedschaft, Organisation, Sicherheitsereignis, Strategie

from .mitgliedschaften import grant_rolle
from .sicherheit import record_sicherheitsereignis

User = get_user_model()
logger = logging.getLogger(__name__)


class Einladungstoken(PasswordResetTokenGenerator):
    """One-time link to set the first password; valid EINLADUNG_GUELTIG_TAGE days, void once a password is set."""

    key_salt = "strategie.services.einladungen.Einladungstoken"

    def check_token(self, user, token) -> bool:
        if not (user and token):
            return False
        try:
            zeitstempel = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, zeitstempel, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        gueltig = settings.EINLADUNG_GUELTIG_TAGE * 24 * 60 * 60
        return (self._num_seconds(self._now()) - zeitstempel) <= gueltig


einladungstoken = Einladungstoken()


def _benutzername(email: str) -> str:
    basis = re.sub(r"[^a-z0-9._-]", "", email.split("@")[0].lower()) or "benutzer"
    name, zaehler = basis[:140], 1
    while User.objects.filter(username=name).exists():
        zaehler += 1
        name = f"{basis[:140]}{zaehler}"
    return name


def einladungslink(user) -> str:
    pfad = reverse(
        "strategie:einladung", args=[urlsafe_base64_encode(force_bytes(user.pk)), einladungstoken.make_token(user)]
    )
    return settings.PORTAL_URL.rstrip("/") + pfad


def _send_einladung(*, user, strategie: Strategie, rolle: str, organisation: Organisation, von) -> None:
    context = {
        "user": user,
        "strategie": strategie,
        "rolle": Mitgliedschaft.Rolle(rolle).label,
        "organisation": organisation,
        "link": einladungslink(user),
        "gueltig_tage": settings.EINLADUNG_GUELTIG_TAGE,
        "von": von,
        "portal": settings.PORTAL_NAME,
    }
    mail = EmailMultiAlternatives(
        subject=f"Einladung zum {settings.PORTAL_NAME}: {strategie.kurztitel}",
        body=render_to_string("konto/email_einladung.txt", context),
        to=[user.email],
    )
    mail.attach_alternative(render_to_string("konto/email_einladung.html", context), "text/html")
    mail.send()


def _deliver_einladung(bei_versandfehler: Callable[[Exception], None] | None, **angaben) -> None:
    """After the commit: account and role are stored whatever the mail server says. A refused e-mail is logged and
    reported to the caller, who can tell the Geschäftsstelle to invite again (which sends a fresh link)."""
    try:
        _send_einladung(**angaben)
    except Exception as fehler:  # noqa: BLE001 - SMTP, DNS, connection: any failure means "not sent"
        logger.exception("Einladung an %s nicht versandt", angaben["user"].email)
        if bei_versandfehler is not None:
            bei_versandfehler(fehler)


@transaction.atomic
def invite_user(
    *,
    actor,
    strategie: Strategie,
    email: str,
    vorname: str,
    nachname: str,
    organisation: Organisation,
    rolle: str,
    bei_versandfehler: Callable[[Exception], None] | None = None,
):
    """Invite a person into the strategy with a role. An existing account is given the role (no second account);
    a new one (or one that never set its password, e.g. after an expired link) gets an e-mail with a one-time link
    to set its password; `bei_versandfehler` hears of a refused e-mail. Returns (user, neu)."""
    if not policies.can_manage_strategie(actor, strategie):
        raise PermissionDenied
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": ["Bitte geben Sie eine gültige E-Mail-Adresse an."]}) from exc
    user = User.objects.filter(email__iexact=email).first()
    neu = user is None
    if neu:
        user = User(username=_benutzername(email), email=email, first_name=vorname.strip(), last_name=nachname.strip())
        user.set_unusable_password()
        user.full_clean()
        user.save()
    grant_rolle(actor=actor, user=user, strategie=strategie, organisation=organisation, rolle=rolle)
    if neu or (user.is_active and not user.has_usable_password()):  # never set a password: send a fresh link
        if not neu:  # a new random marker in place of the password: the earlier link no longer matches
            user.set_unusable_password()
            user.save(update_fields=["password"])
        record_sicherheitsereignis(
            art=Sicherheitsereignis.Art.EINLADUNG,
            user=user,
            von=actor,
            strategie=strategie,
            details=f"Einladung an {email}",
        )
        transaction.on_commit(
            lambda: _deliver_einladung(
                bei_versandfehler, user=user, strategie=strategie, rolle=rolle, organisation=organisation, von=actor
            )
        )
    return user, neu


def accept_einladung(*, user, passwort: str) -> None:
    """Set the first password from an invitation link (the form validated it); the link is void afterwards."""
    user.set_password(passwort)
    user.save(update_fields=["password"])
    record_sicherheitsereignis(art=Sicherheitsereignis.Art.PASSWORT_GESETZT, user=user, details="über Einladungslink")


@transaction.atomic
def deactivate_user(*, actor, strategie: Strategie, user) -> None:
    """Deactivate an account. Allowed only when all its Mitgliedschaften are in strategies the actor manages;
    its Statusmeldungen stay, with its name."""
    if not policies.can_manage_strategie(actor, strategie):
        raise PermissionDenied
    if not user.mitgliedschaften.filter(strategie=strategie).exists():
        raise PermissionDenied
    if user.pk == actor.pk:
        raise ValidationError("Sie können Ihr eigenes Benutzerkonto nicht deaktivieren.")
    verwaltet = set(policies.strategien_managed_by(actor).values_list("pk", flat=True))
    fremde = user.mitgliedschaften.exclude(strategie__in=verwaltet).select_related("strategie")
    if fremde.exists():
        raise ValidationError(
            f"{user.get_full_name() or user.username} gehört auch zur Strategie "
            f"„{fremde.first().strategie.kurztitel}“, "
            "die Sie nicht verwalten. Entziehen Sie stattdessen die Rollen in Ihrer Strategie."
        )
    user.is_active = False
    user.save(update_fields=["is_active"])
    record_sicherheitsereignis(art=Sicherheitsereignis.Art.DEAKTIVIERT, user=user, von=actor, strategie=strategie)


def unlock_user(*, actor, strategie: Strategie, user) -> int:
    """Lift a lockout after failed sign-ins. Returns the number of cleared attempts."""
    if not policies.can_manage_strategie(actor, strategie):
        raise PermissionDenied
    if not user.mitgliedschaften.filter(strategie=strategie).exists():
        raise PermissionDenied
    anzahl = axes_reset(username=user.get_username())
    record_sicherheitsereignis(art=Sicherheitsereignis.Art.ENTSPERRT, user=user, von=actor, strategie=strategie)
    return anzahl
