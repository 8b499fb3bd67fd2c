"""A session ends after SESSION_COOKIE_AGE (default 8 hours) and when the browser closes."""

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone


def test_member_session_ends_with_the_browser_and_after_eight_hours(client, daten):
    response = client.post("/anmelden/", {"username": "demo-kusel", "password": "demo"})

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie
    sitzung = Session.objects.get(session_key=cookie.value)
    assert abs(sitzung.expire_date - (timezone.now() + timedelta(hours=8))) < timedelta(minutes=1)


def test_member_with_expired_session_is_sent_to_the_sign_in(client, daten):
    client.post("/anmelden/", {"username": "demo-kusel", "password": "demo"})
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    response = client.get("/meine-meldungen/")

    assert response.status_code == 302 and response["Location"].startswith("/anmelden/")
