"""Who may do what with strategies. Every "may this user …?" about a Strategie is answered here.

Roles are held per strategy through Mitgliedschaften (user × strategie × organisation × rolle). Each
(strategie, organisation, rolle) is a Group; users are in the groups of their Mitgliedschaften, and
django-guardian object permissions go to groups, never to users. Each app derives the rows for its own
objects from its own domain rows in one function (`derive_objektrechte` here and in massnahmen.policies,
registered by its AppConfig); `sync_objektrechte` is the one place that runs them all and writes the
difference, and every write path (services, admin, loader) calls it, so the permissions never drift. Each
group has a Rollengruppe row that says which (strategie, organisation, rolle) it stands for: groups are found
through it, and their names only label them. Reads go through guardian's own API (`get_objects_for_user`,
`get_objects_for_group`, `ObjectPermissionChecker`); a right held through a group counts for the organisation of
its Rollengruppe. This module and the other apps' policies are the only importers of guardian.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet, Value
from guardian.core import ObjectPermissionChecker
from guardian.models import GroupObjectPermission
from guardian.shortcuts import get_objects_for_group, get_objects_for_user

from strategie.models import Mitgliedschaft, Organisation, Rollengruppe, Strategie

Rolle = Mitgliedschaft.Rolle
GRUPPEN_PRAEFIX = "um"

VIEW_STRATEGIE = "strategie.view_strategie"
MANAGE_STRATEGIE = "strategie.manage_strategie"
RELEASE_BERICHT = "strategie.release_bericht"
REPORT_MASSNAHME = "massnahmen.report_massnahme"
CHANGE_MASSNAHME = "massnahmen.change_massnahme"

Rollengruppen = dict[tuple[int, str], int]  # (organisation id, rolle) -> group id, for one strategy
Objektrecht = tuple[int, int, int, str]  # group id, permission id, content type id, object pk
Ableitung = Callable[[Strategie, Rollengruppen], set[Objektrecht]]
_ABLEITUNGEN: list[Ableitung] = []


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
    def ist_berichterstattung(self) -> bool:
        return Rolle.BERICHTERSTATTUNG in self.rollen


def gruppenname(strategie: Strategie, organisation: Organisation, rolle: str) -> str:
    return f"{GRUPPEN_PRAEFIX}:{strategie.slug}:{organisation.kennung}:{rolle}"


class Rechte:
    """What one user may do, read at most once per user object. Django builds `request.user` anew for every request
    and a task loads its own user, so nothing here outlives a request (as Django's ModelBackend keeps its
    `_perm_cache` on the user). Roles come from the Mitgliedschaften; object permissions are read through
    guardian, with one ObjectPermissionChecker per group of the user, which caches what it has read."""

    def __init__(self, user) -> None:
        self.user = user
        self._rollen: dict[int, Rollen] = {}
        self._checker: dict[int, ObjectPermissionChecker] = {}

    def rollen(self, strategie: Strategie) -> Rollen:
        """The user's roles in one strategy. One query per strategy."""
        if strategie.pk not in self._rollen:
            rollen, berichtend, alle = set(), set(), set()
            for rolle, organisation_id in Mitgliedschaft.objects.filter(
                user=self.user, strategie=strategie
            ).values_list("rolle", "organisation_id"):
                rollen.add(rolle)
                alle.add(organisation_id)
                if rolle == Rolle.BERICHTERSTATTUNG:
                    berichtend.add(organisation_id)
            self._rollen[strategie.pk] = Rollen(frozenset(rollen), frozenset(berichtend), frozenset(alle))
        return self._rollen[strategie.pk]

    @cached_property
    def rollengruppen(self) -> list[Rollengruppe]:
        """The groups the user is in, each with the (strategie, organisation, rolle) it stands for. One query."""
        return list(Rollengruppe.objects.filter(group__user=self.user).select_related("group").order_by("pk"))

    def checker(self, rollengruppe: Rollengruppe) -> ObjectPermissionChecker:
        if rollengruppe.pk not in self._checker:
            self._checker[rollengruppe.pk] = ObjectPermissionChecker(rollengruppe.group)
        return self._checker[rollengruppe.pk]


