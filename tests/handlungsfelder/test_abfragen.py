"""The read pages need a fixed number of queries, whatever the number of Maßnahmen, Beteiligte and Meldungen."""

import pytest
from django.urls import reverse

from massnahmen.models import Massnahme
from tests.conftest import RLP


@pytest.fixture
def client_gs(client, geschaeftsstelle_user):
    client.force_login(geschaeftsstelle_user)
    return client


@pytest.mark.parametrize(
    ("pfad", "abfragen"),
    [
        (f"/{RLP}/", 15),  # incl. the roles for the Berichtsrunden link and the strategy rights (Dashboard, Berichte)
        (f"/{RLP}/handlungsfelder/I/", 12),  # 9 Maßnahmen, 24 Beteiligte each; roles + reported results
        (f"/{RLP}/handlungsfelder/VII/", 12),
        (f"/{RLP}/massnahmen/I.1/", 19),
    ],
)
def test_page_query_count_is_fixed(client_gs, django_assert_max_num_queries, pfad, abfragen):
    with django_assert_max_num_queries(abfragen):
        assert client_gs.get(pfad).status_code == 200


def test_handlungsfeld_query_count_does_not_grow_with_massnahmen(client_gs, rlp, django_assert_num_queries):
    pfad = reverse("portal:handlungsfeld", args=[RLP, "II"])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client_gs.get(pfad)  # warm caches (content types)
    with CaptureQueriesContext(connection) as vorher:
        client_gs.get(pfad)
    vorlage = Massnahme.objects.filter(strategie=rlp, handlungsfeld__nummer="II").first()
    for i in range(20):
        Massnahme.objects.create(
            strategie=rlp,
            handlungsfeld=vorlage.handlungsfeld,
            code=f"II.9{i}",
            ordnung=90 + i,
            titel=f"Zusatz {i}",
            umsetzungsart="je_organisation",
        )

    with django_assert_num_queries(len(vorher)):
        assert "Zusatz 19" in client_gs.get(pfad).content.decode()
