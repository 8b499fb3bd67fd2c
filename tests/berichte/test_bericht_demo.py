"""`demo_laden` leaves a released demo ALK-Jahresbericht of the previous year, labelled as demo on its title page."""

import io
import re

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from berichte.models import Bericht

from .hilfen import RLP, lade_herunter
from .pdf_hilfen import pdftotext


def test_demo_laden_releases_a_demo_jahresbericht_a_berichterstattung_can_download(client, rlp, kusel_user):
    with override_settings(DEBUG=True):
        call_command("demo_laden", stdout=io.StringIO())
        call_command("demo_laden", stdout=io.StringIO())  # idempotent

    bericht = Bericht.objects.get(strategie=rlp, berichtsjahr=timezone.localdate().year - 1)
    assert (bericht.art, bericht.ist_demo, bericht.zustand) == ("alk_jahresbericht", True, "fertig")
    assert bericht.freigegeben_von.username == "demo-lenkungsausschuss"
    client.force_login(kusel_user)
    seite = client.get(reverse("portal:detail", args=[RLP])).content.decode()
    assert reverse("berichte:liste", args=[RLP]) in seite
    liste = client.get(reverse("berichte:liste", args=[RLP])).content.decode()
    assert "Demo" in liste
    titelseite = re.sub(r"\s+", " ", pdftotext(lade_herunter(client, bericht)).split("\f")[0])
    assert "DEMO – Dieser Bericht wurde aus erfundenen Demo-Meldungen erzeugt" in titelseite
