"""County IT leads report the status of a Maßnahme in the browser (full page and htmx)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from massnahmen.models import Massnahme, Meldungsentwurf, Statusmeldung, Umsetzungsstand
from strategie.models import Organisation
from strategie.services.mitgliedschaften import sync_strategie
from tests.conftest import RLP
from tests.factories import BeteiligungFactory, MassnahmeFactory, StatusmeldungFactory

HEUTE = timezone.localdate()


def _url(massnahme, organisation=None, ansicht=None):
    url = reverse("massnahmen:melden", args=[RLP, massnahme.code])
    parameter = [f"organisation={organisation.pk}"] if organisation else []
    parameter += [f"ansicht={ansicht}"] if ansicht else []
    return url + ("?" + "&".join(parameter) if parameter else "")


def _daten(massnahme, organisation, version, **werte):
    prefix = f"m{massnahme.pk}-o{organisation.pk}"
    felder = {
        "organisation": organisation.pk,
        "version": version,
        "stichtag": HEUTE.isoformat(),
        "status": "in_umsetzung",
        "fortschritt": "70",
        "ampel": "gruen",
        "text": "Audit des Rechenzentrums bestanden.",
        "aktion": "einreichen",
    }
    felder.update(werte)
    return {f"{prefix}-{k}": v for k, v in felder.items() if v is not None}


def _stand(massnahme, organisation):
    return Umsetzungsstand.objects.get(massnahme=massnahme, organisation=organisation)


def test_berichterstattung_records_statusmeldung(client, kusel_user, i2, kusel):
    client.force_login(kusel_user)
    version = _stand(i2, kusel).version

    response = client.post(_url(i2, kusel), _daten(i2, kusel, version))

    assert response.status_code == 302
    meldung = Statusmeldung.objects.filter(massnahme=i2, organisation=kusel).latest("gemeldet_am")
    assert (meldung.status, meldung.fortschritt, meldung.ampel, meldung.von) == (
        "in_umsetzung",
        70,
        "gruen",
        kusel_user,
    )
    stand = _stand(i2, kusel)
    assert (stand.letzte_meldung, stand.version, stand.fortschritt) == (meldung, version + 1, 70)


def test_htmx_save_returns_fragment_with_success_and_updated_history(client, kusel_user, i2, kusel):
    client.force_login(kusel_user)

    response = client.post(_url(i2, kusel), _daten(i2, kusel, _stand(i2, kusel).version), HTTP_HX_REQUEST="true")

    text = response.content.decode()
    assert response.status_code == 200 and "<html" not in text
    assert f"Ihre Meldung zum Stichtag {HEUTE:%d.%m.%Y} wurde gespeichert." in text
    assert 'hx-swap-oob="true"' in text and "Audit des Rechenzentrums bestanden." in text
    # the page's table of states and the aggregate follow out of band, with Kusel's new values
    tabelle = text[text.index(f'<div id="umsetzungsstand-{i2.pk}" hx-swap-oob="true">') :]
    kusel_zeile = tabelle[tabelle.index(">Kusel<") : tabelle.index("</tr>", tabelle.index(">Kusel<"))]
    assert "70 %" in kusel_zeile and f"{HEUTE:%d.%m.%Y}" in kusel_zeile
    aggregat = text[text.index(f'<span id="umsetzung-{i2.pk}" hx-swap-oob="true">') :]
    aggregat = aggregat[: aggregat.index("</span>\n</span>")]
    assert "von 24 umgesetzt" in aggregat and " gemeldet" in aggregat


@pytest.mark.parametrize(
    ("werte", "feld_text"),
    [
        ({"status": "umgesetzt", "fortschritt": "80"}, "100 Prozent"),
        ({"status": "entfaellt", "text": ""}, "warum die Maßnahme entfällt"),
        ({"fortschritt": "20", "text": ""}, "Fortschritt sinkt von 55 auf 20 Prozent"),
        ({"stichtag": "2024-06-30"}, "nicht nach der letzten Meldung (30.06.2024)"),
        ({"stichtag": (HEUTE + dt.timedelta(days=3)).isoformat()}, "nicht in der Zukunft"),
        ({"fortschritt": "viel"}, "ganze Zahl"),
        ({"status": ""}, "Bitte wählen Sie einen Status."),
    ],
)
def test_berichterstattung_gets_german_error_and_nothing_is_stored(client, kusel_user, i2, kusel, werte, feld_text):
    client.force_login(kusel_user)
    vorher = Statusmeldung.objects.count()

    response = client.post(_url(i2, kusel), _daten(i2, kusel, _stand(i2, kusel).version, **werte))

    assert response.status_code == 200
    text = response.content.decode()
    assert feld_text in text and "Die Meldung wurde nicht gespeichert" in text
    assert 'aria-invalid="true"' in text  # the field with the error is marked and linked
    assert Statusmeldung.objects.count() == vorher


def test_correction_of_older_stichtag_is_kept_but_does_not_move_state_back(client, kusel_user, i2, kusel):
    client.force_login(kusel_user)
    stand = _stand(i2, kusel)

    response = client.post(
        _url(i2, kusel),
        _daten(
            i2,
            kusel,
            stand.version,
            stichtag="2024-03-31",
            fortschritt="50",
            ist_korrektur="on",
            text="Korrigierter Wert zum Quartal.",
        ),
    )

    assert response.status_code == 302
    korrektur = Statusmeldung.objects.get(massnahme=i2, organisation=kusel, stichtag=dt.date(2024, 3, 31))
    assert korrektur.ist_korrektur
    assert _stand(i2, kusel).stichtag == dt.date(2024, 6, 30)


def test_conflicting_save_shows_both_versions_and_keeps_input(client, kusel_user, i2, kusel):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from strategie.services.mitgliedschaften import grant_rolle

    kollegin = get_user_model().objects.create_user("kollegin-kusel", email="kollegin@kusel.example")
    grant_rolle(actor=None, user=kollegin, strategie=i2.strategie, organisation=kusel, rolle="berichterstattung")
    andere = Client()
    andere.force_login(kollegin)
    client.force_login(kusel_user)
    alte_version = _stand(i2, kusel).version
    assert (
        andere.post(
            _url(i2, kusel),
            _daten(i2, kusel, alte_version, text="Von Kollegin gemeldet.", risiken="Lieferverzug", vertraulich="on"),
        ).status_code
        == 302
    )
    vorher = Statusmeldung.objects.count()

    response = client.post(
        _url(i2, kusel),
        _daten(i2, kusel, alte_version, text="Meine eigene Einschätzung.", naechste_schritte="Abnahme im Mai"),
    )

    text = response.content.decode()
    assert "Zwischenzeitlich wurde eine andere Meldung gespeichert" in text
    assert "Von Kollegin gemeldet." in text and "Meine eigene Einschätzung." in text
    vergleich = text.split("Vergleich der beiden Fassungen", 1)[1].split("</table>", 1)[0]
    # the colleague's Meldung is confidential, but Kusel's own: its text is there to compare
    assert "Abnahme im Mai" in vergleich and "Lieferverzug" in vergleich and ">Vertraulich</th>" in vergleich
    assert Statusmeldung.objects.count() == vorher
    assert f'value="{alte_version + 1}"' in text  # resubmitting now works
    assert (
        client.post(
            _url(i2, kusel), _daten(i2, kusel, alte_version + 1, text="Meine eigene Einschätzung.", ist_korrektur="on")
        ).status_code
        == 302
    )
    assert _stand(i2, kusel).letzte_meldung.text == "Meine eigene Einschätzung."


def test_draft_is_saved_and_submitted_later(client, kusel_user, i2, kusel):
    client.force_login(kusel_user)
    version = _stand(i2, kusel).version

    client.post(
        _url(i2, kusel), _daten(i2, kusel, version, status="", stichtag="", text="Halb fertig", aktion="entwurf")
    )

    entwurf = Meldungsentwurf.objects.get(massnahme=i2, organisation=kusel)
    assert entwurf.text == "Halb fertig" and entwurf.von == kusel_user
    assert not Statusmeldung.objects.filter(massnahme=i2, organisation=kusel, text="Halb fertig").exists()
    assert "Halb fertig" in client.get(i2.get_absolute_url()).content.decode()
    client.post(_url(i2, kusel), _daten(i2, kusel, version, text="Halb fertig, jetzt fertig"))
    assert not Meldungsentwurf.objects.filter(massnahme=i2, organisation=kusel).exists()


def test_berichterstattung_cannot_report_for_other_organisation(client, kusel_user, i2, kusel):
    client.force_login(kusel_user)
    cochem = Organisation.objects.get(schluessel="07135")
    vorher = Statusmeldung.objects.count()

    forged_get = client.post(_url(i2, cochem), _daten(i2, cochem, 0))
    forged_field = client.post(
        _url(i2, kusel), {**_daten(i2, kusel, 0), f"m{i2.pk}-o{kusel.pk}-organisation": cochem.pk}
    )

    assert forged_get.status_code == 403
    assert forged_field.status_code == 200 and "Die Meldung wurde nicht gespeichert" in forged_field.content.decode()
    assert Statusmeldung.objects.count() == vorher
    assert not Statusmeldung.objects.filter(organisation=cochem, massnahme=i2, von=kusel_user).exists()


@pytest.mark.parametrize(
    ("benutzer", "erwartet"), [("gast", 403), ("lenkungsausschuss_user", 403), ("kgrz_user", 404)]
)
def test_readers_and_other_strategy_cannot_report(client, request, i2, kusel, benutzer, erwartet):
    client.force_login(request.getfixturevalue(benutzer))
    vorher = Statusmeldung.objects.count()

    assert client.get(_url(i2)).status_code == erwartet
    assert client.post(_url(i2, kusel), _daten(i2, kusel, 0)).status_code == erwartet
    assert Statusmeldung.objects.count() == vorher


def test_anonymous_is_sent_to_sign_in(client, i2):
    response = client.post(_url(i2), {})

    assert response.status_code == 302 and response["Location"].startswith("/anmelden/")


@pytest.mark.parametrize("htmx", [False, True], ids=["seite", "htmx-meine-meldungen"])
def test_saving_needs_the_same_queries_with_long_history_and_many_massnahmen(client, kusel_user, i2, kusel, htmx):
    """Also the htmx save on "Meine Meldungen", whose answer carries the round's count as well."""
    client.force_login(kusel_user)
    tag = dt.date(2024, 7, 1)

    def speichern() -> int:
        nonlocal tag
        tag += dt.timedelta(days=7)
        daten = _daten(i2, kusel, _stand(i2, kusel).version, stichtag=tag.isoformat())
        with CaptureQueriesContext(connection) as abfragen:
            if htmx:
                response = client.post(_url(i2, kusel, "meine"), daten, HTTP_HX_REQUEST="true")
            else:
                response = client.post(_url(i2, kusel), daten)
        assert response.status_code == (200 if htmx else 302)
        return len(abfragen)

    speichern()  # warm caches (content types, session)
    kurz = speichern()
    for _ in range(30):
        speichern()
    for neu in MassnahmeFactory.create_batch(20, handlungsfeld=i2.handlungsfeld):  # and many more Maßnahmen
        BeteiligungFactory(massnahme=neu, organisation=kusel)
        StatusmeldungFactory.create_batch(4, massnahme=neu, organisation=kusel, von=kusel_user)
    sync_strategie(i2.strategie)

    assert Statusmeldung.objects.filter(massnahme=i2, organisation=kusel).count() > 30
    assert speichern() == kurz


