"""The downloaded Meldebogen: German columns, current values, drop-downs, locked key columns, a Hinweise sheet."""

import io
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from massnahmen.models import Massnahme, Meldungsentwurf, Umsetzungsstand
from meldebogen.services.format import KOPFZEILE
from strategie.models import Organisation

from .meldebogen_hilfen import KUSEL, download_meldebogen, download_url, open_runde

SPALTEN = [
    "Kennziffer",
    "Maßnahme",
    "Handlungsfeld",
    "Organisation",
    "Stichtag",
    "Status",
    "Fortschritt (%)",
    "Ampel",
    "Sachstand",
    "Nächste Schritte",
    "Risiken",
    "Vertraulich",
    "Korrektur",
    "Unverändert bestätigen",
    "Stand-Version",
]


def test_berichterstattung_downloads_xlsx_with_current_values(client, rlp, kusel_user, geschaeftsstelle_user):
    kusel = Organisation.objects.get(kennung=KUSEL)
    runde = open_runde(rlp, geschaeftsstelle_user)
    client.force_login(kusel_user)

    response = client.get(download_url("xlsx", organisation=kusel, runde=runde))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert f"meldebogen-{rlp.slug}-{KUSEL}-" in response["Content-Disposition"]
    mappe = load_workbook(io.BytesIO(response.content))
    assert mappe.sheetnames == ["Meldebogen", "Hinweise"]
    blatt = mappe["Meldebogen"]
    assert [z.value for z in blatt[1]] == SPALTEN == list(KOPFZEILE)
    zeilen = {zeile[0].value: zeile for zeile in blatt.iter_rows(min_row=2)}
    stand = Umsetzungsstand.objects.get(organisation=kusel, massnahme__code="I.2")
    i2 = {titel: zelle.value for titel, zelle in zip(SPALTEN, zeilen["I.2"], strict=True)}
    assert i2["Organisation"] == KUSEL
    assert i2["Stichtag"].date() == runde.stichtag
    assert (i2["Status"], i2["Fortschritt (%)"], i2["Ampel"]) == ("in Umsetzung", 55, "gelb")
    assert i2["Sachstand"] == stand.letzte_meldung.text
    assert (i2["Vertraulich"], i2["Korrektur"]) == ("nein", "nein")
    assert re.fullmatch(rf"{stand.version}-[0-9a-f]{{8}}", i2["Stand-Version"])  # version and row fingerprint

    # drop-downs with the German labels, locked key columns, editable value columns
    listen = {
        bereich.coord[0]: dv.formula1 for dv in blatt.data_validations.dataValidation for bereich in dv.sqref.ranges
    }
    assert "zurückgestellt" in listen["F"] and "in Umsetzung" in listen["F"]
    assert listen["H"] == '"grün,gelb,rot"' and listen["L"] == listen["M"] == listen["N"] == '"ja,nein"'
    assert blatt.protection.sheet
    zeile = zeilen["I.2"]
    assert zeile[0].protection.locked and zeile[3].protection.locked and zeile[14].protection.locked
    assert not any(zelle.protection.locked for zelle in zeile[4:14])
    assert zeile[13].value == "nein"  # "Unverändert bestätigen"

    hinweise = " ".join(str(z.value) for zeile in mappe["Hinweise"].iter_rows() for z in zeile if z.value)
    for titel in SPALTEN:
        assert titel in hinweise
    for regel in (
        "100 %",
        "entfällt",
        "nicht in der Zukunft",
        "Fortschritt gegenüber der letzten Meldung",
        "Korrektur",
        "ganz oder gar nicht",
    ):
        assert regel in hinweise


def test_draft_is_prefilled_instead_of_the_current_state(client, rlp, kusel_user):
    kusel = Organisation.objects.get(kennung=KUSEL)
    Meldungsentwurf.objects.create(
        massnahme=Massnahme.objects.get(strategie=rlp, code="I.2"),
        organisation=kusel,
        status="in_umsetzung",
        fortschritt=75,
        text="Entwurf: Audit fast fertig",
        von=kusel_user,
    )
    client.force_login(kusel_user)

    text = download_meldebogen(client, "csv", organisation=kusel, runde="alle").decode("utf-8-sig")

    zeile = next(z for z in text.splitlines() if z.startswith("I.2;"))
    assert ";in Umsetzung;75;;Entwurf: Audit fast fertig;" in zeile


def test_without_round_every_massnahme_the_organisation_reports_on(client, rlp, kusel_user):
    kusel = Organisation.objects.get(kennung=KUSEL)
    client.force_login(kusel_user)

    text = download_meldebogen(client, "csv", organisation=kusel, runde="alle").decode("utf-8-sig")

    codes = [zeile.split(";")[0] for zeile in text.splitlines()[1:]]
    erwartet = Massnahme.objects.filter(
        strategie=rlp,
        is_archived=False,
        umsetzungsart="je_organisation",
        beteiligungen__organisation=kusel,
        beteiligungen__entfaellt=False,
    ).values_list("code", flat=True)
    assert set(codes) >= set(erwartet) and len(codes) == len(set(codes))
    i2 = next(z for z in text.splitlines() if z.startswith("I.2;"))
    stand = Umsetzungsstand.objects.get(organisation=kusel, massnahme__code="I.2")
    assert f";{stand.stichtag:%d.%m.%Y};in Umsetzung;55;gelb;" in i2


def test_export_needs_the_same_queries_for_many_rows(
    client, rlp, kusel_user, geschaeftsstelle_user, django_assert_num_queries
):
    kusel = Organisation.objects.get(kennung=KUSEL)
    wenige = open_runde(rlp, geschaeftsstelle_user, codes=("I.2",), tage_zurueck=30)
    viele = open_runde(
        rlp,
        geschaeftsstelle_user,
        codes=Massnahme.objects.filter(strategie=rlp).values_list("code", flat=True),
        tage_zurueck=10,
    )
    Meldungsentwurf.objects.create(
        massnahme=Massnahme.objects.get(strategie=rlp, code="VI.1"),
        organisation=kusel,
        status="in_umsetzung",
        von=kusel_user,
        stichtag=timezone.localdate(),
    )
    client.force_login(kusel_user)
    client.get(download_url("xlsx", organisation=kusel, runde=wenige))  # session and rights cached like later
    with CaptureQueriesContext(connection) as einzeln:
        client.get(download_url("xlsx", organisation=kusel, runde=wenige))
    assert viele.meldepflichten.filter(organisation=kusel).count() > 10

    with django_assert_num_queries(len(einzeln)):
        response = client.get(download_url("xlsx", organisation=kusel, runde=viele))
    with django_assert_num_queries(len(einzeln)):
        client.get(download_url("csv", organisation=kusel, runde=viele))

    assert load_workbook(io.BytesIO(response.content))["Meldebogen"].max_row > 10
