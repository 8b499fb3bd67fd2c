"""Point 7 of issue 14: a 400-digit number in the Meldebogen is a German row error, and no import ever stays
"in_arbeit": an unexpected error ends as "fehlgeschlagen" with a German message, in the eager (embedded) mode too."""

import pytest

from massnahmen.models import Statusmeldung, Umsetzungsstand
from meldebogen.models import Meldebogenimport
from tests.meldebogen.meldebogen_hilfen import download_meldebogen, edit_csv, open_runde, upload_meldebogen

RIESIG = "9" * 400


@pytest.fixture
def runde(rlp, geschaeftsstelle_user):
    return open_runde(rlp, geschaeftsstelle_user)


def _stand():
    return Statusmeldung.objects.count(), list(Umsetzungsstand.objects.order_by("pk").values_list("pk", "version"))


@pytest.mark.parametrize(
    ("spalte", "meldung"),
    [
        ("Fortschritt (%)", "Fortschritt muss eine ganze Zahl zwischen 0 und 100 sein"),
        ("Stand-Version", "Die Stand-Version fehlt oder wurde verändert"),
    ],
)
def test_kusel_400_digit_number_is_a_row_error(
    client, kusel_user, kusel, runde, django_capture_on_commit_callbacks, spalte, meldung
):
    client.force_login(kusel_user)
    datei = edit_csv(download_meldebogen(client, "csv", organisation=kusel, runde=runde), {"I.2": {spalte: RIESIG}})
    vorher = _stand()

    response = upload_meldebogen(client, datei, "meldebogen.csv", kusel, runde, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert meldung in response.content.decode()
    assert _stand() == vorher
    assert Meldebogenimport.objects.latest("pk").zustand == "abgelehnt"


def test_kusel_unexpected_error_ends_fehlgeschlagen_in_eager_mode(
    client, kusel_user, kusel, runde, django_capture_on_commit_callbacks, monkeypatch
):
    """Fault injection: the checking step raises an error nobody foresaw (as a broken file part once did)."""
    from meldebogen.services import importe as dienst

    def kaputt(**kwargs):
        raise RuntimeError("unvorhergesehen")

    monkeypatch.setattr(dienst, "validate_meldebogen", kaputt)
    client.force_login(kusel_user)
    datei = download_meldebogen(client, "csv", organisation=kusel, runde=runde)
    vorher = _stand()

    response = upload_meldebogen(client, datei, "meldebogen.csv", kusel, runde, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert "wegen eines technischen Fehlers nicht verarbeitet" in response.content.decode()
    meldebogenimport = Meldebogenimport.objects.latest("pk")
    assert meldebogenimport.zustand == "fehlgeschlagen"
    assert _stand() == vorher
