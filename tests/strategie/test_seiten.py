"""Every read-only page answers through the test client with the expected German content."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from massnahmen.models import Statusmeldung
from strategie.models import Organisation

RLP, KGRZ = "rlp-digitalisierungsstrategie", "kgrz-koblenz"


@pytest.fixture
def client_gast(client, gast):
    client.force_login(gast)
    return client


def _text(response) -> str:
    return response.content.decode()


def test_anonymous_is_sent_to_sign_in(client, daten):
    response = client.get(f"/{RLP}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/anmelden/?next=")


def test_sign_in_page_is_german_and_accessible_markup(client, daten):
    text = _text(client.get("/anmelden/"))

    assert '<html lang="de">' in text and "Zum Inhalt springen" in text and 'id="inhalt"' in text
    assert "Benutzername" in text and "Passwort" in text


def test_gast_signs_in_with_demo_password(client, daten):
    response = client.post("/anmelden/", {"username": "demo-gast", "password": "demo"})

    assert response.status_code == 302
    assert "Digitalisierungsstrategie der rheinland-pfälzischen Landkreise" in _text(client.get("/"))


def test_wrong_password_gives_german_error(client, daten):
    response = client.post("/anmelden/", {"username": "demo-gast", "password": "falsch"})

    assert response.status_code == 200
    assert "Die Anmeldung ist fehlgeschlagen." in _text(response)
    assert "Benutzername, E-Mail-Adresse oder Passwort stimmen nicht." in _text(response)


def test_sign_out_is_confirmed(client, daten):
    client.post("/anmelden/", {"username": "demo-gast", "password": "demo"})

    response = client.post("/abmelden/")

    assert response.status_code == 200
    assert "Sie sind abgemeldet" in _text(response) and "_auth_user_id" not in client.session


def test_startseite_lists_the_members_strategies(client_gast, client, kgrz_user):
    text = _text(client_gast.get("/"))
    client.force_login(kgrz_user)
    kgrz_text = _text(client.get("/"))

    assert "Digitalisierungsstrategie der rheinland-pfälzischen Landkreise" in text and "7 Handlungsfelder" in text
    assert "KGRZ" not in text
    assert "IT-Strategie des KGRZ Koblenz" in kgrz_text and "8 Handlungsfelder" in kgrz_text


def test_startseite_tells_a_reporter_what_is_still_owed(client, kusel_user, gast):
    from massnahmen.models import Berichtsrunde, Meldepflicht

    runde = Berichtsrunde.objects.get(ist_demo=True, zustand="offen")
    pflichten = Meldepflicht.objects.filter(berichtsrunde=runde, organisation__schluessel="07336")
    offen = pflichten.filter(statusmeldung__isnull=True).count()
    client.force_login(kusel_user)

    text = _text(client.get("/"))

    assert "Offene Meldungen Ihrer Organisation" in text
    assert f"{offen} von {pflichten.count()} Meldungen offen</strong>, Frist {runde.frist:%d.%m.%Y}" in text
    client.force_login(gast)
    assert "Offene Meldungen" not in _text(client.get("/"))  # a Gast owes nothing


def test_strategie_page_shows_vision_grundsaetze_and_handlungsfelder(client_gast):
    text = _text(client_gast.get(f"/{RLP}/"))

    assert "Motor ländlicher Entwicklung" in text
    assert "Allgemeine Grundsätze" in text and "ständiger Gast" in text
    for titel in ["Informationssicherheit", "Personal-Sourcing", "Modern Workplace", "Schulen"]:
        assert titel in text
    assert "gemeinsam mit V" in text
    assert "06.10.2021" in text


def test_handlungsfeld_page_shows_texts_leitsaetze_and_aggregates(client_gast):
    text = _text(client_gast.get(f"/{RLP}/handlungsfelder/I/"))

    assert "Ausgangslage" in text and "Waffenregister" in text
    assert "landesweite Arbeitsgruppe" in text
    assert "3 von 24 umgesetzt" in text  # demo: Kusel, Bernkastel-Wittlich, Vulkaneifel
    assert "31.12.2022" in text and "überfällig" in text


def test_shared_anhang_is_shown_on_handlungsfeld_vi(client_gast):
    text = _text(client_gast.get(f"/{RLP}/handlungsfelder/VI/"))

    assert "Gemeinsamer Anhang" in text and "Personal-Sourcing" in text
    assert "Shared Work" in text  # the shared Begründung of Anhang V


def test_kennzahlen_of_2019_survey(client_gast):
    text = _text(client_gast.get(f"/{RLP}/handlungsfelder/III/"))

    assert "117" in text and "148" in text and "Software allgemeines" in text


def test_massnahme_page_shows_beteiligte_staende_and_history(client_gast):
    text = _text(client_gast.get(f"/{RLP}/massnahmen/I.1/"))

    assert "Soll-Ist-Analyse" in text and "Umsetzungsstand je Organisation" in text
    assert "Cochem-Zell" in text and "gefährdet" in text
    assert "Demo: Analyse der Serverräume" in text


def test_confidential_text_is_hidden_from_gast(client_gast):
    text = _text(client_gast.get(f"/{RLP}/massnahmen/I.1/"))

    assert "Soll-Ist-Analyse abgeschlossen und der Hausleitung vorgelegt" not in text
    assert "Vertrauliche Meldung" in text


def test_confidential_text_is_shown_to_reporting_organisation(client, kusel_user):
    client.force_login(kusel_user)

    text = _text(client.get(f"/{RLP}/massnahmen/I.1/"))

    assert "Soll-Ist-Analyse abgeschlossen und der Hausleitung vorgelegt" in text


def test_kgrz_strategy_shows_goals_and_ergebnisse(client, kgrz_user):
    client.force_login(kgrz_user)
    strategie = _text(client.get(f"/{KGRZ}/"))
    handlungsfeld = _text(client.get(f"/{KGRZ}/handlungsfelder/4/"))
    massnahme = _text(client.get(reverse("massnahmen:detail", args=[KGRZ, "4.2"])))

    assert "Leitgedanke" in strategie and "Schwerpunkte" in strategie and "Ruhe einkehren lassen" in strategie
    assert "Rechenzentrumsbetrieb" in handlungsfeld and "Sicherheit" in handlungsfeld
    assert "Informationssicherheitsleitlinie" in massnahme and "01.01.2018" in massnahme


def test_kgrz_handlungsfeld_lists_every_ergebnis_with_its_date(client, kgrz_user):
    client.force_login(kgrz_user)
    text = _text(client.get(f"/{KGRZ}/handlungsfelder/4/"))

    ergebnisse = text[text.index('id="ergebnisse"') :]
    assert "Informationssicherheitsleitlinie" in ergebnisse and "01.01.2018" in ergebnisse
    assert "Rufbereitschaft" in ergebnisse and "01.09.2017" in ergebnisse
    assert "Stand zum Berichtszeitpunkt (erschlossen: 2021)" in ergebnisse  # results the text gives no date for


def test_kgrz_overview_has_no_empty_ziele_column_and_one_leitgedanke(client, kgrz_user):
    client.force_login(kgrz_user)
    text = _text(client.get(f"/{KGRZ}/"))

    assert ">Ziele</th>" not in text and ">Leitsätze</th>" not in text
    assert text.count(">Der Leitgedanke des KGRZ</h2>") == 1 and ">Leitgedanke</h2>" not in text


def test_rlp_overview_counts_leitsaetze(client_gast):
    text = _text(client_gast.get(f"/{RLP}/"))

    assert ">Leitsätze</th>" in text and ">Vision</h2>" in text


@pytest.mark.parametrize("pfad", ["/barrierefreiheit/", "/impressum/", "/datenschutz/"])
def test_legal_pages_are_public_and_german(client, daten, pfad):
    response = client.get(pfad)

    assert response.status_code == 200
    assert '<html lang="de">' in _text(response)


def test_barrierefreiheit_is_a_real_declaration(client, daten):
    text = _text(client.get("/barrierefreiheit/"))

    for teil in ["Stand der Vereinbarkeit", "Nicht barrierefreie Inhalte", "Durchsetzungsverfahren", "BITV 2.0"]:
        assert teil in text


def test_unknown_url_gives_german_404(client_gast):
    response = client_gast.get(f"/{RLP}/massnahmen/XX.99/")

    assert response.status_code == 404
    assert "Seite nicht gefunden" in _text(response)


def test_other_strategy_is_404_for_non_member(client, kusel_user):
    client.force_login(kusel_user)

    assert client.get(f"/{KGRZ}/").status_code == 404


def test_server_error_gives_german_page_without_trace(daten, monkeypatch):
    from portal import views

    def kaputt(**kwargs):
        raise RuntimeError("geheimes Detail")

    monkeypatch.setattr(views.strategie_selectors, "list_strategien_for_startseite", kaputt)
    client = Client(raise_request_exception=False)
    client.force_login(__import__("tests.conftest", fromlist=["demo_user"]).demo_user("demo-gast"))

    response = client.get("/")

    assert response.status_code == 500
    text = _text(response)
    assert "technischer Fehler" in text and "geheimes Detail" not in text and "Traceback" not in text
    assert 'lang="de"' in text and "Zum Inhalt springen" in text and "<main" in text


@override_settings(CELERY_TASK_ALWAYS_EAGER=False)  # as in production: Redis is needed and must answer
def test_healthz_reports_database_and_redis(client, daten):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "datenbank": "ok", "redis": "ok"}


@override_settings(CELERY_TASK_ALWAYS_EAGER=False, REDIS_URL="redis://127.0.0.1:1/0")
def test_healthz_fails_when_redis_is_unreachable(client, daten):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["redis"] == "nicht erreichbar"


def test_demo_notice_is_visible(client_gast):
    assert "Demo-Daten:" in _text(client_gast.get("/"))


def test_another_kreis_reads_kusels_confidential_text_by_no_route(client, cochem_user):
    """Cochem-Zell tries the page, the htmx form partial and the Meldebogen export with Kusel's id forged in."""
    geheim = "Soll-Ist-Analyse abgeschlossen und der Hausleitung vorgelegt"
    kusel = Organisation.objects.get(kennung="07336")
    assert Statusmeldung.objects.filter(organisation=kusel, vertraulich=True, text__contains=geheim).exists()
    client.force_login(cochem_user)

    antworten = [
        client.get(f"/{RLP}/massnahmen/I.1/"),
        client.get(f"/{RLP}/handlungsfelder/I/"),
        client.get("/meine-meldungen/"),
        client.get(f"/{RLP}/massnahmen/I.1/melden/?organisation={kusel.pk}&teil=formular", HTTP_HX_REQUEST="true"),
        client.get(f"/{RLP}/meldebogen/meldebogen.csv?organisation={kusel.pk}"),
        client.get("/admin/massnahmen/statusmeldung/"),
    ]

    assert [a.status_code for a in antworten[:3]] == [200, 200, 200]
    assert all(a.status_code in (302, 403, 404) for a in antworten[3:]), [a.status_code for a in antworten]
    assert not any(geheim in a.content.decode() for a in antworten)
    assert "Vertrauliche Meldung" in _text(antworten[0])


