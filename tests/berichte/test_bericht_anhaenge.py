"""The PDF carries the report's figures as CSV (PDF/A-3 associated files), equal to the dashboard export for the
same Stichtag: the e-Akte copy holds its own data."""

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from .hilfen import RLP, erzeuge_pdf, lade_herunter, lege_an
from .pdf_hilfen import oeffne, pdfdetach_namen


def _ohne_datenstand(csv: bytes) -> list[str]:
    """The lines of an export without the "Datenstand" line: the dashboard answers as of now."""
    return [zeile for zeile in csv.decode("utf-8-sig").splitlines() if not zeile.startswith("Datenstand;")]


def _vor_einem_jahr(tag):
    try:
        return tag.replace(year=tag.year - 1)
    except ValueError:  # 29 February
        return tag.replace(year=tag.year - 1, day=28)


def test_geschaeftsstelle_pdf_carries_the_dashboard_export_as_csv(
    client, rlp, geschaeftsstelle_user, lenkungsausschuss_user, django_capture_on_commit_callbacks
):
    heute = timezone.localdate()
    client.force_login(geschaeftsstelle_user)
    bericht = lege_an(client, jahr=heute.year, stichtag=heute.isoformat())
    pdf = lade_herunter(client, erzeuge_pdf(client, bericht, django_capture_on_commit_callbacks))

    with oeffne(pdf) as dokument:
        anhaenge = {name: datei.get_file().read_bytes() for name, datei in dokument.attachments.items()}
        beziehungen = {str(datei.AFRelationship) for datei in dokument.Root.AF}

    assert {"kennzahlen.csv", "handlungsfelder.csv", "massnahmen.csv", "matrix.csv"} <= set(anhaenge)
    assert sorted(pdfdetach_namen(pdf)) == sorted(anhaenge)
    assert beziehungen == {"/Data"}
    ausschuss = Client()
    ausschuss.force_login(lenkungsausschuss_user)
    for name, inhalt in anhaenge.items():
        antwort = ausschuss.get(
            reverse("berichte:dashboard_export", args=[RLP, name.removesuffix(".csv"), "csv"]),
            {"stichtag": heute.isoformat(), "vergleich": _vor_einem_jahr(heute).isoformat()},
        )
        assert antwort.status_code == 200, name
        assert _ohne_datenstand(inhalt) == _ohne_datenstand(antwort.content), name