def _rechte(user) -> Rechte:
    rechte = getattr(user, "_rechte", None)
    if rechte is None:
        rechte = user._rechte = Rechte(user)
    return rechte


def forget_rechte(user) -> None:
    """Drop what this user object has read about its rights, after its roles changed."""
    if getattr(user, "_rechte", None) is not None:
        del user._rechte


def ist_aktiv(user) -> bool:
    """A signed-in, active account: nobody else holds any right."""
    return user.is_authenticated and user.is_active


def rollen_von(user, strategie: Strategie) -> Rollen:
    return _rechte(user).rollen(strategie) if ist_aktiv(user) else Rollen()


def strategien_visible_to(user) -> QuerySet[Strategie]:
    if not ist_aktiv(user):
        return Strategie.objects.none()
    return get_objects_for_user(user, VIEW_STRATEGIE, klass=Strategie, accept_global_perms=False)


def strategien_managed_by(user) -> QuerySet[Strategie]:
    if not ist_aktiv(user):
        return Strategie.objects.none()
    return get_objects_for_user(user, MANAGE_STRATEGIE, klass=Strategie, accept_global_perms=False)


def can_manage_strategie(user, strategie: Strategie) -> bool:
    """Geschäftsstelle: users, Maßnahmen, Berichtsrunden and reports of this strategy."""
    return ist_aktiv(user) and user.has_perm(MANAGE_STRATEGIE, strategie)


def can_release_bericht(user, strategie: Strategie) -> bool:
    return ist_aktiv(user) and user.has_perm(RELEASE_BERICHT, strategie)


def can_see_all_organisations(user, strategie: Strategie) -> bool:
    """Whether the user reads every organisation's Umsetzungsstand, not only aggregates."""
    rollen = rollen_von(user, strategie)
    if rollen.ist_geschaeftsstelle or rollen.ist_lenkungsausschuss:
        return True
    return rollen.ist_mitglied and strategie.sichtbarkeit == Strategie.Sichtbarkeit.OFFEN


def organisationen_mit_recht(user, perm: str, obj, *, strategie_id: int) -> frozenset[int]:
    """Organisations on whose behalf the user holds `perm` on `obj`, an object of the strategy `strategie_id`: the
    organisation of each of the user's groups in that strategy whose ObjectPermissionChecker grants it. One query
    per such group for the first question about `obj`; the checker answers the next ones from its cache."""
    if not ist_aktiv(user):
        return frozenset()
    rechte = _rechte(user)
    return frozenset(
        rollengruppe.organisation_id
        for rollengruppe in rechte.rollengruppen
        if rollengruppe.strategie_id == strategie_id and rechte.checker(rollengruppe).has_perm(perm, obj)
    )


def objekte_mit_recht(user, perm: str, objekte: QuerySet) -> set[tuple[int, int]]:
    """(object id, organisation id) pairs among `objekte` for which the user holds `perm` through one of their
    groups, the organisation being the group's. guardian's get_objects_for_group for each group, all read in one
    query (and the groups once per request)."""
    if not ist_aktiv(user):
        return set()
    teile = [
        # any_perm: for a single permission the same objects, but as a subquery, not a list read beforehand
        get_objects_for_group(rollengruppe.group, perm, klass=objekte, any_perm=True, accept_global_perms=False)
        .order_by()
        .values_list("pk", Value(rollengruppe.organisation_id))
        for rollengruppe in _rechte(user).rollengruppen
    ]
    if not teile:
        return set()
    return set(teile[0].union(*teile[1:], all=True))


# --- keeping groups and object permissions in sync (called only by services) ---------------------------------


def sync_gruppen(user) -> None:
    """Put the user into exactly the groups of their Mitgliedschaften."""
    soll = set()
    for mitgliedschaft in Mitgliedschaft.objects.filter(user=user).select_related("strategie", "organisation"):
        soll.add(_rollengruppe(mitgliedschaft.strategie, mitgliedschaft.organisation, mitgliedschaft.rolle).group_id)
    ist = set(user.groups.filter(rollengruppe__isnull=False).values_list("pk", flat=True))
    if ist - soll:
        user.groups.remove(*(ist - soll))
    if soll - ist:
        user.groups.add(*(soll - ist))
    forget_rechte(user)


