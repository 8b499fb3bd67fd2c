"""A national strategy has thousands of red Ampeln: the summary then counts them per Maßnahme instead of naming
each, and the attached rote-ampeln.csv still holds every one with its Risiken."""

import datetime as dt
import re

from django.utils import timezone

from berichte.selectors import BERICHT, ROTE_AMPELN_EINZELN, Zeitpunkt, read_uebersicht

from .hilfen import erzeuge_pdf, lade_herunter, lege_an, melde_viele_rote_ampeln
from .pdf_hilfen import oeffne, pdftotext


def test_many_red_ampeln_are_counted_per_massnahme_and_each_is_in_the_attached_csv(
    client, rlp, geschaeftsstelle_user, django_capture_on_commit_callbacks
):
    heute = timezone.localdate()
    beteiligungen = melde_viele_rote_ampeln(rlp, stichtag=heute - dt.timedelta(days=1), marker="ROT-RISIKO-")
    client.force_login(geschaeftsstelle_user)
    bericht = erzeuge_pdf(
        client, lege_an(client, jahr=heute.year, stichtag=heute.isoformat()), django_capture_on_commit_callbacks
    )
    pdf = lade_herunter(client, bericht)
    text = re.sub(r"\s+", " ", pdftotext(pdf))

    rote = read_uebersicht(
        strategie=rlp, zeitpunkt=Zeitpunkt.am(bericht.stichtag, bericht.datenstand), sichtbarkeit=BERICHT
    ).rote_ampeln
    assert len(rote) > ROTE_AMPELN_EINZELN
    assert f"{len(rote)} Meldungen tragen eine rote Ampel" in text and "Rote Ampeln je Maßnahme" in text
    assert "ROT-RISIKO-" not in text  # not named one by one in the summary ...
    erste = beteiligungen[0].massnahme
    je_massnahme = sum(1 for r in rote if r.massnahme.id == erste.pk)
    tabelle = text[text.find("Rote Ampeln je Maßnahme") :]
    # the reader sees the row's first line: code, the start of the title (no digits), then the count
    assert re.search(rf"{re.escape(erste.code)} [^0-9]*? {je_massnahme} ", tabelle), tabelle[:600]
    assert f"und {je_massnahme - 5} weitere" in text
    with oeffne(pdf) as dokument:
        csv = dokument.attachments["rote-ampeln.csv"].get_file().read_bytes().decode("utf-8-sig")
    assert all(f"ROT-RISIKO-{b.pk}" in csv for b in beteiligungen)  # ... but each one is in the attached file
