"""A round can be changed: Frist extended, title and Stichtag corrected while nothing counts for it, reopened with
a reason, deleted while it holds no Meldung; a Stichtag in the future is announced, closing says how to reopen."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from massnahmen.models import Berichtsrunde, Massnahme, Meldepflicht, Statusmeldung
from massnahmen.services import Meldung, open_berichtsrunde, record_statusmeldung

STICHTAG = dt.date(2025, 12, 31)


def _runde(rlp, geschaeftsstelle_user, stichtag=STICHTAG, codes=("I.1", "VI.1")) -> Berichtsrunde:
    return open_berichtsrunde(
        actor=geschaeftsstelle_user,
        strategie=rlp,
        titel="Runde Test",
        stichtag=stichtag,
        frist=stichtag + dt.timedelta(weeks=6),
        massnahmen=list(Massnahme.objects.filter(strategie=rlp, code__in=codes)),
    )


def _url(name, runde):
    return reverse(f"massnahmen:berichtsrunde_{name}", args=[runde.strategie.slug, runde.pk])


def test_geschaeftsstelle_extends_the_frist_with_a_reason(client, rlp, geschaeftsstelle_user):
    runde = _runde(rlp, geschaeftsstelle_user)
    client.force_login(geschaeftsstelle_user)

    antwort = client.post(
        _url("aendern", runde),
        {"titel": runde.titel, "stichtag": "2025-12-31", "frist": "2026-03-31", "grund": "Haushaltssperre"},
    )

    assert antwort.status_code == 302
    runde.refresh_from_db()
    assert runde.frist == dt.date(2026, 3, 31)
    eintrag = runde.history.latest()
    assert (eintrag.history_user, eintrag.history_change_reason) == (
        geschaeftsstelle_user,
        "Berichtsrunde geändert: Haushaltssperre",
    )


def test_geschaeftsstelle_corrects_the_stichtag_while_nothing_is_reported(client, rlp, geschaeftsstelle_user):
    runde = _runde(rlp, geschaeftsstelle_user)
    client.force_login(geschaeftsstelle_user)
    pflichten_vorher = runde.meldepflichten.count()

    client.post(_url("aendern", runde), {"titel": "Runde 3. Quartal", "stichtag": "2025-09-30", "frist": "2025-11-15"})

    runde.refresh_from_db()
    assert (runde.titel, runde.stichtag) == ("Runde 3. Quartal", dt.date(2025, 9, 30))
    assert runde.meldepflichten.count() == pflichten_vorher  # derived again for the new Stichtag


def test_stichtag_stays_once_a_meldung_counts(client, rlp, geschaeftsstelle_user, kusel_user, kusel):
    runde = _runde(rlp, geschaeftsstelle_user)
    vi1 = Massnahme.objects.get(strategie=rlp, code="VI.1")
    record_statusmeldung(
        actor=kusel_user,
        massnahme=vi1,
        organisation=kusel,
        erwartete_version=None,
        meldung=Meldung(stichtag=STICHTAG, status="in_umsetzung", fortschritt=80),
    )
    client.force_login(geschaeftsstelle_user)

    seite = client.get(_url("aendern", runde)).content.decode()
    antwort = client.post(_url("aendern", runde), {"titel": "x", "stichtag": "2025-09-30", "frist": "2026-02-15"})

    assert "Sie können deshalb nur noch die Frist ändern" in seite
    assert "Zu dieser Berichtsrunde zählen bereits 1 Meldung." in antwort.content.decode()
    runde.refresh_from_db()
    assert runde.stichtag == STICHTAG and runde.titel == "Runde Test"


def test_geschaeftsstelle_reopens_a_closed_round_with_a_reason(client, rlp, geschaeftsstelle_user):
    runde = _runde(rlp, geschaeftsstelle_user)
    client.force_login(geschaeftsstelle_user)
    frage = client.get(_url("schliessen", runde)).content.decode()
    geschlossen = client.post(_url("schliessen", runde), follow=True).content.decode()

    ohne_grund = client.post(_url("wieder_oeffnen", runde), {"grund": " "})
    mit_grund = client.post(_url("wieder_oeffnen", runde), {"grund": "Zwei Kreise hatten die Frist verlängert."})

    assert "„Wieder öffnen …“" in frage and "„Wieder öffnen …“" in geschlossen
    assert "Bitte nennen Sie den Grund" in ohne_grund.content.decode()
    assert mit_grund.status_code == 302
    runde.refresh_from_db()
    assert (runde.zustand, runde.geschlossen_am) == ("offen", None)
    eintrag = runde.history.latest()
    assert eintrag.history_change_reason == "Berichtsrunde wieder geöffnet: Zwei Kreise hatten die Frist verlängert."
    assert eintrag.history_user == geschaeftsstelle_user


def test_geschaeftsstelle_deletes_a_round_opened_by_mistake(client, rlp, geschaeftsstelle_user):
    runde = _runde(rlp, geschaeftsstelle_user)
    client.force_login(geschaeftsstelle_user)
    assert "Versehentlich eröffnet? Löschen" in client.get(_url("detail", runde)).content.decode()

    antwort = client.post(_url("loeschen", runde))

    assert antwort.status_code == 302
    assert not Berichtsrunde.objects.filter(pk=runde.pk).exists()
    assert not Meldepflicht.objects.filter(berichtsrunde_id=runde.pk).exists()
    geloescht = Berichtsrunde.history.filter(id=runde.pk).latest()
    assert (geloescht.history_type, geloescht.history_user) == ("-", geschaeftsstelle_user)


def test_a_round_holding_a_meldung_is_not_deleted(client, rlp, geschaeftsstelle_user, kusel_user, kusel):
    runde = _runde(rlp, geschaeftsstelle_user)
    vi1 = Massnahme.objects.get(strategie=rlp, code="VI.1")
    record_statusmeldung(
        actor=kusel_user,
        massnahme=vi1,
        organisation=kusel,
        erwartete_version=None,
        meldung=Meldung(stichtag=STICHTAG, status="in_umsetzung", fortschritt=80),
    )
    client.force_login(geschaeftsstelle_user)

    client.post(_url("loeschen", runde))

    assert Berichtsrunde.objects.filter(pk=runde.pk).exists()
    assert Statusmeldung.objects.filter(berichtsrunde=runde).count() == 1


def test_round_with_a_future_stichtag_is_announced(client, rlp, geschaeftsstelle_user, kusel_user):
    Berichtsrunde.objects.filter(strategie=rlp).update(zustand=Berichtsrunde.Zustand.GESCHLOSSEN)
    morgen = timezone.localdate() + dt.timedelta(days=30)
    client.force_login(geschaeftsstelle_user)
    antwort = client.post(
        reverse("massnahmen:berichtsrunde_eroeffnen", args=[rlp.slug]),
        {
            "umfang": "alle",
            "titel": "Zukunft",
            "stichtag": morgen.isoformat(),
            "frist": (morgen + dt.timedelta(days=30)).isoformat(),
            "erinnerung_tage_vor_frist": 7,
        },
        follow=True,
    )
    client.force_login(kusel_user)

    meine = client.get(reverse("portal:meine_meldungen")).content.decode()

    assert "Meldungen zu dieser Runde sind erst ab diesem Tag möglich" in antwort.content.decode()
    assert f"Meldungen zu dieser Runde sind erst ab dem {morgen:%d.%m.%Y} möglich." in meine
    assert 'name="m' not in meine  # no form that could only fail
