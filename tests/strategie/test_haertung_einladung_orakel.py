"""Security issue "account oracle": the member page of the Geschäftsstelle does not tell a new address from the
address of an account of another strategy (also a deactivated one). An invited new account never used is listed
among the open invitations, as a Rolleneinladung is, and both are withdrawn the same way."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from strategie.models import Mitgliedschaft, Organisation, Rolleneinladung, Sicherheitsereignis
from strategie.selectors import EINLADUNG_NEU, EINLADUNG_ROLLE, einladungskennung
from strategie.services.mitgliedschaften import grant_rolle
from tests.conftest import KGRZ, RLP

NEU_EMAIL = "niemand@kgrz-test.example"
FREMD_EMAIL = "it@kreis-kusel.example"
User = get_user_model()


@pytest.fixture
def kusel_mit_mail(kusel_user):
    kusel_user.email = FREMD_EMAIL
    kusel_user.save()
    return kusel_user


def _einladen(client, email: str, capture, *, vorname="Vera", nachname="Versuch", rolle="gast") -> str:
    """Invite as the KGRZ Geschäftsstelle; the success message shown afterwards."""
    kgrz = Organisation.objects.get(kennung="kgrz-koblenz")
    daten = {"email": email, "vorname": vorname, "nachname": nachname, "organisation": kgrz.pk, "rolle": rolle}
    with capture(execute=True):
        response = client.post(f"/{KGRZ}/benutzer/einladen/", daten)
    assert response.status_code == 302
    text = client.get(response["Location"]).content.decode()
    return re.search(r'kern-alert--success.*?<span class="kern-title">(.*?)</span>', text, re.S).group(1).strip()


def _seite(client) -> str:
    return client.get(f"/{KGRZ}/benutzer/").content.decode()


def _tabelle(seite: str) -> str:
    return re.search(r"<table.*?</table>", seite, re.S).group(0)


def _offene_einladungen(seite: str) -> list[str]:
    teil = re.search(r'id="offene-einladungen".*?<ul[^>]*>(.*?)</ul>', seite, re.S).group(1)
    return re.findall(r"<li>.*?</li>", teil, re.S)


def _eintrag(seite: str, email: str) -> str:
    (eintrag,) = [li for li in _offene_einladungen(seite) if f"({email})" in li]
    return eintrag


def _form(eintrag: str) -> str:
    return re.search(r'action="([^"]+)"', eintrag).group(1)


def _gleichgemacht(eintrag: str, email: str, vorname: str, nachname: str) -> str:
    eintrag = re.sub(r"/einladungen/[^/]+/zurueckziehen/", "/einladungen/TOKEN/zurueckziehen/", eintrag)
    eintrag = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value="CSRF"', eintrag)
    return eintrag.replace(email, "EMAIL").replace(vorname, "VORNAME").replace(nachname, "NACHNAME")


def _abbild(user):
    user.refresh_from_db()
    return (
        sorted(Mitgliedschaft.objects.filter(user=user).values_list("strategie__slug", "organisation_id", "rolle")),
        user.first_name,
        user.last_name,
        user.email,
        user.password,
        user.is_active,
        user.last_login,
    )


def test_new_address_and_account_of_another_strategy_read_alike(
    client, kgrz_user, kusel_mit_mail, django_capture_on_commit_callbacks
):
    client.force_login(kgrz_user)
    vorher = _abbild(kusel_mit_mail)

    bestehend = _einladen(client, FREMD_EMAIL, django_capture_on_commit_callbacks, vorname="Frieda", nachname="Fremd")
    neu = _einladen(client, NEU_EMAIL, django_capture_on_commit_callbacks, vorname="Nina", nachname="Neuling")
    seite = _seite(client)

    assert bestehend == f"Die Einladung an {FREMD_EMAIL} wurde versandt. Der Link gilt einmalig."
    assert bestehend.replace(FREMD_EMAIL, "X").encode() == neu.replace(NEU_EMAIL, "X").encode()
    assert FREMD_EMAIL not in _tabelle(seite) and NEU_EMAIL not in _tabelle(seite)
    assert "Nina" not in _tabelle(seite) and "Karl Kusel" not in seite
    fremd_li, neu_li = _eintrag(seite, FREMD_EMAIL), _eintrag(seite, NEU_EMAIL)
    assert _offene_einladungen(seite)[0] == neu_li  # newest first
    assert _gleichgemacht(fremd_li, FREMD_EMAIL, "Frieda", "Fremd") == _gleichgemacht(
        neu_li, NEU_EMAIL, "Nina", "Neuling"
    )
    assert "Frieda Fremd (it@kreis-kusel.example): Gast für KGRZ" in fremd_li
    assert "Nina Neuling (niemand@kgrz-test.example): Gast für KGRZ" in neu_li
    assert re.search(r'<span class="kern-sr-only">: Nina Neuling \(niemand@kgrz-test\.example\)</span>', neu_li)
    assert len(_form(fremd_li)) == len(_form(neu_li))
    assert _abbild(kusel_mit_mail) == vorher  # the foreign account holds exactly its roles
    assert Rolleneinladung.objects.filter(user=kusel_mit_mail, email=FREMD_EMAIL, angenommen_am=None).count() == 1
    nina = User.objects.get(email=NEU_EMAIL)
    assert client.get(f"/{KGRZ}/benutzer/{nina.pk}/verlauf/").status_code == 404  # its id tells nothing either


def test_a_second_invitation_replaces_the_first_for_both_kinds(
    client, kgrz_user, kusel_mit_mail, django_capture_on_commit_callbacks
):
    client.force_login(kgrz_user)
    for email in (FREMD_EMAIL, NEU_EMAIL):
        _einladen(client, email, django_capture_on_commit_callbacks, vorname="Erst", nachname="Mal")
        _einladen(
            client,
            email,
            django_capture_on_commit_callbacks,
            vorname="Zweit",
            nachname="Mal",
            rolle="berichterstattung",
        )

    seite = _seite(client)

    for email in (FREMD_EMAIL, NEU_EMAIL):
        (eintrag,) = [li for li in _offene_einladungen(seite) if f"({email})" in li]  # one entry, not two
        assert f"Zweit Mal ({email}): Berichterstattung für KGRZ" in eintrag
    nina = User.objects.get(email=NEU_EMAIL)
    assert list(Mitgliedschaft.objects.filter(user=nina).values_list("rolle", flat=True)) == ["berichterstattung"]


def test_deactivated_account_of_another_strategy_reads_like_a_new_address(
    client, kgrz_user, kusel_mit_mail, django_capture_on_commit_callbacks
):
    kusel_mit_mail.is_active = False
    kusel_mit_mail.save()
    client.force_login(kgrz_user)
    vorher = _abbild(kusel_mit_mail)
    mitgliedschaften = sorted(Mitgliedschaft.objects.values_list("pk", "user_id", "strategie_id", "rolle"))
    benutzer = sorted(User.objects.values_list("pk", "email", "is_active", "password"))
    ereignisse = set(Sicherheitsereignis.objects.values_list("pk", flat=True))

    deaktiviert = _einladen(client, FREMD_EMAIL, django_capture_on_commit_callbacks, vorname="Frieda", nachname="F")
    seite = _seite(client)

    assert deaktiviert == f"Die Einladung an {FREMD_EMAIL} wurde versandt. Der Link gilt einmalig."
    assert "deaktiviert" not in deaktiviert and "Kusel" not in seite
    assert FREMD_EMAIL not in _tabelle(seite) and "Frieda F (it@kreis-kusel.example)" in _eintrag(seite, FREMD_EMAIL)
    assert _abbild(kusel_mit_mail) == vorher
    assert sorted(Mitgliedschaft.objects.values_list("pk", "user_id", "strategie_id", "rolle")) == mitgliedschaften
    assert sorted(User.objects.values_list("pk", "email", "is_active", "password")) == benutzer
    assert Rolleneinladung.objects.filter(user=kusel_mit_mail).count() == 1
    neue_ereignisse = Sicherheitsereignis.objects.exclude(pk__in=ereignisse)
    assert list(neue_ereignisse.values_list("art", "user_id")) == [("einladung", kusel_mit_mail.pk)]
    assert mail.outbox == []  # a deactivated account is not written to


def test_deactivated_account_cannot_accept_its_invitation(
    client, kgrz_user, kusel_mit_mail, kgrz, django_capture_on_commit_callbacks
):
    kusel_mit_mail.is_active = False
    kusel_mit_mail.save()
    client.force_login(kgrz_user)
    _einladen(client, FREMD_EMAIL, django_capture_on_commit_callbacks)
    link = f"/einladung/rolle/{Rolleneinladung.objects.get().pk}/"
    eingeladen = client.__class__()

    anmeldung = eingeladen.post("/anmelden/", {"username": "demo-kusel", "password": "demo"})
    eingeladen.force_login(kusel_mit_mail)  # even with a session from before the deactivation
    annahme = eingeladen.post(link)

    assert anmeldung.status_code == 200 and "_auth_user_id" not in anmeldung.wsgi_request.session  # refused
    assert annahme.status_code == 302 and annahme["Location"].startswith("/anmelden/")
    assert not kusel_mit_mail.mitgliedschaften.filter(strategie=kgrz).exists()
    assert Rolleneinladung.objects.get().angenommen_am is None


def test_deactivated_member_of_this_strategy_is_still_named(client, geschaeftsstelle_user, cochem_user, rlp):
    cochem_user.is_active = False
    cochem_user.save()
    client.force_login(geschaeftsstelle_user)
    kusel = Organisation.objects.get(schluessel="07336")

    response = client.post(
        f"/{RLP}/benutzer/einladen/",
        {"email": cochem_user.email, "vorname": "C", "nachname": "Z", "organisation": kusel.pk, "rolle": "gast"},
    )

    assert response.status_code == 200
    assert "hat ein deaktiviertes Konto" in response.content.decode()
    assert not Rolleneinladung.objects.filter(user=cochem_user).exists()


def test_withdraw_both_kinds(client, kgrz_user, kusel_mit_mail, kgrz, django_capture_on_commit_callbacks):
    client.force_login(kgrz_user)
    vorher = _abbild(kusel_mit_mail)
    _einladen(client, FREMD_EMAIL, django_capture_on_commit_callbacks)
    _einladen(client, NEU_EMAIL, django_capture_on_commit_callbacks)
    seite = _seite(client)
    neu = User.objects.get(email=NEU_EMAIL)

    antworten = [client.post(_form(_eintrag(seite, email)), follow=True) for email in (NEU_EMAIL, FREMD_EMAIL)]

    texte = [a.content.decode() for a in antworten]
    assert f"Die Einladung an {NEU_EMAIL} wurde zurückgezogen." in texte[0]
    assert f"Die Einladung an {FREMD_EMAIL} wurde zurückgezogen." in texte[1]
    assert 'id="offene-einladungen"' not in texte[1]
    assert not User.objects.filter(pk=neu.pk).exists()  # never used, no role left: deleted
    assert not Mitgliedschaft.objects.filter(strategie=kgrz, user_id=neu.pk).exists()
    assert not Rolleneinladung.objects.exists()
    assert _abbild(kusel_mit_mail) == vorher
    ereignisse = Sicherheitsereignis.objects.filter(strategie=kgrz, art="einladung_zurueck")
    assert sorted(ereignisse.values_list("benutzername", flat=True)) == sorted(
        [neu.username, neu.username, kusel_mit_mail.username]
    )
    assert Sicherheitsereignis.objects.filter(benutzername=neu.username, art="rolle_entzogen", von=kgrz_user).exists()
    assert [client.post(_form(_eintrag(seite, email))).status_code for email in (NEU_EMAIL, FREMD_EMAIL)] == [
        404,
        404,
    ]  # once


def test_withdrawing_keeps_an_account_with_a_role_elsewhere(
    client, kgrz_user, rlp, django_capture_on_commit_callbacks
):
    client.force_login(kgrz_user)
    _einladen(client, NEU_EMAIL, django_capture_on_commit_callbacks)
    neu = User.objects.get(email=NEU_EMAIL)
    grant_rolle(actor=None, user=neu, strategie=rlp, organisation=rlp.traeger, rolle="gast")

    antwort = client.post(_form(_eintrag(_seite(client), NEU_EMAIL)))

    assert antwort.status_code == 302
    assert User.objects.filter(pk=neu.pk).exists()
    assert list(neu.mitgliedschaften.values_list("strategie__slug", flat=True)) == [RLP]


def test_other_strategy_and_forged_names_withdraw_nothing(
    client, kgrz_user, geschaeftsstelle_user, kusel_mit_mail, django_capture_on_commit_callbacks
):
    client.force_login(kgrz_user)
    _einladen(client, FREMD_EMAIL, django_capture_on_commit_callbacks)
    _einladen(client, NEU_EMAIL, django_capture_on_commit_callbacks)
    seite = _seite(client)
    ziele = [_form(_eintrag(seite, email)) for email in (NEU_EMAIL, FREMD_EMAIL)]
    neu = User.objects.get(email=NEU_EMAIL)
    mitgliedschaft = Mitgliedschaft.objects.get(user=neu)
    rolleneinladung = Rolleneinladung.objects.get()

    def zustand():
        return (
            sorted(Mitgliedschaft.objects.values_list("pk", flat=True)),
            sorted(User.objects.values_list("pk", flat=True)),
            sorted(Rolleneinladung.objects.values_list("pk", flat=True)),
            Sicherheitsereignis.objects.count(),
        )

    assert mitgliedschaft.pk != rolleneinladung.pk
    rlp_gs = client.__class__()
    rlp_gs.force_login(geschaeftsstelle_user)
    vorher = zustand()
    fremd = [rlp_gs.post(ziel).status_code for ziel in ziele]
    umgeleitet = [rlp_gs.post(ziel.replace(f"/{KGRZ}/", f"/{RLP}/")).status_code for ziel in ziele]
    gefaelscht = [
        client.post(f"/{KGRZ}/benutzer/einladungen/{kennung}/zurueckziehen/").status_code
        for kennung in (
            "0" * 32,
            "WyJtIiwxXQ",
            einladungskennung(
                strategie=geschaeftsstelle_user.mitgliedschaften.first().strategie, art="m", pk=mitgliedschaft.pk
            ),
            einladungskennung(strategie=rolleneinladung.strategie, art=EINLADUNG_NEU, pk=rolleneinladung.pk),
            einladungskennung(strategie=rolleneinladung.strategie, art=EINLADUNG_ROLLE, pk=mitgliedschaft.pk),
        )
    ]
    get = client.get(ziele[0]).status_code

    assert all(code in (403, 404) for code in fremd), fremd
    assert umgeleitet == [404, 404]
    assert gefaelscht == [404] * 5
    assert get == 405
    assert zustand() == vorher


def test_expired_invitations_of_both_kinds_say_so_and_a_new_one_replaces_them(
    client, kgrz_user, kusel_mit_mail, django_capture_on_commit_callbacks
):
    client.force_login(kgrz_user)
    _einladen(client, FREMD_EMAIL, django_capture_on_commit_callbacks, vorname="Frieda", nachname="Fremd")
    _einladen(client, NEU_EMAIL, django_capture_on_commit_callbacks, vorname="Nina", nachname="Neuling")
    frisch = _seite(client)
    vor_acht_tagen = timezone.now() - dt.timedelta(days=8)
    Rolleneinladung.objects.filter(email=FREMD_EMAIL).update(created_at=vor_acht_tagen)
    Mitgliedschaft.objects.filter(user__email=NEU_EMAIL).update(created_at=vor_acht_tagen)
    Sicherheitsereignis.objects.filter(art="einladung", user__email=NEU_EMAIL).update(zeitpunkt=vor_acht_tagen)

    alt = _seite(client)
    _einladen(client, NEU_EMAIL, django_capture_on_commit_callbacks, vorname="Nina", nachname="Neuling")
    erneuert = _seite(client)

    bis = (timezone.localtime(timezone.now()) + dt.timedelta(days=7)).strftime("%d.%m.%Y")
    assert f"Link gültig bis {bis}" in _eintrag(frisch, FREMD_EMAIL) and f"Link gültig bis {bis}" in _eintrag(
        frisch, NEU_EMAIL
    )
    abgelaufen = f"Link abgelaufen am {(timezone.localtime(vor_acht_tagen) + dt.timedelta(days=7)):%d.%m.%Y}"
    assert abgelaufen in _eintrag(alt, FREMD_EMAIL) and abgelaufen in _eintrag(alt, NEU_EMAIL)
    assert _gleichgemacht(_eintrag(alt, FREMD_EMAIL), FREMD_EMAIL, "Frieda", "Fremd") == _gleichgemacht(
        _eintrag(alt, NEU_EMAIL), NEU_EMAIL, "Nina", "Neuling"
    )  # both kinds still read alike
    assert f"Link gültig bis {bis}" in _eintrag(erneuert, NEU_EMAIL)
    assert abgelaufen in _eintrag(erneuert, FREMD_EMAIL)
