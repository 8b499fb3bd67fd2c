"""A role change is one entry in the person's Verlauf; every form names Organisationen the same short way."""

from django.urls import reverse

from strategie.models import Mitgliedschaft, Organisation, Sicherheitsereignis
from tests.conftest import RLP


def test_role_change_is_one_entry_in_the_verlauf(client, geschaeftsstelle_user, cochem_user):
    client.force_login(geschaeftsstelle_user)
    mitgliedschaft = cochem_user.mitgliedschaften.get()
    historie_vorher = Mitgliedschaft.history.filter(user_id=cochem_user.pk).count()

    client.post(
        reverse("strategie:rolle_aendern", args=[RLP, mitgliedschaft.pk]),
        {"organisation": mitgliedschaft.organisation_id, "rolle": "gast"},
    )

    mitgliedschaft.refresh_from_db()
    assert mitgliedschaft.rolle == "gast"  # the same Mitgliedschaft, changed
    assert Mitgliedschaft.history.filter(user_id=cochem_user.pk).count() == historie_vorher + 1
    ereignisse = Sicherheitsereignis.objects.filter(user=cochem_user, von=geschaeftsstelle_user)
    assert [(e.art, e.details) for e in ereignisse] == [
        ("rolle_geaendert", "Berichterstattung für Cochem-Zell → Gast für Cochem-Zell")
    ]
    verlauf = client.get(reverse("strategie:benutzer_verlauf", args=[RLP, cochem_user.pk])).content.decode()
    assert "Rolle geändert: Berichterstattung für Cochem-Zell → Gast für Cochem-Zell" in verlauf
    assert "Rolle gelöscht" not in verlauf


def test_organisation_names_are_short_and_sortable_in_every_form(client, geschaeftsstelle_user, kusel_user):
    client.force_login(geschaeftsstelle_user)
    einladen = client.get(reverse("strategie:benutzer_einladen", args=[RLP])).content.decode()
    liste = client.get(reverse("strategie:benutzer_liste", args=[RLP])).content.decode()

    for text in (einladen, liste):
        assert ">Kaiserslautern<" in text  # the Landkreis; the city would read "Kaiserslautern (Stadt)"
        assert ">Landkreis Kusel<" not in text and ">Kusel<" in text
    namen = [n for n in _optionen(einladen) if n != "Bitte wählen"]
    assert namen == sorted(namen, key=str.casefold)
    assert Organisation.objects.get(schluessel="07312").auswahlname == "Kaiserslautern (Stadt)"


def _optionen(text: str) -> list[str]:
    import re

    auswahl = re.search(r'<select[^>]*name="organisation".*?</select>', text, re.S).group(0)
    return re.findall(r"<option[^>]*>([^<]*)</option>", auswahl)
