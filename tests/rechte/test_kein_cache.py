"""Point 17 of issue 14: every answer to a signed-in person carries `Cache-Control: no-store` (ASVS 8.2.1), on
every URL of the URLconf and for every role, whatever the status; anonymous public pages stay cacheable."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client

from tests.rechte import matrix as mx
from tests.rechte.test_matrix import ERWARTUNG, _pfad


@pytest.mark.parametrize("rolle", ["kusel", "geschaeftsstelle", "gs_andere"])
def test_every_signed_in_answer_is_no_store(daten, rolle):
    k = mx.build_kontext()
    client = Client()
    client.force_login(get_user_model().objects.get(username=mx.BENUTZER[rolle]))
    ohne = []
    for name, route in mx.alle_urlmuster():
        if name == "strategie:abmelden":
            continue
        code = None if name.startswith("admin:") else ERWARTUNG[name][0]
        pfad = _pfad(name, route, k, code)
        with transaction.atomic():
            antwort = client.get(pfad)
            transaction.set_rollback(True)
        if "no-store" not in antwort.get("Cache-Control", ""):
            ohne.append(f"GET {pfad} ({name}): {antwort.status_code} {antwort.get('Cache-Control')!r}")
    assert ohne == [], "\n".join(ohne)


def test_kusel_page_with_vertraulich_text_is_not_stored(client, kusel_user):
    client.force_login(kusel_user)

    response = client.get(f"/{mx.RLP}/massnahmen/I.2/")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_anonymous_public_page_has_no_no_store(client, daten):
    response = client.get("/impressum/")

    assert "no-store" not in response.get("Cache-Control", "")
