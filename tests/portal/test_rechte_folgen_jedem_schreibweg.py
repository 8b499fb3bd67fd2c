"""Rights follow a changed Beteiligung, Federführung and Mitgliedschaft on every path that writes them.

The paths: the portal over HTTP (Beteiligung, Mitgliedschaft; the portal has no form for the Federführung),
the Django admin over HTTP (all three) and the loaders (strategien_laden: Federführung and Beteiligung;
demo_laden: Mitgliedschaft). Each test reads the rights back through the policies, as every page does, and
through a page where one exists.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from massnahmen import policies as massnahmen_policies
from massnahmen.models import Beteiligung, Massnahme
from portal.services.datenimport import load_strategien
from portal.services.demo import load_demo
from strategie import policies
from strategie.models import Mitgliedschaft
from strategie.services.mitgliedschaften import revoke_rolle
from tests.conftest import RLP
from tests.portal.datendateien import RLP_DATEI, edit_datendatei, massnahme_in
from tests.strategie.test_haertung_admin import _formulardaten

User = get_user_model()


def _frisch(*benutzer):
    for user in benutzer:
        policies.forget_rechte(user)


@pytest.fixture
def betrieb(client, daten):
    admin = User.objects.create_superuser("betrieb-rechte", "betrieb-rechte@example.org", "Betrieb-Passwort-2026")
    client.force_login(admin)
    return admin


# --- Beteiligung ------------------------------------------------------------------------------------------------


def test_portal_beteiligung_entfaellt_takes_the_report_right(client, kusel_user, kusel, i2):
    assert massnahmen_policies.can_report(kusel_user, i2, kusel.pk)
    client.force_login(kusel_user)

    response = client.post(
        reverse("massnahmen:beteiligung", args=[RLP, "I.2"]),
        {"organisation": kusel.pk, "aktion": "entfaellt", "begruendung": "Wird vom Land betrieben."},
    )

    assert response.status_code == 302
    _frisch(kusel_user)
    assert not massnahmen_policies.can_report(kusel_user, i2, kusel.pk)
    melden = client.get(reverse("massnahmen:melden", args=[RLP, "I.2"]) + f"?organisation={kusel.pk}")
    assert melden.status_code in (403, 404)


def test_admin_beteiligung_entfaellt_takes_the_report_right(client, betrieb, kusel_user, kusel, i2):
    url = reverse("admin:massnahmen_massnahme_change", args=[i2.pk])
    daten = _formulardaten(client.get(url))
    prefix = next(
        k[: -len("-organisation")] for k, v in daten.items() if k.endswith("-organisation") and v == str(kusel.pk)
    )
    daten[f"{prefix}-entfaellt"] = "on"
    daten[f"{prefix}-begruendung"] = "Im Admin erfasst."

    response = client.post(url, daten)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert Beteiligung.objects.get(massnahme=i2, organisation=kusel).entfaellt
    _frisch(kusel_user)
    assert not massnahmen_policies.can_report(kusel_user, i2, kusel.pk)


def test_loader_adds_a_beteiligung_and_its_report_right(datenkopie, kusel_user, kusel, rlp):
    i1 = Massnahme.objects.get(strategie=rlp, code="I.1")
    Beteiligung.objects.filter(massnahme=i1, organisation=kusel).delete()  # as if Kusel had never been listed
    policies.sync_objektrechte(rlp)
    _frisch(kusel_user)
    assert not massnahmen_policies.can_report(kusel_user, i1, kusel.pk)

    load_strategien(datenkopie)  # the file lists all Landkreise for I.1

    assert Beteiligung.objects.filter(massnahme=i1, organisation=kusel).exists()
    _frisch(kusel_user)
    assert massnahmen_policies.can_report(kusel_user, i1, kusel.pk)


# --- Federführung (I.4 is gemeinsam; without Federführung the Geschäftsstelle reports it for the Träger) ---------


def _kusel_fuehrt(kusel_user, geschaeftsstelle_user, kusel, massnahme) -> None:
    _frisch(kusel_user, geschaeftsstelle_user)
    assert massnahmen_policies.organisationen_fuer_meldung(kusel_user, massnahme) == {kusel.pk}
    assert massnahmen_policies.can_change_massnahme(kusel_user, massnahme)
    assert massnahmen_policies.organisationen_fuer_meldung(geschaeftsstelle_user, massnahme) == frozenset()


def test_admin_federfuehrung_moves_report_and_change_rights(
    client, betrieb, kusel_user, geschaeftsstelle_user, kusel, rlp
):
    i4 = Massnahme.objects.get(strategie=rlp, code="I.4")
    assert massnahmen_policies.organisationen_fuer_meldung(geschaeftsstelle_user, i4) == {rlp.traeger_id}
    assert not massnahmen_policies.can_change_massnahme(kusel_user, i4)
    url = reverse("admin:massnahmen_massnahme_change", args=[i4.pk])
    daten = _formulardaten(client.get(url))
    daten["federfuehrung"] = str(kusel.pk)

    response = client.post(url, daten)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    i4.refresh_from_db()
    assert i4.federfuehrung_id == kusel.pk
    _kusel_fuehrt(kusel_user, geschaeftsstelle_user, kusel, i4)
    client.force_login(kusel_user)
    assert client.get(reverse("massnahmen:bearbeiten", args=[RLP, "I.4"])).status_code == 200


def test_loader_federfuehrung_moves_report_and_change_rights(
    datenkopie, kusel_user, geschaeftsstelle_user, kusel, rlp
):
    i4 = Massnahme.objects.get(strategie=rlp, code="I.4")
    assert massnahmen_policies.organisationen_fuer_meldung(geschaeftsstelle_user, i4) == {rlp.traeger_id}

    edit_datendatei(datenkopie / RLP_DATEI, lambda d: massnahme_in(d, "I.4").update(federfuehrung=kusel.kennung))
    load_strategien(datenkopie)

    i4.refresh_from_db()
    assert i4.federfuehrung_id == kusel.pk
    _kusel_fuehrt(kusel_user, geschaeftsstelle_user, kusel, i4)


# --- Mitgliedschaft ---------------------------------------------------------------------------------------------


def test_portal_revoking_a_role_takes_every_right(client, geschaeftsstelle_user, kusel_user, kusel, i2, rlp):
    mitgliedschaft = kusel_user.mitgliedschaften.get(strategie=rlp)
    client.force_login(geschaeftsstelle_user)

    response = client.post(reverse("strategie:rolle_entziehen", args=[RLP, mitgliedschaft.pk]))

    assert response.status_code == 302
    assert not Mitgliedschaft.objects.filter(pk=mitgliedschaft.pk).exists()
    _frisch(kusel_user)
    assert not policies.strategien_visible_to(kusel_user).exists()
    assert not massnahmen_policies.can_report(kusel_user, i2, kusel.pk)
    client.force_login(kusel_user)
    assert client.get(reverse("portal:detail", args=[RLP])).status_code == 404


def test_admin_adding_a_role_gives_the_rights(client, betrieb, kusel, i2, rlp):
    person = User.objects.create_user("neu-berichtet", "neu-berichtet@example.org", "Ein-Passwort-2026")

    response = client.post(
        reverse("admin:strategie_mitgliedschaft_add"),
        {"user": person.pk, "strategie": rlp.pk, "organisation": kusel.pk, "rolle": "berichterstattung"},
    )

    assert response.status_code == 302
    assert policies.strategien_visible_to(person).filter(pk=rlp.pk).exists()
    assert massnahmen_policies.can_report(person, i2, kusel.pk)


def test_demo_loader_restores_a_revoked_demo_role(settings, kusel_user, kusel, i2, rlp):
    revoke_rolle(actor=None, mitgliedschaft=kusel_user.mitgliedschaften.get(strategie=rlp))
    _frisch(kusel_user)
    assert not massnahmen_policies.can_report(kusel_user, i2, kusel.pk)
    settings.DEBUG = True  # demo_laden refuses to run outside DEBUG

    load_demo()

    _frisch(kusel_user)
    assert policies.strategien_visible_to(kusel_user).filter(pk=rlp.pk).exists()
    assert massnahmen_policies.can_report(kusel_user, i2, kusel.pk)
