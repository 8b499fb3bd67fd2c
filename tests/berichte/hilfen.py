"""Helpers of the Bericht tests: create and render through the user's path."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse

from berichte.models import Bericht
from berichte.selectors import ROTE_AMPELN_EINZELN, Filter, MassnahmeStand, Zeitpunkt
from berichte.selectors.ergebnisse import Zelle
from berichte.selectors.kennzahlen import nachfiltern, summieren, vorauswahl, vorfiltern, zelle_aus
from berichte.selectors.stand import read_paare
from berichte.selectors.summen import Summe
from massnahmen.models import Beteiligung
from massnahmen.services.standsummen import rebuild_standsummen
from tests.factories import StatusmeldungFactory

RLP, KGRZ = "rlp-digitalisierungsstrategie", "kgrz-koblenz"


def schreibe_fort(massnahme, **werte) -> None:
    """A later version of the strategy changes the Maßnahme as the loader does (portal.services.datenimport.laden):
    saved with a record in its history, the Standsummen of the strategy rebuilt."""
    for feld, wert in werte.items():
        setattr(massnahme, feld, wert)
    massnahme.save()
    rebuild_standsummen(strategie_id=massnahme.strategie_id)


def lege_an(
    client, slug: str = RLP, *, art: str = "alk_jahresbericht", jahr: int = 2025, stichtag: str = ""
) -> Bericht:
    antwort = client.post(
        reverse("berichte:anlegen", args=[slug]), {"art": art, "berichtsjahr": jahr, "stichtag": stichtag}
    )
    assert antwort.status_code == 302, antwort.content.decode()[:2000]
    return Bericht.objects.get(pk=int(antwort["Location"].rstrip("/").rsplit("/", 1)[-1]))


def speichere_text(client, bericht: Bericht, feld: str, text: str, version: int, **extra):
    url = reverse("berichte:text", args=[bericht.strategie.slug, bericht.pk, feld])
    return client.post(url, {"text": text, "version": version, **extra}, headers={"HX-Request": "true"})


def fordere_pdf_an(client, bericht: Bericht):
    return client.post(reverse("berichte:pdf_erzeugen", args=[bericht.strategie.slug, bericht.pk]))


def erzeuge_pdf(client, bericht: Bericht, django_capture_on_commit_callbacks) -> Bericht:
    """Request the PDF and run the task eagerly, as the embedded mode does."""
    with django_capture_on_commit_callbacks(execute=True):
        antwort = fordere_pdf_an(client, bericht)
    assert antwort.status_code == 302
    bericht.refresh_from_db()
    assert bericht.zustand == Bericht.Zustand.FERTIG, bericht.fehlermeldung
    return bericht


def lade_herunter(client, bericht: Bericht) -> bytes:
    antwort = client.get(reverse("berichte:herunterladen", args=[bericht.strategie.slug, bericht.pk]))
    assert antwort.status_code == 200
    return b"".join(antwort.streaming_content)


def melde_viele_rote_ampeln(strategie, *, stichtag: dt.date, marker: str) -> list[Beteiligung]:
    """More red Ampeln than the pages name one by one: one Meldung per pair (Maßnahme je Organisation), its Risiken
    `marker` followed by the Beteiligung's pk. Written as history, so pages read them for a past Stichtag."""
    beteiligungen = list(
        Beteiligung.objects.filter(
            massnahme__strategie=strategie,
            massnahme__umsetzungsart="je_organisation",
            massnahme__is_archived=False,
            entfaellt=False,
        )
        .select_related("massnahme", "organisation")
        .order_by("massnahme__code", "organisation__kennung")[: ROTE_AMPELN_EINZELN + 10]
    )
    for b in beteiligungen:
        StatusmeldungFactory(
            massnahme=b.massnahme,
            organisation=b.organisation,
            stichtag=stichtag,
            ampel="rot",
            risiken=f"{marker}{b.pk}",
        )
    return beteiligungen


@dataclass
class Stand:
    """Every pair of a strategy and the per-Maßnahme figures as of one Zeitpunkt."""

    zeitpunkt: Zeitpunkt
    massnahmen: dict[int, MassnahmeStand]
    zellen: dict[tuple[int, int | None], Zelle]


def read_stand(*, strategie, zeitpunkt: Zeitpunkt, filter: Filter | None = None) -> Stand:
    """The figures summed in Python from every pair read one by one: what the tests hold the dashboard's database
    sums against (the page reads those only)."""
    filter = filter or Filter()
    massnahmen = vorfiltern(strategie, filter, zeitpunkt)
    paare = read_paare(
        strategie=strategie,
        zeitpunkt=zeitpunkt,
        auswahl=vorauswahl(massnahmen, filter),
    )
    paare = [p for p in paare if p.massnahme_id in massnahmen]
    summen = (Summe(p.massnahme_id, p.zustand, p.ampel, 1, p.fortschritt or 0, int(p.veraltet)) for p in paare)
    summieren(massnahmen, summen, zeitpunkt.stichtag)
    massnahmen = nachfiltern(massnahmen, filter)
    zellen = {(p.massnahme_id, p.organisation_id): zelle_aus(p) for p in paare if p.massnahme_id in massnahmen}
    return Stand(zeitpunkt=zeitpunkt, massnahmen=massnahmen, zellen=zellen)
