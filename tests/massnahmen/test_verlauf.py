"""The Verlauf of a Maßnahme shows who changed what and when, as a readable German diff."""

import pytest
from django.urls import reverse

from tests.conftest import KGRZ, RLP


def test_federfuehrung_reads_readable_diff(client, kgrz_user):
    client.force_login(kgrz_user)
    client.post(reverse("massnahmen:bearbeiten", args=[KGRZ, "5.3"]), {"beschreibung": "Monatliches Reporting."})
    client.post(
        reverse("massnahmen:meilenstein_neu", args=[KGRZ, "5.3"]),
        {"neu-titel": "Vorlage abgestimmt", "neu-faellig_am": "2026-12-31"},
    )

    text = client.get(reverse("massnahmen:verlauf", args=[KGRZ, "5.3"])).content.decode()

    assert "Maßnahme geändert" in text and "Beschreibung geändert" in text and "Monatliches Reporting." in text
    assert "Meilenstein „Vorlage abgestimmt“ angelegt" in text and "31.12.2026" in text
    assert "Kai KGRZ (Demo)" in text
    assert "Strategiedaten geladen" in text  # the initial load is part of the trail


def test_beteiligung_change_appears_for_geschaeftsstelle(client, kusel_user, geschaeftsstelle_user):
    from strategie.models import Organisation

    kusel = Organisation.objects.get(schluessel="07336")
    client.force_login(kusel_user)
    client.post(
        reverse("massnahmen:beteiligung", args=[RLP, "I.2"]),
        {"organisation": kusel.pk, "aktion": "entfaellt", "begruendung": "Kein eigenes Rechenzentrum."},
    )
    client.force_login(geschaeftsstelle_user)

    text = client.get(reverse("massnahmen:verlauf", args=[RLP, "I.2"])).content.decode()

    assert (
        "Beteiligung Kusel geändert" in text
        and "nein" in text
        and "ja" in text
        and "Kein eigenes Rechenzentrum." in text
    )


@pytest.mark.parametrize(
    ("benutzer", "erwartet"), [("gast", 403), ("kusel_user", 403), ("lenkungsausschuss_user", 200), ("kgrz_user", 404)]
)
def test_verlauf_access_per_role(client, request, benutzer, erwartet):
    client.force_login(request.getfixturevalue(benutzer))

    assert client.get(reverse("massnahmen:verlauf", args=[RLP, "I.2"])).status_code == erwartet


def test_initial_load_is_folded_into_one_line(client, geschaeftsstelle_user):
    client.force_login(geschaeftsstelle_user)

    text = client.get(reverse("massnahmen:verlauf", args=[RLP, "I.1"])).content.decode()

    assert text.count("Strategiedaten geladen") == 1 and "Einträge aus den Strategiedaten" in text
    eingeklappt = text[text.index("Angelegte Einträge anzeigen") : text.index("</details>", text.index("Angelegte"))]
    assert "<li>" in eingeklappt and "Kusel" in eingeklappt  # what the folded line stands for, one click away
