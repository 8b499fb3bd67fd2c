"""Opening a round: "alle aktiven Maßnahmen" is preselected, the single choice sits per Handlungsfeld."""

from django.urls import reverse

from massnahmen.models import Berichtsrunde, Massnahme


def test_geschaeftsstelle_opens_a_round_for_all_without_ticking(client, rlp, geschaeftsstelle_user):
    client.force_login(geschaeftsstelle_user)
    url = reverse("massnahmen:berichtsrunde_eroeffnen", args=[rlp.slug])
    seite = client.get(url).content.decode()
    aktive = Massnahme.objects.filter(strategie=rlp, is_archived=False).count()

    antwort = client.post(
        url,
        {
            "umfang": "alle",
            "titel": "Alle",
            "stichtag": "2025-12-31",
            "frist": "2026-02-15",
            "erinnerung_tage_vor_frist": 7,
        },
    )

    assert 'value="alle" id="id_umfang_0" checked' in seite
    assert seite.count("<legend") >= rlp.handlungsfelder.count() + 1  # a fieldset per Handlungsfeld
    assert antwort.status_code == 302
    assert Berichtsrunde.objects.get(strategie=rlp, titel="Alle").massnahmen.count() == aktive


def test_geschaeftsstelle_opens_a_round_for_a_selection(client, rlp, geschaeftsstelle_user):
    client.force_login(geschaeftsstelle_user)
    i1 = Massnahme.objects.get(strategie=rlp, code="I.1")

    client.post(
        reverse("massnahmen:berichtsrunde_eroeffnen", args=[rlp.slug]),
        {
            "umfang": "auswahl",
            "titel": "Teil",
            "stichtag": "2025-12-31",
            "frist": "2026-02-15",
            "erinnerung_tage_vor_frist": 7,
            "massnahmen": [i1.pk],
        },
    )

    assert list(Berichtsrunde.objects.get(titel="Teil").massnahmen.all()) == [i1]
