"""Edge cases around invitations and operator data: the Geschäftsstelle of one strategy cannot invite itself into
another, and Impressum and Datenschutz show the operator configured in the settings."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import reverse

from strategie.models import Mitgliedschaft, Organisation, Sicherheitsereignis
from strategie.services.einladungen import invite_user
from tests.conftest import RLP

BETREIBER = {
    "name": "Zweckverband Kommunale IT Musterland",
    "anschrift": "Am Rechenzentrum 7, 54321 Musterstadt",
    "vertreten_durch": "den Verbandsvorsteher Dr. Max Muster",
    "email": "kontakt@zv-musterland.example",
    "telefon": "+49 6131 000000-0",
    "datenschutz_email": "dsb@zv-musterland.example",
    "aufsichtsbehoerde": "Aufsichtsbehörde für den Datenschutz Musterland, Musterweg 1, 54321 Musterstadt",
    "barrierefreiheit_email": "barrierefrei@zv-musterland.example",
}
VOREINSTELLUNG = "Landkreistag Rheinland-Pfalz"


def _abbild():
    return (
        sorted(Mitgliedschaft.objects.values_list("user_id", "strategie_id", "organisation_id", "rolle")),
        Sicherheitsereignis.objects.count(),
    )


@pytest.mark.parametrize(
    ("organisation", "rolle"),
    [({"schluessel": "07336"}, "berichterstattung"), ({"kennung": "landkreistag"}, "geschaeftsstelle")],
)  # a Kreis of the strategy; its Träger, as Geschäftsstelle
def test_geschaeftsstelle_of_other_strategy_cannot_invite_itself_into_rlp(
    client, kgrz_user, rlp, organisation, rolle, django_capture_on_commit_callbacks
):
    organisation = Organisation.objects.get(**organisation)
    assert not kgrz_user.mitgliedschaften.filter(strategie=rlp).exists()
    client.force_login(kgrz_user)
    vorher = _abbild()

    with django_capture_on_commit_callbacks(execute=True):
        seite = client.get(reverse("strategie:benutzer_einladen", args=[RLP]))
        response = client.post(
            reverse("strategie:benutzer_einladen", args=[RLP]),
            {
                "email": kgrz_user.email.upper(),
                "vorname": kgrz_user.first_name,
                "nachname": kgrz_user.last_name,
                "organisation": organisation.pk,
                "rolle": rolle,
            },
        )

    assert seite.status_code in (403, 404) and response.status_code in (403, 404)
    assert not kgrz_user.mitgliedschaften.filter(strategie=rlp).exists()
    assert _abbild() == vorher and mail.outbox == []
    assert client.get(reverse("strategie:benutzer_liste", args=[RLP])).status_code in (403, 404)  # still no way in


def test_invite_service_refuses_a_geschaeftsstelle_of_another_strategy(kgrz_user, rlp):
    kusel = Organisation.objects.get(schluessel="07336")
    vorher = _abbild()

    with pytest.raises(PermissionDenied):
        invite_user(
            actor=kgrz_user,
            strategie=rlp,
            email=kgrz_user.email,
            vorname="Kai",
            nachname="KGRZ",
            organisation=kusel,
            rolle="geschaeftsstelle",
        )

    assert _abbild() == vorher


@override_settings(BETREIBER=BETREIBER, BETREIBER_IST_BEISPIEL=False)
def test_impressum_shows_the_configured_operator(client, daten):
    text = client.get(reverse("portal:impressum")).content.decode()

    assert f'<address class="kern-body">{BETREIBER["name"]}<br>{BETREIBER["anschrift"]}</address>' in text
    assert f"Vertreten durch {BETREIBER['vertreten_durch']}." in text
    assert f'href="mailto:{BETREIBER["email"]}">{BETREIBER["email"]}</a>' in text
    assert f"Telefon: {BETREIBER['telefon']}" in text
    assert VOREINSTELLUNG not in text and "Hinweis für den Betrieb" not in text


@override_settings(BETREIBER=BETREIBER, BETREIBER_IST_BEISPIEL=False)
def test_datenschutz_shows_the_configured_controller_and_authority(client, daten):
    text = client.get(reverse("portal:datenschutz")).content.decode()

    assert f"{BETREIBER['name']}<br>{BETREIBER['anschrift']}<br>E-Mail: {BETREIBER['email']}" in text
    assert f'href="mailto:{BETREIBER["datenschutz_email"]}">{BETREIBER["datenschutz_email"]}</a>' in text
    assert f"bei der Aufsichtsbehörde beschweren: {BETREIBER['aufsichtsbehoerde']}." in text
    assert VOREINSTELLUNG not in text and "Hinweis für den Betrieb" not in text


@override_settings(BETREIBER={**BETREIBER, "telefon": ""}, BETREIBER_IST_BEISPIEL=True)
@pytest.mark.parametrize("name", ["portal:impressum", "portal:datenschutz"])
def test_default_operator_data_is_flagged_and_empty_phone_is_left_out(client, daten, name):
    text = client.get(reverse(name)).content.decode()

    assert "Hinweis für den Betrieb" in text and "BETREIBER_" in text
    assert "Telefon:" not in text
