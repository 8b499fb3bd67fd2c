"""A national strategy (400 Organisationen × 200 Maßnahmen) on one screen: the matrix comes page by page and asks
for a Handlungsfeld while it is too wide; many red Ampeln are counted per Maßnahme, each one still in the export.
The limits are lowered here so that the Landkreise of Rheinland-Pfalz stand in for the nation."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from berichte.selectors import Zeitpunkt, ergebnisse
from strategie.models import Organisation
from tests.berichte.hilfen import read_stand
from tests.conftest import RLP, demo_user

from .hilfen import melde_viele_rote_ampeln

URL = reverse("berichte:dashboard", args=[RLP])


def _zeilenkoepfe(html: str) -> list[str]:
    matrix = html[html.index('<table class="matrix">') : html.index("</table>", html.index('<table class="matrix">'))]
    return re.findall(r'<th scope="row"><a class="kern-link" href="[^"]+">([^<]+)</a></th>', matrix)


def test_a_large_matrix_is_shown_page_by_page_and_the_filter_stays_in_the_links(
    client, lenkungsausschuss_user, monkeypatch
):
    monkeypatch.setattr(ergebnisse, "MATRIX_ZELLEN_JE_SEITE", 100)
    client.force_login(lenkungsausschuss_user)

    erste = client.get(URL, {"handlungsfeld": "I"}).content.decode()
    naechster = re.search(r'<a class="kern-link" rel="next" href="([^"]+)"', erste).group(1).replace("&amp;", "&")
    zweite = client.get(URL + naechster.split("#")[0]).content.decode()
    letzte = client.get(URL, {"handlungsfeld": "I", "matrix_seite": "999"}).content.decode()
    kaputt = client.get(URL, {"handlungsfeld": "I", "matrix_seite": "zwei"}).content.decode()

    kopf = re.search(r"Organisationen 1 bis (\d+) von (\d+) \(Seite 1 von (\d+)\)", erste)
    assert kopf, "the first page says which Organisationen it shows"
    je_seite, anzahl, seiten = (int(kopf.group(i)) for i in (1, 2, 3))
    assert je_seite >= 10 and seiten == -(-anzahl // je_seite) > 1
    assert len(_zeilenkoepfe(erste)) == je_seite
    assert "handlungsfeld=I" in naechster and "matrix_seite=2" in naechster
    bis = min(2 * je_seite, anzahl)
    assert f"Organisationen {je_seite + 1} bis {bis}" in zweite and 'rel="prev"' in zweite
    assert set(_zeilenkoepfe(erste)).isdisjoint(_zeilenkoepfe(zweite)) and len(_zeilenkoepfe(zweite)) == bis - je_seite
    assert f"(Seite {seiten} von {seiten})" in letzte and 'rel="next"' not in letzte
    assert _zeilenkoepfe(kaputt) == _zeilenkoepfe(erste)


def test_a_matrix_too_wide_for_a_screen_asks_for_a_handlungsfeld_first(client, lenkungsausschuss_user, monkeypatch):
    monkeypatch.setattr(ergebnisse, "MATRIX_ZELLEN_JE_SEITE", 100)
    monkeypatch.setattr(ergebnisse, "MATRIX_SPALTEN_UNGEFILTERT", 12)
    client.force_login(lenkungsausschuss_user)

    alle = client.get(URL).content.decode()
    ein_feld = client.get(URL, {"handlungsfeld": "I"}).content.decode()

    assert "zu viele für eine Bildschirmseite. Bitte wählen Sie oben ein Handlungsfeld" in alle
    assert '<table class="matrix">' not in alle and "export/matrix.csv" in alle  # the whole matrix as a file
    assert '<table class="matrix">' in ein_feld


def test_many_red_ampeln_are_counted_per_massnahme_and_each_is_in_the_export(client, rlp, lenkungsausschuss_user):
    gestern = timezone.localdate() - dt.timedelta(days=1)
    beteiligungen = melde_viele_rote_ampeln(rlp, stichtag=gestern, marker="ROT-")
    client.force_login(lenkungsausschuss_user)
    parameter = {"stichtag": gestern.isoformat()}  # read from the Meldungen themselves

    seite = client.get(URL, parameter).content.decode()
    export = client.get(reverse("berichte:dashboard_export", args=[RLP, "rote-ampeln", "csv"]), parameter)

    assert "Meldungen tragen eine rote Ampel, zu viele, um sie hier einzeln zu nennen" in seite
    assert "ROT-" not in seite
    erste = beteiligungen[0].massnahme
    zeile = re.search(rf">{re.escape(erste.code)} [^<]*</a></th><td[^>]*>(\d+)</td><td[^>]*>([^<]*)</td>", seite)
    je_massnahme = sum(1 for b in beteiligungen if b.massnahme_id == erste.pk)
    assert int(zeile.group(1)) >= je_massnahme and "weitere" in zeile.group(2)
    # the count and the first five names (alphabetically), as the pairs give them one by one
    stand = read_stand(strategie=rlp, zeitpunkt=Zeitpunkt.am(gestern))
    namen = {o.pk: (o.kurzname, o.kennung) for o in Organisation.objects.all()}
    rote = sorted(namen[o] for (m, o), z in stand.zellen.items() if m == erste.pk and z.ampel == "rot" and z.im_nenner)
    assert int(zeile.group(1)) == len(rote)
    assert zeile.group(2) == ", ".join(k for k, _ in rote[:5]) + f" und {len(rote) - 5} weitere"
    csv = export.content.decode("utf-8-sig")
    assert all(f"ROT-{b.pk}" in csv for b in beteiligungen)
    client.force_login(demo_user("demo-gast"))  # sums only: the rows name no Organisation
    gast = client.get(URL, parameter).content.decode()
    zeile = re.search(rf">{re.escape(erste.code)} [^<]*</a></th><td[^>]*>(\d+)</td><td[^>]*>([^<]*)</td>", gast)
    assert int(zeile.group(1)) >= je_massnahme and zeile.group(2) == "–"


def test_an_organisations_long_history_of_meldungen_is_shown_page_by_page_and_whole_in_the_export(
    client, lenkungsausschuss_user, i2, kusel, monkeypatch
):
    from berichte.selectors import profil as profil_selector
    from massnahmen.models import Statusmeldung
    from tests.factories import StatusmeldungFactory

    monkeypatch.setattr(profil_selector, "MELDUNGEN_JE_SEITE", 10)
    for monat in range(1, 26):  # 25 monthly Meldungen of Kusel for I.2, 2022 to 2024
        tag = dt.date(2022 + (monat - 1) // 12, (monat - 1) % 12 + 1, 28)
        StatusmeldungFactory(
            massnahme=i2,
            organisation=kusel,
            stichtag=tag,
            gemeldet_am=timezone.make_aware(dt.datetime.combine(tag, dt.time(12))),
            text=f"Verlauf {monat:02d}",
        )
    bis = dt.date(2024, 12, 31)
    alle = Statusmeldung.objects.filter(massnahme__strategie=i2.strategie, organisation=kusel, stichtag__lte=bis)
    anzahl, seiten = alle.count(), -(-alle.count() // 10)
    url = reverse("berichte:organisationsprofil", args=[RLP, kusel.kennung])
    client.force_login(lenkungsausschuss_user)

    erste = client.get(url, {"stichtag": "31.12.2024"}).content.decode()
    aelter = re.search(r'<a class="kern-link" rel="next" href="([^"]+)"', erste).group(1).replace("&amp;", "&")
    zweite = client.get(url + aelter.split("#")[0]).content.decode()
    letzte = client.get(url, {"stichtag": "31.12.2024", "meldungen_seite": "999"}).content.decode()
    export = client.get(
        reverse("berichte:organisationsprofil_export", args=[RLP, kusel.kennung, "meldungen", "csv"]),
        {"stichtag": "31.12.2024"},
    ).content.decode("utf-8-sig")

    assert f"Meldungen 1 bis 10 von {anzahl}, neueste zuerst (Seite 1 von {seiten})" in erste
    assert "Verlauf 25" in erste and "Verlauf 15" not in erste
    assert "stichtag=31.12.2024" in aelter and "meldungen_seite=2" in aelter
    assert f"Meldungen 11 bis 20 von {anzahl}" in zweite and "Verlauf 15" in zweite and 'rel="prev"' in zweite
    assert f"(Seite {seiten} von {seiten})" in letzte and 'rel="next"' not in letzte
    assert all(f"Verlauf {monat:02d}" in export for monat in range(1, 26))


def test_long_tables_come_page_by_page_and_each_pager_keeps_the_filter_and_the_other_pages(
    client, lenkungsausschuss_user, monkeypatch
):
    monkeypatch.setattr(ergebnisse, "ZEILEN_JE_SEITE", 5)
    client.force_login(lenkungsausschuss_user)

    erste = client.get(URL).content.decode()
    anzahl = int(re.search(r"Maßnahmen 1 bis 5 von (\d+) \(Seite 1 von \d+\)", erste).group(1))
    organisationen = int(re.search(r"Organisationen 1 bis 5 von (\d+) \(Seite 1 von \d+\)", erste).group(1))
    assert anzahl > 5 and organisationen > 5
    weiter = {
        name: link.replace("&amp;", "&")
        for link in re.findall(r'rel="next" href="\?([^"#]+)#[^"]+"', erste)
        for name in ("massnahmen_seite", "vollstaendigkeit_seite")
        if f"{name}=2" in link
    }
    assert set(weiter) == {"massnahmen_seite", "vollstaendigkeit_seite"}
    zweite = client.get(f"{URL}?{weiter['massnahmen_seite']}").content.decode()
    assert f"Maßnahmen 6 bis {min(10, anzahl)} von {anzahl}" in zweite and "Organisationen 1 bis 5" in zweite
    # the Vollständigkeit's next page keeps the Maßnahmen on their second page
    link = re.search(r'rel="next" href="\?([^"#]*vollstaendigkeit_seite=2[^"#]*)#', zweite).group(1)
    assert "massnahmen_seite=2" in link.replace("&amp;", "&")
    beide = client.get(f"{URL}?{link.replace('&amp;', '&')}").content.decode()
    assert f"Maßnahmen 6 bis {min(10, anzahl)}" in beide and f"Organisationen 6 bis {min(10, organisationen)}" in beide
    gefiltert = client.get(URL, {"handlungsfeld": "VII", "vollstaendigkeit_seite": "2"}).content.decode()
    link = re.search(r'rel="prev" href="\?([^"#]*vollstaendigkeit_seite=1[^"#]*)#', gefiltert).group(1)
    assert "handlungsfeld=VII" in link
