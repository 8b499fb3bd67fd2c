"""A reporter of several organisations chooses one; the page needs the same queries for many uploads."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meldebogen.models import Meldebogenimport
from strategie.models import Mitgliedschaft, Organisation
from strategie.services.mitgliedschaften import grant_rolle

from .meldebogen_hilfen import COCHEM, KUSEL, RLP, download_meldebogen

SEITE = reverse("meldebogen:seite", args=[RLP])


def test_reporter_of_two_organisations_chooses_the_organisation(client, rlp, kusel_user):
    kusel, cochem = Organisation.objects.get(kennung=KUSEL), Organisation.objects.get(kennung=COCHEM)
    grant_rolle(
        actor=None, user=kusel_user, strategie=rlp, organisation=cochem, rolle=Mitgliedschaft.Rolle.BERICHTERSTATTUNG
    )
    client.force_login(kusel_user)

    html = client.get(SEITE).content.decode()
    cochem_seite = client.get(SEITE, {"organisation": cochem.pk, "runde": "alle"}).content.decode()
    text = download_meldebogen(client, "csv", organisation=cochem, runde="alle").decode("utf-8-sig")

    assert '<select class="kern-form-input__select" id="wahl-organisation" name="organisation">' in html
    assert f'<option value="{kusel.pk}"' in html and f'<option value="{cochem.pk}"' in html
    assert f'<input type="hidden" name="organisation" value="{cochem.pk}">' in cochem_seite
    organisationen = {zeile.split(";")[3] for zeile in text.splitlines()[1:]}
    assert organisationen == {COCHEM}


def test_page_needs_the_same_queries_for_many_uploads(client, rlp, kusel_user, django_assert_num_queries):
    kusel = Organisation.objects.get(kennung=KUSEL)
    client.force_login(kusel_user)

    def hochgeladen(anzahl: int) -> None:
        for nummer in range(anzahl):
            Meldebogenimport.objects.create(
                strategie=rlp,
                organisation=kusel,
                von=kusel_user,
                datei=f"meldeboegen/{nummer}.xlsx",
                dateiname=f"{nummer}.xlsx",
            )

    hochgeladen(1)
    client.get(SEITE)
    with CaptureQueriesContext(connection) as einer:
        client.get(SEITE)
    hochgeladen(6)

    with django_assert_num_queries(len(einer)):
        response = client.get(SEITE)

    assert response.content.decode().count('href="/rlp-digitalisierungsstrategie/meldebogen/importe/') == 5