def _rollengruppe(strategie: Strategie, organisation: Organisation, rolle: str) -> Rollengruppe:
    """The Rollengruppe of one role, created with its Group the first time the role is held."""
    rollengruppe = Rollengruppe.objects.filter(strategie=strategie, organisation=organisation, rolle=rolle).first()
    if rollengruppe is None:
        gruppe = Group.objects.get_or_create(name=gruppenname(strategie, organisation, rolle))[0]
        rollengruppe = Rollengruppe.objects.create(
            strategie=strategie, organisation=organisation, rolle=rolle, group=gruppe
        )
    return rollengruppe


def permission_id(perm: str) -> int:
    app_label, codename = perm.split(".")
    return Permission.objects.values_list("pk", flat=True).get(content_type__app_label=app_label, codename=codename)


def register_objektrechte(ableitung: Ableitung) -> None:
    """Called by the AppConfig of an app above: its `derive_objektrechte` joins the one sync below."""
    if ableitung not in _ABLEITUNGEN:
        _ABLEITUNGEN.append(ableitung)


def rollengruppen(strategie: Strategie) -> Rollengruppen:
    """The group of every (organisation, rolle) that holds a Mitgliedschaft in the strategy."""
    vorhanden = {(r.organisation_id, r.rolle): r.group_id for r in Rollengruppe.objects.filter(strategie=strategie)}
    gruppen: Rollengruppen = {}
    for mitgliedschaft in Mitgliedschaft.objects.filter(strategie=strategie).select_related("organisation"):
        schluessel = (mitgliedschaft.organisation_id, mitgliedschaft.rolle)
        if schluessel not in gruppen:
            gruppe = vorhanden.get(schluessel)
            if gruppe is None:
                gruppe = _rollengruppe(strategie, mitgliedschaft.organisation, mitgliedschaft.rolle).group_id
            gruppen[schluessel] = gruppe
    return gruppen


def derive_objektrechte(strategie: Strategie, gruppen: Rollengruppen) -> set[Objektrecht]:
    """The strategy's own rows, from its Mitgliedschaften: every role views the strategy; the Geschäftsstelle
    manages it; the Lenkungsausschuss releases reports."""
    ct = ContentType.objects.get_for_model(Strategie).pk
    view, manage, release = (permission_id(p) for p in (VIEW_STRATEGIE, MANAGE_STRATEGIE, RELEASE_BERICHT))
    objekt = str(strategie.pk)
    soll: set[Objektrecht] = set()
    for (_organisation_id, rolle), gruppe in gruppen.items():
        soll.add((gruppe, view, ct, objekt))
        if rolle == Rolle.GESCHAEFTSSTELLE:
            soll.add((gruppe, manage, ct, objekt))
        if rolle == Rolle.LENKUNGSAUSSCHUSS:
            soll.add((gruppe, release, ct, objekt))
    return soll


def sync_objektrechte(strategie: Strategie) -> None:
    """The one place that writes object permissions: derive every row of the strategy (this app's and those of
    every registered app) from the current domain rows and write only the difference. Every write path that
    changes a Mitgliedschaft, Beteiligung, Federführung or the strategy itself calls it."""
    gruppen = rollengruppen(strategie)
    soll = derive_objektrechte(strategie, gruppen)
    for ableitung in _ABLEITUNGEN:
        soll |= ableitung(strategie, gruppen)

    vorhanden = GroupObjectPermission.objects.filter(group__rollengruppe__strategie=strategie)
    ist = {
        (g, p, c, o): pk
        for pk, g, p, c, o in vorhanden.values_list("pk", "group_id", "permission_id", "content_type_id", "object_pk")
    }
    ueberzaehlig = [pk for eintrag, pk in ist.items() if eintrag not in soll]
    if ueberzaehlig:
        GroupObjectPermission.objects.filter(pk__in=ueberzaehlig).delete()
    GroupObjectPermission.objects.bulk_create(
        [
            GroupObjectPermission(group_id=g, permission_id=p, content_type_id=c, object_pk=o)
            for g, p, c, o in soll - set(ist)
        ]
    )
