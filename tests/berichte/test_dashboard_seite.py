"""The dashboard through HTTP: figures equal those computed from the raw Statusmeldungen of the hand-made history,
filters and the comparison change exactly the expected figures, a shared URL reproduces the view, and wrong
input gets a German message, never a 500."""

import re

from django.urls import reverse

from massnahmen.models import Massnahme
from tests.conftest import RLP

URL = reverse("berichte:dashboard", args=[RLP])


def _zeile(html: str, code: str) -> str:
    """The row of one Maßnahme in the Maßnahmen table."""
    tabelle = html.split('id="massnahmen-titel"')[1]
    return re.search(rf"<tr>\s*<th scope=\"row\"[^>]*><a [^>]*>{re.escape(code)} .*?</tr>", tabelle, re.S).group(0)


def _kennzahl(html: str, label: str) -> int:
    return int(re.search(rf'<span class="kennzahl__wert">(\d+)</span> {label}</li>', html).group(1))


def _ergebnis_ohne_datenstand(html: str) -> str:
    ergebnis = html[html.index('<div id="dashboard-ergebnis"') :]
    return re.sub(r"Datenstand [\d.]+, [\d:]+ Uhr", "", ergebnis)


def test_lenkungsausschuss_sees_figures_of_the_hand_made_history(client, lenkungsausschuss_user, szenario):
    client.force_login(lenkungsausschuss_user)
    code = szenario["m"].code

    vergangen = client.get(URL, {"stichtag": "2025-12-31"})
    heute = client.get(URL)

    assert vergangen.status_code == heute.status_code == 200
    zeile = _zeile(vergangen.content.decode(), code)
    assert "1 von 4" in zeile and "in Umsetzung" in zeile and "(1 entfällt)" not in zeile
    zeile = _zeile(heute.content.decode(), code)
    assert "2 von 4" in zeile and "(1 entfällt)" in zeile and "überfällig" in zeile
    html = vergangen.content.decode()
    assert "Stand am 31.12.2025" in html and "Datenstand" in html
    assert "Entfällt zählt nicht im Nenner; Entwürfe zählen nicht." in html
    matrix = html.split('id="matrix-titel"')[1]
    assert "noch nicht beteiligt" in matrix and '<th scope="col"><abbr' in matrix and 'scope="row"' in matrix


def test_filter_handlungsfeld_and_status_narrow_the_figures(client, lenkungsausschuss_user, rlp, szenario):
    client.force_login(lenkungsausschuss_user)
    hf = szenario["m"].handlungsfeld
    aktiv = Massnahme.objects.filter(strategie=rlp, is_archived=False)

    alle = client.get(URL).content.decode()
    im_feld = client.get(URL, {"handlungsfeld": hf.nummer}).content.decode()
    umgesetzt = client.get(URL, {"handlungsfeld": hf.nummer, "status": "in_umsetzung"}).content.decode()

    assert _kennzahl(alle, "Maßnahmen insgesamt") == aktiv.count()
    assert _kennzahl(im_feld, "Maßnahmen insgesamt") == aktiv.filter(handlungsfeld=hf).count()
    assert _kennzahl(umgesetzt, "Maßnahmen insgesamt") == _kennzahl(im_feld, "in Umsetzung")
    assert szenario["m"].code in umgesetzt
    assert f"Auswahl: Handlungsfeld {hf.nummer}" in im_feld
    andere = aktiv.exclude(handlungsfeld=hf).first()
    assert f">{andere.code} " in alle and f">{andere.code} " not in im_feld


def test_comparison_lists_what_changed_since_the_date(client, lenkungsausschuss_user, szenario):
    client.force_login(lenkungsausschuss_user)
    code = szenario["m"].code

    html = client.get(URL, {"vergleich": "2025-12-31", "handlungsfeld": szenario["m"].handlungsfeld.nummer})
    html = html.content.decode()

    veraenderung = html.split('id="veraenderung-titel"')[1].split('id="massnahmen-titel"')[0]
    assert "seit 31.12.2025" in veraenderung
    assert f">{code} " in veraenderung  # progress moved (A umgesetzt, D joined, E entfällt)
    kurz = {o.kurzname for o in szenario["orgs"].values()}
    assert any(k in veraenderung for k in kurz)  # per Organisation


def test_shared_url_and_german_date_reproduce_the_view(
    client, lenkungsausschuss_user, geschaeftsstelle_user, szenario
):
    client.force_login(lenkungsausschuss_user)
    parameter = {
        "stichtag": "2025-12-31",
        "handlungsfeld": szenario["m"].handlungsfeld.nummer,
        "vergleich": "2025-06-30",
    }

    erste = client.get(URL, parameter).content.decode()
    deutsch = client.get(URL, {**parameter, "stichtag": "31.12.2025"}).content.decode()
    client.force_login(geschaeftsstelle_user)
    geteilt = client.get(URL, parameter).content.decode()

    assert _ergebnis_ohne_datenstand(erste) == _ergebnis_ohne_datenstand(deutsch)
    assert _kennzahl(erste, "umgesetzt") == _kennzahl(geteilt, "umgesetzt")
    assert _zeile(erste, szenario["m"].code) == _zeile(geteilt, szenario["m"].code)
    assert 'value="2025-12-31"' in erste  # the form shows the chosen values again


