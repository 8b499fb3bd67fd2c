"""Loading a strategy with its texts, Handlungsfelder, Ziele and Kennzahlen; the entry point."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from handlungsfelder.models import Handlungsfeld, Kennzahl, Ziel
from massnahmen.models import Massnahme
from massnahmen.services.standsummen import rebuild_standsummen
from portal.services.datenimport.massnahmen import load_massnahme, load_statusmeldungen
from portal.services.datenimport.quellen import clean_text, read_organisationen, read_strategien, split_kennungen
from portal.services.datenimport.werte import (
    DATEN_VERZEICHNIS,
    ORGANISATIONEN_CSV,
    Ladeergebnis,
    remove_objekte,
    save_if_changed,
)
from strategie import policies
from strategie.models import Abschnitt, Organisation, Strategie


@transaction.atomic
def load_strategien(verzeichnis: Path = DATEN_VERZEICHNIS) -> Ladeergebnis:
    """Load organisations and all strategy files; raises Datenfehler (and writes nothing) on bad data."""
    ergebnis = Ladeergebnis()
    organisationen_daten = read_organisationen(verzeichnis)
    kennungen = {o["kennung"] for o in organisationen_daten}
    strategien_daten = read_strategien(verzeichnis, kennungen)

    organisationen = {
        o["kennung"]: save_if_changed(
            Organisation, {"kennung": o["kennung"]}, o["werte"], ergebnis, datei=ORGANISATIONEN_CSV
        )
        for o in organisationen_daten
    }
    landkreise = [k for k, o in organisationen.items() if o.art == Organisation.Art.LANDKREIS]
    for datei, daten in strategien_daten:
        strategie = _load_strategie(datei, daten, organisationen, landkreise, ergebnis)
        policies.sync_objektrechte(strategie)
        rebuild_standsummen(strategie_id=strategie.pk)  # Maßnahmen, Beteiligungen, Kurznamen may have changed
        ergebnis.strategien.append(daten["strategie"]["slug"])
    return ergebnis


def _load_strategie(
    datei: str,
    daten: dict[str, Any],
    organisationen: dict[str, Organisation],
    landkreise: list[str],
    ergebnis: Ladeergebnis,
) -> Strategie:
    s = daten["strategie"]
    strategie = save_if_changed(
        Strategie,
        {"slug": s["slug"]},
        {
            "titel": clean_text(s["titel"]),
            "kurztitel": clean_text(s["kurztitel"]),
            "gremium": clean_text(s["gremium"]),
            "beschlossen_am": s["beschlossen_am"],
            "laufzeit": clean_text(s["laufzeit"]),
            "quelle": clean_text(s["quelle"]),
            "traeger": organisationen[s["traeger"]],
            "vision": clean_text(s["vision"]),
            "grundsaetze": [
                {"nummer": g["nummer"], "text": clean_text(g["text"]), "quelle": clean_text(g["quelle"])}
                for g in s["grundsaetze"]
            ],
            "berichtsintervall_tage": s["berichtsintervall_tage"],
            "sichtbarkeit": s["sichtbarkeit"],
            "berichtsdatum": s["berichtsdatum"],
            "berichtsdatum_herkunft": s.get("berichtsdatum_herkunft") or "",
            "berichtsdatum_beleg": clean_text(s.get("berichtsdatum_beleg")),
            "beschlossen_am_herkunft": s.get("beschlossen_am_herkunft") or "",
            "beschlossen_am_beleg": clean_text(s.get("beschlossen_am_beleg")),
        },
        ergebnis,
        datei=datei,
    )
    teilnehmende = {s["traeger"], *split_kennungen(s.get("organisationen"), landkreise)}

    for ordnung, a in enumerate(s["abschnitte"], 1):
        save_if_changed(
            Abschnitt,
            {"strategie": strategie, "ordnung": ordnung},
            {
                "art": a["art"],
                "titel": clean_text(a["titel"]),
                "text": clean_text(a["text"]),
                "punkte": [clean_text(p) for p in a["punkte"]],
                "bezug": clean_text(a.get("bezug")),
                "quelle": clean_text(a["quelle"]),
            },
            ergebnis,
            datei=datei,
        )
    remove_objekte(strategie.abschnitte.filter(ordnung__gt=len(s["abschnitte"])), "Abschnitte", ergebnis)

    handlungsfelder: dict[str, Handlungsfeld] = {}
    for ordnung, hf in enumerate(daten["handlungsfelder"], 1):
        handlungsfelder[hf["nummer"]] = save_if_changed(
            Handlungsfeld,
            {"strategie": strategie, "nummer": hf["nummer"]},
            {
                "ordnung": ordnung,
                "titel": clean_text(hf["titel"]),
                "anhang": clean_text(hf["anhang"]),
                "ausgangslage": clean_text(hf["ausgangslage"]),
                "ziele_text": clean_text(hf["ziele_text"]),
                "loesungsansatz": clean_text(hf["loesungsansatz"]),
                "begruendung": clean_text(hf["begruendung"]),
                "quelle": clean_text(hf["quelle"]),
            },
            ergebnis,
            datei=datei,
        )
    for hf in daten["handlungsfelder"]:
        partner = handlungsfelder[hf["gemeinsam_mit"]] if hf["gemeinsam_mit"] else None
        save_if_changed(
            Handlungsfeld,
            {"pk": handlungsfelder[hf["nummer"]].pk},
            {"gemeinsam_mit": partner},
            ergebnis,
            datei=datei,
            schluessel=hf["nummer"],
        )

    ziele: dict[tuple[str, int], Ziel] = {}
    for hf in daten["handlungsfelder"]:
        handlungsfeld = handlungsfelder[hf["nummer"]]
        for z in hf["ziele"]:
            ziele[(hf["nummer"], z["nummer"])] = save_if_changed(
                Ziel,
                {"handlungsfeld": handlungsfeld, "nummer": z["nummer"]},
                {"text": clean_text(z["text"]), "quelle": clean_text(z["quelle"])},
                ergebnis,
                datei=datei,
                schluessel=f"{hf['nummer']}.{z['nummer']}",
            )
        for ordnung, k in enumerate(hf["kennzahlen"], 1):
            save_if_changed(
                Kennzahl,
                {"handlungsfeld": handlungsfeld, "bezeichnung": clean_text(k["bezeichnung"]), "stand": k["stand"]},
                {
                    "ordnung": ordnung,
                    "wert": Decimal(str(k["wert"])),
                    "einheit": clean_text(k["einheit"]),
                    "quelle": clean_text(k["quelle"]),
                    "stand_herkunft": k.get("stand_herkunft") or "",
                    "stand_beleg": clean_text(k.get("stand_beleg")),
                },
                ergebnis,
                datei=datei,
                schluessel=clean_text(k["bezeichnung"]),
            )

    # Maßnahmen of a Handlungsfeld, then those of the strategy as a whole (no Handlungsfeld, no Leitsätze)
    eintraege = [
        (handlungsfelder[hf["nummer"]], hf["gemeinsam_mit"] or hf["nummer"], ordnung, m)
        for hf in daten["handlungsfelder"]
        for ordnung, m in enumerate(hf["massnahmen"], 1)
    ] + [(None, None, ordnung, m) for ordnung, m in enumerate(daten.get("massnahmen", []), 1)]
    codes = []
    for handlungsfeld, ziel_hf, ordnung, m in eintraege:
        codes.append(m["code"])
        massnahme = load_massnahme(datei, strategie, handlungsfeld, ordnung, m, organisationen, landkreise, ergebnis)
        gewuenscht = {ziele[(ziel_hf, nummer)].pk for nummer in m["ziele"]}  # datenschema checked they exist
        if set(massnahme.ziele.values_list("pk", flat=True)) != gewuenscht:
            massnahme.ziele.set(gewuenscht)  # audited with the reason save_if_changed set on the Maßnahme
            ergebnis.count_aenderung("Leitsatz-Zuordnungen", massnahme)
        teilnehmende.update(b.organisation.kennung for b in massnahme.beteiligungen.select_related("organisation"))
        if m["federfuehrung"]:
            teilnehmende.add(m["federfuehrung"])
        teilnehmende.update(meldung["organisation"] for meldung in m["statusmeldungen"])
        load_statusmeldungen(datei, strategie, massnahme, m["statusmeldungen"], organisationen, ergebnis)

    for massnahme in strategie.massnahmen.filter(is_archived=False).exclude(code__in=codes):
        save_if_changed(
            Massnahme, {"pk": massnahme.pk}, {"is_archived": True}, ergebnis, datei=datei, schluessel=massnahme.code
        )
        ergebnis.archiviert["Maßnahmen"] += 1

    # Leitsätze and Kennzahlen exist only in the files: what left a file goes (after the Maßnahmen let go of it).
    for hf in daten["handlungsfelder"]:
        handlungsfeld = handlungsfelder[hf["nummer"]]
        nummern = [z["nummer"] for z in hf["ziele"]]
        remove_objekte(handlungsfeld.ziele.exclude(nummer__in=nummern), "Leitsätze", ergebnis)
        kennzahlen = {(clean_text(k["bezeichnung"]), k["stand"]) for k in hf["kennzahlen"]}
        veraltet = [k for k in handlungsfeld.kennzahlen.all() if (k.bezeichnung, k.stand) not in kennzahlen]
        remove_objekte(veraltet, "Kennzahlen", ergebnis)

    gewuenscht = {organisationen[k].pk for k in teilnehmende}
    if set(strategie.organisationen.values_list("pk", flat=True)) != gewuenscht:
        strategie.organisationen.set(gewuenscht)
        ergebnis.count_aenderung("Teilnehmende Organisationen", strategie)
    return strategie
