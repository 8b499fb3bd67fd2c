"""Point 1 of issue 14: no strategy reaches into another's accounts. The KGRZ Geschäftsstelle inviting the address
of an RLP account learns nothing (the page reads as for a new address) and changes nothing until the account's
owner accepts, signed in, with one click; it sees only its own strategy's security events of a shared account and
cannot lift that account's lockout."""

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail

from strategie.models import Mitgliedschaft, Organisation, Rolleneinladung, Sicherheitsereignis
from tests.conftest import KGRZ, RLP


@pytest.fixture
def kusel_mit_mail(kusel_user):
    kusel_user.email = "it@kreis-kusel.example"
    kusel_user.save()
    return kusel_user


def _einladen(client, email: str, capture):
    kgrz = Organisation.objects.get(kennung="kgrz-koblenz")
    daten = {"email": email, "vorname": "Vera", "nachname": "Versuch", "organisation": kgrz.pk, "rolle": "gast"}
    with capture(execute=True):
        response = client.post(f"/{KGRZ}/benutzer/einladen/", daten)
    assert response.status_code == 302
    text = client.get(response["Location"]).content.decode()
    return re.search(r'kern-alert--success.*?<span class="kern-title">(.*?)</span>', text, re.S).group(1).strip()


def _abbild(user):
    user.refresh_from_db()
    return (
        sorted(Mitgliedschaft.objects.filter(user=user).values_list("strategie__slug", "rolle")),
        user.first_name,
        user.last_name,
        user.password,
    )


def test_kgrz_invites_an_rlp_account_and_learns_nothing(
    client, kgrz_user, kusel_mit_mail, django_capture_on_commit_callbacks
):
    client.force_login(kgrz_user)
    vorher = _abbild(kusel_mit_mail)

    bestehend = _einladen(client, "IT@kreis-kusel.example", django_capture_on_commit_callbacks)
    neu = _einladen(client, "niemand@kgrz-test.example", django_capture_on_commit_callbacks)

    assert "Die Einladung an it@kreis-kusel.example wurde versandt." in bestehend
    assert bestehend.replace("it@kreis-kusel.example", "X") == neu.replace("niemand@kgrz-test.example", "X")
    assert "bereits ein Konto" not in bestehend and "Karl" not in bestehend
    assert _abbild(kusel_mit_mail) == vorher  # no role, no name, no password changed
    liste = client.get(f"/{KGRZ}/benutzer/").content.decode()
    assert "Vera Versuch (it@kreis-kusel.example)" in liste and "Karl Kusel" not in liste
    assert client.get(f"/{KGRZ}/benutzer/{kusel_mit_mail.pk}/verlauf/").status_code == 404
    einladung = mail.outbox[0]
    assert einladung.to == ["it@kreis-kusel.example"] and "/einladung/rolle/" in einladung.body


def test_kusel_accepts_the_invitation_signed_in_with_one_click(
    client, kgrz_user, kusel_mit_mail, kgrz, django_capture_on_commit_callbacks
):
    client.force_login(kgrz_user)
    _einladen(client, "it@kreis-kusel.example", django_capture_on_commit_callbacks)
    link = re.search(r"https?://[^/\s]+(/einladung/rolle/\d+/)", mail.outbox[0].body).group(1)
    anonym, fremd, eingeladen = client.__class__(), client.__class__(), client.__class__()
    fremd.force_login(kgrz_user)
    eingeladen.force_login(kusel_mit_mail)

    assert anonym.get(link).status_code == 302  # to the sign-in
    assert fremd.post(link).status_code == 404  # someone else's invitation
    assert not kusel_mit_mail.mitgliedschaften.filter(strategie=kgrz).exists()
    seite = eingeladen.get(link)
    angenommen = eingeladen.post(link)

    assert "Einladung annehmen" in seite.content.decode()
    assert angenommen.status_code == 302
    assert kusel_mit_mail.mitgliedschaften.filter(strategie=kgrz, rolle="gast").exists()
    assert Rolleneinladung.objects.get().angenommen_am is not None
    assert eingeladen.post(link).status_code == 404  # once


def _gemeinsames_konto(kusel_user, kgrz_user, kgrz):
    from strategie.services.mitgliedschaften import grant_rolle

    grant_rolle(actor=kgrz_user, user=kusel_user, strategie=kgrz, organisation=kgrz.traeger, rolle="gast")


def test_kgrz_sees_only_its_own_events_of_a_shared_account(client, kgrz_user, kusel_user, kgrz):
    _gemeinsames_konto(kusel_user, kgrz_user, kgrz)
    client.__class__().post("/anmelden/", {"username": "demo-kusel", "password": "demo"}, REMOTE_ADDR="203.0.113.77")
    assert Sicherheitsereignis.objects.filter(user=kusel_user, ip_adresse="203.0.113.77").exists()
    client.force_login(kgrz_user)

    text = client.get(f"/{KGRZ}/benutzer/{kusel_user.pk}/verlauf/").content.decode()

    assert "203.0.113.77" not in text
    assert "auch Rollen in anderen Strategien" in text


def test_rlp_sees_sign_ins_of_its_own_accounts(client, geschaeftsstelle_user, cochem_user):
    client.__class__().post(
        "/anmelden/", {"username": "demo-cochem-zell", "password": "demo"}, REMOTE_ADDR="203.0.113.78"
    )
    client.force_login(geschaeftsstelle_user)

    text = client.get(f"/{RLP}/benutzer/{cochem_user.pk}/verlauf/").content.decode()

    assert "203.0.113.78" in text


def test_kgrz_cannot_unlock_a_shared_account(client, kgrz_user, kusel_user, kgrz):
    _gemeinsames_konto(kusel_user, kgrz_user, kgrz)
    for nummer in range(5):
        client.__class__().post(
            "/anmelden/", {"username": "demo-kusel", "password": "falsch"}, REMOTE_ADDR=f"203.0.113.{nummer}"
        )
    vorher = list(AccessAttempt.objects.filter(username="demo-kusel").values_list("pk", "failures_since_start"))
    client.force_login(kgrz_user)

    response = client.post(f"/{KGRZ}/benutzer/{kusel_user.pk}/entsperren/", follow=True)

    assert "Bitte wenden Sie sich an den Betrieb." in response.content.decode()
    assert (
        list(AccessAttempt.objects.filter(username="demo-kusel").values_list("pk", "failures_since_start")) == vorher
    )
    assert not Sicherheitsereignis.objects.filter(art="entsperrt", user=kusel_user).exists()
