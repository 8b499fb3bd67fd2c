"""Who may see which figures of a strategy's dashboard, profile and exports. Every "may this user …?" of the
berichte app is answered here."""

from __future__ import annotations

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
