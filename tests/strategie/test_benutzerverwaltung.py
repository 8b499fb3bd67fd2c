"""The Geschäftsstelle manages the users of its own strategy: invite, change and revoke roles, deactivate,
unlock, and read a user's Verlauf."""

import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from massnahmen.models import Statusmeldung
from strategie.models import Mitgliedschaft, Organisation, Sicherheitsereignis
from tests.conftest import RLP

User = get_user_model()


def _einladen(client, **werte):
    kusel = Organisation.objects.get(schluessel="07336")
    daten = {
        "email": "neue.it@kreis-kusel.example",
        "vorname": "Nora",
        "nachname": "Neu",
        "organisation": kusel.pk,
        "rolle": "berichterstattung",
        **werte,
    }
    return client.post(reverse("strategie:benutzer_einladen", args=[RLP]), daten)


def _abbild():
    return (
        User.objects.count(),
        sorted(Mitgliedschaft.objects.values_list("user_id", "organisation_id", "rolle")),
        sorted(User.objects.values_list("username", "is_active")),
    )


def test_geschaeftsstelle_sees_users_with_organisation_and_role(client, geschaeftsstelle_user):
    client.force_login(geschaeftsstelle_user)

    text = client.get(reverse("strategie:benutzer_liste", args=[RLP])).content.decode()

    assert "Karl Kusel (Demo)" in text and "Berichterstattung für Kusel" in text
    assert "Kai KGRZ" not in text  # member of the other strategy only


