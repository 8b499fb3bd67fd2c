"""Roles of users in strategies. Only the Geschäftsstelle of a strategy changes its Mitgliedschaften."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from strategie import policies
from strategie.models import Mitgliedschaft, Organisation, Sicherheitsereignis, Strategie

from .sicherheit import record_sicherheitsereignis

User = get_user_model()


def _check_verwaltung(actor, strategie: Strategie) -> None:
    """`actor=None` is the system (management commands); everyone else must be Geschäftsstelle of the strategy."""
    if actor is not None and not policies.can_manage_strategie(actor, strategie):
        raise PermissionDenied


def validate_organisation(*, strategie: Strategie, organisation: Organisation) -> None:
    """Roles are held only for an organisation of the strategy or its Träger."""
    if not strategie.organisationen.filter(pk=organisation.pk).exists() and organisation.pk != strategie.traeger_id:
        raise ValidationError(
            f"„{organisation.name}“ gehört nicht zur Strategie „{strategie.kurztitel}“. "
            "Bitte wählen Sie eine Organisation der Strategie."
        )


@transaction.atomic
def grant_rolle(
    *, actor, user, strategie: Strategie, organisation: Organisation, rolle: str, ist_demo: bool = False
) -> Mitgliedschaft:
    """Give `user` a role in `strategie` on behalf of `organisation`; sync groups and object permissions."""
    _check_verwaltung(actor, strategie)
    if rolle not in Mitgliedschaft.Rolle.values:
        raise ValidationError("Diese Rolle gibt es nicht.")
    validate_organisation(strategie=strategie, organisation=organisation)
    mitgliedschaft = Mitgliedschaft.objects.filter(
        user=user, strategie=strategie, organisation=organisation, rolle=rolle
    ).first()
    if mitgliedschaft is not None:
        return mitgliedschaft
    mitgliedschaft = Mitgliedschaft(
        user=user, strategie=strategie, organisation=organisation, rolle=rolle, ist_demo=ist_demo
    )
    mitgliedschaft.full_clean()
    mitgliedschaft._history_user = actor
    mitgliedschaft._change_reason = "Rolle vergeben"
    mitgliedschaft.save()
    policies.sync_gruppen(user)
    policies.sync_objektrechte(strategie)
    record_sicherheitsereignis(
        art=Sicherheitsereignis.Art.ROLLE_VERGEBEN,
        user=user,
        von=actor,
        strategie=strategie,
        details=f"{mitgliedschaft.get_rolle_display()} für {organisation.kurzname}",
    )
    return mitgliedschaft


@transaction.atomic
def revoke_rolle(*, actor, mitgliedschaft: Mitgliedschaft, grund: str = "Rolle entzogen") -> None:
    """Take a role away. The user's Statusmeldungen stay, with their name."""
    strategie = mitgliedschaft.strategie
    _check_verwaltung(actor, strategie)
    if (
        actor is not None
        and mitgliedschaft.user_id == actor.pk
        and mitgliedschaft.rolle == Mitgliedschaft.Rolle.GESCHAEFTSSTELLE
    ):
        raise ValidationError("Sie können sich die Rolle Geschäftsstelle nicht selbst entziehen.")
    user, organisation, rolle = mitgliedschaft.user, mitgliedschaft.organisation, mitgliedschaft.get_rolle_display()
    mitgliedschaft._history_user = actor
    mitgliedschaft._change_reason = grund
    mitgliedschaft.delete()
    policies.sync_gruppen(user)
    policies.sync_objektrechte(strategie)
    record_sicherheitsereignis(
        art=Sicherheitsereignis.Art.ROLLE_ENTZOGEN,
        user=user,
        von=actor,
        strategie=strategie,
        details=f"{rolle} für {organisation.kurzname}",
    )


