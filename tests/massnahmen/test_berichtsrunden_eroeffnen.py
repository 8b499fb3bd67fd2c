"""Opening a Berichtsrunde in the browser: only the Geschäftsstelle; Maßnahmen chosen singly or per Handlungsfeld."""

import datetime as dt

import pytest
from django.urls import reverse

from massnahmen.models import Berichtsrunde, Beteiligung, Massnahme
from massnahmen.services import join_massnahme

STICHTAG = dt.date(2025, 12, 31)  # fixed, in the past: never the demo round's Stichtag


@pytest.fixture
def url(rlp) -> str:
    return reverse("massnahmen:berichtsrunde_eroeffnen", args=[rlp.slug])


def _daten(rlp, codes=("I.1",), handlungsfelder=(), **werte) -> dict:
    massnahmen = Massnahme.objects.filter(strategie=rlp, code__in=codes).values_list("pk", flat=True)
    hf = Massnahme.objects.filter(strategie=rlp, handlungsfeld__nummer__in=handlungsfelder)
    return {
        "titel": "Jahresrunde 2025",
        "stichtag": STICHTAG.isoformat(),
        "frist": "2026-02-15",
        "erinnerung_tage_vor_frist": "10",
        "massnahmen": [str(pk) for pk in massnahmen],
        "handlungsfelder": [str(pk) for pk in set(hf.values_list("handlungsfeld_id", flat=True))],
        **werte,
    }


def test_anonymous_is_sent_to_sign_in(client, url, daten):
    response = client.get(url)

    assert response.status_code == 302 and response["Location"].startswith("/anmelden/?next=")


def test_gast_is_refused(client, gast, url):
    client.force_login(gast)

    assert client.get(url).status_code == 403


def test_member_of_another_strategy_gets_404(client, kgrz_user, url):
    client.force_login(kgrz_user)

    assert client.get(url).status_code == 404


def test_berichterstattung_cannot_open_a_round(client, kusel_user, url, rlp):
    client.force_login(kusel_user)
    vorher = Berichtsrunde.objects.count()

    assert client.get(url).status_code == 403
    assert client.post(url, _daten(rlp)).status_code == 403
    assert Berichtsrunde.objects.count() == vorher


def test_lenkungsausschuss_cannot_open_a_round(client, lenkungsausschuss_user, url, rlp):
    client.force_login(lenkungsausschuss_user)
    vorher = Berichtsrunde.objects.count()

    assert client.post(url, _daten(rlp)).status_code == 403
    assert Berichtsrunde.objects.count() == vorher


def test_geschaeftsstelle_gets_the_form_with_every_active_massnahme_ticked(client, geschaeftsstelle_user, url, rlp):
    client.force_login(geschaeftsstelle_user)

    response = client.get(url)

    text = response.content.decode()
    aktive = Massnahme.objects.filter(strategie=rlp, is_archived=False)
    assert response.status_code == 200
    assert text.count('name="massnahmen"') == text.count('name="massnahmen" value') == aktive.count()
    assert text.count(" checked>") == aktive.count() + 1  # all Maßnahmen and "alle aktiven Maßnahmen"
    assert (
        text.count('name="handlungsfelder"') == 7 + 1
    )  # seven Handlungsfelder and the Maßnahmen of the strategy as a whole
    assert '<legend class="kern-label">Handlungsfeld VII: Schulen</legend>' in text
    assert 'type="date"' in text and 'value="7"' in text


def test_geschaeftsstelle_opens_a_round_with_single_massnahmen_and_a_whole_handlungsfeld(
    client, geschaeftsstelle_user, url, rlp
):
    client.force_login(geschaeftsstelle_user)

    response = client.post(url, _daten(rlp, codes=["I.1"], handlungsfelder=["VII"]), follow=True)

    runde = Berichtsrunde.objects.get(strategie=rlp, stichtag=STICHTAG)
    assert response.redirect_chain[-1][0] == reverse("massnahmen:berichtsrunde_detail", args=[rlp.slug, runde.pk])
    assert "Die Berichtsrunde „Jahresrunde 2025“ ist eröffnet." in response.content.decode()
    vii = set(Massnahme.objects.filter(strategie=rlp, handlungsfeld__nummer="VII").values_list("code", flat=True))
    assert set(runde.massnahmen.values_list("code", flat=True)) == {"I.1"} | vii
    assert (runde.frist, runde.erinnerung_tage_vor_frist, runde.created_by) == (
        dt.date(2026, 2, 15),
        10,
        geschaeftsstelle_user,
    )
    assert runde.meldepflichten.filter(massnahme__code="I.1").count() == 24


