"""Edge cases of reporting: a correction is labelled in the history, "Meine Meldungen" shows draft and submitted
states, a Kreis cannot report on a Maßnahme it does not take part in, and a closed round takes no Meldung."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from massnahmen.models import Berichtsrunde, Massnahme, Meldungsentwurf, Statusmeldung, Umsetzungsstand
from strategie.models import Organisation
from strategie.services.mitgliedschaften import sync_strategie
from tests.conftest import RLP
from tests.factories import BeteiligungFactory, MassnahmeFactory


@pytest.fixture
def demo_runde(rlp) -> Berichtsrunde:
    return Berichtsrunde.objects.get(strategie=rlp, ist_demo=True)


def _url(massnahme, organisation=None, ansicht=None) -> str:
    url = reverse("massnahmen:melden", args=[RLP, massnahme.code])
    parameter = [f"organisation={organisation.pk}"] if organisation else []
    parameter += [f"ansicht={ansicht}"] if ansicht else []
    return url + ("?" + "&".join(parameter) if parameter else "")


def _version(massnahme, organisation) -> int:
    stand = Umsetzungsstand.objects.filter(massnahme=massnahme, organisation=organisation).first()
    return stand.version if stand else 0


def _daten(massnahme, organisation, **werte) -> dict:
    prefix = f"m{massnahme.pk}-o{organisation.pk}"
    felder = {
        "organisation": organisation.pk,
        "version": _version(massnahme, organisation),
        "stichtag": timezone.localdate().isoformat(),
        "status": "in_umsetzung",
        "fortschritt": "70",
        "ampel": "gruen",
        "text": "Randfall gemeldet.",
        "aktion": "einreichen",
    }
    felder.update(werte)
    return {f"{prefix}-{k}": v for k, v in felder.items() if v is not None}


def _zustand_auf_meine_meldungen(client, massnahme, organisation) -> str:
    """The state label of one item on /meine-meldungen/ (the part of its <summary> that shows the state)."""
    text = client.get("/meine-meldungen/").content.decode()
    posten = text.split(f'id="posten-m{massnahme.pk}-o{organisation.pk}', 1)[1].split("</summary>", 1)[0]
    return posten.split('class="meldeposten__zustand"', 1)[1]


def test_berichterstattung_sees_own_correction_labelled_in_the_history(client, kusel_user, i2, kusel):
    client.force_login(kusel_user)

    response = client.post(
        _url(i2, kusel),
        _daten(
            i2, kusel, stichtag="2024-03-31", fortschritt="50", ist_korrektur="on", text="Wert zum Quartal berichtigt."
        ),
    )

    assert response.status_code == 302
    korrektur = Statusmeldung.objects.get(massnahme=i2, organisation=kusel, stichtag=dt.date(2024, 3, 31))
    assert korrektur.ist_korrektur
    seite = client.get(i2.get_absolute_url()).content.decode()
    ueberschriften = re.findall(r'<h3 class="kern-heading-small">(Kusel, Stichtag [^<]*)', seite)
    assert sorted(u.strip() for u in ueberschriften) == [
        "Kusel, Stichtag 30.06.2024",
        "Kusel, Stichtag 31.03.2024 (Korrektur)",
    ]


def test_meine_meldungen_shows_draft_then_submitted(client, kusel_user, i2, kusel, demo_runde):
    client.force_login(kusel_user)
    assert ">offen</span>" in _zustand_auf_meine_meldungen(client, i2, kusel)

    entwurf = client.post(
        _url(i2, kusel, "meine"), _daten(i2, kusel, status="", stichtag="", aktion="entwurf", text="Erst halb fertig.")
    )

    assert entwurf.status_code == 302 and entwurf["Location"] == "/meine-meldungen/"
    assert Meldungsentwurf.objects.get(massnahme=i2, organisation=kusel).text == "Erst halb fertig."
    zustand = _zustand_auf_meine_meldungen(client, i2, kusel)
    assert ">Entwurf</span>" in zustand and ">offen</span>" not in zustand and "eingereicht" not in zustand

    eingereicht = client.post(
        _url(i2, kusel, "meine"), _daten(i2, kusel, stichtag=demo_runde.stichtag.isoformat(), text="Jetzt fertig.")
    )

    assert eingereicht.status_code == 302
    meldung = Statusmeldung.objects.get(massnahme=i2, organisation=kusel, text="Jetzt fertig.")
    assert demo_runde.meldepflichten.get(massnahme=i2, organisation=kusel).statusmeldung == meldung
    assert not Meldungsentwurf.objects.filter(massnahme=i2, organisation=kusel).exists()
    zustand = _zustand_auf_meine_meldungen(client, i2, kusel)
    assert ">eingereicht</span>" in zustand and "Entwurf" not in zustand


@pytest.fixture
def ohne_kusel(rlp, i2) -> Massnahme:
    """A Maßnahme je Organisation in which only Cochem-Zell takes part."""
    massnahme = MassnahmeFactory(handlungsfeld=i2.handlungsfeld)
    BeteiligungFactory(massnahme=massnahme, organisation=Organisation.objects.get(schluessel="07135"))
    sync_strategie(rlp)
    return massnahme


@pytest.mark.parametrize("code", [None, "IV.1"])  # new Maßnahme je Organisation; gemeinsame under Landkreistag
def test_berichterstattung_cannot_report_without_beteiligung(client, kusel_user, kusel, ohne_kusel, rlp, code):
    massnahme = Massnahme.objects.get(strategie=rlp, code=code) if code else ohne_kusel
    assert not massnahme.beteiligungen.filter(organisation=kusel).exists()
    client.force_login(kusel_user)
    vorher = Statusmeldung.objects.count()

    ohne_wahl = client.post(_url(massnahme), _daten(massnahme, kusel))
    mit_wahl = client.post(_url(massnahme, kusel), _daten(massnahme, kusel))
    entwurf = client.post(_url(massnahme, kusel), _daten(massnahme, kusel, aktion="entwurf"))

    assert (ohne_wahl.status_code, mit_wahl.status_code, entwurf.status_code) == (403, 403, 403)
    assert "Keine Berechtigung" in mit_wahl.content.decode()
    assert Statusmeldung.objects.count() == vorher
    assert not Statusmeldung.objects.filter(massnahme=massnahme, organisation=kusel).exists()
    assert not Meldungsentwurf.objects.filter(massnahme=massnahme, organisation=kusel).exists()
    assert not Umsetzungsstand.objects.filter(massnahme=massnahme, organisation=kusel).exists()


def test_meldung_for_the_stichtag_of_a_round_closed_by_the_geschaeftsstelle_is_refused(
    client, geschaeftsstelle_user, kusel_user, i2, kusel, demo_runde
):
    client.force_login(geschaeftsstelle_user)
    geschlossen = client.post(reverse("massnahmen:berichtsrunde_schliessen", args=[RLP, demo_runde.pk]))
    assert geschlossen.status_code == 302
    demo_runde.refresh_from_db()
    assert demo_runde.zustand == Berichtsrunde.Zustand.GESCHLOSSEN and demo_runde.geschlossen_am is not None
    client.force_login(kusel_user)
    vorher = (Statusmeldung.objects.count(), _version(i2, kusel))

    response = client.post(_url(i2, kusel), _daten(i2, kusel, stichtag=demo_runde.stichtag.isoformat()))

    text = response.content.decode()
    assert response.status_code == 200 and "Die Meldung wurde nicht gespeichert" in text
    assert f"Die Berichtsrunde zum Stichtag {demo_runde.stichtag:%d.%m.%Y} ist geschlossen." in text
    assert (Statusmeldung.objects.count(), _version(i2, kusel)) == vorher
    assert not Statusmeldung.objects.filter(massnahme=i2, organisation=kusel, stichtag=demo_runde.stichtag).exists()
    assert demo_runde.meldepflichten.get(massnahme=i2, organisation=kusel).statusmeldung is None


def test_a_reported_item_suggests_today_as_stichtag(client, kusel_user, i2, kusel):
    """Reopened after its Meldung for the round, the form must not suggest the Stichtag just reported."""
    runde = Berichtsrunde.objects.get(ist_demo=True)
    url = reverse("massnahmen:melden", args=[i2.strategie.slug, i2.code]) + f"?organisation={kusel.pk}"
    client.force_login(kusel_user)
    praefix = f"m{i2.pk}-o{kusel.pk}"

    def vorschlag() -> str:
        html = client.get(url).content.decode()
        return html.split(f'name="{praefix}-stichtag"', 1)[1].split('value="', 1)[1].split('"', 1)[0]

    stand = i2.umsetzungsstaende.get(organisation=kusel)
    assert stand.stichtag < runde.stichtag and vorschlag() == runde.stichtag.isoformat()  # new for the round
    antwort = client.post(
        url,
        {
            f"{praefix}-organisation": kusel.pk,
            f"{praefix}-stichtag": runde.stichtag.isoformat(),
            f"{praefix}-status": "in_umsetzung",
            f"{praefix}-fortschritt": "90",
            f"{praefix}-text": "Fast fertig.",
            f"{praefix}-version": stand.version,
        },
    )
    assert antwort.status_code == 302
    assert vorschlag() == timezone.localdate().isoformat()


def test_joint_massnahme_shows_the_joint_state_first_and_no_missing_kreise(client, rlp, geschaeftsstelle_user):
    from massnahmen.services import Meldung, meldende_organisation_id, record_statusmeldung

    gemeinsam = Massnahme.objects.filter(strategie=rlp, umsetzungsart="gemeinsam", beteiligungen__isnull=False)
    massnahme = gemeinsam.filter(federfuehrung__isnull=True).distinct().first()
    meldende = Organisation.objects.get(pk=meldende_organisation_id(massnahme))
    record_statusmeldung(
        actor=geschaeftsstelle_user,
        massnahme=massnahme,
        organisation=meldende,
        erwartete_version=None,
        meldung=Meldung(stichtag=dt.date(2026, 9, 30), status="in_umsetzung", fortschritt=40),
    )
    client.force_login(geschaeftsstelle_user)

    html = client.get(massnahme.get_absolute_url()).content.decode()

    tabelle = html[html.index(f'id="umsetzungsstand-{massnahme.pk}"') :]
    zeilen = re.findall(r'<th scope="row" class="kern-table__cell">([^<]+)</th>', tabelle[: tabelle.index("</table>")])
    assert zeilen[0] == meldende.kurzname and len(zeilen) > 1
    assert tabelle.count("wird gemeinsam gemeldet") == len(zeilen) - 1 and "keine Meldung" not in tabelle
