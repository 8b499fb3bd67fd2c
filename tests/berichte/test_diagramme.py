"""The SVG charts: deterministic, accessible (role, title, desc, text as text, table beside), readable without
colour, and safe with any label."""

import xml.etree.ElementTree as ET

from django.template.loader import render_to_string

from berichte import charts

NS = {"svg": "http://www.w3.org/2000/svg"}
ZEILEN = [
    ("I Informationssicherheit", {"umgesetzt": 3, "in_umsetzung": 2, "in_planung": 1, "entfaellt": 1}),
    ("II Interkommunale <Zusammenarbeit> & mehr", {"nicht_begonnen": 4, "zurueckgestellt": 1}),
]


def _balken(zeilen=ZEILEN, kennung="hf-status"):
    return charts.gestapelte_balken(
        kennung=kennung,
        titel="Status je Handlungsfeld",
        beschreibung="Maßnahmen je Handlungsfeld nach Status am 31.12.2025.",
        zeilen=zeilen,
    )


def test_same_data_gives_byte_identical_svg():
    assert str(_balken().svg) == str(_balken([(a, dict(b)) for a, b in ZEILEN]).svg)
    fortschritt = [("I", 40), ("II", 73)]
    erstes = charts.fortschrittsbalken(kennung="f", titel="T", beschreibung="B", zeilen=fortschritt)
    assert erstes.svg == charts.fortschrittsbalken(kennung="f", titel="T", beschreibung="B", zeilen=fortschritt).svg
    assert str(_balken().svg) != str(_balken([ZEILEN[0]]).svg)


def test_svg_is_an_image_with_title_desc_and_text_as_text():
    for diagramm in (
        _balken(),
        charts.fortschrittsbalken(kennung="f", titel="Fortschritt", beschreibung="Mittel", zeilen=[("I", 40)]),
        charts.ampeluebersicht(kennung="a", titel="Ampeln", beschreibung="Zahl", anzahlen={"rot": 2, "gruen": 5}),
    ):
        wurzel = ET.fromstring(str(diagramm.svg))  # noqa: S314 - our own output; must be well-formed XML
        assert wurzel.get("role") == "img"
        assert wurzel.find("svg:title", NS).text == diagramm.titel
        assert wurzel.find("svg:desc", NS).text == diagramm.beschreibung
        assert wurzel.get("aria-labelledby") == f"{diagramm.kennung}-titel {diagramm.kennung}-desc"
        texte = [t.text for t in wurzel.iter("{http://www.w3.org/2000/svg}text")]
        assert texte and all(texte)
        assert "style=" not in str(diagramm.svg)  # CSP: presentation attributes only


def test_stacked_bar_labels_counts_and_tells_categories_apart_by_pattern():
    diagramm = _balken()
    wurzel = ET.fromstring(str(diagramm.svg))  # noqa: S314 - our own output
    texte = [t.text for t in wurzel.iter("{http://www.w3.org/2000/svg}text")]
    assert "I Informationssicherheit (7)" in texte and "3" in texte and "4" in texte
    assert "II Interkommunale <Zusammenarbeit> & mehr (5)" in texte  # escaped, read back as text
    muster = {k.muster for k in charts.STATUS_KATEGORIEN}
    assert len(muster) == len(charts.STATUS_KATEGORIEN)  # no two statuses differ by colour alone
    ids = [p.get("id") for p in wurzel.iter("{http://www.w3.org/2000/svg}pattern")]
    assert ids and all(i.startswith("hf-status-") for i in ids) and len(ids) == len(set(ids))
    assert all(label in texte for label in (k.label for k in charts.STATUS_KATEGORIEN))  # legend


def test_table_beside_the_chart_holds_the_same_figures():
    html = render_to_string("berichte/partials/diagramm.html", {"diagramm": _balken()})
    assert diagramm_tabelle(html) == [
        ["I Informationssicherheit", "3", "2", "1", "0", "0", "1", "7"],
        ["II Interkommunale <Zusammenarbeit> & mehr", "0", "0", "0", "4", "1", "0", "5"],
    ]
    assert "<details" in html and '<th scope="col">umgesetzt</th>' in html


def diagramm_tabelle(html: str) -> list[list[str]]:
    import html as html_lib
    import re

    zeilen = re.findall(r"<tr>(.*?)</tr>", html.split("<tbody>")[1], re.S)
    return [[html_lib.unescape(z) for z in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", zeile)] for zeile in zeilen]
