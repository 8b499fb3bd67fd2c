"""manage.py demo_laden: labelled demo data, only with DEBUG."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings

from massnahmen.models import Statusmeldung
from strategie.models import Mitgliedschaft


@override_settings(DEBUG=False)
def test_refuses_without_debug(daten):
    with pytest.raises(CommandError, match="nur im lokalen Entwicklungsbetrieb"):
        call_command("demo_laden")


@override_settings(DEBUG=True)
def test_creates_one_labelled_user_per_role(daten):
    call_command("demo_laden")

    namen = set(get_user_model().objects.filter(username__startswith="demo-").values_list("username", flat=True))
    assert namen == {
        "demo-geschaeftsstelle",
        "demo-lenkungsausschuss",
        "demo-kusel",
        "demo-cochem-zell",
        "demo-kgrz",
        "demo-gast",
    }
    assert get_user_model().objects.get(username="demo-kusel").check_password("demo")
    assert not Mitgliedschaft.objects.filter(user__username__startswith="demo-", ist_demo=False).exists()
    kgrz_rollen = set(Mitgliedschaft.objects.filter(user__username="demo-kgrz").values_list("rolle", flat=True))
    assert "berichterstattung" in kgrz_rollen
    demo = Statusmeldung.objects.filter(ist_demo=True)
    assert demo.exists() and all(m.text.startswith("Demo:") for m in demo)
    assert set(demo.values_list("organisation__kurzname", flat=True)) >= {"Kusel", "Cochem-Zell"}


@pytest.mark.parametrize(("zeigen", "erwartet"), [(True, True), (False, False)])
def test_sign_in_page_lists_demo_logins_only_where_configured(client, daten, zeigen, erwartet):
    """`make run` serves without DEBUG; the embedded default still names the demo logins, production never."""
    with override_settings(DEMO_ZUGAENGE_ZEIGEN=zeigen, DEBUG=False):
        text = client.get("/anmelden/").content.decode()

    assert ("Demo-Zugänge" in text and "demo-kusel" in text) is erwartet


def test_make_run_serves_without_debug():
    """The portal `make run` starts shows German error pages, never Django's debug page or a stack trace."""
    from pathlib import Path

    rezept = Path(__file__).resolve().parents[2].joinpath("Makefile").read_text()
    assert "DEBUG=0 $(MANAGE) runserver --insecure" in rezept
