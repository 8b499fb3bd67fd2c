"""Users of a strategy: invitations with a one-time link, deactivation, unlocking. Geschäftsstelle only.

An invited account that belongs to someone beyond the strategy is offered the role instead (`rolleneinladungen`)."""

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
from django.db.models import ProtectedError, RestrictedError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

from strategie import policies, selectors
from strategie.models import Mitgliedschaft, Organisation, Sicherheitsereignis, Strategie

from . import mitgliedschaften
from .mitgliedschaften import grant_rolle, revoke_rolle
from .rolleneinladungen import request_rolle, withdraw_rolleneinladung
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


NEU, MITGLIED, ANGEFRAGT = "neu", "mitglied", "angefragt"


def _gehoert_anderen(user, strategie: Strategie) -> bool:
    """Whether an account is someone's own beyond this strategy: it has set a password or holds a role elsewhere.
    Such an account is never changed by this strategy's Geschäftsstelle without its owner's consent."""
    return user.has_usable_password() or user.mitgliedschaften.exclude(strategie=strategie).exists()


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
    """Invite a person into the strategy with a role. Returns (user, art):

    - NEU: no account has the address. A new one gets the role and an e-mail with a one-time link to set its
      password; so does an account that never set a password and holds no role elsewhere (a fresh link voids the
      earlier one).
    - MITGLIED: the account already holds a role in this strategy (the Geschäftsstelle sees it in its list): it is
      given the role directly.
    - ANGEFRAGT: the account belongs to someone beyond this strategy (also a deactivated one). Nothing about it
      changes; it receives an invitation (Rolleneinladung) that its owner accepts signed in, with one click. The
      Geschäftsstelle is told the same as for a new address and sees only what it typed, listed among the open
      invitations as a new account is until it is used, so the page is no oracle for accounts.

    A deactivated account of this strategy is refused with its name: the Geschäftsstelle lists it anyway.

    `bei_versandfehler` hears of a refused e-mail."""
    if not policies.can_manage_strategie(actor, strategie):
        raise PermissionDenied
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": ["Bitte geben Sie eine gültige E-Mail-Adresse an."]}) from exc
    if rolle not in Mitgliedschaft.Rolle.values:
        raise ValidationError("Diese Rolle gibt es nicht.")
    mitgliedschaften.validate_organisation(strategie=strategie, organisation=organisation)
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        mitglied = user.mitgliedschaften.filter(strategie=strategie).exists()
        if not user.is_active and mitglied:  # the Geschäftsstelle sees this account in its list anyway
            raise ValidationError(
                f"{user.get_full_name() or user.username} ({user.email}) hat ein deaktiviertes Konto. Bitte "
                "aktivieren Sie es in der Benutzerliste wieder; danach können Sie die Rolle vergeben."
            )
        # A deactivated account beyond this strategy is someone's too: it is asked like any other (and cannot accept
        # while it cannot sign in), so the answer tells nothing about it.
        if not mitglied and (not user.is_active or _gehoert_anderen(user, strategie)):
            request_rolle(
                actor=actor,
                user=user,
                strategie=strategie,
                organisation=organisation,
                rolle=rolle,
                email=email,
                vorname=vorname,
                nachname=nachname,
                bei_versandfehler=bei_versandfehler,
            )
            return user, ANGEFRAGT
        if mitglied and (user.has_usable_password() or not user.is_active):
            grant_rolle(actor=actor, user=user, strategie=strategie, organisation=organisation, rolle=rolle)
            return user, MITGLIED
    if user is None:
        user = User(username=_benutzername(email), email=email, first_name=vorname.strip(), last_name=nachname.strip())
        user.set_unusable_password()
        user.full_clean()
        user.save()
    else:  # never set a password (a member here, or no role anywhere): a new random marker voids the earlier link
        user.set_unusable_password()
        user.first_name, user.last_name = vorname.strip(), nachname.strip()
        user.save(update_fields=["password", "first_name", "last_name"])
        # the new invitation replaces the earlier one, as an open Rolleneinladung is replaced: the list then reads
        # the same whether or not the address had an account before
        for alte in user.mitgliedschaften.filter(strategie=strategie).exclude(organisation=organisation, rolle=rolle):
            revoke_rolle(actor=actor, mitgliedschaft=alte, grund="Einladung durch eine neue ersetzt")
    grant_rolle(actor=actor, user=user, strategie=strategie, organisation=organisation, rolle=rolle)
    if user.is_active:
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
    return user, NEU


