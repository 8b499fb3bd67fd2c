"""The PDF as a reader and an archive see it: every Handlungsfeld, the dashboard's key figures for the Stichtag,
no vertraulich text, PDF/A-3a + PDF/UA-1 identification, tags, language, fonts embedded, bookmarks; rendering
again after new Meldungen gives the same file."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from berichte.models import Bericht
from berichte.selectors import BERICHT, Zeitpunkt, read_uebersicht
from berichte.services.rendern import render_bericht_pdf
from massnahmen.services.standsummen import rebuild_standsummen
from massnahmen.services.statusmeldungen import Meldung, record_statusmeldung
from tests.factories import MassnahmeFactory

from .hilfen import KGRZ, erzeuge_pdf, lade_herunter, lege_an, schreibe_fort, speichere_text
from .pdf_hilfen import oeffne, pdffonts, pdfinfo, pdftotext, strukturelemente

MARKER = "VERTRAULICH-MARKER-7f3a9c"


@pytest.fixture
def vertrauliche_meldung(i2, kusel, kusel_user):
    return record_statusmeldung(
        actor=kusel_user,
        massnahme=i2,
        organisation=kusel,
        meldung=Meldung(
            stichtag=timezone.localdate(),
            status="in_umsetzung",
            fortschritt=60,
            ampel="rot",
            text=MARKER,
            risiken=f"Risiko {MARKER}",
            naechste_schritte=MARKER,
            vertraulich=True,
        ),
        erwartete_version=None,
    )


@pytest.fixture
def jahresbericht(client, rlp, geschaeftsstelle_user, vertrauliche_meldung, django_capture_on_commit_callbacks):
    client.force_login(geschaeftsstelle_user)
    bericht = lege_an(client, jahr=timezone.localdate().year)
    speichere_text(client, bericht, "vorwort", "Der **Lenkungsausschuss** berichtet der ALK.", 0)
    bericht.refresh_from_db()
    return erzeuge_pdf(client, bericht, django_capture_on_commit_callbacks)


def test_reader_finds_every_handlungsfeld_and_the_dashboard_figures_but_no_vertraulich_text(
    client, rlp, jahresbericht
):
    text = pdftotext(lade_herunter(client, jahresbericht))
    einzeilig = re.sub(r"\s+", " ", text)

    for handlungsfeld in rlp.handlungsfelder.all():
        assert f"Handlungsfeld {handlungsfeld.nummer}: {handlungsfeld.titel}" in einzeilig
    zeitpunkt = Zeitpunkt.am(jahresbericht.stichtag, jahresbericht.datenstand)
    kennzahlen = read_uebersicht(strategie=rlp, zeitpunkt=zeitpunkt, sichtbarkeit=BERICHT).kennzahlen
    for _, label, wert in kennzahlen.zeilen:
        assert re.search(rf"\n\s*{re.escape(label)}\s+{wert}\n", text), label
    assert f"{kennzahlen.paare_umgesetzt} von {kennzahlen.paare_nenner}" in text
    assert MARKER not in einzeilig and "Seite 1 von" in text and "Lenkungsausschuss berichtet der ALK" in einzeilig
    assert "Allgemeine Landrätekonferenz" in einzeilig  # glossary
    # the Maßnahmen of the strategy as a whole have their own chapter, listed in the contents
    grundsaetze = einzeilig[einzeilig.rfind("Maßnahmen der Strategie als Ganzes (Stand") :]
    assert einzeilig.count("Strategie als Ganzes (Allgemeine Grundsätze)") >= 2
    assert "II.4 Digitalisierungseuro" in grundsaetze and "II.5" in grundsaetze
    assert "Fortschritt der Maßnahmen der Strategie als Ganzes am" in grundsaetze


def test_archive_sees_pdf_a_3a_with_pdf_ua_1_tags_language_fonts_and_bookmarks(client, rlp, jahresbericht):
    pdf = lade_herunter(client, jahresbericht)

    info = pdfinfo(pdf)
    assert info["Pages"] == str(jahresbericht.seiten) and info["Tagged"] == "yes"
    assert info["Title"].startswith(f"Jahresbericht {jahresbericht.berichtsjahr} – {rlp.titel}")
    assert info["Author"] == rlp.gremium and "Maßnahmen" in info["Keywords"]
    assert all(zeile[-4] == "yes" for zeile in pdffonts(pdf))  # "emb" column: every font embedded
    with oeffne(pdf) as dokument:
        assert "/StructTreeRoot" in dokument.Root and bool(dokument.Root.MarkInfo.Marked)
        assert str(dokument.Root.Lang) == "de"
        assert bool(dokument.Root.ViewerPreferences.DisplayDocTitle)
        xmp = dokument.open_metadata()
        assert (xmp["pdfaid:part"], xmp["pdfaid:conformance"], xmp["pdfuaid:part"]) == ("3", "A", "1")
        anzahl, alternativtexte = strukturelemente(dokument)
        assert anzahl["/H1"] >= 10 and anzahl["/TH"] > anzahl["/Table"] > 5 and anzahl["/Caption"] >= anzahl["/Table"]
        assert f"Status der Maßnahmen je Handlungsfeld am {jahresbericht.stichtag:%d.%m.%Y}" in alternativtexte
        assert len(alternativtexte) == anzahl["/Figure"] and all(alternativtexte)
        with dokument.open_outline() as gliederung:
            titel = [eintrag.title for eintrag in gliederung.root]
        assert "Zusammenfassung" in titel and any(t.startswith("Handlungsfeld VII") for t in titel)


def test_rendering_again_after_new_meldungen_gives_the_same_file(client, rlp, i2, kusel, kusel_user, jahresbericht):
    vorher = lade_herunter(client, jahresbericht)
    record_statusmeldung(
        actor=kusel_user,
        massnahme=i2,
        organisation=kusel,
        meldung=Meldung(
            stichtag=timezone.localdate(), status="umgesetzt", fortschritt=100, ampel="gruen", ist_korrektur=True
        ),
        erwartete_version=None,
    )
    Bericht.objects.filter(pk=jahresbericht.pk).update(zustand="angefordert")  # as a redelivered task finds it

    render_bericht_pdf(bericht_id=jahresbericht.pk)

    jahresbericht.refresh_from_db()
    nachher = lade_herunter(client, jahresbericht)
    assert pdftotext(nachher) == pdftotext(vorher)
    assert nachher == vorher


def test_rendering_again_after_the_strategy_drops_and_adds_a_massnahme_gives_the_same_file(
    client, rlp, i2, jahresbericht
):
    """A later version of the strategy, loaded after the Datenstand: the loader archives a Maßnahme it no longer
    holds, enters a new one, extends a Frist and moves a Maßnahme to another Handlungsfeld. The Bericht still counts
    the Maßnahmen, with their Fristen and Handlungsfelder, as they stood at its Datenstand."""
    vorher = lade_herunter(client, jahresbericht)
    schreibe_fort(i2, is_archived=True)
    verlaengert = rlp.massnahmen.filter(is_archived=False, frist__isnull=False).order_by("code").first()
    alte_frist = verlaengert.frist
    schreibe_fort(verlaengert, frist=alte_frist.replace(year=alte_frist.year + 3))
    verschoben = (
        rlp.massnahmen.filter(is_archived=False).exclude(handlungsfeld=i2.handlungsfeld).order_by("code").last()
    )
    schreibe_fort(verschoben, handlungsfeld=i2.handlungsfeld)  # into another chapter
    MassnahmeFactory(strategie=rlp, handlungsfeld=i2.handlungsfeld, titel="Erst nach dem Datenstand beschlossen")
    rebuild_standsummen(strategie_id=rlp.pk)  # the new Maßnahme, as the loader enters it
    Bericht.objects.filter(pk=jahresbericht.pk).update(zustand="angefordert")  # as a redelivered task finds it

    render_bericht_pdf(bericht_id=jahresbericht.pk)

    jahresbericht.refresh_from_db()
    nachher = lade_herunter(client, jahresbericht)
    assert i2.titel[:30] in " ".join(pdftotext(vorher).split()) and f"{alte_frist:%d.%m.%Y}" in pdftotext(vorher)
    assert pdftotext(nachher) == pdftotext(vorher)
    assert nachher == vorher


def test_kgrz_umsetzungsbericht_follows_its_source_document(
    client, kgrz, kgrz_user, django_capture_on_commit_callbacks
):
    client.force_login(kgrz_user)
    bericht = erzeuge_pdf(
        client, lege_an(client, KGRZ, art="umsetzungsbericht", jahr=2021), django_capture_on_commit_callbacks
    )

    text = re.sub(r"\s+", " ", pdftotext(lade_herunter(client, bericht)))

    assert "Der Leitgedanke" in text and "serviceorientierter" in text
    for handlungsfeld in kgrz.handlungsfelder.all():
        assert f"{handlungsfeld.nummer}. {handlungsfeld.titel}" in text
    assert "Ergebnisse" in text and "Fazit und Schwerpunkte" in text and "Ruhe einkehren lassen" in text
    assert bericht.stichtag == dt.date(2021, 12, 31)