def test_kreis_joining_after_the_stichtag_owes_nothing_in_the_round(client, geschaeftsstelle_user, url, rlp):
    client.force_login(geschaeftsstelle_user)
    kusel = Beteiligung.objects.get(massnahme__strategie=rlp, massnahme__code="I.1", organisation__schluessel="07336")
    join_massnahme(
        actor=geschaeftsstelle_user,
        massnahme=kusel.massnahme,
        organisation=kusel.organisation,
        seit=STICHTAG + dt.timedelta(days=1),
    )

    client.post(url, _daten(rlp, codes=["I.1"]))

    runde = Berichtsrunde.objects.get(strategie=rlp, stichtag=STICHTAG)
    assert runde.meldepflichten.filter(massnahme__code="I.1").count() == 23
    assert not runde.meldepflichten.filter(organisation=kusel.organisation).exists()


def test_title_defaults_to_the_stichtag(client, geschaeftsstelle_user, url, rlp):
    client.force_login(geschaeftsstelle_user)

    client.post(url, _daten(rlp, titel=""))

    assert Berichtsrunde.objects.get(strategie=rlp, stichtag=STICHTAG).titel == "Berichtsrunde zum 31.12.2025"


@pytest.mark.parametrize(
    ("werte", "fehler"),
    [
        ({"massnahmen": [], "handlungsfelder": []}, "Bitte wählen Sie mindestens eine Maßnahme."),
        ({"frist": "2025-12-01"}, "Die Frist darf nicht vor dem Stichtag liegen."),
        ({"stichtag": "31.12.", "frist": "x"}, "Bitte geben Sie ein Datum im Format TT.MM.JJJJ an."),
        ({"erinnerung_tage_vor_frist": "-1"}, "größer oder gleich 0"),
    ],
)
def test_geschaeftsstelle_gets_german_errors_and_nothing_is_stored(
    client, geschaeftsstelle_user, url, rlp, werte, fehler
):
    client.force_login(geschaeftsstelle_user)
    vorher = Berichtsrunde.objects.count()

    response = client.post(url, _daten(rlp, **werte))

    text = response.content.decode()
    assert response.status_code == 200
    assert fehler in text and "Die Berichtsrunde wurde nicht eröffnet." in text and "data-fokus" in text
    assert Berichtsrunde.objects.count() == vorher


def test_second_round_on_the_same_stichtag_is_refused(client, geschaeftsstelle_user, url, rlp):
    client.force_login(geschaeftsstelle_user)
    client.post(url, _daten(rlp))

    response = client.post(url, _daten(rlp, titel="Doppelt"))

    assert "Für diesen Stichtag gibt es bereits eine Berichtsrunde." in response.content.decode()
    assert not Berichtsrunde.objects.filter(titel="Doppelt").exists()


def test_massnahme_of_another_strategy_cannot_be_smuggled_in(client, geschaeftsstelle_user, url, rlp, kgrz):
    client.force_login(geschaeftsstelle_user)
    fremd = Massnahme.objects.filter(strategie=kgrz).first()

    response = client.post(url, _daten(rlp, massnahmen=[str(fremd.pk)]))

    assert response.status_code == 200 and "gültige" in response.content.decode()
    assert not Berichtsrunde.objects.filter(strategie=rlp, stichtag=STICHTAG).exists()


def test_all_errors_are_named_at_once(client, geschaeftsstelle_user, url, rlp):
    client.force_login(geschaeftsstelle_user)
    vorher = Berichtsrunde.objects.count()

    text = client.post(url, _daten(rlp, codes=(), frist="2025-12-01")).content.decode()

    assert "Bitte wählen Sie mindestens eine Maßnahme." in text and "Die Frist darf nicht vor dem Stichtag" in text
    assert Berichtsrunde.objects.count() == vorher
