"""The Geschäftsstelle's Startseite leads to its Berichtsrunden and Benutzer; others see no such links."""

from django.urls import reverse

from tests.conftest import RLP


def test_geschaeftsstelle_startseite_links_rounds_and_users(client, geschaeftsstelle_user):
    client.force_login(geschaeftsstelle_user)

    text = client.get(reverse("portal:startseite")).content.decode()

    assert f'href="{reverse("massnahmen:berichtsrunde_liste", args=[RLP])}"' in text
    assert f'href="{reverse("strategie:benutzer_liste", args=[RLP])}"' in text


def test_berichterstattung_startseite_has_no_management_links(client, kusel_user):
    client.force_login(kusel_user)

    text = client.get(reverse("portal:startseite")).content.decode()

    assert reverse("strategie:benutzer_liste", args=[RLP]) not in text
