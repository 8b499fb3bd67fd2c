"""Who may do what with strategies. Every "may this user …?" about a Strategie is answered here.

Roles are held per strategy through Mitgliedschaften (user × strategie × organisation × rolle). The
roles of a user in a strategy are read once per request and cached on the user object.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from strategie.models import Mitgliedschaft, Strategie

Rolle = Mitgliedschaft.Rolle


@dataclass(frozen=True)
class Rollen:
    """The roles one user holds in one strategy."""

    rollen: frozenset[str] = frozenset()
    berichtende_organisationen: frozenset[int] = frozenset()  # organisations the user reports for
    organisationen: frozenset[int] = field(default_factory=frozenset)  # every organisation of the user

    @property
    def ist_mitglied(self) -> bool:
        return bool(self.rollen)

    @property
    def ist_geschaeftsstelle(self) -> bool:
        return Rolle.GESCHAEFTSSTELLE in self.rollen

    @property
    def ist_lenkungsausschuss(self) -> bool:
        return Rolle.LENKUNGSAUSSCHUSS in self.rollen

    @property
    def ist_nur_gast(self) -> bool:
        return self.rollen == {Rolle.GAST}


def rollen_von(user, strategie: Strategie) -> Rollen:
    if not user.is_authenticated or not user.is_active:
        return Rollen()
    cache = user.__dict__.setdefault("_rollen_cache", {})
    if strategie.pk not in cache:
        rollen, berichtend, alle = set(), set(), set()
        for rolle, organisation_id in Mitgliedschaft.objects.filter(user=user, strategie=strategie).values_list(
            "rolle", "organisation_id"
        ):
            rollen.add(rolle)
            alle.add(organisation_id)
            if rolle == Rolle.BERICHTERSTATTUNG:
                berichtend.add(organisation_id)
        cache[strategie.pk] = Rollen(frozenset(rollen), frozenset(berichtend), frozenset(alle))
    return cache[strategie.pk]


def strategien_visible_to(user) -> QuerySet[Strategie]:
    if not user.is_authenticated or not user.is_active:
        return Strategie.objects.none()
    return Strategie.objects.filter(pk__in=Mitgliedschaft.objects.filter(user=user).values("strategie"))


def can_see_all_organisations(user, strategie: Strategie) -> bool:
    """Whether the user reads every organisation's Umsetzungsstand, not only aggregates."""
    rollen = rollen_von(user, strategie)
    if rollen.ist_geschaeftsstelle or rollen.ist_lenkungsausschuss:
        return True
    return rollen.ist_mitglied and strategie.sichtbarkeit == Strategie.Sichtbarkeit.OFFEN
