"""Who may use the Meldebogen (Excel/CSV) of a strategy, for which Organisationen and Maßnahmen, and who sees an
upload. Built on the Maßnahme rights of `strategie.policies`; only the Meldebogen app asks these questions."""

from __future__ import annotations

from massnahmen.models import Massnahme
from strategie import policies as strategie_policies
from strategie.models import Organisation, Strategie


def meldebogen_organisationen(user, strategie: Strategie) -> frozenset[int]:
    """Organisations whose Meldebogen the user may download and upload: those they report for (Berichterstattung),
    and for a Geschäftsstelle the organisation whose gemeinsame Maßnahmen it reports (the Träger's)."""
    rollen = strategie_policies.rollen_von(user, strategie)
    if not rollen.ist_geschaeftsstelle:
        return rollen.berichtende_organisationen
    rechte = strategie_policies.objekte_mit_recht(
        user, strategie_policies.REPORT_MASSNAHME, Massnahme.objects.filter(strategie=strategie)
    )
    return rollen.berichtende_organisationen | {organisation_id for _, organisation_id in rechte}


def can_use_meldebogen(user, strategie: Strategie, organisation_id: int | None = None) -> bool:
    """Whether the user may use the Meldebogen of the strategy at all, or for one organisation."""
    organisationen = meldebogen_organisationen(user, strategie)
    return bool(organisationen) if organisation_id is None else organisation_id in organisationen


def massnahmen_fuer_meldebogen(user, strategie: Strategie, organisation: Organisation) -> frozenset[int]:
    """Ids of the strategy's active Maßnahmen the user may report on for `organisation`; the same rights as
    `organisationen_fuer_meldung`, read for all Maßnahmen at once. One query, whatever their number (and the
    user's roles and groups once per request)."""
    if not can_use_meldebogen(user, strategie, organisation.pk):
        return frozenset()
    aktiv = Massnahme.objects.filter(strategie=strategie, is_archived=False)
    rechte = strategie_policies.objekte_mit_recht(user, strategie_policies.REPORT_MASSNAHME, aktiv)
    return frozenset(massnahme_id for massnahme_id, organisation_id in rechte if organisation_id == organisation.pk)


def can_see_meldebogenimport(user, meldebogenimport) -> bool:
    """An upload and its error report are seen only by the uploading organisation's reporters."""
    return meldebogenimport.organisation_id in meldebogen_organisationen(user, meldebogenimport.strategie)
