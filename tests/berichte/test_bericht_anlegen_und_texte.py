"""Creating a Bericht and writing its texts: default Stichtag, Markdown cleaned, no lost update between editors."""

import datetime as dt

from django.urls import reverse

from berichte.models import Bericht
from berichte.texte import markdown_to_html
from massnahmen.models import Berichtsrunde

from .hilfen import RLP, lege_an, speichere_text


def test_geschaeftsstelle_creates_bericht_with_stichtag_of_last_closed_round(client, rlp, geschaeftsstelle_user):
    Berichtsrunde.objects.create(
        strategie=rlp, titel="Q3", stichtag=dt.date(2024, 9, 30), frist=dt.date(2024, 10, 31), zustand="geschlossen"
    )
    Berichtsrunde.objects.create(
        strategie=rlp, titel="Q4", stichtag=dt.date(2024, 12, 31), frist=dt.date(2025, 1, 31), zustand="offen"
    )
    client.force_login(geschaeftsstelle_user)

    bericht = lege_an(client, jahr=2024)

    assert (bericht.zustand, bericht.stichtag, bericht.version, bericht.datenstand) == (
        "entwurf",
        dt.date(2024, 9, 30),
        1,
        None,
    )
    assert bericht.history.get().history_user == geschaeftsstelle_user


def test_geschaeftsstelle_gets_31_december_without_closed_round_and_german_error_for_a_duplicate(
    client, rlp, geschaeftsstelle_user
):
    client.force_login(geschaeftsstelle_user)
    bericht = lege_an(client, jahr=2023)

    antwort = client.post(reverse("berichte:anlegen", args=[RLP]), {"art": "alk_jahresbericht", "berichtsjahr": 2023})

    assert bericht.stichtag == dt.date(2023, 12, 31)
    assert antwort.status_code == 200
    assert "gibt es schon einen Jahresbericht an die ALK (Version 1)" in antwort.content.decode()
    assert Bericht.objects.filter(strategie=rlp, berichtsjahr=2023).count() == 1


def test_geschaeftsstelle_autosaves_a_text_and_the_pdf_html_is_sanitised(client, rlp, geschaeftsstelle_user):
    client.force_login(geschaeftsstelle_user)
    bericht = lege_an(client)
    roh = "Das **Jahr** war gut.\r\n\r\n<script>alert(1)</script> [Link](javascript:alert(2))"

    antwort = speichere_text(client, bericht, "vorwort", roh, 0)

    assert antwort.status_code == 200
    assert 'name="version" value="1"' in antwort.content.decode()
    bericht.refresh_from_db()
    assert bericht.vorwort == "Das **Jahr** war gut.\n\n<script>alert(1)</script> [Link](javascript:alert(2))"
    assert bericht.textversionen == {"vorwort": 1}
    html = markdown_to_html(bericht.vorwort)
    assert "<strong>Jahr</strong>" in html
    assert "<script" not in html and "javascript:" not in html.replace("[Link](javascript:alert(2))", "")
    assert 'href="javascript' not in html


def test_second_editor_does_not_overwrite_and_sees_the_other_version(client, rlp, geschaeftsstelle_user):
    from django.test import Client

    client.force_login(geschaeftsstelle_user)
    bericht = lege_an(client)
    zweite = Client()
    zweite.force_login(geschaeftsstelle_user)
    speichere_text(client, bericht, "einschaetzung-I", "Fassung A", 0)

    antwort = speichere_text(zweite, bericht, "einschaetzung-I", "Fassung B", 0)

    inhalt = antwort.content.decode()
    assert "Nicht gespeichert" in inhalt and "Fassung A" in inhalt
    bericht.refresh_from_db()
    assert bericht.einschaetzungen == {"I": "Fassung A"}

    antwort = speichere_text(zweite, bericht, "einschaetzung-I", "Fassung B", 0, ueberschreiben="1")

    assert "Gespeichert" in antwort.content.decode()
    bericht.refresh_from_db()
    assert (bericht.einschaetzungen, bericht.textversionen) == ({"I": "Fassung B"}, {"einschaetzung-I": 2})


def test_editors_of_different_texts_do_not_block_each_other(client, rlp, geschaeftsstelle_user):
    client.force_login(geschaeftsstelle_user)
    bericht = lege_an(client)
    speichere_text(client, bericht, "vorwort", "Vorwort", 0)

    antwort = speichere_text(client, bericht, "fazit", "Fazit", 0)

    assert "Gespeichert" in antwort.content.decode()
    bericht.refresh_from_db()
    assert (bericht.vorwort, bericht.fazit) == ("Vorwort", "Fazit")


def test_geschaeftsstelle_without_htmx_gets_the_page_with_the_conflict(client, rlp, geschaeftsstelle_user):
    client.force_login(geschaeftsstelle_user)
    bericht = lege_an(client)
    speichere_text(client, bericht, "fazit", "Erste Fassung", 0)
    url = reverse("berichte:text", args=[RLP, bericht.pk, "fazit"])

    antwort = client.post(url, {"text": "Zweite Fassung", "version": 0})

    assert antwort.status_code == 409
    inhalt = antwort.content.decode()
    assert "Erste Fassung" in inhalt and "Zweite Fassung" in inhalt
    bericht.refresh_from_db()
    assert bericht.fazit == "Erste Fassung"


def test_text_with_a_control_character_is_refused_in_german_and_nothing_is_saved(client, rlp, geschaeftsstelle_user):
    """The one text rule of strategie/texte.py holds for the Bericht texts too: refused, never silently changed."""
    client.force_login(geschaeftsstelle_user)
    bericht = lege_an(client)
    speichere_text(client, bericht, "vorwort", "Erste Fassung.", 0)

    antwort = speichere_text(client, bericht, "vorwort", "Zweite\x00 Fassung\uffff.", 1)

    inhalt = antwort.content.decode()
    assert antwort.status_code == 200
    assert "Der Text enthält ein unzulässiges Steuer- oder Sonderzeichen (U+0000 an Stelle 7)" in inhalt
    bericht.refresh_from_db()
    assert bericht.vorwort == "Erste Fassung." and bericht.textversionen == {"vorwort": 1}