def test_wrong_input_gets_german_messages_not_an_error(client, lenkungsausschuss_user, daten):
    client.force_login(lenkungsausschuss_user)

    antwort = client.get(
        URL,
        {
            "stichtag": "2025-02-30",
            "handlungsfeld": "XIV",
            "vergleich": "2099-01-01",
            "organisation": "<script>",
            "ampel": "lila",
        },
    )

    assert antwort.status_code == 200
    html = antwort.content.decode()
    assert "Bitte geben Sie ein gültiges Datum an" in html
    assert "Diesen Wert gibt es hier nicht" in html
    assert "Der Vergleichstag darf nicht in der Zukunft liegen." in html
    assert 'aria-invalid="true"' in html and "<script>" not in html


def test_htmx_swaps_only_the_result_region(client, lenkungsausschuss_user, daten):
    client.force_login(lenkungsausschuss_user)

    antwort = client.get(URL, {"stichtag": "2025-12-31"}, HTTP_HX_REQUEST="true")

    html = antwort.content.decode().strip()
    assert html.startswith('<div id="dashboard-ergebnis" aria-live="polite">')
    assert "<html" not in html and 'hx-swap-oob="true"' not in html
    fehler = client.get(URL, {"stichtag": "morgen"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="dashboard-filter"' in fehler and 'hx-swap-oob="true"' in fehler and "data-fokus" in fehler


def test_links_to_massnahmen_and_profiles_are_those_reverse_gives(client, lenkungsausschuss_user, szenario):
    """The rows' links are built from one reversed URL per table (templatetag `pfad`); each must still be the URL
    Django's reverse() gives, and lead to its page."""
    client.force_login(lenkungsausschuss_user)
    html = client.get(URL).content.decode()
    ergebnis = html[html.index('<div id="dashboard-ergebnis"') :]

    massnahmen = set(re.findall(rf'href="(/{RLP}/massnahmen/[^"/]+/)"', ergebnis))
    profile = set(re.findall(rf'href="(/{RLP}/organisationen/[^"/]+/)"', ergebnis))
    codes = Massnahme.objects.filter(strategie__slug=RLP).values_list("code", flat=True)
    assert massnahmen and massnahmen <= {reverse("massnahmen:detail", args=[RLP, c]) for c in codes}
    kennungen = szenario["m"].strategie.organisationen.values_list("kennung", flat=True)
    assert profile and profile <= {reverse("berichte:organisationsprofil", args=[RLP, k]) for k in kennungen}
    assert client.get(sorted(profile)[0]).status_code == client.get(sorted(massnahmen)[0]).status_code == 200


def test_pfad_quotes_as_reverse_does():
    from django.template import Context, Template

    vorlage = Template(
        "{% load stand %}{% pfad 'massnahmen:detail' slug code %}|{% pfad 'massnahmen:detail' slug b %}"
    )
    for code in ("I.2", "A-1.b", "0"):
        erwartet = f"{reverse('massnahmen:detail', args=[RLP, code])}|{reverse('massnahmen:detail', args=[RLP, 'x'])}"
        assert vorlage.render(Context({"slug": RLP, "code": code, "b": "x"})) == erwartet
    # beyond what the converters let through, quoted as reverse() quotes and escaped for the attribute
    assert vorlage.render(Context({"slug": RLP, "code": 'ä "x"', "b": "x"})).startswith(
        f"/{RLP}/massnahmen/%C3%A4%20%22x%22/|"
    )


def test_filter_select_gives_the_options_djangos_select_gives():
    """The filter's Select writes its options in Python (berichte.forms.dashboard.Select); the options, their
    escaping and the selected one must be those of Django's own widget."""
    from django import forms

    from berichte.forms.dashboard import Select

    def optionen(markup: str) -> list[tuple[str, bool, str]]:
        return [
            (wert, " selected" in attribute, text)
            for attribute, wert, text in re.findall(r'<option([^>]*?value="([^"]*)"[^>]*)>([^<]*)</option>', markup)
        ]

    choices = [("", "alle"), ("07-1", 'Kreis "A" & <B>'), ("0", "Null"), ("x'y", "Äpfel")]
    for wert in (None, "", "07-1", "x'y", "0"):
        unser = Select(choices=choices).render("organisation", wert, {"id": "id_organisation"})
        django = forms.Select(choices=choices).render("organisation", wert, {"id": "id_organisation"})
        assert optionen(unser) == optionen(django) and len(optionen(unser)) == len(choices)
        assert unser.startswith('<select name="organisation" id="id_organisation">')