def test_erklaerung_names_the_durchsetzungsstelle_and_its_configured_contact(client, daten):
    from django.conf import settings

    ohne = client.get("/barrierefreiheit/").content.decode()
    kontakt = {
        "durchsetzungsstelle_anschrift": "Musterstraße 1, 55116 Mainz",
        "durchsetzungsstelle_email": "durchsetzung@example.org",
        "durchsetzungsstelle_web": "https://durchsetzung.example.org",
    }
    with override_settings(BETREIBER={**settings.BETREIBER, **kontakt}):
        mit = client.get("/barrierefreiheit/").content.decode()

    assert "Landesbeauftragte für die Belange behinderter Menschen" in ohne and "Musterstraße" not in ohne
    assert "Musterstraße 1, 55116 Mainz" in mit and 'href="mailto:durchsetzung@example.org"' in mit
    assert 'href="https://durchsetzung.example.org"' in mit


def test_opening_an_action_address_gives_a_german_page(client_gast):
    """/abmelden/ after going back in the browser: no empty 405, but German text."""
    response = client_gast.get("/abmelden/")

    text = _text(response)
    assert response.status_code == 405 and response["Allow"] == "POST, OPTIONS"
    assert 'lang="de"' in text and "Diese Adresse ist keine Seite" in text and "Zur Startseite" in text


def test_sign_in_with_empty_fields_says_what_is_missing(client, daten):
    text = _text(client.post("/anmelden/", {"username": "", "password": ""}))

    assert (
        "Bitte geben Sie Ihren Benutzernamen oder Ihre E-Mail-Adresse ein." in text
        and "Bitte geben Sie Ihr Passwort ein." in text
    )


def test_meine_meldungen_tells_a_non_reporter_why_it_is_empty(client, lenkungsausschuss_user):
    client.force_login(lenkungsausschuss_user)

    text = _text(client.get("/meine-meldungen/"))

    assert "Sie berichten für keine Organisation." in text and "keine Berichtsrunde offen" not in text
