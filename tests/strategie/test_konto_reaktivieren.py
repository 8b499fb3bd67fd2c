"""Deactivating an account asks first; the Geschäftsstelle can activate it again, and both are audited."""

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from strategie.models import Organisation, Sicherheitsereignis
from tests.conftest import RLP

User = get_user_model()


def test_geschaeftsstelle_is_asked_before_deactivating(client, geschaeftsstelle_user, cochem_user):
    client.force_login(geschaeftsstelle_user)
    liste = client.get(reverse("strategie:benutzer_liste", args=[RLP])).content.decode()
    url = reverse("strategie:benutzer_deaktivieren", args=[RLP, cochem_user.pk])

    frage = client.get(url)

    assert f'href="{url}"' in liste  # a link to the question, not a button that acts at once
    assert frage.status_code == 200
    text = frage.content.decode()
    assert "Konto von Clara Cochem-Zell (Demo) deaktivieren?" in text and "Wieder aktivieren" in text
    cochem_user.refresh_from_db()
    assert cochem_user.is_active  # asking changes nothing


def test_geschaeftsstelle_deactivates_and_reactivates_with_audit(client, geschaeftsstelle_user, cochem_user):
    client.force_login(geschaeftsstelle_user)

    client.post(reverse("strategie:benutzer_deaktivieren", args=[RLP, cochem_user.pk]))
    cochem_user.refresh_from_db()
    assert not cochem_user.is_active
    assert not _kann_anmelden("demo-cochem-zell", "demo")
    liste = client.get(reverse("strategie:benutzer_liste", args=[RLP])).content.decode()
    assert reverse("strategie:benutzer_reaktivieren", args=[RLP, cochem_user.pk]) in liste

    frage = client.get(reverse("strategie:benutzer_reaktivieren", args=[RLP, cochem_user.pk])).content.decode()
    antwort = client.post(
        reverse("strategie:benutzer_reaktivieren", args=[RLP, cochem_user.pk]),
        {"grund": "Rückkehr aus der Elternzeit"},
    )

    assert "Konto von Clara Cochem-Zell (Demo) wieder aktivieren?" in frage
    assert antwort.status_code == 302
    cochem_user.refresh_from_db()
    assert cochem_user.is_active
    assert _kann_anmelden("demo-cochem-zell", "demo")
    ereignis = Sicherheitsereignis.objects.get(user=cochem_user, art=Sicherheitsereignis.Art.REAKTIVIERT)
    assert (ereignis.von, ereignis.details) == (geschaeftsstelle_user, "Rückkehr aus der Elternzeit")
    verlauf = client.get(reverse("strategie:benutzer_verlauf", args=[RLP, cochem_user.pk])).content.decode()
    assert "Benutzer wieder aktiviert" in verlauf and "Benutzer deaktiviert" in verlauf


def test_reinviting_a_deactivated_account_says_to_reactivate_it(client, geschaeftsstelle_user, cochem_user):
    client.force_login(geschaeftsstelle_user)
    client.post(reverse("strategie:benutzer_deaktivieren", args=[RLP, cochem_user.pk]))
    kusel = Organisation.objects.get(schluessel="07336")

    antwort = client.post(
        reverse("strategie:benutzer_einladen", args=[RLP]),
        {"email": cochem_user.email, "vorname": "Clara", "nachname": "C", "organisation": kusel.pk, "rolle": "gast"},
    )

    assert antwort.status_code == 200
    assert (
        "hat ein deaktiviertes Konto. Bitte aktivieren Sie es in der Benutzerliste wieder" in antwort.content.decode()
    )
    assert not cochem_user.mitgliedschaften.filter(rolle="gast").exists()


def test_lenkungsausschuss_cannot_reactivate(client, lenkungsausschuss_user, cochem_user):
    cochem_user.is_active = False
    cochem_user.save()
    client.force_login(lenkungsausschuss_user)

    antwort = client.post(reverse("strategie:benutzer_reaktivieren", args=[RLP, cochem_user.pk]))

    assert antwort.status_code == 403
    cochem_user.refresh_from_db()
    assert not cochem_user.is_active


def _kann_anmelden(benutzername: str, passwort: str) -> bool:
    antwort = Client().post(reverse("strategie:anmelden"), {"username": benutzername, "password": passwort})
    return antwort.status_code == 302
