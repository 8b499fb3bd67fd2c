"""Loading the Maßnahmen of a strategy file with their Beteiligungen, Meilensteine and Statusmeldungen."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from handlungsfelder.models import Handlungsfeld
from massnahmen import services as massnahmen_services
from massnahmen.models import NEUESTE_ZUERST, Beteiligung, Massnahme, Meilenstein, Statusmeldung, Umsetzungsstand
from portal.services.datenimport.quellen import clean_text, split_kennungen
from portal.services.datenimport.werte import (
    MASSNAHME_NUTZERFELDER,
    MEILENSTEIN_NUTZERFELDER,
    Ladeergebnis,
    remove_objekte,
    save_if_changed,
)
from portal.services.datumsregeln import statusmeldung_herkunft
from strategie.models import Organisation, Strategie


def load_massnahme(
    datei: str,
    strategie: Strategie,
    handlungsfeld: Handlungsfeld | None,  # None: a Maßnahme of the strategy as a whole
    ordnung: int,
    m: dict[str, Any],
    organisationen: dict[str, Organisation],
    landkreise: list[str],
    ergebnis: Ladeergebnis,
) -> Massnahme:
    massnahme = save_if_changed(
        Massnahme,
        {"strategie": strategie, "code": m["code"]},
        {
            "handlungsfeld": handlungsfeld,
            "ordnung": ordnung,
            "titel": clean_text(m["titel"]),
            "beschreibung": clean_text(m["beschreibung"]),
            "federfuehrung": organisationen[m["federfuehrung"]] if m["federfuehrung"] else None,
            "umsetzungsart": m["umsetzungsart"],
            "beginn": m["beginn"],
            "beginn_herkunft": m.get("beginn_herkunft") or "",
            "beginn_beleg": clean_text(m.get("beginn_beleg")),
            "frist": m["frist"],
            "frist_herkunft": m.get("frist_herkunft") or "",
            "frist_beleg": clean_text(m.get("frist_beleg")),
            "finanzierung": clean_text(m["finanzierung"]),
            "quelle": clean_text(m["quelle"]),
            "is_archived": False,
        },
        ergebnis,
        datei=datei,
        nutzerfelder=MASSNAHME_NUTZERFELDER,
    )
    vorhandene = set(massnahme.beteiligungen.values_list("organisation__kennung", flat=True))
    for kennung in split_kennungen(m["beteiligte"], landkreise):
        if kennung not in vorhandene:
            save_if_changed(
                Beteiligung,
                {"massnahme": massnahme, "organisation": organisationen[kennung]},
                {"seit": m["beginn"]},
                ergebnis,
                datei=datei,
                schluessel=f"{m['code']}, {kennung}",
            )
    _load_meilensteine(datei, massnahme, m["meilensteine"], ergebnis)
    return massnahme


def _load_meilensteine(
    datei: str, massnahme: Massnahme, meilensteine: list[dict[str, Any]], ergebnis: Ladeergebnis
) -> None:
    """A file milestone is keyed by its place in the file (datei_nummer); those added in the portal have none.

    A new one takes its place as ordnung unless a portal milestone holds it; one that left the file is deleted,
    unless it was reached: then it stays as if added in the portal.
    """
    bestand = list(massnahme.meilensteine.all())
    aus_datei = {ms.datei_nummer for ms in bestand if ms.datei_nummer is not None}
    belegt = {ms.ordnung for ms in bestand}
    for nummer, ms in enumerate(meilensteine, 1):
        werte = {"titel": clean_text(ms["titel"]), "faellig_am": ms["faellig_am"]}
        if nummer not in aus_datei:
            werte["ordnung"] = nummer if nummer not in belegt else max(belegt) + 1
            belegt.add(werte["ordnung"])
        save_if_changed(
            Meilenstein,
            {"massnahme": massnahme, "datei_nummer": nummer},
            werte,
            ergebnis,
            datei=datei,
            schluessel=f"{massnahme.code}, Nr. {nummer}",
            nutzerfelder=MEILENSTEIN_NUTZERFELDER,
        )
    for ms in bestand:
        if ms.datei_nummer is None or ms.datei_nummer <= len(meilensteine):
            continue
        if ms.erreicht_am is None:
            remove_objekte([ms], "Meilensteine", ergebnis)
        else:
            save_if_changed(
                Meilenstein,
                {"pk": ms.pk},
                {"datei_nummer": None},
                ergebnis,
                datei=datei,
                schluessel=f"{massnahme.code}, Nr. {ms.datei_nummer}",
            )


def load_statusmeldungen(
    datei: str,
    strategie: Strategie,
    massnahme: Massnahme,
    meldungen: list[dict[str, Any]],
    organisationen: dict[str, Organisation],
    ergebnis: Ladeergebnis,
) -> None:
    """Results the source document reports become Statusmeldungen, keyed by their Quelle.

    The file's Statusmeldungen are those with a Quelle, no reporting user and not demo data; one that left the
    file is deleted, and the Umsetzungsstand of its pair falls back to the latest remaining Statusmeldung.
    """
    betroffene, geladen = set(), set()
    for meldung in meldungen:
        stichtag = meldung.get("stichtag") or strategie.berichtsdatum
        gemeldet = strategie.berichtsdatum or stichtag
        status = meldung["status"]
        objekt = save_if_changed(
            Statusmeldung,
            {
                "massnahme": massnahme,
                "organisation": organisationen[meldung["organisation"]],
                "quelle": clean_text(meldung["quelle"]),
            },
            {
                "stichtag": stichtag,
                "gemeldet_am": timezone.make_aware(dt.datetime.combine(gemeldet, dt.time(12))),
                "status": status,
                "fortschritt": 100 if status == "umgesetzt" else None,
                "text": clean_text(meldung["text"]),
                "datum_herkunft": statusmeldung_herkunft(meldung),
                "datum_laut_text": clean_text(meldung["datum_laut_text"]),
            },
            ergebnis,
            datei=datei,
            schluessel=f"{massnahme.code}, {meldung['organisation']}, {clean_text(meldung['quelle'])}",
        )
        if (Statusmeldung, objekt.pk) in ergebnis.geschrieben:  # an unchanged Meldung leaves its state as it is
            betroffene.add(objekt.organisation)
        geladen.add(objekt.pk)
    veraltet = list(
        massnahme.statusmeldungen.filter(von__isnull=True, ist_demo=False)
        .exclude(quelle="")
        .exclude(pk__in=geladen)
        .select_related("organisation")
    )
    for organisation in {meldung.organisation for meldung in veraltet}:
        _resolve_umsetzungsstand(massnahme, organisation, {meldung.pk for meldung in veraltet}, ergebnis)
        betroffene.add(organisation)
    remove_objekte(veraltet, "Statusmeldungen", ergebnis)
    for organisation in betroffene:
        massnahmen_services.refresh_umsetzungsstand(massnahme=massnahme, organisation=organisation)


def _resolve_umsetzungsstand(
    massnahme: Massnahme, organisation: Organisation, veraltet: set[int], ergebnis: Ladeergebnis
) -> None:
    """Let the Umsetzungsstand of the pair point away from Statusmeldungen about to be deleted (it PROTECTs them):
    to the latest remaining one, which refresh_umsetzungsstand then copies; without one it goes too."""
    stand = Umsetzungsstand.objects.filter(
        massnahme=massnahme, organisation=organisation, letzte_meldung_id__in=veraltet
    ).first()
    if stand is None:
        return
    ersatz = (
        Statusmeldung.objects.filter(massnahme=massnahme, organisation=organisation)
        .exclude(pk__in=veraltet)
        .order_by(*NEUESTE_ZUERST)
        .first()
    )
    if ersatz is None:
        stand.delete()
        ergebnis.entfernt["Umsetzungsstände"] += 1
    else:
        stand.letzte_meldung = ersatz
        stand.save(update_fields=["letzte_meldung", "updated_at"])
