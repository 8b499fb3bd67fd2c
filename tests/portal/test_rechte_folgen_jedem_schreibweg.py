"""Rights follow a changed Beteiligung, Federführung and Mitgliedschaft on every path that writes them.

The paths: the portal over HTTP (Beteiligung, Mitgliedschaft; the portal has no form for the Federführung),
the Django admin over HTTP (all three) and the loaders as an operator runs them (strategien_laden: Federführung
and Beteiligung; demo_laden: Mitgliedschaft, which strategien_laden does not load). Each test reads the right
to report before and after, through the public policies, as every page does, and through the reporting page.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from massnahmen import policies as massnahmen_policies
from massnahmen.models import Beteiligung, Massnahme
from strategie import policies
from strategie.models import Mitgliedschaft
from strategie.services.mitgliedschaften import revoke_rolle
from tests.conftest import RLP
from tests.portal.datendateien import RLP_DATEI, edit_datendatei, massnahme_in
from tests.strategie.test_haertung_admin import _formulardaten

User = get_user_model()


def _frisch(*benutzer):
    """Drop what the user objects have read about their rights, as the next request would start anew."""
    for user in benutzer:
        policies.forget_rechte(user)


def _meldet(user, massnahme, organisation) -> bool:
    """Whether `user` may report on `massnahme` for `organisation`: the policy and the reporting page agree."""
    _frisch(user)
    darf = massnahmen_policies.can_report(user, massnahme, organisation.pk)
    browser = Client()
    browser.force_login(user)
    antwort = browser.get(reverse("massnahmen:melden", args=[RLP, massnahme.code]), {"organisation": organisation.pk})
    assert antwort.status_code in (200, 403, 404)
    assert (antwort.status_code == 200) == darf, f"policy {darf}, page {antwort.status_code}"
    return darf


@pytest.fixture
def betrieb(client, daten):
    admin = User.objects.create_superuser("betrieb-rechte", "betrieb-rechte@example.org", "Betrieb-Passwort-2026")
    client.force_login(admin)
    return admin


@pytest.fixture
def traeger(rlp):
    return rlp.traeger


# --- Beteiligung ------------------------------------------------------------------------------------------------


def test_portal_beteiligung_entfaellt_takes_the_report_right(client, kusel_user, kusel, i2):
    assert _meldet(kusel_user, i2, kusel)
    client.force_login(kusel_user)

    response = client.post(
        reverse("massnahmen:beteiligung", args=[RLP, "I.2"]),
        {"organisation": kusel.pk, "aktion": "entfaellt", "begruendung": "Wird vom Land betrieben."},
    )

    assert response.status_code == 302
    assert not _meldet(kusel_user, i2, kusel)


def test_admin_beteiligung_entfaellt_takes_the_report_right(client, betrieb, kusel_user, kusel, i2):
    assert _meldet(kusel_user, i2, kusel)
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
    assert not _meldet(kusel_user, i2, kusel)


def test_loader_adds_a_beteiligung_and_its_report_right(datenkopie, kusel_user, kusel, rlp):
    i1 = Massnahme.objects.get(strategie=rlp, code="I.1")
    Beteiligung.objects.filter(massnahme=i1, organisation=kusel).delete()  # as if Kusel had never been listed
    policies.sync_objektrechte(rlp)
    assert not _meldet(kusel_user, i1, kusel)

    call_command("strategien_laden", verzeichnis=str(datenkopie))  # the file lists all Landkreise for I.1

    assert Beteiligung.objects.filter(massnahme=i1, organisation=kusel).exists()
    assert _meldet(kusel_user, i1, kusel)


# --- Federführung (I.4 is gemeinsam; without Federführung the Geschäftsstelle reports it for the Träger) ---------


def _traeger_meldet(geschaeftsstelle_user, kusel_user, traeger, kusel, massnahme) -> None:
    assert _meldet(geschaeftsstelle_user, massnahme, traeger)
    assert not _meldet(kusel_user, massnahme, kusel)
    assert not massnahmen_policies.can_change_massnahme(kusel_user, massnahme)


def _kusel_fuehrt(kusel_user, geschaeftsstelle_user, kusel, traeger, massnahme) -> None:
    assert _meldet(kusel_user, massnahme, kusel)
    assert massnahmen_policies.organisationen_fuer_meldung(kusel_user, massnahme) == {kusel.pk}
    assert massnahmen_policies.can_change_massnahme(kusel_user, massnahme)
    assert not _meldet(geschaeftsstelle_user, massnahme, traeger)
    assert massnahmen_policies.organisationen_fuer_meldung(geschaeftsstelle_user, massnahme) == frozenset()


def test_admin_federfuehrung_moves_report_and_change_rights(
    client, betrieb, kusel_user, geschaeftsstelle_user, kusel, traeger, rlp
):
    i4 = Massnahme.objects.get(strategie=rlp, code="I.4")
    _traeger_meldet(geschaeftsstelle_user, kusel_user, traeger, kusel, i4)
    url = reverse("admin:massnahmen_massnahme_change", args=[i4.pk])
    daten = _formulardaten(client.get(url))
    daten["federfuehrung"] = str(kusel.pk)

    response = client.post(url, daten)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    i4.refresh_from_db()
    assert i4.federfuehrung_id == kusel.pk
    _kusel_fuehrt(kusel_user, geschaeftsstelle_user, kusel, traeger, i4)
    client.force_login(kusel_user)
    assert client.get(reverse("massnahmen:bearbeiten", args=[RLP, "I.4"])).status_code == 200


def test_loader_federfuehrung_moves_report_and_change_rights(
    datenkopie, kusel_user, geschaeftsstelle_user, kusel, traeger, rlp
):
    i4 = Massnahme.objects.get(strategie=rlp, code="I.4")
    _traeger_meldet(geschaeftsstelle_user, kusel_user, traeger, kusel, i4)
    edit_datendatei(datenkopie / RLP_DATEI, lambda d: massnahme_in(d, "I.4").update(federfuehrung=kusel.kennung))

    call_command("strategien_laden", verzeichnis=str(datenkopie))

    i4.refresh_from_db()
    assert i4.federfuehrung_id == kusel.pk
    _kusel_fuehrt(kusel_user, geschaeftsstelle_user, kusel, traeger, i4)


# --- Mitgliedschaft ---------------------------------------------------------------------------------------------


def test_portal_revoking_a_role_takes_every_right(client, geschaeftsstelle_user, kusel_user, kusel, i2, rlp):
    assert _meldet(kusel_user, i2, kusel)
    mitgliedschaft = kusel_user.mitgliedschaften.get(strategie=rlp)
    client.force_login(geschaeftsstelle_user)

    response = client.post(reverse("strategie:rolle_entziehen", args=[RLP, mitgliedschaft.pk]))

    assert response.status_code == 302
    assert not Mitgliedschaft.objects.filter(pk=mitgliedschaft.pk).exists()
    assert not _meldet(kusel_user, i2, kusel)
    assert not policies.strategien_visible_to(kusel_user).exists()
    client.force_login(kusel_user)
    assert client.get(reverse("portal:detail", args=[RLP])).status_code == 404


def test_admin_adding_a_role_gives_the_rights(client, betrieb, kusel, i2, rlp):
    person = User.objects.create_user("neu-berichtet", "neu-berichtet@example.org", "Ein-Passwort-2026")
    assert not _meldet(person, i2, kusel)

    response = client.post(
        reverse("admin:strategie_mitgliedschaft_add"),
        {"user": person.pk, "strategie": rlp.pk, "organisation": kusel.pk, "rolle": "berichterstattung"},
    )

    assert response.status_code == 302
    assert _meldet(person, i2, kusel)
    assert policies.strategien_visible_to(person).filter(pk=rlp.pk).exists()


def test_demo_loader_restores_a_revoked_demo_role(settings, kusel_user, kusel, i2, rlp):
    revoke_rolle(actor=None, mitgliedschaft=kusel_user.mitgliedschaften.get(strategie=rlp))
    assert not _meldet(kusel_user, i2, kusel)
    settings.DEBUG = True  # demo_laden refuses to run outside DEBUG

    call_command("demo_laden")

    assert _meldet(kusel_user, i2, kusel)
    assert policies.strategien_visible_to(kusel_user).filter(pk=rlp.pk).exists()
