"""The dashboard, the profile and an export need the same number of queries for 1 and for 50 Organisationen,
today and for a past Stichtag."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from handlungsfelder.models import Handlungsfeld
from massnahmen.models import Beteiligung, Massnahme, Status
from massnahmen.services.statusmeldungen import refresh_umsetzungsstand
from strategie.models import Organisation, Strategie
from strategie.services.mitgliedschaften import grant_rolle
from tests.berichte.conftest import um
from tests.factories import MassnahmeFactory, StatusmeldungFactory

# measured once; must not change with the number of Organisationen, Maßnahmen or Meldungen
ABFRAGEN_DASHBOARD = 17
# a past Stichtag and a second date: both, and the last Meldungen, in the figures' query; two statements set and
# reset the planner for it (berichte.selectors.stand.abfragen)
ABFRAGEN_VERGLEICH = 20
ABFRAGEN_PROFIL = 12
ABFRAGEN_EXPORT = 14


def _strategie(anzahl: int) -> tuple[Strategie, str]:
    traeger = Organisation.objects.create(kennung=f"traeger-{anzahl}", art="verband", name="Verband", kurzname="V")
    strategie = Strategie.objects.create(
        slug=f"abfragen-{anzahl}", titel="Abfragen", kurztitel="Abfragen", traeger=traeger
    )
    orgs = [
        Organisation.objects.create(
            kennung=f"k{anzahl}-{i}", art="landkreis", name=f"Kreis {i}", kurzname=f"Kreis {i}"
        )
        for i in range(anzahl)
    ]
    strategie.organisationen.add(*orgs)
    hf = Handlungsfeld.objects.create(strategie=strategie, nummer="I", ordnung=1, titel="Eins")
    massnahmen = [MassnahmeFactory(handlungsfeld=hf, frist=dt.date(2025, 6, 30)) for _ in range(3)]
    massnahmen.append(MassnahmeFactory(handlungsfeld=hf, umsetzungsart=Massnahme.Umsetzungsart.GEMEINSAM))
    for m in massnahmen[:3]:
        for i, org in enumerate(orgs):
            Beteiligung.objects.create(massnahme=m, organisation=org, seit=dt.date(2022, 1, 1))
            for runde, tag in enumerate(("2024-12-31", "2025-06-30", "2025-12-31")):
                StatusmeldungFactory(
                    massnahme=m,
                    organisation=org,
                    stichtag=dt.date.fromisoformat(tag),
                    gemeldet_am=um(tag),
                    status=Status.IN_UMSETZUNG,
                    fortschritt=10 * runde + i % 10,
                    ampel="rot" if i % 3 == 0 else "gelb",
                    risiken="Personal",
                )
            refresh_umsetzungsstand(massnahme=m, organisation=org)
    user = get_user_model().objects.create_user(username=f"la-{anzahl}")
    grant_rolle(actor=None, user=user, strategie=strategie, organisation=traeger, rolle="lenkungsausschuss")
    return strategie, user, orgs[0].kennung


@pytest.mark.parametrize("anzahl", [1, 50])
def test_lenkungsausschuss_pages_need_the_same_queries_for_1_and_50_organisationen(
    client, daten, django_assert_num_queries, anzahl
):
    strategie, user, kennung = _strategie(anzahl)
    client.force_login(user)
    dashboard = reverse("berichte:dashboard", args=[strategie.slug])
    client.get(dashboard)  # warm Django's content type cache, which a test run fills only once

    with django_assert_num_queries(ABFRAGEN_DASHBOARD):
        assert client.get(dashboard).status_code == 200
    with django_assert_num_queries(ABFRAGEN_VERGLEICH):
        antwort = client.get(dashboard, {"stichtag": "2025-12-31", "vergleich": "2025-06-30"})
    assert f"{anzahl} von {anzahl}" not in antwort.content.decode() and f"0 von {anzahl}" in antwort.content.decode()
    with django_assert_num_queries(ABFRAGEN_PROFIL):
        client.get(reverse("berichte:organisationsprofil", args=[strategie.slug, kennung]), {"stichtag": "2025-12-31"})
    with django_assert_num_queries(ABFRAGEN_EXPORT):
        client.get(reverse("berichte:dashboard_export", args=[strategie.slug, "matrix", "csv"]))
