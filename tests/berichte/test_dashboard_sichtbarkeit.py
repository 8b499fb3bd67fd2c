"""Who sees what: Gast and members of a strategy with "nur Aggregate" see sums only; vertraulich texts appear
on the dashboard, in the profile and in exports only for the reporting Organisation and the Geschäftsstelle,
while their status still counts."""

import datetime as dt

import pytest
from django.urls import reverse

from massnahmen.models import Status
from strategie.models import Strategie
from tests.berichte.conftest import um
from tests.conftest import RLP
from tests.factories import StatusmeldungFactory

URL = reverse("berichte:dashboard", args=[RLP])
GEHEIM = "VERTRAULICH-MARKER-9931"


@pytest.fixture
def vertraulich_kusel(i2, kusel):
    """Kusel reports I.2 red and vertraulich, with the marker in Sachstand, Risiken and nächste Schritte."""
    from massnahmen import services as massnahmen_services

    meldung = StatusmeldungFactory(
        massnahme=i2,
        organisation=kusel,
        stichtag=dt.date(2025, 12, 31),
        gemeldet_am=um("2026-01-05"),
        status=Status.IN_UMSETZUNG,
        fortschritt=60,
        ampel="rot",
        vertraulich=True,
        text=f"Sachstand {GEHEIM}",
        risiken=f"Risiko {GEHEIM}",
        naechste_schritte=f"Schritt {GEHEIM}",
    )
    massnahmen_services.refresh_umsetzungsstand(massnahme=i2, organisation=kusel)
    return meldung


def _alles(client, kennung="07336") -> str:
    """Dashboard, profile and every export of both, as one text."""
    teile = [client.get(URL, {"stichtag": "2025-12-31"}).content.decode()]
    profil = client.get(reverse("berichte:organisationsprofil", args=[RLP, kennung]), {"stichtag": "2025-12-31"})
    teile.append(profil.content.decode() if profil.status_code == 200 else "")
    for tabelle in ("rote-ampeln", "massnahmen", "matrix", "veraenderung"):
        for format in ("csv", "xlsx"):
            antwort = client.get(
                reverse("berichte:dashboard_export", args=[RLP, tabelle, format]), {"stichtag": "2025-12-31"}
            )
            teile.append(antwort.content.decode("utf-8", "replace") if antwort.status_code == 200 else "")
            teile.append(_xlsx_text(antwort) if format == "xlsx" and antwort.status_code == 200 else "")
    for tabelle in ("meldungen", "massnahmen"):
        antwort = client.get(
            reverse("berichte:organisationsprofil_export", args=[RLP, kennung, tabelle, "csv"]),
            {"stichtag": "2025-12-31"},
        )
        teile.append(antwort.content.decode("utf-8-sig") if antwort.status_code == 200 else "")
    return "\n".join(teile)


def _xlsx_text(antwort) -> str:
    import io

    from openpyxl import load_workbook

    blatt = load_workbook(io.BytesIO(antwort.content)).active
    return "\n".join(str(c.value) for zeile in blatt.iter_rows() for c in zeile if c.value is not None)


def test_lenkungsausschuss_sees_no_vertraulich_text_but_the_status_counts(
    client, lenkungsausschuss_user, vertraulich_kusel
):
    client.force_login(lenkungsausschuss_user)

    alles = _alles(client)

    assert GEHEIM not in alles
    assert "Risiken vertraulich" in alles and "Text vertraulich" in alles  # said, not hidden silently
    assert "I.2" in alles.split('id="rot-titel"')[1].split("</ul>")[0]  # the red Ampel still counts


def test_geschaeftsstelle_and_the_reporting_organisation_read_the_text(
    client, geschaeftsstelle_user, kusel_user, vertraulich_kusel
):
    client.force_login(geschaeftsstelle_user)
    assert f"Risiko {GEHEIM}" in _alles(client)
    client.force_login(kusel_user)
    assert (
        f"Sachstand {GEHEIM}"
        in client.get(reverse("berichte:organisationsprofil", args=[RLP, "07336"])).content.decode()
    )


def test_cochem_reads_kusels_figures_but_not_its_vertraulich_text(client, cochem_user, vertraulich_kusel):
    client.force_login(cochem_user)

    alles = _alles(client)

    assert GEHEIM not in alles and "Kusel" in alles


def test_gast_sees_sums_only(client, gast, vertraulich_kusel):
    client.force_login(gast)

    html = client.get(URL, {"stichtag": "2025-12-31"}).content.decode()

    assert "Sie sehen Summen über alle Organisationen" in html
    assert 'id="matrix-titel"' not in html and 'id="vollstaendigkeit-titel"' not in html
    assert "/organisationen/" not in html and "Landkreis Kusel</a></th><td>" not in html
    assert 'name="organisation"' not in html  # no filter narrowing the sums down to one Organisation
    assert GEHEIM not in _alles(client)
    assert client.get(reverse("berichte:organisationsprofil", args=[RLP, "07336"])).status_code == 404
    assert client.get(reverse("berichte:dashboard_export", args=[RLP, "matrix", "csv"])).status_code == 404
    assert client.get(reverse("berichte:dashboard_export", args=[RLP, "kennzahlen", "csv"])).status_code == 200


def test_member_of_an_aggregate_only_strategy_sees_sums_and_its_own_profile(
    client, rlp, kusel_user, vertraulich_kusel
):
    Strategie.objects.filter(pk=rlp.pk).update(sichtbarkeit=Strategie.Sichtbarkeit.AGGREGIERT)
    client.force_login(kusel_user)

    html = client.get(URL).content.decode()

    assert 'id="matrix-titel"' not in html and "/organisationen/" not in html
    assert client.get(reverse("berichte:organisationsprofil", args=[RLP, "07135"])).status_code == 404
    eigenes = client.get(reverse("berichte:organisationsprofil", args=[RLP, "07336"]))
    assert eigenes.status_code == 200 and f"Sachstand {GEHEIM}" in eigenes.content.decode()
