"""Who takes part in a Maßnahme ("Hineinwachsen in die Gemeinsamkeit") and what the Federführung edits."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from massnahmen import policies
from massnahmen.models import Beteiligung, Massnahme, Meilenstein
from massnahmen.services.berichtsrunden import sync_meldepflichten
from massnahmen.services.standsummen import write_standsummen
from strategie import policies as strategie_policies
from strategie.models import Organisation


def _audit(objekt, actor, grund: str) -> None:
    objekt._history_user, objekt._change_reason = actor, grund


@transaction.atomic
def join_massnahme(*, actor, massnahme: Massnahme, organisation: Organisation, seit: dt.date) -> Beteiligung:
    """The organisation takes part from `seit` on (also: takes back an "entfällt")."""
    if not policies.can_manage_beteiligung(actor, massnahme, organisation.pk):
        raise PermissionDenied
    if massnahme.ist_gemeinsam:
        raise ValidationError("Einer gemeinsamen Maßnahme treten Organisationen über die Federführung bei.")
    if not massnahme.strategie.organisationen.filter(pk=organisation.pk).exists():
        raise ValidationError(f"„{organisation.name}“ gehört nicht zur Strategie.")
    beteiligung = Beteiligung.objects.filter(massnahme=massnahme, organisation=organisation).first()
    beteiligung = beteiligung or Beteiligung(massnahme=massnahme, organisation=organisation)
    beteiligung.seit, beteiligung.entfaellt, beteiligung.begruendung = seit, False, ""
    beteiligung.full_clean()
    _audit(beteiligung, actor, "Beteiligung erklärt")
    beteiligung.save()
    write_standsummen(massnahme_id=massnahme.pk, organisation_id=organisation.pk)
    strategie_policies.sync_objektrechte(massnahme.strategie)
    sync_meldepflichten(massnahme=massnahme, organisation=organisation)
    return beteiligung


@transaction.atomic
def declare_entfaellt(*, actor, massnahme: Massnahme, organisation: Organisation, begruendung: str) -> Beteiligung:
    """The Maßnahme does not apply to the organisation; it leaves the denominator of the aggregate."""
    if not policies.can_manage_beteiligung(actor, massnahme, organisation.pk):
        raise PermissionDenied
    if not begruendung.strip():
        raise ValidationError({"begruendung": ["Bitte begründen Sie, warum die Maßnahme für Sie entfällt."]})
    beteiligung = Beteiligung.objects.filter(massnahme=massnahme, organisation=organisation).first()
    if beteiligung is None:
        raise ValidationError("Ihre Organisation ist an dieser Maßnahme nicht beteiligt.")
    beteiligung.entfaellt, beteiligung.begruendung = True, begruendung.strip()
    beteiligung.full_clean()
    _audit(beteiligung, actor, "Maßnahme entfällt für die Organisation")
    beteiligung.save()
    write_standsummen(massnahme_id=massnahme.pk, organisation_id=organisation.pk)
    strategie_policies.sync_objektrechte(massnahme.strategie)
    sync_meldepflichten(massnahme=massnahme, organisation=organisation)
    return beteiligung


@transaction.atomic
def update_beschreibung(*, actor, massnahme: Massnahme, beschreibung: str) -> Massnahme:
    if not policies.can_change_massnahme(actor, massnahme):
        raise PermissionDenied
    massnahme.beschreibung = beschreibung.strip()
    massnahme.full_clean(validate_constraints=False)
    _audit(massnahme, actor, "Beschreibung geändert")
    massnahme.save(update_fields=["beschreibung", "updated_at"])
    return massnahme


@transaction.atomic
def save_meilenstein(
    *,
    actor,
    massnahme: Massnahme,
    meilenstein: Meilenstein | None,
    titel: str,
    faellig_am: dt.date | None,
    erreicht_am: dt.date | None,
) -> Meilenstein:
    """Add a milestone (meilenstein=None) or change one of this Maßnahme."""
    if not policies.can_change_massnahme(actor, massnahme):
        raise PermissionDenied
    if meilenstein is not None and meilenstein.massnahme_id != massnahme.pk:
        raise PermissionDenied
    if meilenstein is None:
        # New Meilensteine of one Maßnahme at once: the lock makes each read the number the one before it took.
        Massnahme.objects.select_for_update().filter(pk=massnahme.pk).values_list("pk").get()
        letzte = massnahme.meilensteine.order_by("-ordnung").values_list("ordnung", flat=True).first() or 0
        meilenstein = Meilenstein(massnahme=massnahme, ordnung=letzte + 1)
    meilenstein.titel, meilenstein.faellig_am, meilenstein.erreicht_am = titel.strip(), faellig_am, erreicht_am
    meilenstein.full_clean()
    _audit(meilenstein, actor, "Meilenstein gespeichert")
    meilenstein.save()
    return meilenstein
