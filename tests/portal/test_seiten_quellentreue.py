"""The pages say how a date was taken from the source: an inferred report date shows only its year and its
reason, a derived Frist or Beginn its sentence, a result without date of its own "Stand zum Berichtszeitpunkt". A
Maßnahme of the strategy as a whole appears under the Grundsätze and in the strategy's sum only, and the
pages a user reports through work for it."""

import datetime as dt

from django.urls import reverse

from massnahmen.models import Berichtsrunde, Massnahme
from tests.conftest import KGRZ, RLP
from tests.meldebogen.meldebogen_hilfen import download_meldebogen, open_runde


def _seite(client, user, url) -> str:
    client.force_login(user)
    antwort = client.get(url)
    assert antwort.status_code == 200
    return antwort.content.decode()


def test_kgrz_page_shows_the_inferred_report_year_with_its_reason(client, kgrz_user):
    seite = _seite(client, kgrz_user, reverse("portal:detail", args=[KGRZ]))

    assert "Berichtszeitpunkt erschlossen: 2021" in seite
    assert "<summary>Wie der Berichtszeitpunkt erschlossen ist</summary>" in seite
    assert "„In den letzten fünf Jahren haben wir diesen Weg konsequent verfolgt“" in seite
    # the day appears only inside the reason, which says it is no date of the report
    assert seite.count("31.12.2021") == 1 and "Der 31.12.2021 ist nur der Stichtag" in seite


def test_results_show_their_date_as_the_text_gives_it(client, kgrz_user):
    innere_organisation = _seite(client, kgrz_user, reverse("portal:handlungsfeld", args=[KGRZ, "2"]))
    betriebswirtschaft = _seite(client, kgrz_user, reverse("portal:handlungsfeld", args=[KGRZ, "7"]))
    technik = _seite(client, kgrz_user, reverse("portal:handlungsfeld", args=[KGRZ, "6"]))

    assert "Stand zum Berichtszeitpunkt (erschlossen: 2021)" in innere_organisation
    assert "31.12.2016" not in innere_organisation and "31.12.2021" not in innere_organisation
    assert "01.10.2018 (abgeleitet aus „Seit dem 4 Quartal 2018“)" in betriebswirtschaft
    assert "01.04.2018</span>" in betriebswirtschaft  # a day the text names is shown as it is
    glasfaser = technik[technik.index("Glasfaserrings") - 700 : technik.index("Glasfaserrings")]
    assert "gemeldet von Koblenz" in glasfaser


def test_massnahme_page_shows_a_derived_frist_with_its_sentence(client, kgrz_user, geschaeftsstelle_user):
    emh = Massnahme.objects.get(strategie__slug=RLP, code="III.1")
    seite = _seite(client, geschaeftsstelle_user, emh.get_absolute_url())

    assert "31.08.2023 (abgeleitet)" in seite
    assert "<summary>Woraus die Frist abgeleitet ist</summary>" in seite
    assert "das im September 2021 startet und zwei Jahre andauert" in seite
    stand = _seite(client, kgrz_user, Massnahme.objects.get(strategie__slug=KGRZ, code="2.2").get_absolute_url())
    assert "Stichtag Stand zum Berichtszeitpunkt (erschlossen: 2021)" in stand


def test_massnahme_pages_show_a_derived_beginn_with_its_sentence(client, kgrz_user, geschaeftsstelle_user):
    emh = _seite(
        client, geschaeftsstelle_user, Massnahme.objects.get(strategie__slug=RLP, code="III.1").get_absolute_url()
    )
    ikz = _seite(client, kgrz_user, Massnahme.objects.get(strategie__slug=KGRZ, code="1.1").get_absolute_url())

    assert "01.09.2021 (abgeleitet)" in emh and "<summary>Woraus der Beginn abgeleitet ist</summary>" in emh
    assert "01.01.2016 (abgeleitet)" in ikz and "<summary>Woraus der Beginn abgeleitet ist</summary>" in ikz
    assert "„Gerade wegen der seit 2016 konsequent verfolgten Weiterentwicklung des KGRZ" in ikz