def test_geschaeftsstelle_invites_and_the_link_works_once(
    client, geschaeftsstelle_user, django_capture_on_commit_callbacks
):
    client.force_login(geschaeftsstelle_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = _einladen(client)

    assert response.status_code == 302
    neu = User.objects.get(email="neue.it@kreis-kusel.example")
    assert not neu.has_usable_password()
    assert neu.mitgliedschaften.get().rolle == "berichterstattung"
    assert len(mail.outbox) == 1 and mail.outbox[0].alternatives
    link = re.search(r"http://\S+/einladung/\S+/", mail.outbox[0].body).group(0).split("8000", 1)[1]
    besucher = client.__class__()
    assert "Willkommen" in besucher.get(link).content.decode()
    besucher.post(link, {"new_password1": "Kreisverwaltung-2026!", "new_password2": "Kreisverwaltung-2026!"})
    neu.refresh_from_db()
    assert neu.check_password("Kreisverwaltung-2026!")
    assert besucher.get(link).status_code == 400  # used
    assert (
        besucher.post("/anmelden/", {"username": neu.username, "password": "Kreisverwaltung-2026!"}).status_code == 302
    )


@override_settings(EINLADUNG_GUELTIG_TAGE=7)
def test_expired_invitation_link_is_refused(
    client, geschaeftsstelle_user, django_capture_on_commit_callbacks, monkeypatch
):
    import datetime as dt

    from strategie.services.einladungen import Einladungstoken, einladungstoken

    client.force_login(geschaeftsstelle_user)
    with django_capture_on_commit_callbacks(execute=True):
        _einladen(client)
    link = re.search(r"/einladung/\S+/", mail.outbox[0].body).group(0)
    jetzt = einladungstoken._now()
    monkeypatch.setattr(Einladungstoken, "_now", lambda self: jetzt + dt.timedelta(days=8))

    response = client.__class__().get(link)

    assert response.status_code == 400 and "nicht mehr gültig" in response.content.decode()


def test_unknown_invitation_link_is_refused(client, daten):
    response = client.get("/einladung/MTIzNDU/ungueltig-token/")

    assert response.status_code == 400 and "nicht mehr gültig" in response.content.decode()


def test_inviting_an_existing_account_only_grants_the_role(client, geschaeftsstelle_user, cochem_user):
    client.force_login(geschaeftsstelle_user)
    cochem_user.email = "it@cochem-zell.example"
    cochem_user.save()
    anzahl = User.objects.count()

    _einladen(client, email="IT@cochem-zell.example", rolle="gast")

    assert User.objects.count() == anzahl and mail.outbox == []
    assert cochem_user.mitgliedschaften.filter(rolle="gast").exists()


def test_role_for_organisation_outside_strategy_is_refused(client, geschaeftsstelle_user):
    client.force_login(geschaeftsstelle_user)
    kgrz = Organisation.objects.get(kennung="kgrz-koblenz")  # not part of the RLP strategy
    vorher = _abbild()

    response = _einladen(client, organisation=kgrz.pk)

    assert response.status_code == 200 and "Bitte prüfen Sie Ihre Angaben" in response.content.decode()
    assert _abbild() == vorher


def test_invitation_form_preselects_no_organisation_and_sorts_short_names(client, geschaeftsstelle_user):
    client.force_login(geschaeftsstelle_user)
    html = client.get(reverse("strategie:benutzer_einladen", args=[RLP])).content.decode()
    auswahl = html[html.index('name="organisation"') : html.index("</select>", html.index('name="organisation"'))]

    assert '<option value="" selected>Bitte wählen</option>' in auswahl
    namen = re.findall(r'<option value="\d+">([^<]+)</option>', auswahl)
    assert "Kusel" in namen and "Landkreis Kusel" not in namen  # the short name, as in every other form
    assert len(namen) > 24 and namen == sorted(namen, key=str.casefold)
    vorher = _abbild()
    response = _einladen(client, organisation="")
    assert "Bitte wählen Sie die Organisation." in response.content.decode() and _abbild() == vorher


def test_geschaeftsstelle_of_other_strategy_cannot_invite_into_rlp(client, kgrz_user):
    client.force_login(kgrz_user)
    vorher = _abbild()

    assert client.get(reverse("strategie:benutzer_liste", args=[RLP])).status_code == 404
    assert _einladen(client).status_code == 404
    assert _abbild() == vorher


@pytest.mark.parametrize("benutzer", ["gast", "kusel_user", "lenkungsausschuss_user"])
def test_members_without_manage_right_get_403(client, request, benutzer):
    client.force_login(request.getfixturevalue(benutzer))
    vorher = _abbild()

    assert client.get(reverse("strategie:benutzer_liste", args=[RLP])).status_code == 403
    assert _einladen(client).status_code == 403
    assert _abbild() == vorher


def test_geschaeftsstelle_revokes_and_changes_roles(client, geschaeftsstelle_user, cochem_user):
    client.force_login(geschaeftsstelle_user)
    mitgliedschaft = cochem_user.mitgliedschaften.get()
    kusel = Organisation.objects.get(schluessel="07336")

    client.post(
        reverse("strategie:rolle_aendern", args=[RLP, mitgliedschaft.pk]), {"organisation": kusel.pk, "rolle": "gast"}
    )

    neu = cochem_user.mitgliedschaften.get()
    assert (neu.organisation, neu.rolle) == (kusel, "gast")
    assert neu.history.first().history_user == geschaeftsstelle_user
    client.post(reverse("strategie:rolle_entziehen", args=[RLP, neu.pk]))
    assert not cochem_user.mitgliedschaften.exists()


def test_mitgliedschaft_of_other_strategy_is_404(client, geschaeftsstelle_user, kgrz_user):
    client.force_login(geschaeftsstelle_user)
    fremd = kgrz_user.mitgliedschaften.first()

    response = client.post(reverse("strategie:rolle_entziehen", args=[RLP, fremd.pk]))

    assert response.status_code == 404
    assert Mitgliedschaft.objects.filter(pk=fremd.pk).exists()


def test_deactivated_user_keeps_reports_and_cannot_sign_in(client, geschaeftsstelle_user, kusel_user):
    client.force_login(geschaeftsstelle_user)
    meldungen = Statusmeldung.objects.filter(von=kusel_user).count()

    client.post(reverse("strategie:benutzer_deaktivieren", args=[RLP, kusel_user.pk]))

    kusel_user.refresh_from_db()
    assert not kusel_user.is_active
    assert Statusmeldung.objects.filter(von=kusel_user).count() == meldungen
    assert client.__class__().post("/anmelden/", {"username": "demo-kusel", "password": "demo"}).status_code == 200
    assert Sicherheitsereignis.objects.filter(art="deaktiviert", user=kusel_user).exists()


def test_user_of_another_strategy_too_is_not_deactivated(client, geschaeftsstelle_user, kgrz, kusel_user):
    from strategie.services.mitgliedschaften import grant_rolle

    grant_rolle(actor=None, user=kusel_user, strategie=kgrz, organisation=kgrz.traeger, rolle="gast")
    client.force_login(geschaeftsstelle_user)

    response = client.post(reverse("strategie:benutzer_deaktivieren", args=[RLP, kusel_user.pk]), follow=True)

    assert "gehört auch zur Strategie" in response.content.decode()
    kusel_user.refresh_from_db()
    assert kusel_user.is_active


@override_settings(AXES_FAILURE_LIMIT=2)
def test_geschaeftsstelle_unlocks_a_locked_out_user(client, geschaeftsstelle_user, cochem_user):
    for _ in range(2):
        client.__class__().post("/anmelden/", {"username": "demo-cochem-zell", "password": "falsch"})
    client.force_login(geschaeftsstelle_user)
    assert "gesperrt" in client.get(reverse("strategie:benutzer_liste", args=[RLP])).content.decode()

    client.post(reverse("strategie:benutzer_entsperren", args=[RLP, cochem_user.pk]))

    assert not AccessAttempt.objects.filter(username="demo-cochem-zell").exists()
    assert (
        client.__class__().post("/anmelden/", {"username": "demo-cochem-zell", "password": "demo"}).status_code == 302
    )


def test_user_verlauf_shows_role_changes_and_security_events(client, geschaeftsstelle_user, cochem_user):
    client.force_login(geschaeftsstelle_user)
    kusel = Organisation.objects.get(schluessel="07336")
    client.post(
        reverse("strategie:rolle_aendern", args=[RLP, cochem_user.mitgliedschaften.get().pk]),
        {"organisation": kusel.pk, "rolle": "gast"},
    )

    text = client.get(reverse("strategie:benutzer_verlauf", args=[RLP, cochem_user.pk])).content.decode()

    assert "Rolle geändert: Berichterstattung für Cochem-Zell → Gast für Kusel" in text
    assert "Rolle gelöscht" not in text and "Rolle angelegt" in text  # granted once by the demo, changed once
    assert "Greta Geschäftsstelle (Demo)" in text and "Rolle vergeben" in text


def test_user_verlauf_is_for_the_geschaeftsstelle_only(client, lenkungsausschuss_user, cochem_user):
    client.force_login(lenkungsausschuss_user)

    assert client.get(reverse("strategie:benutzer_verlauf", args=[RLP, cochem_user.pk])).status_code == 403


def test_user_verlauf_hides_events_of_other_strategies(client, geschaeftsstelle_user, kusel_user, kgrz, kgrz_user):
    from strategie.services.mitgliedschaften import grant_rolle

    grant_rolle(actor=kgrz_user, user=kusel_user, strategie=kgrz, organisation=kgrz.traeger, rolle="gast")
    client.force_login(geschaeftsstelle_user)

    text = client.get(reverse("strategie:benutzer_verlauf", args=[RLP, kusel_user.pk])).content.decode()

    assert "Kai KGRZ" not in text and "Gast für KGRZ" not in text
    assert "Berichterstattung für Kusel" in text


def test_reinviting_an_account_without_password_sends_a_new_link(
    client, geschaeftsstelle_user, django_capture_on_commit_callbacks
):
    client.force_login(geschaeftsstelle_user)
    with django_capture_on_commit_callbacks(execute=True):
        _einladen(client)
    with django_capture_on_commit_callbacks(execute=True):
        _einladen(client, rolle="gast")

    assert len(mail.outbox) == 2
    assert User.objects.filter(email="neue.it@kreis-kusel.example").count() == 1
