"""Groups and django-guardian object permissions follow Mitgliedschaften, Beteiligungen and Federführung."""

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

    policies.forget_cached_rights(kusel_user)
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
