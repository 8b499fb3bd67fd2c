"""Point 3 of issue 14: a request body above the upload limit is refused before anything reads it."""

from django.conf import settings

from meldebogen.models import Meldebogenimport
from tests.conftest import RLP

HOCHLADEN = f"/{RLP}/meldebogen/hochladen/"


def test_berichterstattung_cannot_send_60_mb_body(client, kusel_user):
    """The declared 60 MB are never read: the test client's payload holds only 10 bytes and fails any read past
    them, so the 413 proves that neither the CSRF check nor the form touched the body."""
    client.force_login(kusel_user)
    vorher = Meldebogenimport.objects.count()

    response = client.generic(
        "POST",
        HOCHLADEN,
        b"x" * 10,
        content_type="multipart/form-data; boundary=grenze",
        CONTENT_LENGTH=str(60 * 1024 * 1024),
    )

    assert response.status_code == 413
    text = response.content.decode()
    assert "Daten zu groß" in text and "höchstens 2 MB" in text
    assert response["Connection"] == "close"
    assert Meldebogenimport.objects.count() == vorher


def test_anonymous_large_body_is_refused_before_sign_in_redirect(client, daten):
    response = client.generic(
        "POST",
        "/anmelden/",
        b"username=a",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(settings.ANFRAGE_MAX_BYTES + 1),
    )

    assert response.status_code == 413


def test_body_at_the_limit_reaches_the_form(client, kusel_user):
    client.force_login(kusel_user)

    response = client.post(HOCHLADEN, {"organisation": "", "runde": "alle"})

    assert response.status_code != 413
