"""Exports: linked from the page with its parameters; CSV in UTF-8 with BOM and semicolons, XLSX that openpyxl
opens; both carry Stichtag, Datenstand and filter; a Sachstand starting with "=" stays text."""

import csv
import datetime as dt
import io

from django.urls import reverse
from openpyxl import load_workbook

from massnahmen import services as massnahmen_services
from tests.berichte.conftest import um
from tests.conftest import RLP
from tests.factories import StatusmeldungFactory

FORMEL = "=cmd|' /C calc'!A0"


def _export(client, tabelle, format, **parameter):
    return client.get(reverse("berichte:dashboard_export", args=[RLP, tabelle, format]), parameter)


def test_page_links_exports_with_its_parameters(client, lenkungsausschuss_user, daten):
    client.force_login(lenkungsausschuss_user)

    html = client.get(reverse("berichte:dashboard", args=[RLP]), {"stichtag": "31.12.2025", "handlungsfeld": "I"})

    link = reverse("berichte:dashboard_export", args=[RLP, "massnahmen", "csv"])
    assert f'href="{link}?stichtag=2025-12-31&amp;handlungsfeld=I"' in html.content.decode()


def test_csv_opens_as_german_excel_expects_with_stichtag_datenstand_and_filter(client, lenkungsausschuss_user, daten):
    client.force_login(lenkungsausschuss_user)

    antwort = _export(client, "massnahmen", "csv", stichtag="2025-12-31", handlungsfeld="I")

    assert antwort["Content-Type"].startswith("text/csv")
    assert "attachment" in antwort["Content-Disposition"] and ".csv" in antwort["Content-Disposition"]
    assert antwort.content.startswith(b"\xef\xbb\xbf")
    zeilen = list(csv.reader(io.StringIO(antwort.content.decode("utf-8-sig")), delimiter=";"))
    kopf = {z[0]: z[1] for z in zeilen[1:7] if len(z) >= 2}
    assert kopf["Stichtag"] == "31.12.2025"
    assert dt.datetime.strptime(kopf["Datenstand"], "%d.%m.%Y %H:%M")
    assert kopf["Filter"].startswith("Handlungsfeld I ")
    assert zeilen[zeilen.index([]) + 1][:3] == ["Kennziffer", "Maßnahme", "Handlungsfeld"]
    daten_zeilen = zeilen[zeilen.index([]) + 2 :]
    assert daten_zeilen and all(z[2] == "I" for z in daten_zeilen)


def test_xlsx_opens_with_openpyxl_and_holds_the_context(client, lenkungsausschuss_user, daten):
    client.force_login(lenkungsausschuss_user)

    antwort = _export(client, "matrix", "xlsx", stichtag="2025-12-31", organisationsart="landkreis")

    blatt = load_workbook(io.BytesIO(antwort.content)).active
    werte = {zeile[0]: zeile[1] for zeile in blatt.iter_rows(min_row=2, max_row=7, values_only=True)}
    assert werte["Stichtag"] == "31.12.2025" and werte["Filter"] == "Organisationsart Landkreis"
    assert "Datenstand" in werte and "Entfällt zählt nicht im Nenner" in werte["Zählregeln"]
    zeilen = list(blatt.iter_rows(values_only=True))
    assert zeilen[-1][0] == "umgesetzt" and " von " in str(zeilen[-1][1])


def _rote_ampel(massnahme, organisation, **texte) -> None:
    """A red Ampel of Kusel on 31.12.2025 with the given texts, as the export "rote-ampeln" lists it."""
    StatusmeldungFactory(
        massnahme=massnahme,
        organisation=organisation,
        stichtag=dt.date(2025, 12, 31),
        gemeldet_am=um("2026-01-05"),
        status="in_umsetzung",
        fortschritt=60,
        ampel="rot",
        **texte,
    )
    massnahmen_services.refresh_umsetzungsstand(massnahme=massnahme, organisation=organisation)


def test_formula_in_a_sachstand_is_exported_as_text(client, lenkungsausschuss_user, i2, kusel):
    _rote_ampel(i2, kusel, text=FORMEL, risiken="+SUM(1,2)")
    client.force_login(lenkungsausschuss_user)

    als_csv = _export(client, "rote-ampeln", "csv", stichtag="2025-12-31").content.decode("utf-8-sig")
    als_xlsx = load_workbook(io.BytesIO(_export(client, "rote-ampeln", "xlsx", stichtag="2025-12-31").content)).active
    profil = client.get(reverse("berichte:organisationsprofil_export", args=[RLP, "07336", "meldungen", "xlsx"]))

    assert f"'{FORMEL}" in als_csv and "'+SUM(1,2)" in als_csv
    zellen = [c for zeile in als_xlsx.iter_rows() for c in zeile if c.value == FORMEL]
    assert zellen and all(c.data_type == "s" and c.quotePrefix for c in zellen)
    profil_zellen = [
        c for z in load_workbook(io.BytesIO(profil.content)).active.iter_rows() for c in z if c.value == FORMEL
    ]
    assert profil_zellen and profil_zellen[0].data_type == "s"


def test_characters_xml_forbids_in_old_data_never_reach_an_export(client, lenkungsausschuss_user, i2, kusel):
    """Stored before the text rule (strategie/texte.py): the exports drop them, so the files open and the page
    does not fail."""
    _rote_ampel(i2, kusel, risiken="Lieferverzug\x01 beim\uffff Dienstleister")
    client.force_login(lenkungsausschuss_user)

    als_xlsx = _export(client, "rote-ampeln", "xlsx", stichtag="2025-12-31")
    als_csv = _export(client, "rote-ampeln", "csv", stichtag="2025-12-31")

    assert als_xlsx.status_code == als_csv.status_code == 200
    werte = [c.value for z in load_workbook(io.BytesIO(als_xlsx.content)).active.iter_rows() for c in z]
    assert "Lieferverzug beim Dienstleister" in werte
    assert "Lieferverzug beim Dienstleister" in als_csv.content.decode("utf-8-sig")


def test_unknown_table_or_format_is_not_found(client, lenkungsausschuss_user, daten):
    client.force_login(lenkungsausschuss_user)

    assert _export(client, "gibt-es-nicht", "csv").status_code == 404
    assert _export(client, "kennzahlen", "pdf").status_code == 404