@transaction.atomic
def withdraw_einladung(*, actor, strategie: Strategie, kennung: str) -> str | None:
    """Withdraw an open invitation of the strategy, named by its opaque `kennung` (selectors.einladungskennung).
    Returns the e-mail address it went to, or None when the strategy has no open invitation of that name.

    - A Rolleneinladung is deleted; the account it went to is not touched.
    - A role of an account the invitation created and that was never used is taken away (audited as a role
      removal); the account is deleted when it then holds no role and no invitation anywhere."""
    if not policies.can_manage_strategie(actor, strategie):
        raise PermissionDenied
    einladung = selectors.get_offene_einladung(strategie=strategie, kennung=kennung)
    if einladung is None:
        return None
    if einladung.art == selectors.EINLADUNG_ROLLE:
        return withdraw_rolleneinladung(actor=actor, strategie=strategie, einladung=einladung)
    mitgliedschaft = (
        Mitgliedschaft.objects.select_for_update()
        .select_related("organisation")
        .filter(pk=einladung.pk, strategie=strategie)
        .first()
    )
    if mitgliedschaft is None:
        return None
    user = User.objects.select_for_update().get(pk=mitgliedschaft.user_id)
    if user.has_usable_password() or user.last_login is not None or not user.is_active:  # used in the meantime
        return None
    mitgliedschaft.user = user
    revoke_rolle(actor=actor, mitgliedschaft=mitgliedschaft, grund="Einladung zurückgezogen")
    record_sicherheitsereignis(
        art=Sicherheitsereignis.Art.EINLADUNG_ZURUECKGEZOGEN,
        user=user,
        von=actor,
        strategie=strategie,
        details=f"Einladung an {einladung.email} zurückgezogen",
    )
    if not user.mitgliedschaften.exists() and not user.rolleneinladungen.exists():
        _delete_unused_account(actor=actor, strategie=strategie, user=user)
    return einladung.email


def _delete_unused_account(*, actor, strategie: Strategie, user) -> None:
    """Delete an account that was never used and holds nothing. Its security events stay, with its user name; an
    account something else still refers to is kept (without roles it can do nothing)."""
    benutzername = user.get_username()
    try:
        with transaction.atomic():
            Sicherheitsereignis.objects.filter(user=user).update(user=None)
            Sicherheitsereignis.objects.filter(von=user).update(von=None)
            user.delete()
    except (ProtectedError, RestrictedError):
        logger.info("Konto %s nach zurückgezogener Einladung behalten: es wird noch verwendet", benutzername)
        return
    record_sicherheitsereignis(
        art=Sicherheitsereignis.Art.EINLADUNG_ZURUECKGEZOGEN,
        benutzername=benutzername,
        von=actor,
        strategie=strategie,
        details="Konto gelöscht: nie verwendet, keine Rolle mehr",
    )


def accept_einladung(*, user, passwort: str) -> None:
    """Set the first password from an invitation link (the form validated it); the link is void afterwards."""
    user.set_password(passwort)
    user.save(update_fields=["password"])
    record_sicherheitsereignis(art=Sicherheitsereignis.Art.PASSWORT_GESETZT, user=user, details="über Einladungslink")


def _check_kontoverwaltung(actor, strategie: Strategie, user) -> None:
    """Whether `actor` may switch `user`'s account off or on: Geschäftsstelle of a strategy the user belongs to,
    and every strategy the user belongs to is one the actor manages; nobody switches their own account."""
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


@transaction.atomic
def deactivate_user(*, actor, strategie: Strategie, user) -> None:
    """Deactivate an account. Allowed only when all its Mitgliedschaften are in strategies the actor manages;
    its Statusmeldungen stay, with its name."""
    _check_kontoverwaltung(actor, strategie, user)
    if not user.is_active:
        raise ValidationError(f"{user.get_full_name() or user.username} ist bereits deaktiviert.")
    user.is_active = False
    user.save(update_fields=["is_active"])
    record_sicherheitsereignis(art=Sicherheitsereignis.Art.DEAKTIVIERT, user=user, von=actor, strategie=strategie)


NUR_DER_BETRIEB = (
    "{name} hat auch Rollen in anderen Strategien. Eine Anmeldesperre eines solchen Kontos hebt nur der Betrieb "
    "auf. Bitte wenden Sie sich an den Betrieb."
)


def is_eigenes_konto(*, strategie: Strategie, user) -> bool:
    """Whether every role of the account lies in this strategy: only then are its sign-ins (with addresses) and its
    lockout the business of this strategy's Geschäftsstelle."""
    return not user.mitgliedschaften.exclude(strategie=strategie).exists()


@transaction.atomic
def reactivate_user(*, actor, strategie: Strategie, user, grund: str = "") -> None:
    """Activate a deactivated account again, audited. Same rule as deactivating: only when all its
    Mitgliedschaften are in strategies the actor manages. Its roles are those it still holds."""
    _check_kontoverwaltung(actor, strategie, user)
    if user.is_active:
        raise ValidationError(f"{user.get_full_name() or user.username} ist bereits aktiv.")
    user.is_active = True
    user.save(update_fields=["is_active"])
    record_sicherheitsereignis(
        art=Sicherheitsereignis.Art.REAKTIVIERT, user=user, von=actor, strategie=strategie, details=grund.strip()[:500]
    )


def unlock_user(*, actor, strategie: Strategie, user) -> int:
    """Lift a lockout after failed sign-ins. Returns the number of cleared attempts. Only for accounts whose every
    role lies in this strategy; others are unlocked by the operator."""
    if not policies.can_manage_strategie(actor, strategie):
        raise PermissionDenied
    if not user.mitgliedschaften.filter(strategie=strategie).exists():
        raise PermissionDenied
    if not is_eigenes_konto(strategie=strategie, user=user):
        raise ValidationError(NUR_DER_BETRIEB.format(name=user.get_full_name() or user.username))
    anzahl = axes_reset(username=user.get_username())
    record_sicherheitsereignis(art=Sicherheitsereignis.Art.ENTSPERRT, user=user, von=actor, strategie=strategie)
    return anzahl
