"""Lifting a lockout is a security event: who lifted it, for whom, in which strategy."""

from django.test import override_settings
from django.urls import reverse

from strategie.models import Sicherheitsereignis
from tests.conftest import RLP


@override_settings(AXES_FAILURE_LIMIT=2)
def test_geschaeftsstelle_unlocking_is_recorded_as_security_event(client, geschaeftsstelle_user, cochem_user, rlp):
    for _ in range(2):
        client.__class__().post("/anmelden/", {"username": "demo-cochem-zell", "password": "falsch"})
    client.force_login(geschaeftsstelle_user)

    response = client.post(reverse("strategie:benutzer_entsperren", args=[RLP, cochem_user.pk]), follow=True)

    assert "Die Anmeldesperre für" in response.content.decode()
    ereignis = Sicherheitsereignis.objects.get(art=Sicherheitsereignis.Art.ENTSPERRT, user=cochem_user)
    assert (ereignis.von, ereignis.strategie) == (geschaeftsstelle_user, rlp)
