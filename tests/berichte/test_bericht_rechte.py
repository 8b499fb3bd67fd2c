"""Rights: only the Geschäftsstelle creates and edits, only the Lenkungsausschuss releases; Berichterstattung
downloads released versions only; a Gast gets no Berichte (the annex shows each Organisation's state)."""

import pytest
from django.urls import reverse

from berichte.models import Bericht
from berichte.services import berichte as services

from .hilfen import RLP


@pytest.fixture
def entwurf(rlp, geschaeftsstelle_user):
    return services.create_bericht(
        actor=geschaeftsstelle_user, strategie=rlp, art="alk_jahresbericht", berichtsjahr=2025
    )


@pytest.fixture
def freigegeben(rlp, geschaeftsstelle_user, lenkungsausschuss_user, django_capture_on_commit_callbacks):
    bericht = services.create_bericht(
        actor=geschaeftsstelle_user, strategie=rlp, art="alk_jahresbericht", berichtsjahr=2024
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.request_bericht_pdf(actor=geschaeftsstelle_user, bericht=bericht)
    bericht.refresh_from_db()
    return services.release_bericht(actor=lenkungsausschuss_user, bericht=bericht)


def test_anonymous_is_sent_to_sign_in(client, entwurf):
    antwort = client.get(reverse("berichte:liste", args=[RLP]))
    assert antwort.status_code == 302 and antwort["Location"].startswith("/anmelden/")


def test_berichterstattung_sees_and_downloads_only_released_versions(client, kusel_user, entwurf, freigegeben):
    client.force_login(kusel_user)

    liste = client.get(reverse("berichte:liste", args=[RLP])).content.decode()

    assert "Jahresbericht an die ALK 2024" in liste and "Jahresbericht an die ALK 2025" not in liste
    assert client.get(reverse("berichte:herunterladen", args=[RLP, freigegeben.pk])).status_code == 200
    assert client.get(reverse("berichte:detail", args=[RLP, entwurf.pk])).status_code == 404
    assert client.get(reverse("berichte:anlegen", args=[RLP])).status_code == 403
    assert client.post(reverse("berichte:freigeben", args=[RLP, freigegeben.pk])).status_code == 403


def test_gast_gets_no_berichte(client, gast, freigegeben):
    client.force_login(gast)

    assert client.get(reverse("berichte:liste", args=[RLP])).status_code == 403
    assert client.get(reverse("berichte:herunterladen", args=[RLP, freigegeben.pk])).status_code == 404


def test_lenkungsausschuss_reads_drafts_but_cannot_edit_or_create(client, lenkungsausschuss_user, entwurf):
    client.force_login(lenkungsausschuss_user)

    assert client.get(reverse("berichte:detail", args=[RLP, entwurf.pk])).status_code == 200
    assert (
        client.post(
            reverse("berichte:anlegen", args=[RLP]), {"art": "alk_jahresbericht", "berichtsjahr": 2022}
        ).status_code
        == 403
    )
    antwort = client.post(reverse("berichte:text", args=[RLP, entwurf.pk, "vorwort"]), {"text": "x", "version": 0})
    assert antwort.status_code == 403
    assert client.post(reverse("berichte:pdf_erzeugen", args=[RLP, entwurf.pk])).status_code == 403
    entwurf.refresh_from_db()
    assert (entwurf.vorwort, entwurf.zustand) == ("", "entwurf")


def test_geschaeftsstelle_cannot_release(client, geschaeftsstelle_user, rlp, django_capture_on_commit_callbacks):
    bericht = services.create_bericht(
        actor=geschaeftsstelle_user, strategie=rlp, art="alk_jahresbericht", berichtsjahr=2025
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.request_bericht_pdf(actor=geschaeftsstelle_user, bericht=bericht)
    client.force_login(geschaeftsstelle_user)

    antwort = client.post(reverse("berichte:freigeben", args=[RLP, bericht.pk]))

    assert antwort.status_code == 403
    assert Bericht.objects.get(pk=bericht.pk).freigegeben_am is None


def test_geschaeftsstelle_of_another_strategy_sees_nothing(client, kgrz_user, entwurf):
    client.force_login(kgrz_user)

    assert client.get(reverse("berichte:detail", args=[RLP, entwurf.pk])).status_code == 404