def test_dashboard_marks_the_derived_frist(client, geschaeftsstelle_user):
    seite = _seite(client, geschaeftsstelle_user, reverse("berichte:dashboard", args=[RLP]))

    assert "31.08.2023 (abgeleitet)" in seite
    assert "31.08.2023<" not in seite  # never shown as if the source named the day


def test_meine_meldungen_and_the_form_date_the_last_state_as_the_source_does(client, kgrz, kgrz_user):
    open_runde(kgrz, kgrz_user, codes=["2.2", "7.1"])

    meine = _seite(client, kgrz_user, reverse("portal:meine_meldungen"))
    formular = _seite(client, kgrz_user, reverse("massnahmen:melden", args=[KGRZ, "2.2"]))

    assert "Stichtag Stand zum Berichtszeitpunkt (erschlossen: 2021)" in meine
    assert "Stichtag 01.10.2018 (abgeleitet aus „Seit dem 4 Quartal 2018“)" in meine
    assert "31.12.2021" not in meine  # the report's time is no day the source names
    assert "letzter Stand: in Umsetzung, Stichtag Stand zum Berichtszeitpunkt (erschlossen: 2021)" in formular


def test_strategy_page_counts_grundsatz_massnahmen_in_its_sum_only(client, rlp, geschaeftsstelle_user):
    seite = _seite(client, geschaeftsstelle_user, reverse("portal:detail", args=[RLP]))
    alle = Massnahme.objects.filter(strategie=rlp, is_archived=False).count()

    tabelle = seite[seite.index('id="handlungsfelder"') : seite.index("</table>")]
    hf_ii = tabelle[tabelle.index("Interkommunale Zusammenarbeit") :].split("</tr>")[0]
    assert '<td class="kern-table__cell kern-table__cell--numeric">5</td>' in hf_ii  # II.1–3, II.6, II.7
    assert "Strategie insgesamt" in tabelle and f"{alle}</td>" in tabelle.split("<tfoot>")[1]
    grundsaetze = seite[seite.index('id="grundsaetze"') :]
    assert "Maßnahmen der Strategie als Ganzes" in grundsaetze
    assert "Digitalisierungseuro" in grundsaetze and "Lenkungskreis des Landkreistages" in grundsaetze


def test_grundsatz_massnahme_page_names_the_strategy_as_a_whole(client, geschaeftsstelle_user):
    euro = Massnahme.objects.get(strategie__slug=RLP, code="II.4")
    seite = _seite(client, geschaeftsstelle_user, euro.get_absolute_url())

    assert "Strategie als Ganzes (Allgemeine Grundsätze, in keinem Handlungsfeld gezählt)" in seite
    assert f'href="/{RLP}/#grundsaetze">Allgemeine Grundsätze</a>' in seite


def test_round_meine_meldungen_and_meldebogen_work_for_a_grundsatz_massnahme(
    client, rlp, kusel, kusel_user, geschaeftsstelle_user
):
    euro = Massnahme.objects.get(strategie=rlp, code="II.4")
    client.force_login(geschaeftsstelle_user)
    url = reverse("massnahmen:berichtsrunde_eroeffnen", args=[rlp.slug])
    formular = client.get(url).content.decode()
    assert (
        "Strategie als Ganzes (Allgemeine Grundsätze)" in formular and 'name="handlungsfelder" value="0"' in formular
    )

    antwort = client.post(
        url,
        {
            "titel": "Runde Grundsätze",
            "stichtag": "2025-12-31",
            "frist": "2026-02-15",
            "erinnerung_tage_vor_frist": "7",
            "handlungsfelder": ["0"],
        },
    )

    assert antwort.status_code == 302, antwort.content.decode()[:2000]
    runde = Berichtsrunde.objects.get(strategie=rlp, stichtag=dt.date(2025, 12, 31))
    assert set(runde.massnahmen.values_list("code", flat=True)) == {"II.4", "II.5"}
    meine = _seite(client, kusel_user, reverse("portal:meine_meldungen"))
    assert euro.titel in meine
    bogen = download_meldebogen(client, "csv", organisation=kusel, runde=runde).decode("utf-8-sig")
    zeile = next(z for z in bogen.splitlines() if z.startswith("II.4;"))
    assert ";Strategie als Ganzes (Allgemeine Grundsätze);" in zeile
