"""Today's dashboard sums the Standsummen: they follow every write path (the services do so for every test, see
`standsummen_stimmen` in tests/conftest.py; here the admin's), name red Ampeln in the order of the Kurznamen, and
`manage.py standsummen_aufbauen` checks and repairs them."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from berichte.selectors import Zeitpunkt
from massnahmen import services as massnahmen_services
from massnahmen.models import Standsumme
from strategie.models import Organisation
from tests.berichte.hilfen import melde_viele_rote_ampeln, read_stand
from tests.conftest import RLP
from tests.strategie.test_haertung_admin import _formulardaten

URL = reverse("berichte:dashboard", args=[RLP])


@pytest.fixture
def betrieb(daten):
    return get_user_model().objects.create_superuser("betrieb-summen", "betrieb-summen@example.org", "Betrieb-2026!")


def _rote_zeile(html: str, code: str) -> tuple[int, str]:
    zeile = re.search(rf">{re.escape(code)} [^<]*</a></th><td[^>]*>(\d+)</td><td[^>]*>([^<]*)</td>", html)
    return int(zeile.group(1)), zeile.group(2)


def test_red_ampeln_today_are_named_as_the_pairs_give_them_and_a_rename_in_the_admin_reorders_them(
    client, rlp, lenkungsausschuss_user, betrieb
):
    gestern = timezone.localdate() - dt.timedelta(days=1)
    beteiligungen = melde_viele_rote_ampeln(rlp, stichtag=gestern, marker="ROT-")
    for b in beteiligungen:  # today's state, as the loader moves it on after writing history
        massnahmen_services.refresh_umsetzungsstand(massnahme=b.massnahme, organisation=b.organisation)
    erste = beteiligungen[0].massnahme
    client.force_login(lenkungsausschuss_user)

    anzahl, namen = _rote_zeile(client.get(URL).content.decode(), erste.code)

    stand = read_stand(strategie=rlp, zeitpunkt=Zeitpunkt.heute())  # the pairs one by one
    kurz = {o.pk: (o.kurzname, o.kennung) for o in Organisation.objects.all()}
    rote = sorted(kurz[o] for (m, o), z in stand.zellen.items() if m == erste.pk and z.ampel == "rot" and z.im_nenner)
    assert anzahl == len(rote) > 5
    assert namen == ", ".join(k for k, _ in rote[:5]) + f" und {len(rote) - 5} weitere"

    # the last of them by name is renamed in the admin so that it comes first
    letzte = Organisation.objects.get(kurzname=rote[-1][0], kennung=rote[-1][1])
    admin = client.__class__()
    admin.force_login(betrieb)
    url = reverse("admin:strategie_organisation_change", args=[letzte.pk])
    daten = _formulardaten(admin.get(url)) | {"kurzname": "Aaa-Kreis"}
    antwort = admin.post(url, daten)
    assert antwort.status_code == 302, antwort.context and antwort.context["adminform"].form.errors

    anzahl_danach, namen_danach = _rote_zeile(client.get(URL).content.decode(), erste.code)
    assert anzahl_danach == anzahl
    assert namen_danach == ", ".join(["Aaa-Kreis", *(k for k, _ in rote[:4])]) + f" und {len(rote) - 5} weitere"
    assert Standsumme.objects.filter(art=Standsumme.Art.ROT, massnahme=erste, organisation=letzte).exists()


def test_a_frist_changed_in_the_admin_makes_the_massnahme_overdue_today(client, rlp, lenkungsausschuss_user, betrieb):
    massnahme = rlp.massnahmen.filter(umsetzungsart="je_organisation", is_archived=False, frist=None).first()
    client.force_login(lenkungsausschuss_user)
    vorher = client.get(URL).content.decode()
    ueberfaellig = vorher[vorher.index('id="ueberfaellig-titel"') : vorher.index('id="termine-titel"')]
    assert f">{massnahme.code} " not in ueberfaellig
    neue_frist = timezone.localdate() - dt.timedelta(days=1)

    admin = client.__class__()
    admin.force_login(betrieb)
    url = reverse("admin:massnahmen_massnahme_change", args=[massnahme.pk])
    daten = _formulardaten(admin.get(url))
    daten |= {"frist": neue_frist.strftime("%d.%m.%Y"), "frist_herkunft": "ausdruecklich", "frist_beleg": "Beschluss"}
    antwort = admin.post(url, daten)
    assert antwort.status_code == 302, antwort.context and antwort.context["adminform"].form.errors

    nachher = client.get(URL).content.decode()
    ueberfaellig = nachher[nachher.index('id="ueberfaellig-titel"') : nachher.index('id="termine-titel"')]
    assert f">{massnahme.code} " in ueberfaellig
    summen = Standsumme.objects.filter(art=Standsumme.Art.ORGANISATION, strategie=rlp, frist=neue_frist)
    assert sum(summen.values_list("anzahl", flat=True)) == massnahme.beteiligungen.count()


def test_the_command_finds_and_repairs_standsummen_changed_around_the_services(rlp, capsys):
    call_command("standsummen_aufbauen", "--pruefen")
    assert "stimmen mit dem Umsetzungsstand" in capsys.readouterr().out
    summe = Standsumme.objects.filter(strategie=rlp, art=Standsumme.Art.MASSNAHME).first()
    Standsumme.objects.filter(pk=summe.pk).update(anzahl=summe.anzahl + 3)

    with pytest.raises(CommandError, match=r"weichen in 2 Zeilen .* Bitte bauen Sie sie mit"):
        call_command("standsummen_aufbauen", "--pruefen")
    call_command("standsummen_aufbauen")

    assert "(2 Zeilen geändert)" in capsys.readouterr().out
    call_command("standsummen_aufbauen", "--pruefen")
    assert Standsumme.objects.get(**_schluessel(summe)).anzahl == summe.anzahl


def _schluessel(summe: Standsumme) -> dict:
    felder = ("art", "strategie", "massnahme", "seit", "entfaellt", "status", "ampel", "stichtag")
    return {f: getattr(summe, f) for f in felder}
