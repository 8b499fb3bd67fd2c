"""The Berichtsrunden list and a round's overview, per role: who reads which lines."""

import datetime as dt

import pytest
from django.urls import reverse

from massnahmen.models import Berichtsrunde, Massnahme
from massnahmen.services import Meldung, open_berichtsrunde, record_statusmeldung
from strategie.models import Organisation

STICHTAG, FRIST = dt.date(2025, 12, 31), dt.date(2026, 2, 15)  # fixed, in the past: never the demo round's Stichtag


@pytest.fixture
def runde(rlp, geschaeftsstelle_user, kusel_user, cochem_user) -> Berichtsrunde:
    """I.1 and VI.1 owed by every Landkreis, I.4 (gemeinsam) by the Landkreistag. Kusel sent both, Cochem-Zell one."""
    massnahmen = {m.code: m for m in Massnahme.objects.filter(strategie=rlp, code__in=["I.1", "VI.1", "I.4"])}
    runde = open_berichtsrunde(
        actor=geschaeftsstelle_user,
        strategie=rlp,
        titel="Jahresrunde 2025",
        stichtag=STICHTAG,
        frist=FRIST,
        massnahmen=list(massnahmen.values()),
    )
    for user, schluessel, codes in [(kusel_user, "07336", ["I.1", "VI.1"]), (cochem_user, "07135", ["I.1"])]:
        organisation = Organisation.objects.get(schluessel=schluessel)
        for code in codes:
            record_statusmeldung(
                actor=user,
                massnahme=massnahmen[code],
                organisation=organisation,
                meldung=Meldung(stichtag=STICHTAG, status="umgesetzt"),
                erwartete_version=None,
            )
    return runde


def _liste(rlp) -> str:
    return reverse("massnahmen:berichtsrunde_liste", args=[rlp.slug])


def _detail(runde) -> str:
    return reverse("massnahmen:berichtsrunde_detail", args=[runde.strategie.slug, runde.pk])


def _zeile(name: str) -> str:
    return f'<th scope="row" class="kern-table__cell">{name}'


# --- list ------------------------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, runde):
    for url in (_liste(runde.strategie), _detail(runde)):
        response = client.get(url)

        assert response.status_code == 302 and response["Location"].startswith("/anmelden/?next=")


def test_gast_is_refused(client, gast, runde):
    client.force_login(gast)

    assert client.get(_liste(runde.strategie)).status_code == 403
    assert client.get(_detail(runde)).status_code == 403


def test_member_of_another_strategy_gets_404(client, kgrz_user, runde):
    client.force_login(kgrz_user)

    assert client.get(_liste(runde.strategie)).status_code == 404
    assert client.get(_detail(runde)).status_code == 404


def test_berichterstattung_sees_the_rounds_and_its_own_count(client, kusel_user, runde):
    client.force_login(kusel_user)

    response = client.get(_liste(runde.strategie))

    text = response.content.decode()
    assert response.status_code == 200
    assert "Jahresrunde 2025" in text and "31.12.2025" in text and "15.02.2026" in text
    assert "1 von 25 vollständig" in text  # 24 Landkreise and the Landkreistag owe; only Kusel is complete
    assert "3 von 49 Meldungen" in text
    assert "Ihre Meldungen" in text and "2 von 2" in text
    assert "Berichtsrunde eröffnen" not in text


def test_lenkungsausschuss_reads_the_list_without_managing(client, lenkungsausschuss_user, runde):
    client.force_login(lenkungsausschuss_user)

    text = client.get(_liste(runde.strategie)).content.decode()

    assert "Jahresrunde 2025" in text and "Frist überschritten" in text
    assert "Berichtsrunde eröffnen" not in text and "Ihre Meldungen" not in text


def test_geschaeftsstelle_gets_the_open_button(client, geschaeftsstelle_user, runde):
    client.force_login(geschaeftsstelle_user)

    text = client.get(_liste(runde.strategie)).content.decode()

    assert (
        "Jahresrunde 2025" in text
        and reverse("massnahmen:berichtsrunde_eroeffnen", args=[runde.strategie.slug]) in text
    )


def test_strategy_page_links_to_the_rounds_for_members_who_may_see_them(client, kusel_user, gast, rlp):
    client.force_login(kusel_user)
    assert _liste(rlp) in client.get(rlp.get_absolute_url()).content.decode()

    client.force_login(gast)
    assert _liste(rlp) not in client.get(rlp.get_absolute_url()).content.decode()


# --- overview of one round -------------------------------------------------------------------------------------


def test_berichterstattung_sees_only_its_own_line(client, kusel_user, runde):
    client.force_login(kusel_user)

    response = client.get(_detail(runde))

    text = response.content.decode()
    assert response.status_code == 200
    assert _zeile("Kusel") in text and _zeile("Cochem-Zell") not in text and _zeile("Ahrweiler") not in text
    assert "1 von 25 Organisationen vollständig" in text
    assert "Berichtsrunde schließen" not in text


def test_lenkungsausschuss_sees_every_organisation_incomplete_first(client, lenkungsausschuss_user, runde):
    client.force_login(lenkungsausschuss_user)

    text = client.get(_detail(runde)).content.decode()

    positionen = {name: text.index(_zeile(name)) for name in ("Ahrweiler", "Cochem-Zell", "Westerwaldkreis", "Kusel")}
    assert positionen["Ahrweiler"] < positionen["Cochem-Zell"] < positionen["Westerwaldkreis"] < positionen["Kusel"]
    assert text.count('<th scope="row" class="kern-table__cell">') == 25 + 3  # organisations + Maßnahmen
    assert "1 von 25 Organisationen vollständig" in text and "3 von 49 Meldungen eingegangen" in text
    assert "1 offen" in text  # Cochem-Zell still owes VI.1
    assert "Berichtsrunde schließen" not in text


def test_overview_counts_per_massnahme(client, geschaeftsstelle_user, runde):
    client.force_login(geschaeftsstelle_user)

    seite = client.get(_detail(runde)).content.decode()
    text = seite[seite.index('id="massnahmen"') :]  # the table per Maßnahme

    i1 = text.index(">I.1</a>")
    vi1 = text.index(">VI.1</a>")
    assert "2 von 24" in text[i1:vi1] and "1 von 24" in text[vi1:]
    assert "0 von 1" in text[text.index(">I.4</a>") :]
    assert reverse("massnahmen:berichtsrunde_schliessen", args=[runde.strategie.slug, runde.pk]) in seite


def test_round_of_another_strategy_is_not_found(client, kgrz_user, kgrz, runde):
    client.force_login(kgrz_user)

    assert client.get(reverse("massnahmen:berichtsrunde_detail", args=[kgrz.slug, runde.pk])).status_code == 404


def test_overview_names_what_each_organisation_still_owes(client, geschaeftsstelle_user, runde):
    client.force_login(geschaeftsstelle_user)

    text = client.get(_detail(runde)).content.decode()

    def zeile(name):
        beginn = text.index(_zeile(name))
        return text[beginn : text.index("</tr>", beginn)]

    vi1 = reverse("massnahmen:detail", args=[runde.strategie.slug, "VI.1"])
    assert "Es fehlt: " in zeile("Cochem-Zell") and f'href="{vi1}"' in zeile("Cochem-Zell")
    assert "noch keine Meldung eingegangen" in zeile("Ahrweiler") and "Es fehl" not in zeile("Ahrweiler")
    assert "Es fehl" not in zeile("Kusel")  # complete
