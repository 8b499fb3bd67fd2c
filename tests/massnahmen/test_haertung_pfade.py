"""Point 8 of issue 14: path segments match only what a Kennziffer or Nummer can be, so `%00` and other junk is a
German 404 before any query (PostgreSQL refuses NUL in text and answered with a 500)."""

import pytest

from tests.conftest import RLP


@pytest.mark.parametrize(
    "pfad",
    [
        f"/{RLP}/massnahmen/%00/",
        f"/{RLP}/massnahmen/I.2%00/",
        f"/{RLP}/massnahmen/%00/melden/",
        f"/{RLP}/massnahmen/%00/meilensteine/neu/",
        f"/{RLP}/handlungsfelder/%00/",
        f"/{RLP}/handlungsfelder/I%00/",
        f"/{RLP}/massnahmen/{'I' * 21}/",
        f"/{RLP}/massnahmen/I.2'%20OR%201=1/",
        f"/{RLP}/meldebogen/meldebogen.%00",
        "/%00/",
        f"/{RLP}%00/massnahmen/I.2/",
        "/einladung/%00/a-b/",
    ],
)
def test_kusel_malformed_path_is_a_german_404(client, kusel_user, pfad):
    client.force_login(kusel_user)

    response = client.get(pfad)

    assert response.status_code in (404, 400), response.status_code
    if response.status_code == 404:
        assert "Seite nicht gefunden" in response.content.decode()


def test_anonymous_nul_in_a_password_link_is_an_invalid_link(client, daten):
    response = client.get("/passwort-neu/%00/%00/", follow=True)

    assert response.status_code == 200
    assert "nicht mehr gültig" in response.content.decode()


def test_kusel_real_codes_still_resolve(client, kusel_user):
    client.force_login(kusel_user)

    assert client.get(f"/{RLP}/massnahmen/VII.9/").status_code == 200
    assert client.get(f"/{RLP}/handlungsfelder/VII/").status_code == 200
    assert client.get("/kgrz-koblenz/massnahmen/4.2/").status_code in (200, 404)  # 404: Kusel is no KGRZ member
