"""A Kreis joins a Maßnahme from a date or declares it entfällt; the Federführung edits description and
Meilensteine. All of it audited."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from massnahmen.models import Beteiligung, Massnahme, Meilenstein
from massnahmen.selectors import aggregate_massnahmen
from strategie.models import Organisation
from tests.conftest import KGRZ, RLP


def test_berichterstattung_declares_entfaellt_and_leaves_the_denominator(client, kusel_user, i2):
    client.force_login(kusel_user)
    kusel = Organisation.objects.get(schluessel="07336")
    vorher = aggregate_massnahmen([i2])[i2.pk].beteiligt

    response = client.post(
        reverse("massnahmen:beteiligung", args=[RLP, "I.2"]),
        {
            "organisation": kusel.pk,
            "aktion": "entfaellt",
            "begruendung": "Kein eigenes Rechenzentrum; Betrieb beim KDZ.",
        },
    )

    assert response.status_code == 302
    beteiligung = Beteiligung.objects.get(massnahme=i2, organisation=kusel)
    assert beteiligung.entfaellt and "Kein eigenes Rechenzentrum" in beteiligung.begruendung
    assert beteiligung.history.first().history_user == kusel_user
    assert aggregate_massnahmen([i2])[i2.pk].beteiligt == vorher - 1
    assert "entfällt für 1" in client.get(i2.get_absolute_url()).content.decode()


def test_entfaellt_without_reason_is_refused(client, kusel_user, i2):
    client.force_login(kusel_user)
    kusel = Organisation.objects.get(schluessel="07336")

    response = client.post(
        reverse("massnahmen:beteiligung", args=[RLP, "I.2"]),
        {"organisation": kusel.pk, "aktion": "entfaellt", "begruendung": " "},
    )

    assert response.status_code == 200 and "Bitte begründen Sie" in response.content.decode()
    assert not Beteiligung.objects.get(massnahme=i2, organisation=kusel).entfaellt


def test_berichterstattung_joins_from_a_date(client, kusel_user, i2):
    client.force_login(kusel_user)
    kusel = Organisation.objects.get(schluessel="07336")

    client.post(
        reverse("massnahmen:beteiligung", args=[RLP, "I.2"]),
        {"organisation": kusel.pk, "aktion": "beitreten", "seit": "2023-04-01"},
    )

    assert Beteiligung.objects.get(massnahme=i2, organisation=kusel).seit == dt.date(2023, 4, 1)


def test_berichterstattung_cannot_declare_for_other_kreis(client, kusel_user, i2):
    client.force_login(kusel_user)
    cochem = Organisation.objects.get(schluessel="07135")

    response = client.post(
        reverse("massnahmen:beteiligung", args=[RLP, "I.2"]),
        {"organisation": cochem.pk, "aktion": "entfaellt", "begruendung": "gefälscht"},
    )

    assert response.status_code == 200  # the choice is not offered: a form error, nothing stored
    assert not Beteiligung.objects.get(massnahme=i2, organisation=cochem).entfaellt


def test_berichterstattung_joining_from_a_future_date_leaves_the_denominator_until_then(client, kusel_user, rlp):
    client.force_login(kusel_user)
    kusel = Organisation.objects.get(schluessel="07336")
    i1 = Massnahme.objects.get(strategie=rlp, code="I.1")  # Kusel has reported it umgesetzt
    vorher = aggregate_massnahmen([i1])[i1.pk]
    seit = timezone.localdate() + dt.timedelta(days=30)

    client.post(
        reverse("massnahmen:beteiligung", args=[RLP, "I.1"]),
        {"organisation": kusel.pk, "aktion": "beitreten", "seit": seit.isoformat()},
    )

    bis_dahin, seite = aggregate_massnahmen([i1])[i1.pk], client.get(i1.get_absolute_url()).content.decode()
    assert (bis_dahin.beteiligt, bis_dahin.umgesetzt) == (vorher.beteiligt - 1, vorher.umgesetzt - 1)
    assert f"{bis_dahin.umgesetzt} von {bis_dahin.beteiligt} umgesetzt" in seite
    ab_seit = aggregate_massnahmen([i1], heute=seit)[i1.pk]
    assert (ab_seit.beteiligt, ab_seit.umgesetzt) == (vorher.beteiligt, vorher.umgesetzt)


@pytest.mark.parametrize("benutzer", ["gast", "lenkungsausschuss_user"])
def test_readers_cannot_declare_beteiligung(client, request, benutzer):
    client.force_login(request.getfixturevalue(benutzer))

    assert client.get(reverse("massnahmen:beteiligung", args=[RLP, "I.2"])).status_code == 403


def test_federfuehrung_edits_description_and_meilensteine(client, kgrz_user, kgrz):
    client.force_login(kgrz_user)
    massnahme = Massnahme.objects.get(strategie=kgrz, code="5.3")

    client.post(reverse("massnahmen:bearbeiten", args=[KGRZ, "5.3"]), {"beschreibung": "Monatliches Reporting."})
    client.post(
        reverse("massnahmen:meilenstein_neu", args=[KGRZ, "5.3"]),
        {"neu-titel": "Berichtsvorlage abgestimmt", "neu-faellig_am": "2026-12-31"},
    )
    meilenstein = Meilenstein.objects.get(massnahme=massnahme)
    client.post(
        reverse("massnahmen:meilenstein", args=[KGRZ, "5.3", meilenstein.pk]),
        {
            f"ms{meilenstein.pk}-titel": "Berichtsvorlage abgestimmt",
            f"ms{meilenstein.pk}-faellig_am": "2026-12-31",
            f"ms{meilenstein.pk}-erreicht_am": "2026-11-20",
        },
    )

    massnahme.refresh_from_db()
    meilenstein.refresh_from_db()
    assert massnahme.beschreibung == "Monatliches Reporting."
    assert meilenstein.erreicht_am == dt.date(2026, 11, 20)
    assert massnahme.history.first().history_user == kgrz_user
    assert massnahme.history.first().history_change_reason == "Beschreibung geändert"


def test_berichterstattung_without_federfuehrung_cannot_edit(client, kusel_user, i2):
    client.force_login(kusel_user)

    get = client.get(reverse("massnahmen:bearbeiten", args=[RLP, "I.2"]))
    post = client.post(reverse("massnahmen:bearbeiten", args=[RLP, "I.2"]), {"beschreibung": "gefälscht"})

    assert (get.status_code, post.status_code) == (403, 403)
    i2.refresh_from_db()
    assert i2.beschreibung != "gefälscht"


def test_meilenstein_of_other_massnahme_is_404(client, kgrz_user, kgrz):
    client.force_login(kgrz_user)
    fremd = Meilenstein.objects.create(
        massnahme=Massnahme.objects.get(strategie=kgrz, code="1.1"), ordnung=1, titel="fremd"
    )

    response = client.post(
        reverse("massnahmen:meilenstein", args=[KGRZ, "5.3", fremd.pk]), {f"ms{fremd.pk}-titel": "x"}
    )

    assert response.status_code == 404
    fremd.refresh_from_db()
    assert fremd.titel == "fremd"
