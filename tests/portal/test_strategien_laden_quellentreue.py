"""strategien_laden brings a database loaded from the files before issue 15 up to date in place: what users
reported stays, with its Umsetzungsstand, while Maßnahmen move to the strategy as a whole and results change
their date or reporting organisation."""

import datetime as dt

from django.core.management import call_command
from django.urls import reverse

from massnahmen import services as massnahmen_services
from massnahmen.models import Massnahme, Statusmeldung, Umsetzungsstand
from strategie.models import Organisation
from tests.conftest import KGRZ, RLP
from tests.portal.datendateien import KGRZ_DATEI, RLP_DATEI, edit_datendatei, massnahme_in

STADT_KOBLENZ = "07111"


def _rlp_wie_vorher(daten):
    """II.4 and II.5 as they were: Maßnahmen of Handlungsfeld II, linked to its Leitsätze."""
    ganze_strategie = {m["code"]: m for m in daten.pop("massnahmen")}
    ganze_strategie["II.4"]["ziele"], ganze_strategie["II.5"]["ziele"] = [2, 3], [6]
    hf_ii = daten["handlungsfelder"][1]["massnahmen"]
    hf_ii[3:3] = [ganze_strategie["II.4"], ganze_strategie["II.5"]]


def _kgrz_wie_vorher(daten):
    """1.2's result reported by the KGRZ itself and 2.2 dated to 2016, as the files said before."""
    (ergebnis,) = massnahme_in(daten, "1.2")["statusmeldungen"]
    ergebnis["organisation"] = "kgrz-koblenz"
    massnahme_in(daten, "1.2")["beteiligte"] = ["kgrz-koblenz"]
    (innere_organisation,) = massnahme_in(daten, "2.2")["statusmeldungen"]
    innere_organisation.update(stichtag="2016-12-31", datum_laut_text="in 2016 bereits begonnen")


def _melde(user, massnahme, organisation, text):
    stand = Umsetzungsstand.objects.filter(massnahme=massnahme, organisation=organisation).first()
    return massnahmen_services.record_statusmeldung(
        actor=user,
        massnahme=massnahme,
        organisation=organisation,
        erwartete_version=stand.version if stand else 0,
        meldung=massnahmen_services.Meldung(stichtag=dt.date.today(), status="in_umsetzung", text=text),
    )


def test_new_files_keep_what_users_reported_and_its_umsetzungsstand(
    client, datenkopie, kusel, kusel_user, kgrz_user, geschaeftsstelle_user
):
    edit_datendatei(datenkopie / RLP_DATEI, _rlp_wie_vorher)
    edit_datendatei(datenkopie / KGRZ_DATEI, _kgrz_wie_vorher)
    call_command("strategien_laden", verzeichnis=str(datenkopie))
    euro = Massnahme.objects.get(strategie__slug=RLP, code="II.4")
    isms = Massnahme.objects.get(strategie__slug=KGRZ, code="1.2")
    assert euro.handlungsfeld.nummer == "II"
    kgrz = isms.federfuehrung
    meldung_kusel = _melde(kusel_user, euro, kusel, "Digitalisierungseuro im Haushalt 2026 eingestellt.")
    meldung_kgrz = _melde(kgrz_user, isms, kgrz, "ISMS-Revision abgeschlossen, Leitlinie fortgeschrieben.")
    stand_kusel = Umsetzungsstand.objects.get(massnahme=euro, organisation=kusel)

    call_command("strategien_laden")

    euro.refresh_from_db()
    assert euro.handlungsfeld is None and list(euro.ziele.all()) == []
    assert Statusmeldung.objects.get(pk=meldung_kusel.pk).text == "Digitalisierungseuro im Haushalt 2026 eingestellt."
    nachher = Umsetzungsstand.objects.get(massnahme=euro, organisation=kusel)
    assert (nachher.pk, nachher.letzte_meldung, nachher.version) == (
        stand_kusel.pk,
        meldung_kusel,
        stand_kusel.version,
    )
    # 1.2: the file's result is now the Stadt's; the KGRZ's own Meldung stays its current state
    assert Umsetzungsstand.objects.get(massnahme=isms, organisation=kgrz).letzte_meldung == meldung_kgrz
    stadt = Organisation.objects.get(schluessel=STADT_KOBLENZ)
    assert Umsetzungsstand.objects.get(massnahme=isms, organisation=stadt).status == "umgesetzt"
    assert not isms.statusmeldungen.filter(organisation=kgrz, von__isnull=True).exists()
    innere_organisation = Statusmeldung.objects.get(massnahme__strategie__slug=KGRZ, massnahme__code="2.2")
    assert (innere_organisation.stichtag, innere_organisation.datum_herkunft) == (
        dt.date(2021, 12, 31),
        "berichtszeitpunkt",
    )
    # the pages follow: II.4 under the Grundsätze and in the strategy's sum, no longer in Handlungsfeld II
    client.force_login(geschaeftsstelle_user)
    seite = client.get(reverse("portal:detail", args=[RLP])).content.decode()
    grundsaetze = seite[seite.index('id="ganze-strategie"') :]
    assert "II.4" in grundsaetze and "II.5" in grundsaetze
    hf_seite = client.get(reverse("portal:handlungsfeld", args=[RLP, "II"])).content.decode()
    assert '<td class="kern-table__cell">II.4</td>' not in hf_seite and "II.6" in hf_seite
    assert client.get(euro.get_absolute_url()).status_code == 200
