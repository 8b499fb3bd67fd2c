"""Groups and django-guardian object permissions follow Mitgliedschaften, Beteiligungen and Federführung."""

from django.contrib.auth.models import Group
from guardian.models import GroupObjectPermission

from massnahmen import policies as massnahmen_policies
from massnahmen.models import Massnahme
from strategie import policies
from strategie.models import Mitgliedschaft, Organisation
from strategie.services.mitgliedschaften import grant_rolle, revoke_rolle


def test_berichterstattung_may_report_only_for_own_organisation(rlp, kusel_user):
    massnahme = Massnahme.objects.get(strategie=rlp, code="I.1")
    kusel = Organisation.objects.get(schluessel="07336")
    cochem = Organisation.objects.get(schluessel="07135")

    assert massnahmen_policies.can_report(kusel_user, massnahme, kusel.pk)
    assert not massnahmen_policies.can_report(kusel_user, massnahme, cochem.pk)


def test_gast_and_lenkungsausschuss_report_nothing(rlp, gast, lenkungsausschuss_user):
    massnahme = Massnahme.objects.get(strategie=rlp, code="I.1")

    assert massnahmen_policies.organisationen_fuer_meldung(gast, massnahme) == frozenset()
    assert massnahmen_policies.organisationen_fuer_meldung(lenkungsausschuss_user, massnahme) == frozenset()


def test_federfuehrung_reports_joint_massnahme_and_may_change_it(kgrz, kgrz_user):
    massnahme = Massnahme.objects.get(strategie=kgrz, code="4.2")

    assert massnahmen_policies.organisationen_fuer_meldung(kgrz_user, massnahme) == {massnahme.federfuehrung_id}
    assert massnahmen_policies.can_change_massnahme(kgrz_user, massnahme)


def test_revoking_the_role_removes_the_rights(rlp, kusel_user):
    mitgliedschaft = kusel_user.mitgliedschaften.get(strategie=rlp)
    massnahme = Massnahme.objects.get(strategie=rlp, code="I.1")
    pk = mitgliedschaft.pk

    revoke_rolle(actor=None, mitgliedschaft=mitgliedschaft)

    policies.forget_rechte(kusel_user)
    assert not policies.strategien_visible_to(kusel_user).exists()
    assert not massnahmen_policies.can_report(kusel_user, massnahme, mitgliedschaft.organisation_id)
    geloescht = Mitgliedschaft.history.get(id=pk, history_type="-")
    assert geloescht.history_change_reason == "Rolle entzogen"


def test_sync_is_idempotent(rlp):
    vorher = set(GroupObjectPermission.objects.values_list("group_id", "permission_id", "object_pk"))

    policies.sync_objektrechte(rlp)

    assert set(GroupObjectPermission.objects.values_list("group_id", "permission_id", "object_pk")) == vorher


def test_role_for_organisation_outside_strategy_is_refused(kgrz, gast):
    import pytest
    from django.core.exceptions import ValidationError

    kusel = Organisation.objects.get(schluessel="07336")
    with pytest.raises(ValidationError, match="gehört nicht zur Strategie"):
        grant_rolle(actor=None, user=gast, strategie=kgrz, organisation=kusel, rolle="gast")


def test_rights_do_not_depend_on_group_names(rlp, kusel_user):
    massnahme = Massnahme.objects.get(strategie=rlp, code="I.1")
    kusel = kusel_user.mitgliedschaften.get(strategie=rlp).organisation
    vorher = set(GroupObjectPermission.objects.values_list("group_id", "permission_id", "object_pk"))
    for nummer, gruppe in enumerate(Group.objects.filter(rollengruppe__isnull=False)):
        gruppe.name = f"umbenannt-{nummer}"
        gruppe.save()

    policies.sync_objektrechte(rlp)

    assert set(GroupObjectPermission.objects.values_list("group_id", "permission_id", "object_pk")) == vorher
    assert massnahmen_policies.can_report(kusel_user, massnahme, kusel.pk)
    assert (massnahme.pk, kusel.pk) in policies.objekte_mit_recht(
        kusel_user, policies.REPORT_MASSNAHME, Massnahme.objects.all()
    )


def test_rights_are_read_once_per_request_through_guardian(kgrz, kgrz_user, django_assert_num_queries):
    massnahme = Massnahme.objects.get(strategie=kgrz, code="4.2")
    policies.forget_rechte(kgrz_user)

    with django_assert_num_queries(3):  # the user's groups; per group in the strategy its rights on the Maßnahme
        meldend = massnahmen_policies.organisationen_fuer_meldung(kgrz_user, massnahme)
    with django_assert_num_queries(0):  # the groups' ObjectPermissionCheckers hold what they read
        assert massnahmen_policies.organisationen_fuer_meldung(kgrz_user, massnahme) == meldend
        assert massnahmen_policies.can_change_massnahme(kgrz_user, massnahme)
    with django_assert_num_queries(1):  # every group's objects in one query
        paare = policies.objekte_mit_recht(kgrz_user, policies.REPORT_MASSNAHME, Massnahme.objects.all())

    assert meldend == {massnahme.federfuehrung_id}
    assert (massnahme.pk, massnahme.federfuehrung_id) in paare
