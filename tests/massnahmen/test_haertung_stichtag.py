"""Point 12 of issue 14: a Stichtag before the strategy's start (less the margin its data needs) is refused in
German, for a Statusmeldung (also as a Korrektur), in the Meldebogen and for a Berichtsrunde."""

import pytest
from django.utils import timezone

from massnahmen.models import Berichtsrunde, Statusmeldung, Umsetzungsstand
from tests.conftest import KGRZ, RLP
from tests.meldebogen.meldebogen_hilfen import download_meldebogen, edit_csv, open_runde, upload_meldebogen

FRUEH = "vor dem Beginn der Strategie"


def _stand():
    return Statusmeldung.objects.count(), list(Umsetzungsstand.objects.order_by("pk").values_list("pk", "version"))


def _melden(client, slug, massnahme, organisation, stichtag, **weitere):
    stand = Umsetzungsstand.objects.filter(massnahme=massnahme, organisation=organisation).first()
    daten = {
        "organisation": organisation.pk,
        "stichtag": stichtag,
        "status": "in_umsetzung",
        "fortschritt": 90,
        "text": "Nachtrag",
        "version": stand.version if stand else 0,
        "aktion": "einreichen",
        **weitere,
    }
    praefix = f"m{massnahme.pk}-o{organisation.pk}"
    return client.post(f"/{slug}/massnahmen/{massnahme.code}/melden/", {f"{praefix}-{k}": v for k, v in daten.items()})


@pytest.mark.parametrize("stichtag", ["0001-01-01", "1900-12-31", "2014-12-31"])
def test_kusel_cannot_report_a_stichtag_before_the_strategy(client, kusel_user, kusel, i2, stichtag):
    client.force_login(kusel_user)
    vorher = _stand()

    response = _melden(client, RLP, i2, kusel, stichtag, ist_korrektur="on")

    assert response.status_code == 200
    assert FRUEH in response.content.decode()
    assert _stand() == vorher


def test_kgrz_corrects_a_result_of_2015(client, kgrz_user, kgrz):
    """The KGRZ report describes results "seit 2015": its data needs Stichtage a year before its Handlungsfelder."""
    from massnahmen.models import Massnahme
    from strategie.models import Organisation

    massnahme = Massnahme.objects.filter(strategie=kgrz, is_archived=False).order_by("code").first()
    organisation = Organisation.objects.get(kennung="kgrz-koblenz")
    client.force_login(kgrz_user)

    response = _melden(client, KGRZ, massnahme, organisation, "2015-06-30", ist_korrektur="on")

    assert response.status_code == 302, response.content.decode()[:3000]
    assert Statusmeldung.objects.filter(massnahme=massnahme, stichtag="2015-06-30").exists()


def test_kusel_meldebogen_with_year_one_is_a_row_error(
    client, kusel_user, kusel, rlp, geschaeftsstelle_user, django_capture_on_commit_callbacks
):
    runde = open_runde(rlp, geschaeftsstelle_user)
    client.force_login(kusel_user)
    datei = edit_csv(
        download_meldebogen(client, "csv", organisation=kusel, runde=runde),
        {"I.2": {"Stichtag": "01.01.0001", "Korrektur": "ja", "Sachstand": "Nachtrag"}},
    )
    vorher = _stand()

    response = upload_meldebogen(client, datei, "meldebogen.csv", kusel, runde, django_capture_on_commit_callbacks)

    assert FRUEH in response.content.decode()
    assert _stand() == vorher


def test_geschaeftsstelle_cannot_open_a_round_in_year_one(client, geschaeftsstelle_user, rlp):
    from massnahmen.models import Massnahme

    client.force_login(geschaeftsstelle_user)
    vorher = Berichtsrunde.objects.count()

    response = client.post(
        f"/{RLP}/berichtsrunden/neu/",
        {
            "titel": "Altlast",
            "stichtag": "0001-01-01",
            "frist": (timezone.localdate() + timezone.timedelta(days=30)).isoformat(),
            "erinnerung_tage_vor_frist": 7,
            "massnahmen": [Massnahme.objects.get(strategie=rlp, code="I.1").pk],
        },
    )

    assert response.status_code == 200
    assert FRUEH in response.content.decode()
    assert Berichtsrunde.objects.count() == vorher
