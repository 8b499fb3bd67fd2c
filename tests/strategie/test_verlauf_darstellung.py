"""The Verlauf reads as German: field names, dates as 31.12.2022, organisations by name, ja/nein, who and why,
and a line for a deleted Meilenstein."""

import re
from datetime import date

from django.urls import reverse

from massnahmen.models import Massnahme, Meilenstein
from massnahmen.services import rebuild_standsummen
from strategie.models import Organisation
from tests.conftest import RLP


def _zeile(text: str, feld: str) -> tuple[str, str]:
    treffer = re.search(
        rf'<th scope="row" class="kern-table__cell">{feld}</th><td class="kern-table__cell">([^<]*)</td>'
        rf'<td class="kern-table__cell">([^<]*)</td>',
        text,
    )
    assert treffer, f"keine Zeile „{feld}“"
    return treffer.groups()


def _save(objekt, actor, grund: str, **werte) -> None:
    for name, wert in werte.items():
        setattr(objekt, name, wert)
    objekt._history_user, objekt._change_reason = actor, grund
    objekt.save()
    if isinstance(objekt, Massnahme):  # as the admin does after a change of a Maßnahme
        rebuild_standsummen(strategie_id=objekt.strategie_id)


def test_geschaeftsstelle_reads_field_changes_in_german(client, geschaeftsstelle_user):
    massnahme = Massnahme.objects.get(strategie__slug=RLP, code="I.1")
    kusel = Organisation.objects.get(schluessel="07336")
    _save(massnahme, geschaeftsstelle_user, "Vorbereitung", frist=date(2022, 12, 31), beginn=None)
    _save(massnahme, geschaeftsstelle_user, "Frist verlängert", frist=date(2023, 6, 30), federfuehrung=kusel)
    client.force_login(geschaeftsstelle_user)

    text = client.get(reverse("massnahmen:verlauf", args=[RLP, "I.1"])).content.decode()

    assert _zeile(text, "Frist") == ("31.12.2022", "30.06.2023")
    assert _zeile(text, "Federführung")[1] == str(kusel)
    assert "Frist verlängert" in text and "Greta Geschäftsstelle (Demo)" in text


def test_geschaeftsstelle_sees_a_deleted_meilenstein(client, geschaeftsstelle_user):
    massnahme = Massnahme.objects.get(strategie__slug=RLP, code="I.1")
    meilenstein = Meilenstein(massnahme=massnahme, ordnung=99, titel="Vorlage verteilt", faellig_am=date(2025, 12, 31))
    _save(meilenstein, geschaeftsstelle_user, "Meilenstein angelegt")
    meilenstein._history_user, meilenstein._change_reason = geschaeftsstelle_user, "versehentlich angelegt"
    meilenstein.delete()
    client.force_login(geschaeftsstelle_user)

    text = client.get(reverse("massnahmen:verlauf", args=[RLP, "I.1"])).content.decode()

    assert "Meilenstein „Vorlage verteilt“ angelegt" in text and "31.12.2025" in text
    assert "Meilenstein „Vorlage verteilt“ gelöscht" in text and "versehentlich angelegt" in text
