"""Point 14 of issue 14: "Passwort vergessen" is throttled per e-mail address and per client; the answer stays the
same, so it reveals nothing."""

import pytest
from django.core import mail

from strategie.models import Sicherheitsereignis


@pytest.fixture
def kusel_mit_mail(kusel_user):
    kusel_user.email = "it@kreis-kusel.example"
    kusel_user.save()
    return kusel_user


def _anfordern(client, email: str, adresse: str = "203.0.113.5"):
    return client.post("/passwort-vergessen/", {"email": email}, REMOTE_ADDR=adresse)


def test_anonymous_8_requests_for_one_address_send_3_mails(client, kusel_mit_mail):
    antworten = [_anfordern(client, "it@kreis-kusel.example", f"203.0.113.{n}") for n in range(8)]

    assert len(mail.outbox) == 3
    assert {(a.status_code, a["Location"]) for a in antworten} == {(302, "/passwort-vergessen/gesendet/")}
    ereignisse = Sicherheitsereignis.objects.filter(art="passwort_angefordert", benutzername="it@kreis-kusel.example")
    assert ereignisse.count() == 8
    assert ereignisse.filter(details__startswith="kein Link versandt").count() == 5


def test_anonymous_one_client_trying_many_addresses_is_throttled(client, kusel_mit_mail):
    for nummer in range(10):
        _anfordern(client, f"unbekannt{nummer}@example.org")

    response = _anfordern(client, "it@kreis-kusel.example")
    anderer_client = _anfordern(client.__class__(), "it@kreis-kusel.example", "203.0.113.6")

    assert response.status_code == 302 and response["Location"] == "/passwort-vergessen/gesendet/"
    assert [m.to for m in mail.outbox] == [["it@kreis-kusel.example"]]  # only the other client's request
    assert anderer_client.status_code == 302


def test_throttled_and_sent_answers_read_the_same(client, kusel_mit_mail):
    for _ in range(4):
        gedrosselt = _anfordern(client, "it@kreis-kusel.example")
    unbekannt = _anfordern(client.__class__(), "niemand@example.org", "203.0.113.9")

    assert gedrosselt["Location"] == unbekannt["Location"]
    assert _inhalt(client.get(gedrosselt["Location"])) == _inhalt(client.__class__().get(unbekannt["Location"]))


def _inhalt(response) -> str:
    text = response.content.decode()
    return text[text.index('<main id="inhalt"') : text.index("</main>")]
