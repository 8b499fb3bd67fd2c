"""E-mails leave only after the transaction that caused them has committed: a rolled-back invitation or reminder
sends nothing, and nothing is sent before the commit. A mail server refusing one message after the commit must
neither stop the other reminders nor turn a stored invitation into an error page."""

import datetime as dt
import smtplib

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.urls import reverse

from massnahmen.models import Berichtsrunde, Erinnerung, Massnahme
from massnahmen.services import close_berichtsrunde, open_berichtsrunde, send_erinnerungen
from strategie.models import Mitgliedschaft
from strategie.services.einladungen import invite_user
from tests.conftest import RLP

User = get_user_model()
EMAIL = "neue.it@kreis-kusel.example"
FRIST = dt.date(2026, 2, 15)
VOR_FRIST = FRIST - dt.timedelta(days=7)  # the reminder day of a round with erinnerung_tage_vor_frist=7
EMPFAENGER = ["demo-cochem-zell@demo.invalid", "demo-kusel@demo.invalid"]  # the Kreise with a Berichterstattung


class Abbruch(Exception):
    """Raised inside the transaction to roll it back."""


@pytest.fixture
def runde(rlp, geschaeftsstelle_user) -> Berichtsrunde:
    """The only open round: I.1 and VI.1, owed by every Landkreis; Kusel and Cochem-Zell have someone to remind."""
    for offen in Berichtsrunde.objects.filter(zustand=Berichtsrunde.Zustand.OFFEN):
        close_berichtsrunde(actor=None, berichtsrunde=offen)
    return open_berichtsrunde(
        actor=geschaeftsstelle_user,
        strategie=rlp,
        titel="Runde Versandtest",
        stichtag=dt.date(2025, 12, 31),
        frist=FRIST,
        erinnerung_tage_vor_frist=7,
        massnahmen=list(Massnahme.objects.filter(strategie=rlp, code__in=["I.1", "VI.1"])),
    )


def _einladen(geschaeftsstelle_user, rlp, kusel):
    return invite_user(
        actor=geschaeftsstelle_user,
        strategie=rlp,
        email=EMAIL,
        vorname="Nora",
        nachname="Neu",
        organisation=kusel,
        rolle="berichterstattung",
    )


def test_rolled_back_invitation_sends_no_email(geschaeftsstelle_user, rlp, kusel, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as nach_commit, pytest.raises(Abbruch), transaction.atomic():
        _, neu = _einladen(geschaeftsstelle_user, rlp, kusel)
        assert neu and mail.outbox == []  # not sent while the transaction is open
        raise Abbruch

    assert nach_commit == [] and mail.outbox == []
    assert not User.objects.filter(email=EMAIL).exists()
    assert not Mitgliedschaft.objects.filter(user__email=EMAIL).exists()


def test_invitation_through_the_form_is_sent_only_when_commit_callbacks_run(
    client, geschaeftsstelle_user, kusel, django_capture_on_commit_callbacks
):
    client.force_login(geschaeftsstelle_user)

    with django_capture_on_commit_callbacks(execute=False) as nach_commit:
        response = client.post(
            reverse("strategie:benutzer_einladen", args=[RLP]),
            {
                "email": EMAIL,
                "vorname": "Nora",
                "nachname": "Neu",
                "organisation": kusel.pk,
                "rolle": "berichterstattung",
            },
        )

    assert response.status_code == 302
    assert User.objects.get(email=EMAIL).mitgliedschaften.get().rolle == "berichterstattung"
    assert mail.outbox == [] and len(nach_commit) == 1
    nach_commit[0]()
    assert [m.to for m in mail.outbox] == [[EMAIL]]
    assert mail.outbox[0].subject.startswith("Einladung zum Umsetzungsmonitor")
    assert "/einladung/" in mail.outbox[0].body


def test_rolled_back_reminder_run_sends_no_email_and_the_next_run_reminds(runde, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as nach_commit, pytest.raises(Abbruch), transaction.atomic():
        assert send_erinnerungen(heute=VOR_FRIST) == 2
        assert mail.outbox == []  # not sent while the transaction is open
        raise Abbruch

    assert nach_commit == [] and mail.outbox == []
    assert not Erinnerung.objects.filter(berichtsrunde=runde).exists()  # so the next run is not skipped
    with django_capture_on_commit_callbacks(execute=True):
        send_erinnerungen(heute=VOR_FRIST)
    assert sorted(r for m in mail.outbox for r in m.to) == EMPFAENGER


def test_reminder_is_sent_only_when_commit_callbacks_run(runde, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as nach_commit:
        versandt = send_erinnerungen(heute=VOR_FRIST)

    assert versandt == 2 and mail.outbox == [] and len(nach_commit) == 2
    assert Erinnerung.objects.filter(berichtsrunde=runde).count() == 2
    for callback in nach_commit:
        callback()
    assert sorted(r for m in mail.outbox for r in m.to) == EMPFAENGER
    assert mail.outbox[0].subject == "Erinnerung: Statusmeldungen für „Runde Versandtest“ bis 15.02.2026"


def _mailserver_weist_ab(monkeypatch, an: str) -> None:
    """The mail server refuses messages to `an` (the locmem backend stands in for SMTP in the tests)."""
    from django.core.mail.backends.locmem import EmailBackend

    echt = EmailBackend.send_messages

    def send_messages(self, nachrichten):
        if any(an in n.to for n in nachrichten):
            raise smtplib.SMTPRecipientsRefused({an: (550, b"abgewiesen")})
        return echt(self, nachrichten)

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)


def test_failing_reminder_does_not_stop_the_others(runde, monkeypatch, django_capture_on_commit_callbacks):
    _mailserver_weist_ab(monkeypatch, EMPFAENGER[0])

    with django_capture_on_commit_callbacks(execute=True):
        send_erinnerungen(heute=VOR_FRIST)

    assert [m.to for m in mail.outbox] == [[EMPFAENGER[1]]]
    # the refused one is not recorded as reminded: the next run of the day tries again, the other is not repeated
    assert list(Erinnerung.objects.filter(berichtsrunde=runde).values_list("empfaenger", flat=True)) == [EMPFAENGER[1]]
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_erinnerungen(heute=VOR_FRIST) == 1
    assert [m.to for m in mail.outbox] == [[EMPFAENGER[1]], [EMPFAENGER[0]]]


def test_invitation_whose_email_fails_after_commit_does_not_answer_500(
    client, transactional_db, geschaeftsstelle_user, kusel, monkeypatch
):
    """A real commit inside the request (transactional test): the e-mail is sent during the request."""
    _mailserver_weist_ab(monkeypatch, EMAIL)
    client.raise_request_exception = False
    client.force_login(geschaeftsstelle_user)

    response = client.post(
        reverse("strategie:benutzer_einladen", args=[RLP]),
        {"email": EMAIL, "vorname": "Nora", "nachname": "Neu", "organisation": kusel.pk, "rolle": "berichterstattung"},
    )

    assert User.objects.get(email=EMAIL).mitgliedschaften.get().rolle == "berichterstattung"  # committed either way
    assert mail.outbox == []
    assert response.status_code == 302
    seite = client.get(response.url).content.decode()
    assert "die E-Mail mit dem Einladungslink konnte nicht versandt werden" in seite and "erneut ein" in seite
