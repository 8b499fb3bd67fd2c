"""Point 18 of issue 14: the Django admin follows the portal's policy for vertrauliche Statusmeldungen (an operator
without a role does not read their texts), and every admin view of a vertrauliche Meldung is a security event."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from massnahmen.models import Statusmeldung
from strategie.models import Sicherheitsereignis

User = get_user_model()
GEHEIM = "Schwachstelle im Firewall-Regelwerk des Rechenzentrums"


@pytest.fixture
def vertraulich(kusel_user, i2, kusel):
    from django.utils import timezone

    from massnahmen.services import Meldung, record_statusmeldung

    meldung = Meldung(
        stichtag=timezone.localdate(),
        status="in_umsetzung",
        fortschritt=40,
        text=GEHEIM,
        naechste_schritte="Patch einspielen",
        risiken="Ausnutzung vor dem Patch",
        vertraulich=True,
    )
    return record_statusmeldung(
        actor=kusel_user, massnahme=i2, organisation=kusel, meldung=meldung, erwartete_version=None
    )


def _oeffnen(client, meldung):
    return client.get(reverse("admin:massnahmen_statusmeldung_change", args=[meldung.pk]))


def test_superuser_without_role_does_not_read_vertraulich_texts(client, vertraulich):
    betrieb = User.objects.create_superuser("betrieb", "betrieb@example.org", "Ruhige-Fahrt-Ahornweg-73")
    client.force_login(betrieb)

    response = _oeffnen(client, vertraulich)

    text = response.content.decode()
    assert response.status_code == 200
    assert GEHEIM not in text and "Patch einspielen" not in text and "Ausnutzung vor dem Patch" not in text
    assert "lesen nur die meldende Organisation und die Geschäftsstelle" in text
    ereignis = Sicherheitsereignis.objects.get(art="vertraulich_gelesen")
    assert (ereignis.user, ereignis.strategie_id) == (betrieb, vertraulich.massnahme.strategie_id)
    assert ereignis.details.endswith("Texte verborgen")


def test_superuser_geschaeftsstelle_reads_them_and_each_view_is_logged(client, geschaeftsstelle_user, vertraulich):
    geschaeftsstelle_user.is_staff = geschaeftsstelle_user.is_superuser = True
    geschaeftsstelle_user.save()
    client.force_login(geschaeftsstelle_user)

    erste, zweite = _oeffnen(client, vertraulich), _oeffnen(client, vertraulich)

    assert GEHEIM in erste.content.decode() and GEHEIM in zweite.content.decode()
    ereignisse = Sicherheitsereignis.objects.filter(art="vertraulich_gelesen", user=geschaeftsstelle_user)
    assert ereignisse.count() == 2
    assert all(e.details.endswith("Texte angezeigt") for e in ereignisse)


def test_superuser_reads_a_plain_meldung_without_an_event(client, kusel_user, i2, kusel):
    betrieb = User.objects.create_superuser("betrieb", "betrieb@example.org", "Ruhige-Fahrt-Ahornweg-73")
    client.force_login(betrieb)
    meldung = Statusmeldung.objects.filter(vertraulich=False).exclude(text="").first()

    response = _oeffnen(client, meldung)

    assert meldung.text[:40] in response.content.decode()
    assert not Sicherheitsereignis.objects.filter(art="vertraulich_gelesen").exists()
