"""Reminders: one e-mail per organisation that still owes Meldungen, on the reminder days only, never twice a day."""

import datetime as dt
import logging

import pytest
from celery.schedules import crontab
from django.core import mail
from django.utils import timezone

from massnahmen.models import Berichtsrunde, Erinnerung, Massnahme
from massnahmen.services import Meldung, open_berichtsrunde, record_statusmeldung, send_erinnerungen
from massnahmen.tasks.erinnerungen import send_erinnerungen_task
from strategie.celery import app
from strategie.models import Mitgliedschaft, Organisation
from strategie.services.mitgliedschaften import grant_rolle

STICHTAG = dt.date(2025, 12, 31)  # fixed and in the past: never the demo round's Stichtag
FRIST = dt.date(2026, 2, 15)
COCHEM = "demo-cochem-zell@demo.invalid"
GESCHAEFTSSTELLE = "demo-geschaeftsstelle@demo.invalid"
VOR_FRIST = FRIST - dt.timedelta(days=7)


def _runde(geschaeftsstelle_user, rlp, frist=FRIST, codes=("I.1", "VI.1")) -> Berichtsrunde:
    """A round on I.1 and VI.1 (every Landkreis owes both); Kusel has sent everything, Cochem-Zell nothing."""
    Berichtsrunde.objects.filter(zustand=Berichtsrunde.Zustand.OFFEN).update(zustand=Berichtsrunde.Zustand.GESCHLOSSEN)
    massnahmen = list(Massnahme.objects.filter(strategie=rlp, code__in=codes))
    runde = open_berichtsrunde(
        actor=geschaeftsstelle_user,
        strategie=rlp,
        titel="Berichtsrunde 2025",
        stichtag=STICHTAG,
        frist=frist,
        massnahmen=massnahmen,
        erinnerung_tage_vor_frist=7,
    )
    return runde


@pytest.fixture
def runde(geschaeftsstelle_user, kusel_user, rlp):
    runde = _runde(geschaeftsstelle_user, rlp)
    kusel = Organisation.objects.get(schluessel="07336")
    for massnahme in runde.massnahmen.all():
        record_statusmeldung(
            actor=kusel_user,
            massnahme=massnahme,
            organisation=kusel,
            erwartete_version=None,
            meldung=Meldung(stichtag=STICHTAG, status="umgesetzt", fortschritt=100),
        )
    return runde


def _erinnern(heute, capture) -> int:
    with capture(execute=True):
        return send_erinnerungen(heute=heute)


def test_reminder_goes_only_to_organisations_that_still_owe(runde, django_capture_on_commit_callbacks):
    _erinnern(FRIST - dt.timedelta(days=7), django_capture_on_commit_callbacks)

    assert [m.to for m in mail.outbox] == [[COCHEM]]
    nachricht = mail.outbox[0]
    assert "Erinnerung" in nachricht.subject and "15.02.2026" in nachricht.subject
    assert "\n- I.1 Soll-Ist-Analyse" in nachricht.body and "\n- VI.1 " in nachricht.body
    assert "noch 2 Statusmeldungen aus" in nachricht.body and "bis zum 15.02.2026" in nachricht.body
    assert "http://127.0.0.1:8000/meine-meldungen/" in nachricht.body
    html, art = nachricht.alternatives[0]
    assert art == "text/html" and 'href="http://127.0.0.1:8000/meine-meldungen/"' in html
    erinnerungen = Erinnerung.objects.filter(berichtsrunde=runde)
    assert not erinnerungen.filter(organisation__schluessel="07336").exists()  # Kusel has sent everything
    cochem = erinnerungen.get(organisation__schluessel="07135")
    assert (cochem.art, cochem.offene_meldungen, cochem.empfaenger) == ("vor_frist", 2, COCHEM)


def test_reminder_is_not_sent_to_other_roles_or_inactive_users(runde, cochem_user, django_capture_on_commit_callbacks):
    cochem_user.is_active = False
    cochem_user.save()

    _erinnern(FRIST - dt.timedelta(days=7), django_capture_on_commit_callbacks)

    assert mail.outbox == []  # no other role and no other organisation's people stand in for Cochem-Zell


def test_geschaeftsstelle_of_traeger_is_reminded_of_gemeinsame_massnahmen(
    geschaeftsstelle_user, rlp, django_capture_on_commit_callbacks
):
    # I.4 and I.5 are gemeinsame Maßnahmen without Federführung: the Landkreistag (Träger) owes them and has
    # no Berichterstattung, only Geschäftsstelle and Lenkungsausschuss
    runde = _runde(geschaeftsstelle_user, rlp, codes=("I.1", "I.4", "I.5"))

    _erinnern(VOR_FRIST, django_capture_on_commit_callbacks)

    an_geschaeftsstelle = [m for m in mail.outbox if GESCHAEFTSSTELLE in m.to]
    assert len(an_geschaeftsstelle) == 1
    nachricht = an_geschaeftsstelle[0]
    assert nachricht.to == [GESCHAEFTSSTELLE]  # not the Lenkungsausschuss of the Landkreistag
    assert "für Landkreistag Rheinland-Pfalz noch 2 Statusmeldungen aus" in nachricht.body
    assert "\n- I.4 Gemeinsame Grundstruktur eines ISMS" in nachricht.body
    assert "\n- I.5 Landesweite Arbeitsgruppe Informationssicherheit" in nachricht.body
    assert "- I.1 " not in nachricht.body  # owed by the Landkreise, not by the Träger
    landkreistag = Erinnerung.objects.get(berichtsrunde=runde, organisation__kennung="landkreistag")
    assert (landkreistag.offene_meldungen, landkreistag.empfaenger) == (2, GESCHAEFTSSTELLE)