def test_htmx_partial_for_other_organisation_is_refused(client, kusel_user, i2):
    client.force_login(kusel_user)
    cochem = Organisation.objects.get(schluessel="07135")
    vorher = Statusmeldung.objects.count()

    get = client.get(_url(i2, cochem, "meine") + "&teil=formular", HTTP_HX_REQUEST="true")
    post = client.post(_url(i2, cochem, "meine"), _daten(i2, cochem, 0), HTTP_HX_REQUEST="true")

    assert (get.status_code, post.status_code) == (403, 403)
    assert Statusmeldung.objects.count() == vorher


def test_forged_version_for_a_pair_without_state_gives_german_message(client, cochem_user, rlp):
    client.force_login(cochem_user)
    cochem = Organisation.objects.get(schluessel="07135")
    vi2 = Massnahme.objects.get(strategie=rlp, code="VI.2")  # Cochem-Zell has not reported on it
    vorher = Statusmeldung.objects.count()

    response = client.post(_url(vi2, cochem), _daten(vi2, cochem, 7))

    assert response.status_code == 200 and "Die Seite ist nicht mehr aktuell" in response.content.decode()
    assert Statusmeldung.objects.count() == vorher


def test_entfaellt_again_keeps_its_begruendung_but_needs_one(client, kusel_user, i2, kusel):
    client.force_login(kusel_user)
    begruendung = "Die Aufgabe liegt beim Land."
    gestern = (HEUTE - dt.timedelta(days=1)).isoformat()
    assert (
        client.post(
            _url(i2, kusel),
            _daten(
                i2,
                kusel,
                _stand(i2, kusel).version,
                stichtag=gestern,
                status="entfaellt",
                fortschritt=None,
                text=begruendung,
            ),
        ).status_code
        == 302
    )
    vorher = Statusmeldung.objects.count()

    ohne = client.post(
        _url(i2, kusel), _daten(i2, kusel, _stand(i2, kusel).version, status="entfaellt", fortschritt=None, text="")
    )

    assert ohne.status_code == 200 and Statusmeldung.objects.count() == vorher
    assert "Bitte begründen Sie im Sachstand, warum die Maßnahme entfällt." in ohne.content.decode()
    assert (
        client.post(
            _url(i2, kusel),
            _daten(i2, kusel, _stand(i2, kusel).version, status="entfaellt", fortschritt=None, text=begruendung),
        ).status_code
        == 302
    )
    assert _stand(i2, kusel).stichtag == HEUTE and _stand(i2, kusel).letzte_meldung.text == begruendung
