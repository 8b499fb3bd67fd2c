"""Who may see which figures of a strategy's dashboard, profile and exports, and who may do what with
Berichte. Every "may this user …?" of the berichte app is answered here.

Berichte:
- Geschäftsstelle: creates Berichte, edits their texts, requests the PDF, makes a new version; sees drafts.
- Lenkungsausschuss: reads drafts (to review them) and releases a finished Bericht ("freigeben").
- Berichterstattung: downloads *released* versions only, and only where the dashboard shows them every
  Organisation's state too (`sichtbarkeit_fuer(...).details`: an open strategy), because the annex lists
  the status per Organisation. A draft is not yet the committee's word.
- Gast: no Berichte. The dashboard shows a Gast aggregates only; the report's annex would show each
  Organisation's state. The Land receives the report through the ALK, as the strategy intends.
"""

from __future__ import annotations

from django.db.models import QuerySet

from berichte.models import Bericht
from berichte.selectors.sichtbarkeit import ALLE, Sichtbarkeit
from strategie import policies as strategie_policies
from strategie.models import Strategie


def can_view_dashboard(user, strategie: Strategie) -> bool:
    """Every member of the strategy; Gast and members of a strategy with "nur Aggregate" see sums only."""
    return strategie_policies.rollen_von(user, strategie).ist_mitglied


def sichtbarkeit_fuer(user, strategie: Strategie) -> Sichtbarkeit:
    """Details of every Organisation for Geschäftsstelle and Lenkungsausschuss, and for reporting members of an
    open strategy; never for a Gast. Vertraulich texts: the Geschäftsstelle, and each reporter for their own."""
    rollen = strategie_policies.rollen_von(user, strategie)
    details = (
        rollen.ist_geschaeftsstelle
        or rollen.ist_lenkungsausschuss
        or (rollen.ist_berichterstattung and strategie.sichtbarkeit == Strategie.Sichtbarkeit.OFFEN)
    )
    lesbar = ALLE if rollen.ist_geschaeftsstelle else rollen.berichtende_organisationen
    return Sichtbarkeit(details=details, vertraulich_lesbar_fuer=lesbar)


# --- Berichte ------------------------------------------------------------------------------------------------


def can_create_bericht(user, strategie: Strategie) -> bool:
    return strategie_policies.can_manage_strategie(user, strategie)


def can_edit_bericht(user, bericht: Bericht) -> bool:
    """Texts and the PDF request: the Geschäftsstelle, while the Bericht is not released."""
    return can_create_bericht(user, bericht.strategie) and not bericht.ist_freigegeben


def can_release_bericht(user, bericht: Bericht) -> bool:
    return strategie_policies.can_release_bericht(user, bericht.strategie)


def can_see_drafts(user, strategie: Strategie) -> bool:
    return strategie_policies.can_manage_strategie(user, strategie) or strategie_policies.can_release_bericht(
        user, strategie
    )


def can_read_released_berichte(user, strategie: Strategie) -> bool:
    if can_see_drafts(user, strategie):
        return True
    rollen = strategie_policies.rollen_von(user, strategie)
    return rollen.ist_berichterstattung and sichtbarkeit_fuer(user, strategie).details


def berichte_visible_to(user, strategie: Strategie) -> QuerySet[Bericht]:
    """The Berichte of the strategy the user may see (and download once finished)."""
    berichte = Bericht.objects.filter(strategie=strategie)
    if can_see_drafts(user, strategie):
        return berichte
    if can_read_released_berichte(user, strategie):
        return berichte.filter(freigegeben_am__isnull=False)
    return berichte.none()


def can_view_organisationsprofil(user, strategie: Strategie, organisation_id: int) -> bool:
    """The profile of one Organisation: whoever sees details, and every member for their own Organisation."""
    if not can_view_dashboard(user, strategie):
        return False
    rollen = strategie_policies.rollen_von(user, strategie)
    return sichtbarkeit_fuer(user, strategie).details or organisation_id in rollen.organisationen