@transaction.atomic
def change_rolle(*, actor, mitgliedschaft: Mitgliedschaft, organisation: Organisation, rolle: str) -> Mitgliedschaft:
    """Replace one role by another (organisation and/or role) as one audited step: the Mitgliedschaft itself is
    changed, so its history and the security events show one entry "Rolle geändert: alt → neu". When the person
    holds the new role already, the old one is only taken away."""
    strategie = mitgliedschaft.strategie
    _check_verwaltung(actor, strategie)
    if rolle not in Mitgliedschaft.Rolle.values:
        raise ValidationError("Diese Rolle gibt es nicht.")
    validate_organisation(strategie=strategie, organisation=organisation)
    mitgliedschaft = (
        Mitgliedschaft.objects.select_for_update().select_related("organisation").get(pk=mitgliedschaft.pk)
    )
    if (mitgliedschaft.organisation_id, mitgliedschaft.rolle) == (organisation.pk, rolle):
        return mitgliedschaft
    vorhanden = Mitgliedschaft.objects.filter(
        user=mitgliedschaft.user, strategie=strategie, organisation=organisation, rolle=rolle
    ).first()
    if vorhanden is not None:
        revoke_rolle(actor=actor, mitgliedschaft=mitgliedschaft)
        return vorhanden
    if (
        actor is not None
        and mitgliedschaft.user_id == actor.pk
        and mitgliedschaft.rolle == Mitgliedschaft.Rolle.GESCHAEFTSSTELLE
        and rolle != Mitgliedschaft.Rolle.GESCHAEFTSSTELLE
    ):
        raise ValidationError("Sie können sich die Rolle Geschäftsstelle nicht selbst entziehen.")
    vorher = f"{mitgliedschaft.get_rolle_display()} für {mitgliedschaft.organisation.kurzname}"
    mitgliedschaft.organisation, mitgliedschaft.rolle = organisation, rolle
    mitgliedschaft.full_clean()
    nachher = f"{mitgliedschaft.get_rolle_display()} für {organisation.kurzname}"
    mitgliedschaft._history_user, mitgliedschaft._change_reason = actor, f"Rolle geändert: {vorher} → {nachher}"
    mitgliedschaft.save()
    policies.sync_gruppen(mitgliedschaft.user)
    policies.sync_objektrechte(strategie)
    record_sicherheitsereignis(
        art=Sicherheitsereignis.Art.ROLLE_GEAENDERT,
        user=mitgliedschaft.user,
        von=actor,
        strategie=strategie,
        details=f"{vorher} → {nachher}",
    )
    return mitgliedschaft


@transaction.atomic
def save_mitgliedschaft(*, actor, mitgliedschaft: Mitgliedschaft, grund: str) -> Mitgliedschaft:
    """Create or change a Mitgliedschaft field by field (the admin form), audited. The groups of every user and
    the object permissions of every strategy it touched are derived again."""
    vorher = (
        Mitgliedschaft.objects.select_related("user", "strategie", "organisation").filter(pk=mitgliedschaft.pk).first()
        if mitgliedschaft.pk
        else None
    )
    strategien = {mitgliedschaft.strategie, *([vorher.strategie] if vorher else [])}
    for strategie in strategien:
        _check_verwaltung(actor, strategie)
    validate_organisation(strategie=mitgliedschaft.strategie, organisation=mitgliedschaft.organisation)
    mitgliedschaft.full_clean()
    mitgliedschaft._history_user, mitgliedschaft._change_reason = actor, grund
    mitgliedschaft.save()
    for user in {mitgliedschaft.user, *([vorher.user] if vorher else [])}:
        policies.sync_gruppen(user)
    for strategie in strategien:
        policies.sync_objektrechte(strategie)

    def schluessel(m: Mitgliedschaft) -> tuple:
        return m.user_id, m.strategie_id, m.organisation_id, m.rolle

    if vorher is not None and schluessel(vorher) != schluessel(mitgliedschaft):
        record_sicherheitsereignis(
            art=Sicherheitsereignis.Art.ROLLE_ENTZOGEN,
            user=vorher.user,
            von=actor,
            strategie=vorher.strategie,
            details=f"{vorher.get_rolle_display()} für {vorher.organisation.kurzname} ({grund})",
        )
    if vorher is None or schluessel(vorher) != schluessel(mitgliedschaft):
        record_sicherheitsereignis(
            art=Sicherheitsereignis.Art.ROLLE_VERGEBEN,
            user=mitgliedschaft.user,
            von=actor,
            strategie=mitgliedschaft.strategie,
            details=f"{mitgliedschaft.get_rolle_display()} für {mitgliedschaft.organisation.kurzname} ({grund})",
        )
    return mitgliedschaft


def sync_strategie(strategie: Strategie) -> None:
    """Re-derive the object permissions after data of the strategy changed (loader, Beteiligungen)."""
    policies.sync_objektrechte(strategie)


@transaction.atomic
def set_sichtbarkeit(*, actor, strategie: Strategie, sichtbarkeit: str) -> Strategie:
    """Whether members read every organisation's non-confidential Meldungen (offen) or only aggregates."""
    _check_verwaltung(actor, strategie)
    if sichtbarkeit not in Strategie.Sichtbarkeit.values:
        raise ValidationError("Bitte wählen Sie eine der beiden Einstellungen.")
    strategie.sichtbarkeit = sichtbarkeit
    strategie._history_user, strategie._change_reason = actor, "Sichtbarkeit geändert"
    strategie.save(update_fields=["sichtbarkeit", "updated_at"])
    return strategie
