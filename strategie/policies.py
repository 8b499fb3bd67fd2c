"""Who may do what with strategies. Every "may this user …?" about a Strategie is answered here.

Roles are held per strategy through Mitgliedschaften (user × strategie × organisation × rolle). Each
(strategie, organisation, rolle) is a Group; users are in the groups of their Mitgliedschaften, and
django-guardian object permissions go to groups, never to users. Each app derives the rows for its own
objects from its own domain rows in one function (`derive_objektrechte` here and in massnahmen.policies,
registered by its AppConfig); `sync_objektrechte` is the one place that runs them all and writes the
difference, and every write path (services, admin, loader) calls it, so the permissions never drift. Each
group has a Rollengruppe row that says which (strategie, organisation, rolle) it stands for: groups are found
through it, and their names only label them. This module and the other apps' policies are the only importers
of guardian.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from guardian.models import GroupObjectPermission
from guardian.shortcuts import get_objects_for_user

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


def _cache(user) -> dict:
    return user.__dict__.setdefault("_policy_cache", {})


def forget_cached_rights(user) -> None:
    """Drop what this request cached about the user's roles (after a change of roles). Object permissions are
    not cached: guardian reads them afresh for every check."""
    user.__dict__.pop("_policy_cache", None)


def rollen_von(user, strategie: Strategie) -> Rollen:
    if not user.is_authenticated or not user.is_active:
        return Rollen()
    cache = _cache(user)
    schluessel = ("rollen", strategie.pk)
    if schluessel not in cache:
        rollen, berichtend, alle = set(), set(), set()
        for rolle, organisation_id in Mitgliedschaft.objects.filter(user=user, strategie=strategie).values_list(
            "rolle", "organisation_id"
        ):
            rollen.add(rolle)
            alle.add(organisation_id)
            if rolle == Rolle.BERICHTERSTATTUNG:
                berichtend.add(organisation_id)
        cache[schluessel] = Rollen(frozenset(rollen), frozenset(berichtend), frozenset(alle))
    return cache[schluessel]


def strategien_visible_to(user) -> QuerySet[Strategie]:
    if not user.is_authenticated or not user.is_active:
        return Strategie.objects.none()
    return get_objects_for_user(user, VIEW_STRATEGIE, klass=Strategie, accept_global_perms=False)


def strategien_managed_by(user) -> QuerySet[Strategie]:
    if not user.is_authenticated or not user.is_active:
        return Strategie.objects.none()
    return get_objects_for_user(user, MANAGE_STRATEGIE, klass=Strategie, accept_global_perms=False)


def can_manage_strategie(user, strategie: Strategie) -> bool:
    """Geschäftsstelle: users, Maßnahmen, Berichtsrunden and reports of this strategy."""
    return user.is_authenticated and user.is_active and user.has_perm(MANAGE_STRATEGIE, strategie)


def can_release_bericht(user, strategie: Strategie) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(RELEASE_BERICHT, strategie)


def can_see_all_organisations(user, strategie: Strategie) -> bool:
    """Whether the user reads every organisation's Umsetzungsstand, not only aggregates."""
    rollen = rollen_von(user, strategie)
    if rollen.ist_geschaeftsstelle or rollen.ist_lenkungsausschuss:
        return True
    return rollen.ist_mitglied and strategie.sichtbarkeit == Strategie.Sichtbarkeit.OFFEN


def organisationen_mit_recht(user, perm: str, obj) -> frozenset[int]:
    """Organisations on whose behalf the user holds `perm` on `obj` (through the group of a Mitgliedschaft)."""
    cache = _cache(user)
    schluessel = ("orgrecht", perm, obj._meta.label, obj.pk)
    if schluessel not in cache:
        cache[schluessel] = frozenset(o for _, o in objekte_mit_recht(user, perm, type(obj), objekt_id=obj.pk))
    return cache[schluessel]


def _organisation_je_gruppe(user) -> dict[str, int]:
    """group name -> organisation id for the groups of the user's Mitgliedschaften, the names built as the sync
    builds them (never read back). One query, once per request."""
    cache = _cache(user)
    if "gruppen" not in cache:
        cache["gruppen"] = {
            gruppenname(m.strategie, m.organisation, m.rolle): m.organisation_id
            for m in Mitgliedschaft.objects.filter(user=user).select_related("strategie", "organisation")
        }
    return cache["gruppen"]


def objekte_mit_recht(user, perm: str, model, *, objekt_id: int | None = None) -> set[tuple[int, int]]:
    """(object id, organisation id) pairs for which the user holds `perm` through the group of a Mitgliedschaft,
    for all objects of `model` or one. One query (and one once per request)."""
    if not user.is_authenticated or not user.is_active:
        return set()
    gruppen = _organisation_je_gruppe(user)
    if not gruppen:
        return set()
    app_label, codename = perm.split(".")
    zeilen = GroupObjectPermission.objects.filter(
        group__name__in=gruppen,
        permission__codename=codename,
        permission__content_type__app_label=app_label,
        content_type=ContentType.objects.get_for_model(model),
    )
    if objekt_id is not None:
        zeilen = zeilen.filter(object_pk=str(objekt_id))
    return {(int(pk), gruppen[name]) for pk, name in zeilen.values_list("object_pk", "group__name")}


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
    forget_cached_rights(user)


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
