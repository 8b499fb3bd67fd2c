"""Who may do what with strategies. Every "may this user …?" about a Strategie is answered here.

Roles are held per strategy through Mitgliedschaften (user × strategie × organisation × rolle). Each
(strategie, organisation, rolle) is a Group; users are in the groups of their Mitgliedschaften, and
django-guardian object permissions go to groups, never to users. `sync_objektrechte` derives the
permissions from Mitgliedschaften, Beteiligungen and Federführungen; the services that change those
call it, so the permissions never drift. This module and the other apps' policies are the only
importers of guardian.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from guardian.models import GroupObjectPermission
from guardian.shortcuts import get_objects_for_user

from strategie.models import Mitgliedschaft, Organisation, Strategie

Rolle = Mitgliedschaft.Rolle
GRUPPEN_PRAEFIX = "um"

VIEW_STRATEGIE = "strategie.view_strategie"
MANAGE_STRATEGIE = "strategie.manage_strategie"
RELEASE_BERICHT = "strategie.release_bericht"
REPORT_MASSNAHME = "massnahmen.report_massnahme"
CHANGE_MASSNAHME = "massnahmen.change_massnahme"


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
    """Drop what this request cached about the user's rights (after a change of roles)."""
    user.__dict__.pop("_policy_cache", None)
    user.__dict__.pop("_perm_cache", None)
    user.__dict__.pop("_group_perm_cache", None)


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


def objekte_mit_recht(user, perm: str, model, *, objekt_id: int | None = None) -> set[tuple[int, int]]:
    """(object id, organisation id) pairs for which the user holds `perm` through a group, for all objects of
    `model` or one. Two queries."""
    if not user.is_authenticated or not user.is_active:
        return set()
    app_label, codename = perm.split(".")
    zeilen = GroupObjectPermission.objects.filter(
        group__user=user,
        permission__codename=codename,
        permission__content_type__app_label=app_label,
        content_type=ContentType.objects.get_for_model(model),
    )
    if objekt_id is not None:
        zeilen = zeilen.filter(object_pk=str(objekt_id))
    zeilen = [(int(pk), name.split(":")[2]) for pk, name in zeilen.values_list("object_pk", "group__name")]
    organisationen = dict(Organisation.objects.filter(kennung__in={k for _, k in zeilen}).values_list("kennung", "pk"))
    return {(pk, organisationen[k]) for pk, k in zeilen if k in organisationen}


# --- keeping groups and object permissions in sync (called only by services) ---------------------------------


def sync_gruppen(user) -> None:
    """Put the user into exactly the groups of their Mitgliedschaften."""
    soll = set()
    for mitgliedschaft in Mitgliedschaft.objects.filter(user=user).select_related("strategie", "organisation"):
        name = gruppenname(mitgliedschaft.strategie, mitgliedschaft.organisation, mitgliedschaft.rolle)
        soll.add(Group.objects.get_or_create(name=name)[0].pk)
    ist = set(user.groups.filter(name__startswith=f"{GRUPPEN_PRAEFIX}:").values_list("pk", flat=True))
    if ist - soll:
        user.groups.remove(*(ist - soll))
    if soll - ist:
        user.groups.add(*(soll - ist))
    forget_cached_rights(user)


def _permission(perm: str) -> Permission:
    app_label, codename = perm.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def sync_objektrechte(strategie: Strategie) -> None:
    """Derive every group object permission of a strategy from its current data; write only the difference.

    - every role: view the strategy; Geschäftsstelle: manage it; Lenkungsausschuss: release reports;
    - Berichterstattung of a beteiligte Organisation (not "entfällt"): report on a Maßnahme je Organisation;
    - Berichterstattung of the federführende Organisation: report on a gemeinsame Maßnahme and change it;
      a gemeinsame Maßnahme without Federführung is reported by the Geschäftsstelle for the Träger.
    """
    from massnahmen.models import Beteiligung, Massnahme

    gruppen: dict[tuple[int, str], int] = {}
    organisationen = {}
    for mitgliedschaft in Mitgliedschaft.objects.filter(strategie=strategie).select_related("organisation"):
        schluessel = (mitgliedschaft.organisation_id, mitgliedschaft.rolle)
        if schluessel not in gruppen:
            name = gruppenname(strategie, mitgliedschaft.organisation, mitgliedschaft.rolle)
            gruppen[schluessel] = Group.objects.get_or_create(name=name)[0].pk
            organisationen[mitgliedschaft.organisation_id] = mitgliedschaft.organisation

    ct_strategie = ContentType.objects.get_for_model(Strategie)
    ct_massnahme = ContentType.objects.get_for_model(Massnahme)
    view, manage, release = _permission(VIEW_STRATEGIE), _permission(MANAGE_STRATEGIE), _permission(RELEASE_BERICHT)
    report, change = _permission(REPORT_MASSNAHME), _permission(CHANGE_MASSNAHME)

    soll: set[tuple[int, int, int, str]] = set()
    for (_organisation_id, rolle), gruppe in gruppen.items():
        soll.add((gruppe, view.pk, ct_strategie.pk, str(strategie.pk)))
        if rolle == Rolle.GESCHAEFTSSTELLE:
            soll.add((gruppe, manage.pk, ct_strategie.pk, str(strategie.pk)))
        if rolle == Rolle.LENKUNGSAUSSCHUSS:
            soll.add((gruppe, release.pk, ct_strategie.pk, str(strategie.pk)))

    massnahmen = Massnahme.objects.filter(strategie=strategie, is_archived=False)
    beteiligt: dict[int, set[int]] = {}
    for massnahme_id, organisation_id in Beteiligung.objects.filter(
        massnahme__in=massnahmen, entfaellt=False
    ).values_list("massnahme_id", "organisation_id"):
        beteiligt.setdefault(massnahme_id, set()).add(organisation_id)
    for massnahme in massnahmen:
        objekt = str(massnahme.pk)
        if massnahme.federfuehrung_id and (massnahme.federfuehrung_id, Rolle.BERICHTERSTATTUNG) in gruppen:
            gruppe = gruppen[(massnahme.federfuehrung_id, Rolle.BERICHTERSTATTUNG)]
            soll.add((gruppe, change.pk, ct_massnahme.pk, objekt))
            if massnahme.ist_gemeinsam:
                soll.add((gruppe, report.pk, ct_massnahme.pk, objekt))
        if massnahme.ist_gemeinsam and not massnahme.federfuehrung_id:
            for (organisation_id, rolle), gruppe in gruppen.items():
                if rolle == Rolle.GESCHAEFTSSTELLE and organisation_id == strategie.traeger_id:
                    soll.add((gruppe, report.pk, ct_massnahme.pk, objekt))
        if not massnahme.ist_gemeinsam:
            for organisation_id in beteiligt.get(massnahme.pk, ()):
                if (organisation_id, Rolle.BERICHTERSTATTUNG) in gruppen:
                    soll.add((gruppen[(organisation_id, Rolle.BERICHTERSTATTUNG)], report.pk, ct_massnahme.pk, objekt))

    vorhanden = GroupObjectPermission.objects.filter(group__name__startswith=f"{GRUPPEN_PRAEFIX}:{strategie.slug}:")
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