def test_organisation_without_recipient_is_not_recorded_and_tried_again(
    runde, kusel_user, rlp, caplog, django_capture_on_commit_callbacks
):
    bernkastel = Organisation.objects.get(schluessel="07231")  # owes I.1 and VI.1, nobody reports for it

    with caplog.at_level(logging.WARNING, logger="massnahmen.services.erinnerungen"):
        _erinnern(VOR_FRIST, django_capture_on_commit_callbacks)

    assert not Erinnerung.objects.filter(berichtsrunde=runde, organisation=bernkastel).exists()
    assert "Bernkastel-Wittlich" in caplog.text
    assert [m.to for m in mail.outbox] == [[COCHEM]]

    grant_rolle(
        actor=None,
        user=kusel_user,
        strategie=rlp,
        organisation=bernkastel,
        rolle=Mitgliedschaft.Rolle.BERICHTERSTATTUNG,
    )
    _erinnern(VOR_FRIST, django_capture_on_commit_callbacks)  # the next beat run the same day

    assert [m.to for m in mail.outbox] == [[COCHEM], ["demo-kusel@demo.invalid"]]  # Cochem-Zell not twice
    erinnerung = Erinnerung.objects.get(berichtsrunde=runde, organisation=bernkastel)
    assert (erinnerung.datum, erinnerung.empfaenger) == (VOR_FRIST, "demo-kusel@demo.invalid")


def test_reminder_links_each_owed_massnahme(runde, django_capture_on_commit_callbacks):
    _erinnern(VOR_FRIST, django_capture_on_commit_callbacks)

    nachricht = mail.outbox[0]
    basis = "http://127.0.0.1:8000/rlp-digitalisierungsstrategie/massnahmen"
    assert f"\n- I.1 Soll-Ist-Analyse der Informationssicherheit in jeder Kreisverwaltung\n  {basis}/I.1/\n" in (
        nachricht.body
    )
    assert f"\n- VI.1 Flächendeckende Einführung der E-Akte\n  {basis}/VI.1/\n" in nachricht.body
    html, _art = nachricht.alternatives[0]
    assert f'<a href="{basis}/I.1/">I.1 Soll-Ist-Analyse der Informationssicherheit' in html
    assert f'<a href="{basis}/VI.1/">VI.1 Flächendeckende Einführung der E-Akte</a>' in html


@pytest.mark.parametrize(
    ("tage_nach_frist", "art"),
    [
        (-8, None),
        (-7, "vor_frist"),
        (-6, None),
        (0, None),
        (1, "ueberfaellig"),
        (2, None),
        (7, None),
        (8, "ueberfaellig"),
        (14, None),
        (15, "ueberfaellig"),
    ],
)
def test_reminder_days(runde, tage_nach_frist, art, django_capture_on_commit_callbacks):
    heute = FRIST + dt.timedelta(days=tage_nach_frist)

    _erinnern(heute, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == (1 if art else 0)
    assert list(Erinnerung.objects.filter(organisation__schluessel="07135").values_list("art", flat=True)) == (
        [art] if art else []
    )
    if art == "ueberfaellig":
        assert mail.outbox[0].subject.startswith("Frist überschritten")
        assert "abgelaufen" in mail.outbox[0].body


def test_running_twice_a_day_sends_one_email(runde, django_capture_on_commit_callbacks):
    heute = FRIST + dt.timedelta(days=1)

    _erinnern(heute, django_capture_on_commit_callbacks)
    _erinnern(heute, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1
    assert Erinnerung.objects.filter(berichtsrunde=runde, organisation__schluessel="07135").count() == 1


def test_closed_round_sends_nothing(runde, geschaeftsstelle_user, django_capture_on_commit_callbacks):
    from massnahmen.services import close_berichtsrunde

    close_berichtsrunde(actor=geschaeftsstelle_user, berichtsrunde=runde)

    _erinnern(FRIST + dt.timedelta(days=1), django_capture_on_commit_callbacks)

    assert mail.outbox == []
    assert not Erinnerung.objects.filter(berichtsrunde=runde).exists()


def test_daily_task_reminds_on_todays_reminder_day(geschaeftsstelle_user, rlp, django_capture_on_commit_callbacks):
    runde = _runde(geschaeftsstelle_user, rlp, frist=timezone.localdate() + dt.timedelta(days=7))

    with django_capture_on_commit_callbacks(execute=True):
        send_erinnerungen_task.delay()

    assert sorted(r for m in mail.outbox for r in m.to) == ["demo-cochem-zell@demo.invalid", "demo-kusel@demo.invalid"]
    # all 24 Landkreise owe, but only the two with a Berichterstattung can be reminded and are recorded
    assert Erinnerung.objects.filter(berichtsrunde=runde, datum=timezone.localdate()).count() == 2


def test_task_is_scheduled_hourly_in_office_hours():
    eintraege = [e for e in app.conf.beat_schedule.values() if e["task"] == send_erinnerungen_task.name]

    assert len(eintraege) == 1
    assert eintraege[0]["schedule"] == crontab(hour="7-18", minute=0)  # later runs retry refused e-mails only
    assert app.conf.timezone == "Europe/Berlin"
