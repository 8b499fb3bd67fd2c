"""The round page shows the reminders sent and the Organisationen nobody reports for; "Erinnerung jetzt senden"
reminds those who owe, never twice a day, also without Celery beat."""

import datetime as dt

from django.core import mail
from django.test import override_settings
from django.urls import reverse

from massnahmen.models import Berichtsrunde, Erinnerung, Massnahme
from massnahmen.services import open_berichtsrunde


def _runde(rlp, geschaeftsstelle_user) -> Berichtsrunde:
    Berichtsrunde.objects.filter(strategie=rlp).update(zustand=Berichtsrunde.Zustand.GESCHLOSSEN)
    return open_berichtsrunde(
        actor=geschaeftsstelle_user,
        strategie=rlp,
        titel="Runde Erinnerung",
        stichtag=dt.date(2025, 12, 31),
        frist=dt.date(2026, 2, 15),
        massnahmen=list(Massnahme.objects.filter(strategie=rlp, code__in=["I.1", "VI.1"])),
    )


@override_settings(CELERY_TASK_ALWAYS_EAGER=True)
def test_geschaeftsstelle_sends_a_reminder_now_once_a_day(
    client, rlp, geschaeftsstelle_user, django_capture_on_commit_callbacks
):
    runde = _runde(rlp, geschaeftsstelle_user)
    client.force_login(geschaeftsstelle_user)
    url = reverse("massnahmen:berichtsrunde_erinnern", args=[rlp.slug, runde.pk])

    with django_capture_on_commit_callbacks(execute=True):
        erste = client.post(url, follow=True).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        zweite = client.post(url, follow=True).content.decode()

    assert "Erinnerung versandt an 2 Organisationen: Cochem-Zell, Kusel." in erste
    assert "Heute schon erinnert (höchstens einmal am Tag): Cochem-Zell, Kusel." in zweite
    assert len(mail.outbox) == 2
    assert Erinnerung.objects.filter(berichtsrunde=runde).count() == 2
    assert "Nicht erinnerbar, weil niemand für sie meldet:" in erste and "Ahrweiler" in erste


def test_round_page_lists_reminders_and_organisationen_nobody_reports_for(
    client, rlp, geschaeftsstelle_user, django_capture_on_commit_callbacks
):
    runde = _runde(rlp, geschaeftsstelle_user)
    client.force_login(geschaeftsstelle_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("massnahmen:berichtsrunde_erinnern", args=[rlp.slug, runde.pk]))

    seite = client.get(reverse("massnahmen:berichtsrunde_detail", args=[rlp.slug, runde.pk])).content.decode()

    assert "Erinnerung jetzt senden" in seite
    ohne = runde.meldepflichten.values("organisation").distinct().count() - 2
    assert f"{ohne} Organisationen können nicht erinnert werden" in seite
    assert reverse("strategie:benutzer_einladen", args=[rlp.slug]) + "?organisation=" in seite
    assert "demo-kusel@demo.invalid" in seite and "vor der Frist" in seite  # to whom and why, in the table


def test_invite_link_prefills_organisation_and_role(client, rlp, geschaeftsstelle_user):
    from strategie.models import Organisation

    ahrweiler = Organisation.objects.get(schluessel="07131")
    client.force_login(geschaeftsstelle_user)

    seite = client.get(
        reverse("strategie:benutzer_einladen", args=[rlp.slug])
        + f"?organisation={ahrweiler.pk}&rolle=berichterstattung"
    ).content.decode()

    assert f'<option value="{ahrweiler.pk}" selected>Ahrweiler</option>' in seite


def test_lenkungsausschuss_cannot_send_reminders(client, rlp, geschaeftsstelle_user, lenkungsausschuss_user):
    runde = _runde(rlp, geschaeftsstelle_user)
    client.force_login(lenkungsausschuss_user)

    antwort = client.post(reverse("massnahmen:berichtsrunde_erinnern", args=[rlp.slug, runde.pk]))

    assert antwort.status_code == 403 and not Erinnerung.objects.exists()
