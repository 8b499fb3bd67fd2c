"""Load the organisations and the transcribed strategies from strategie/daten/ into the database.

Idempotent: every object is found by its natural key and written only when a value differs, so a
second run changes nothing. Reported status survives a reload: Statusmeldungen entered in the portal
are never touched, Beteiligungen are only added (their "seit"/"entfällt" belongs to the users), and a
Maßnahme that disappears from a file is archived, not deleted. All of it runs in one transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from handlungsfelder.models import Handlungsfeld, Kennzahl, Ziel
from massnahmen import services as massnahmen_services
from massnahmen.models import Beteiligung, Massnahme, Meilenstein, Statusmeldung
from strategie import policies
from strategie.aenderungsverlauf import GRUND_DATENLADEN
from strategie.models import Abschnitt, Organisation, Strategie

from .datenschema import Datenfehler, pruefe_datei

DATEN_VERZEICHNIS = Path(__file__).resolve().parent.parent / "daten"
ORGANISATIONEN_CSV = "organisationen.csv"
AENDERUNGSGRUND = GRUND_DATENLADEN

# The CSV has no key for the five non-territorial rows; they are addressed by these Kennungen.
KENNUNG_OHNE_SCHLUESSEL = {
    "Landkreistag": "landkreistag",
    "KGRZ Koblenz": "kgrz-koblenz",
    "KommWis": "kommwis",
    "KDZ Mainz": "kdz-mainz",
    "Rheinland-Pfalz": "land-rlp",
}
ART_AUS_CSV = {
    "Landkreis": Organisation.Art.LANDKREIS,
    "kreisfreie Stadt": Organisation.Art.KREISFREIE_STADT,
    "Geschäftsstelle": Organisation.Art.GESCHAEFTSSTELLE,
    "IT-Dienstleister": Organisation.Art.IT_DIENSTLEISTER,
    "Land": Organisation.Art.LAND,
    "Verband": Organisation.Art.VERBAND,
}


@dataclass
class Ladeergebnis:
    neu: Counter = field(default_factory=Counter)
    geaendert: Counter = field(default_factory=Counter)
    archiviert: Counter = field(default_factory=Counter)
    strategien: list[str] = field(default_factory=list)
    angelegt: set[tuple[type, int]] = field(default_factory=set)  # rows created in this run: not "geändert"

    def zaehle_aenderung(self, art: str, objekt) -> None:
        if (type(objekt), objekt.pk) not in self.angelegt:
            self.geaendert[art] += 1

    @property
    def hat_aenderungen(self) -> bool:
        return bool(self.neu or self.geaendert or self.archiviert)


def _speichere(modell: type, suche: dict[str, Any], werte: dict[str, Any], ergebnis: Ladeergebnis) -> Any:
    """Create or update one row; write (and audit) only when something differs."""
    objekt = modell.objects.filter(**suche).first()
    name = str(modell._meta.verbose_name_plural)
    neu = objekt is None
    if neu:
        objekt = modell(**suche, **werte)
        ergebnis.neu[name] += 1
    else:
        if all(getattr(objekt, k) == v for k, v in werte.items()):
            return objekt
        for k, v in werte.items():
            setattr(objekt, k, v)
        ergebnis.zaehle_aenderung(name, objekt)
    objekt.full_clean(validate_constraints=False)
    objekt._change_reason = AENDERUNGSGRUND
    objekt.save()
    if neu:
        ergebnis.angelegt.add((modell, objekt.pk))
    return objekt


def _lies_organisationen(verzeichnis: Path) -> list[dict[str, Any]]:
    datei = verzeichnis / ORGANISATIONEN_CSV
    zeilen = []
    with datei.open(encoding="utf-8", newline="") as f:
        for nummer, zeile in enumerate(csv.DictReader(f), start=2):
            ort = f"Datei {ORGANISATIONEN_CSV}, Zeile {nummer}"
            kennung = zeile["schluessel"] or KENNUNG_OHNE_SCHLUESSEL.get(zeile["kurzname"])
            if not kennung:
                raise Datenfehler(
                    f"{ort}, Feld „schluessel“: Ohne Kreisschlüssel ist „{zeile['kurzname']}“ unbekannt."
                )
            if zeile["art"] not in ART_AUS_CSV:
                raise Datenfehler(f"{ort}, Feld „art“: „{zeile['art']}“ ist keine bekannte Art.")
            try:
                einwohner = int(zeile["einwohner"]) if zeile["einwohner"] else None
                stand = dt.date.fromisoformat(zeile["stand"]) if zeile["stand"] else None
                flaeche = Decimal(zeile["flaeche_km2"]).quantize(Decimal("0.01")) if zeile["flaeche_km2"] else None
            except ValueError as exc:
                raise Datenfehler(f"{ort}: Einwohner, Stand oder Fläche ist keine gültige Angabe ({exc}).") from exc
            zeilen.append(
                {
                    "kennung": kennung,
                    "werte": {
                        "art": ART_AUS_CSV[zeile["art"]],
                        "schluessel": zeile["schluessel"],
                        "name": zeile["name"],
                        "kurzname": zeile["kurzname"],
                        "sitz": zeile["sitz"],
                        "einwohner": einwohner,
                        "einwohner_stand": stand,
                        "flaeche_km2": flaeche,
                        "quelle": zeile["quelle"],
                    },
                }
            )
    return zeilen


def _lies_strategien(verzeichnis: Path, kennungen: set[str]) -> list[tuple[str, dict[str, Any]]]:
    dateien = sorted(verzeichnis.glob("*.yaml"))
    if not dateien:
        raise Datenfehler(f"Im Ordner {verzeichnis} liegt keine Strategie-Datei (*.yaml).")
    geladen = []
    for datei in dateien:
        try:
            daten = yaml.safe_load(datei.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            stelle = getattr(exc, "problem_mark", None)
            zeile = f", Zeile {stelle.line + 1}" if stelle else ""
            raise Datenfehler(f"Datei {datei.name}{zeile}: Die Datei ist kein gültiges YAML.") from exc
        pruefe_datei(daten, datei.name, kennungen)
        geladen.append((datei.name, daten))
    return geladen


def _text(wert: str | None) -> str:
    return (wert or "").strip()


def _kennungen(wert: Any, landkreise: list[str]) -> list[str]:
    return list(landkreise) if wert == "alle_landkreise" else list(wert or [])


@transaction.atomic
def load_strategien(verzeichnis: Path = DATEN_VERZEICHNIS) -> Ladeergebnis:
    """Load organisations and all strategy files; raises Datenfehler (and writes nothing) on bad data."""
    ergebnis = Ladeergebnis()
    organisationen_daten = _lies_organisationen(verzeichnis)
    kennungen = {o["kennung"] for o in organisationen_daten}
    strategien_daten = _lies_strategien(verzeichnis, kennungen)

    organisationen = {
        o["kennung"]: _speichere(Organisation, {"kennung": o["kennung"]}, o["werte"], ergebnis)
        for o in organisationen_daten
    }
    landkreise = [k for k, o in organisationen.items() if o.art == Organisation.Art.LANDKREIS]
    for _datei, daten in strategien_daten:
        strategie = _lade_strategie(daten, organisationen, landkreise, ergebnis)
        policies.sync_objektrechte(strategie)
        ergebnis.strategien.append(daten["strategie"]["slug"])
    return ergebnis


def _lade_strategie(
    daten: dict[str, Any], organisationen: dict[str, Organisation], landkreise: list[str], ergebnis: Ladeergebnis
) -> Strategie:
    s = daten["strategie"]
    strategie = _speichere(
        Strategie,
        {"slug": s["slug"]},
        {
            "titel": _text(s["titel"]),
            "kurztitel": _text(s["kurztitel"]),
            "gremium": _text(s["gremium"]),
            "beschlossen_am": s["beschlossen_am"],
            "laufzeit": _text(s["laufzeit"]),
            "quelle": _text(s["quelle"]),
            "traeger": organisationen[s["traeger"]],
            "vision": _text(s["vision"]),
            "grundsaetze": [
                {"nummer": g["nummer"], "text": _text(g["text"]), "quelle": _text(g["quelle"])}
                for g in s["grundsaetze"]
            ],
            "berichtsintervall_tage": s["berichtsintervall_tage"],
            "sichtbarkeit": s["sichtbarkeit"],
            "berichtsdatum": s["berichtsdatum"],
        },
        ergebnis,
    )
    teilnehmende = {s["traeger"], *_kennungen(s.get("organisationen"), landkreise)}

    for ordnung, a in enumerate(s["abschnitte"], 1):
        _speichere(
            Abschnitt,
            {"strategie": strategie, "ordnung": ordnung},
            {
                "art": a["art"],
                "titel": _text(a["titel"]),
                "text": _text(a["text"]),
                "punkte": [_text(p) for p in a["punkte"]],
                "bezug": _text(a.get("bezug")),
                "quelle": _text(a["quelle"]),
            },
            ergebnis,
        )
    veraltet, _ = strategie.abschnitte.filter(ordnung__gt=len(s["abschnitte"])).delete()
    if veraltet:
        ergebnis.archiviert["Abschnitte"] += veraltet

    handlungsfelder: dict[str, Handlungsfeld] = {}
    for ordnung, hf in enumerate(daten["handlungsfelder"], 1):
        handlungsfelder[hf["nummer"]] = _speichere(
            Handlungsfeld,
            {"strategie": strategie, "nummer": hf["nummer"]},
            {
                "ordnung": ordnung,
                "titel": _text(hf["titel"]),
                "anhang": _text(hf["anhang"]),
                "ausgangslage": _text(hf["ausgangslage"]),
                "ziele_text": _text(hf["ziele_text"]),
                "loesungsansatz": _text(hf["loesungsansatz"]),
                "begruendung": _text(hf["begruendung"]),
                "quelle": _text(hf["quelle"]),
            },
            ergebnis,
        )
    for hf in daten["handlungsfelder"]:
        partner = handlungsfelder[hf["gemeinsam_mit"]] if hf["gemeinsam_mit"] else None
        _speichere(Handlungsfeld, {"pk": handlungsfelder[hf["nummer"]].pk}, {"gemeinsam_mit": partner}, ergebnis)

    ziele: dict[tuple[str, int], Ziel] = {}
    for hf in daten["handlungsfelder"]:
        handlungsfeld = handlungsfelder[hf["nummer"]]
        for z in hf["ziele"]:
            ziele[(hf["nummer"], z["nummer"])] = _speichere(
                Ziel,
                {"handlungsfeld": handlungsfeld, "nummer": z["nummer"]},
                {"text": _text(z["text"]), "quelle": _text(z["quelle"])},
                ergebnis,
            )
        for ordnung, k in enumerate(hf["kennzahlen"], 1):
            _speichere(
                Kennzahl,
                {"handlungsfeld": handlungsfeld, "bezeichnung": _text(k["bezeichnung"]), "stand": k["stand"]},
                {"ordnung": ordnung, "wert": Decimal(str(k["wert"])), "einheit": _text(k["einheit"]),
                 "quelle": _text(k["quelle"])},
                ergebnis,
            )  # fmt: skip

    codes = []
    for hf in daten["handlungsfelder"]:
        for ordnung, m in enumerate(hf["massnahmen"], 1):
            codes.append(m["code"])
            ziel_hf = hf["gemeinsam_mit"] or hf["nummer"]
            massnahme = _lade_massnahme(
                strategie, handlungsfelder[hf["nummer"]], ordnung, m, organisationen, landkreise, ergebnis
            )
            gewuenscht = set()
            for nummer in m["ziele"]:
                if (ziel_hf, nummer) not in ziele:
                    raise Datenfehler(
                        f"Maßnahme „{m['code']}“, Feld „ziele“: Leitsatz {nummer} gibt es im Handlungsfeld "
                        f"„{ziel_hf}“ nicht."
                    )
                gewuenscht.add(ziele[(ziel_hf, nummer)].pk)
            if set(massnahme.ziele.values_list("pk", flat=True)) != gewuenscht:
                massnahme._change_reason = AENDERUNGSGRUND
                massnahme.ziele.set(gewuenscht)
                ergebnis.zaehle_aenderung("Leitsatz-Zuordnungen", massnahme)
            teilnehmende.update(b.organisation.kennung for b in massnahme.beteiligungen.select_related("organisation"))
            if m["federfuehrung"]:
                teilnehmende.add(m["federfuehrung"])
            teilnehmende.update(meldung["organisation"] for meldung in m["statusmeldungen"])
            _lade_statusmeldungen(strategie, massnahme, m["statusmeldungen"], organisationen, ergebnis)

    for massnahme in strategie.massnahmen.filter(is_archived=False).exclude(code__in=codes):
        _speichere(Massnahme, {"pk": massnahme.pk}, {"is_archived": True}, ergebnis)
        ergebnis.archiviert["Maßnahmen"] += 1

    gewuenscht = {organisationen[k].pk for k in teilnehmende}
    if set(strategie.organisationen.values_list("pk", flat=True)) != gewuenscht:
        strategie.organisationen.set(gewuenscht)
        ergebnis.zaehle_aenderung("Teilnehmende Organisationen", strategie)
    return strategie


def _lade_massnahme(
    strategie: Strategie,
    handlungsfeld: Handlungsfeld,
    ordnung: int,
    m: dict[str, Any],
    organisationen: dict[str, Organisation],
    landkreise: list[str],
    ergebnis: Ladeergebnis,
) -> Massnahme:
    massnahme = _speichere(
        Massnahme,
        {"strategie": strategie, "code": m["code"]},
        {
            "handlungsfeld": handlungsfeld,
            "ordnung": ordnung,
            "titel": _text(m["titel"]),
            "beschreibung": _text(m["beschreibung"]),
            "federfuehrung": organisationen[m["federfuehrung"]] if m["federfuehrung"] else None,
            "umsetzungsart": m["umsetzungsart"],
            "beginn": m["beginn"],
            "frist": m["frist"],
            "finanzierung": _text(m["finanzierung"]),
            "quelle": _text(m["quelle"]),
            "is_archived": False,
        },
        ergebnis,
    )
    vorhandene = set(massnahme.beteiligungen.values_list("organisation__kennung", flat=True))
    for kennung in _kennungen(m["beteiligte"], landkreise):
        if kennung not in vorhandene:
            _speichere(
                Beteiligung,
                {"massnahme": massnahme, "organisation": organisationen[kennung]},
                {"seit": m["beginn"]},
                ergebnis,
            )
    for i, ms in enumerate(m["meilensteine"], 1):
        werte = {"titel": _text(ms["titel"]), "faellig_am": ms["faellig_am"]}
        _speichere(Meilenstein, {"massnahme": massnahme, "ordnung": i}, werte, ergebnis)
    return massnahme


def _lade_statusmeldungen(
    strategie: Strategie,
    massnahme: Massnahme,
    meldungen: list[dict[str, Any]],
    organisationen: dict[str, Organisation],
    ergebnis: Ladeergebnis,
) -> None:
    """Results the source document reports become Statusmeldungen, keyed by their Quelle."""
    betroffene = set()
    for meldung in meldungen:
        stichtag = meldung.get("stichtag") or strategie.berichtsdatum
        gemeldet = strategie.berichtsdatum or stichtag
        status = meldung["status"]
        objekt = _speichere(
            Statusmeldung,
            {"massnahme": massnahme, "organisation": organisationen[meldung["organisation"]],
             "quelle": _text(meldung["quelle"])},
            {
                "stichtag": stichtag,
                "gemeldet_am": timezone.make_aware(dt.datetime.combine(gemeldet, dt.time(12))),
                "status": status,
                "fortschritt": 100 if status == "umgesetzt" else None,
                "text": _text(meldung["text"]),
            },
            ergebnis,
        )  # fmt: skip
        betroffene.add(objekt.organisation)
    for organisation in betroffene:
        massnahmen_services.refresh_umsetzungsstand(massnahme=massnahme, organisation=organisation)
