"""PDF erzeugen → download with size, pages, SHA-256; freigeben; a released Bericht is immutable; new versions."""

import hashlib

from django.test import Client
from django.urls import reverse

from berichte.models import Bericht

from .hilfen import RLP, erzeuge_pdf, fordere_pdf_an, lade_herunter, lege_an, speichere_text


def test_pdf_erzeugen_freezes_the_datenstand_and_shows_the_queue(client, rlp, geschaeftsstelle_user):
    client.force_login(geschaeftsstelle_user)
    bericht = lege_an(client)

    antwort = fordere_pdf_an(client, bericht)

    assert antwort.status_code == 302
    bericht.refresh_from_db()
    assert bericht.zustand == "angefordert" and bericht.datenstand is not None
    assert bericht.angefordert_von == geschaeftsstelle_user
    teil = client.get(reverse("berichte:status", args=[RLP, bericht.pk]), headers={"HX-Request": "true"})
    inhalt = teil.content.decode()
    assert "In der Warteschlange: Platz 1" in inhalt and 'hx-trigger="every 2s' in inhalt
    datenstand = bericht.datenstand
    fordere_pdf_an(client, bericht)  # a second click changes nothing
    bericht.refresh_from_db()
    assert bericht.datenstand == datenstand


def test_geschaeftsstelle_downloads_the_pdf_with_size_pages_and_sha256(
    client, rlp, geschaeftsstelle_user, django_capture_on_commit_callbacks
):
    client.force_login(geschaeftsstelle_user)
    bericht = lege_an(client)

    bericht = erzeuge_pdf(client, bericht, django_capture_on_commit_callbacks)

    pdf = lade_herunter(client, bericht)
    assert pdf.startswith(b"%PDF-1.7")
    assert hashlib.sha256(pdf).hexdigest() == bericht.sha256 and len(pdf) == bericht.groesse
    assert bericht.seiten >= 10
    assert bericht.datei.name == f"berichte/{bericht.pk}/jahresbericht-{RLP}-2025-v1.pdf"
    seite = client.get(reverse("berichte:detail", args=[RLP, bericht.pk])).content.decode()
    assert bericht.sha256 in seite and f"{bericht.seiten} Seiten" in seite


def test_lenkungsausschuss_releases_and_the_released_version_refuses_changes(
    client, rlp, geschaeftsstelle_user, lenkungsausschuss_user, django_capture_on_commit_callbacks
):
    client.force_login(geschaeftsstelle_user)
    bericht = erzeuge_pdf(client, lege_an(client), django_capture_on_commit_callbacks)
    sha256 = bericht.sha256
    ausschuss = Client()
    ausschuss.force_login(lenkungsausschuss_user)

    antwort = ausschuss.post(reverse("berichte:freigeben", args=[RLP, bericht.pk]))

    assert antwort.status_code == 302
    bericht.refresh_from_db()
    assert bericht.freigegeben_von == lenkungsausschuss_user and bericht.freigegeben_am is not None
    assert bericht.history.first().history_user == lenkungsausschuss_user
    text = client.post(reverse("berichte:text", args=[RLP, bericht.pk, "vorwort"]), {"text": "Neu", "version": 0})
    pdf = fordere_pdf_an(client, bericht)
    assert text.status_code == 302 and pdf.status_code == 302
    bericht.refresh_from_db()
    assert (bericht.vorwort, bericht.zustand, bericht.sha256) == ("", "fertig", sha256)
    assert (
        "kann nicht mehr geändert werden"
        in client.get(reverse("berichte:detail", args=[RLP, bericht.pk])).content.decode()
    )


def test_a_change_after_release_makes_version_2_and_version_1_stays_downloadable(
    client, rlp, geschaeftsstelle_user, lenkungsausschuss_user, django_capture_on_commit_callbacks
):
    client.force_login(geschaeftsstelle_user)
    erste = lege_an(client)
    speichere_text(client, erste, "vorwort", "Erste Fassung", 0)
    erste = erzeuge_pdf(client, erste, django_capture_on_commit_callbacks)
    ausschuss = Client()
    ausschuss.force_login(lenkungsausschuss_user)
    ausschuss.post(reverse("berichte:freigeben", args=[RLP, erste.pk]))

    antwort = client.post(reverse("berichte:neue_version", args=[RLP, erste.pk]))

    zweite = Bericht.objects.get(vorgaenger=erste)
    assert antwort["Location"] == reverse("berichte:detail", args=[RLP, zweite.pk])
    assert (zweite.version, zweite.zustand, zweite.vorwort, zweite.freigegeben_am) == (
        2,
        "entwurf",
        "Erste Fassung",
        None,
    )
    speichere_text(client, zweite, "vorwort", "Zweite Fassung", 1)
    zweite.refresh_from_db()
    erste.refresh_from_db()
    assert (erste.vorwort, zweite.vorwort) == ("Erste Fassung", "Zweite Fassung")
    assert hashlib.sha256(lade_herunter(client, erste)).hexdigest() == erste.sha256
    seite = client.get(reverse("berichte:detail", args=[RLP, zweite.pk])).content.decode()
    assert "Version 1</a>:" in seite and "freigegeben am" in seite and "Lenkungsausschuss (Demo)" in seite


def test_editing_a_finished_unreleased_bericht_returns_it_to_entwurf_and_hides_the_old_pdf(
    client, rlp, geschaeftsstelle_user, django_capture_on_commit_callbacks
):
    client.force_login(geschaeftsstelle_user)
    bericht = erzeuge_pdf(client, lege_an(client), django_capture_on_commit_callbacks)

    speichere_text(client, bericht, "fazit", "Neues Fazit", 0)

    bericht.refresh_from_db()
    assert bericht.zustand == "entwurf"
    assert client.get(reverse("berichte:herunterladen", args=[RLP, bericht.pk])).status_code == 404
