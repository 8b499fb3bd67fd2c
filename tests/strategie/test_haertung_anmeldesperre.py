"""Point 13 of issue 14: failures count per account (from any address, with a cool-off) and per client address
(password spraying), the client address comes from X-Forwarded-For behind the configured trusted proxies."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.test import override_settings
from django.utils import timezone

from strategie.models import Sicherheitsereignis


def _anmelden(client, benutzername: str, passwort: str, adresse: str, weitergeleitet: str | None = None):
    kopf = {"REMOTE_ADDR": adresse}
    if weitergeleitet is not None:
        kopf["HTTP_X_FORWARDED_FOR"] = weitergeleitet
    return client.post("/anmelden/", {"username": benutzername, "password": passwort}, **kopf)


def test_anonymous_guessing_from_many_addresses_locks_the_account(client, daten):
    for nummer in range(5):  # one failure each from five addresses
        _anmelden(client, "demo-cochem-zell", "falsch", f"203.0.113.{nummer + 1}")

    response = _anmelden(client, "demo-cochem-zell", "demo", "203.0.113.99")  # right password, sixth address

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert Sicherheitsereignis.objects.filter(art="sperre", benutzername="demo-cochem-zell").exists()


def test_account_lock_ends_after_the_cool_off(client, daten):
    for nummer in range(5):
        _anmelden(client, "demo-cochem-zell", "falsch", f"203.0.113.{nummer + 1}")
    AccessAttempt.objects.filter(username="demo-cochem-zell").update(
        attempt_time=timezone.now() - dt.timedelta(minutes=31)
    )

    response = _anmelden(client, "demo-cochem-zell", "demo", "203.0.113.99")

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


@override_settings(ANMELDUNG_FEHLVERSUCHE_JE_ADRESSE=6)
def test_anonymous_spraying_from_one_address_locks_that_address_only(client, daten):
    for name in ("demo-kusel", "demo-gast", "demo-kgrz", "demo-lenkungsausschuss", "demo-geschaeftsstelle", "x"):
        _anmelden(client, name, "Sommer2026!!", "198.51.100.7")  # one guess per account: no account locked

    gesperrt = _anmelden(client, "demo-cochem-zell", "demo", "198.51.100.7")
    anderer = client.__class__()
    andere_adresse = _anmelden(anderer, "demo-kusel", "demo", "198.51.100.8")

    assert gesperrt.status_code == 429
    assert "_auth_user_id" not in client.session
    assert andere_adresse.status_code == 302  # the accounts themselves are not locked


@override_settings(ANMELDUNG_FEHLVERSUCHE_JE_ADRESSE=6)
def test_own_successful_sign_in_does_not_clear_the_address_count(client, daten):
    for name in ("demo-kusel", "demo-gast", "demo-kgrz"):
        _anmelden(client, name, "falsch", "198.51.100.7")
    assert _anmelden(client.__class__(), "demo-lenkungsausschuss", "demo", "198.51.100.7").status_code == 302
    for name in ("demo-geschaeftsstelle", "y", "z"):
        _anmelden(client, name, "falsch", "198.51.100.7")

    response = _anmelden(client, "demo-cochem-zell", "demo", "198.51.100.7")

    assert response.status_code == 429


@override_settings(VERTRAUTE_PROXYS=1)
def test_behind_the_proxy_each_client_counts_for_itself(client, daten):
    """Every request comes from the proxy's address; five failures of one client do not lock another client."""
    for _ in range(5):
        _anmelden(client, "x-unbekannt", "falsch", "10.0.0.2", weitergeleitet="203.0.113.5")
    with override_settings(ANMELDUNG_FEHLVERSUCHE_JE_ADRESSE=5):
        gesperrt = _anmelden(client.__class__(), "demo-kusel", "demo", "10.0.0.2", weitergeleitet="203.0.113.5")
        anderer = _anmelden(client.__class__(), "demo-kusel", "demo", "10.0.0.2", weitergeleitet="203.0.113.6")

    assert gesperrt.status_code == 429
    assert anderer.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    assert Sicherheitsereignis.objects.filter(art="anmeldung", ip_adresse="203.0.113.6").exists()


@override_settings(VERTRAUTE_PROXYS=1)
def test_anonymous_cannot_forge_the_address_behind_the_proxy(client, daten):
    """A client writes its own X-Forwarded-For; the proxy appends the real address, which alone counts."""
    for nummer in range(3):
        _anmelden(client, "x-unbekannt", "falsch", "10.0.0.2", weitergeleitet=f"192.0.2.{nummer}, 203.0.113.5")

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}


@pytest.mark.parametrize(
    ("proxys", "kopf", "erwartet"),
    [
        (0, "203.0.113.5", "10.0.0.2"),  # no proxy trusted: the header is the client's own claim
        (1, "192.0.2.1, 203.0.113.5", "203.0.113.5"),
        (2, "192.0.2.1, 203.0.113.5, 10.0.0.9", "203.0.113.5"),
        (2, "203.0.113.5", "10.0.0.2"),  # fewer entries than proxies: only the direct peer is certain
        (1, "kein-ip", "10.0.0.2"),
    ],
)
def test_client_address_is_read_behind_the_configured_proxies(client, daten, proxys, kopf, erwartet):
    with override_settings(VERTRAUTE_PROXYS=proxys):
        _anmelden(client, "x-unbekannt", "falsch", "10.0.0.2", weitergeleitet=kopf)

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [erwartet]
