"""Load the organisations and the transcribed strategies from strategie/daten/ into the database.

Idempotent: every object is found by its natural key and written only when a value differs, so a
second run changes nothing. What only the files hold (Leitsätze, Kennzahlen, Abschnitte, the files'
Statusmeldungen and Meilensteine) is deleted when it leaves its file. What users do in the portal
survives a reload: their Statusmeldungen and Meilensteine are never touched, Beteiligungen are only
added (their "seit"/"entfällt" belongs to the users), a description or milestone a user edited stays
until the file changes that very field (see _mit_nutzerwerten), and a Maßnahme that disappears from a
file is archived, not deleted. All of it runs in one transaction; bad data raises Datenfehler.
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
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils import timezone

from handlungsfelder.models import Handlungsfeld, Kennzahl, Ziel
from massnahmen import services as massnahmen_services
from massnahmen.models import NEUESTE_ZUERST, Beteiligung, Massnahme, Meilenstein, Statusmeldung, Umsetzungsstand
from strategie import policies
from strategie.aenderungsverlauf import GRUND_DATENLADEN
from strategie.models import Abschnitt, Organisation, Strategie

from .datenschema import ALLE_LANDKREISE, Datenfehler, validate_datei

DATEN_VERZEICHNIS = Path(__file__).resolve().parents[2] / "strategie" / "daten"  # versioned source data
ORGANISATIONEN_CSV = "organisationen.csv"
AENDERUNGSGRUND = GRUND_DATENLADEN
# Change reason of a load that left fields as users set them in the portal; the verbose names of those fields follow.
GRUND_BEHALTEN = f"{GRUND_DATENLADEN}; aus dem Portal behalten: "
# Fields users also edit in the portal; `dateistand` keeps what the file said of them (see _mit_nutzerwerten).
MASSNAHME_NUTZERFELDER = ("beschreibung",)  # the Federführung edits these in the portal
MEILENSTEIN_NUTZERFELDER = ("titel", "faellig_am")

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
    entfernt: Counter = field(default_factory=Counter)
    strategien: list[str] = field(default_factory=list)
    angelegt: set[tuple[type, int]] = field(default_factory=set)  # rows created in this run: not "geändert"
    geschrieben: set[tuple[type, int]] = field(default_factory=set)  # rows created or changed in this run

    def count_aenderung(self, art: str, objekt) -> None:
        if (type(objekt), objekt.pk) not in self.angelegt:
            self.geaendert[art] += 1

    @property
    def hat_aenderungen(self) -> bool:
        return bool(self.neu or self.geaendert or self.archiviert or self.entfernt)


class _YamlLader(yaml.SafeLoader):
    """SafeLoader without the implicit timestamp resolver: dates arrive as text and datenschema checks them,
    so an impossible date such as 2022-13-31 gets a German message instead of a ValueError."""


_YamlLader.yaml_implicit_resolvers = {
    zeichen: [(tag, muster) for tag, muster in resolver if tag != "tag:yaml.org,2002:timestamp"]
    for zeichen, resolver in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _json(wert: Any) -> Any:
    """A value as it is kept in `dateistand` (JSON): dates as JJJJ-MM-TT."""
    return wert.isoformat() if isinstance(wert, dt.date) else wert


def _mit_nutzerwerten(
    objekt: models.Model | None, werte: dict[str, Any], nutzerfelder: tuple[str, ...]
) -> tuple[dict[str, Any], list[str]]:
    """Three-way rule for fields users also edit: keep a user's value while the file still says what it said.

    `dateistand` holds what the file said at the last load. If the database differs from it (a user changed the
    field) and the file still says the same, the user's value stays; otherwise the file wins. Returns the values to
    write, the new `dateistand` among them, and the fields kept from the portal.
    """
    basis = objekt.dateistand if objekt is not None else {}
    werte = {**werte, "dateistand": {feld: _json(werte[feld]) for feld in nutzerfelder}}
    behalten = [
        feld
        for feld in nutzerfelder
        if feld in basis and werte["dateistand"][feld] == basis[feld] and _json(getattr(objekt, feld)) != basis[feld]
    ]
    werte.update({feld: getattr(objekt, feld) for feld in behalten})
    return werte, behalten


def _grund(modell: type, behalten: list[str]) -> str:
    if not behalten:
        return AENDERUNGSGRUND
    felder = {f.name: str(f.verbose_name) for f in modell._meta.concrete_fields}
    return GRUND_BEHALTEN + ", ".join(felder[f] for f in behalten)


def _datenfehler(exc: ValidationError, modell: type, schluessel: str, datei: str) -> Datenfehler:
    """The first problem Django's validation found, in German, with file, item and field."""
    ort = f"Datei {datei}, {modell._meta.verbose_name} „{schluessel}“"
    feld, meldungen = next(iter(exc.message_dict.items())) if hasattr(exc, "error_dict") else (None, exc.messages)
    if feld is None or feld == NON_FIELD_ERRORS:
        return Datenfehler(f"{ort}: {' '.join(meldungen)}")
    return Datenfehler(f"{ort}, Feld „{feld}“: {' '.join(meldungen)}")


def _save(
    modell: type,
    suche: dict[str, Any],
    werte: dict[str, Any],
    ergebnis: Ladeergebnis,
    *,
    datei: str,
    schluessel: str | None = None,
    nutzerfelder: tuple[str, ...] = (),
) -> Any:
    """Create or update one row; write (and audit) only when something differs.

    `schluessel` names the item in error messages (default: the plain values of `suche`); `nutzerfelder` are
    fields users also edit in the portal (see _mit_nutzerwerten)."""
    objekt = modell.objects.filter(**suche).first()
    name = str(modell._meta.verbose_name_plural)
    neu = objekt is None
    behalten = []
    if nutzerfelder:
        werte, behalten = _mit_nutzerwerten(objekt, werte, nutzerfelder)
    if neu:
        objekt = modell(**suche, **werte)
    else:
        objekt._change_reason = _grund(modell, behalten)  # also for many-to-many changes that follow
        if all(getattr(objekt, k) == v for k, v in werte.items()):
            return objekt
        for k, v in werte.items():
            setattr(objekt, k, v)
    try:
        objekt.full_clean(validate_constraints=False)
    except ValidationError as exc:
        if schluessel is None:
            schluessel = ", ".join(str(v) for v in suche.values() if not isinstance(v, models.Model))
        raise _datenfehler(exc, modell, schluessel, datei) from exc
    objekt._change_reason = _grund(modell, behalten)
    objekt.save()
    ergebnis.geschrieben.add((modell, objekt.pk))
    if neu:
        ergebnis.neu[name] += 1
        ergebnis.angelegt.add((modell, objekt.pk))
    else:
        ergebnis.count_aenderung(name, objekt)
    return objekt


def _remove(objekte, art: str, ergebnis: Ladeergebnis) -> None:
    """Delete rows that left their file, one by one so that the history records why."""
    for objekt in objekte:
        objekt._change_reason = AENDERUNGSGRUND
        objekt.delete()
        ergebnis.entfernt[art] += 1


def _read_organisationen(verzeichnis: Path) -> list[dict[str, Any]]:
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


def _read_strategien(verzeichnis: Path, kennungen: set[str]) -> list[tuple[str, dict[str, Any]]]:
    dateien = sorted(verzeichnis.glob("*.yaml"))
    if not dateien:
        raise Datenfehler(f"Im Ordner {verzeichnis} liegt keine Strategie-Datei (*.yaml).")
    geladen, slugs = [], {}
    for datei in dateien:
        try:
            daten = yaml.load(datei.read_text(encoding="utf-8"), Loader=_YamlLader)  # noqa: S506 (a SafeLoader)
        except UnicodeDecodeError as exc:
            raise Datenfehler(f"Datei {datei.name}: Die Datei ist nicht in UTF-8 gespeichert.") from exc
        except (yaml.YAMLError, ValueError) as exc:  # ValueError: e.g. an explicit !!timestamp 2022-13-31
            stelle = getattr(exc, "problem_mark", None)
            zeile = f", Zeile {stelle.line + 1}" if stelle else ""
            raise Datenfehler(f"Datei {datei.name}{zeile}: Die Datei ist kein gültiges YAML.") from exc
        validate_datei(daten, datei.name, kennungen)
        slug = daten["strategie"]["slug"]
        if slug in slugs:
            raise Datenfehler(
                f"Datei {datei.name}, Strategie, Feld „slug“: „{slug}“ steht schon in der Datei {slugs[slug]}."
            )
        slugs[slug] = datei.name
        geladen.append((datei.name, daten))
    return geladen


def _text(wert: str | None) -> str:
    return (wert or "").strip()


def _kennungen(wert: Any, landkreise: list[str]) -> list[str]:
    """Kennungen of `alle_landkreise` alone or as an entry of a list (beside further organisations)."""
    eintraege = [wert] if isinstance(wert, str) else list(wert or [])
    kennungen = []
    for eintrag in eintraege:
        kennungen += [k for k in (landkreise if eintrag == ALLE_LANDKREISE else [eintrag]) if k not in kennungen]
    return kennungen


@transaction.atomic
def load_strategien(verzeichnis: Path = DATEN_VERZEICHNIS) -> Ladeergebnis:
    """Load organisations and all strategy files; raises Datenfehler (and writes nothing) on bad data."""
    ergebnis = Ladeergebnis()
    organisationen_daten = _read_organisationen(verzeichnis)
    kennungen = {o["kennung"] for o in organisationen_daten}
    strategien_daten = _read_strategien(verzeichnis, kennungen)

    organisationen = {
        o["kennung"]: _save(Organisation, {"kennung": o["kennung"]}, o["werte"], ergebnis, datei=ORGANISATIONEN_CSV)
        for o in organisationen_daten
    }
    landkreise = [k for k, o in organisationen.items() if o.art == Organisation.Art.LANDKREIS]
    for datei, daten in strategien_daten:
        strategie = _load_strategie(datei, daten, organisationen, landkreise, ergebnis)
        policies.sync_objektrechte(strategie)
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
    strategie = _save(
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
        datei=datei,
    )
    teilnehmende = {s["traeger"], *_kennungen(s.get("organisationen"), landkreise)}

    for ordnung, a in enumerate(s["abschnitte"], 1):
        _save(
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
            datei=datei,
        )
    _remove(strategie.abschnitte.filter(ordnung__gt=len(s["abschnitte"])), "Abschnitte", ergebnis)

    handlungsfelder: dict[str, Handlungsfeld] = {}
    for ordnung, hf in enumerate(daten["handlungsfelder"], 1):
        handlungsfelder[hf["nummer"]] = _save(
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
            datei=datei,
        )
    for hf in daten["handlungsfelder"]:
        partner = handlungsfelder[hf["gemeinsam_mit"]] if hf["gemeinsam_mit"] else None
        _save(
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
            ziele[(hf["nummer"], z["nummer"])] = _save(
                Ziel,
                {"handlungsfeld": handlungsfeld, "nummer": z["nummer"]},
                {"text": _text(z["text"]), "quelle": _text(z["quelle"])},
                ergebnis,
                datei=datei,
                schluessel=f"{hf['nummer']}.{z['nummer']}",
            )
        for ordnung, k in enumerate(hf["kennzahlen"], 1):
            _save(
                Kennzahl,
                {"handlungsfeld": handlungsfeld, "bezeichnung": _text(k["bezeichnung"]), "stand": k["stand"]},
                {
                    "ordnung": ordnung,
                    "wert": Decimal(str(k["wert"])),
                    "einheit": _text(k["einheit"]),
                    "quelle": _text(k["quelle"]),
                },
                ergebnis,
                datei=datei,
                schluessel=_text(k["bezeichnung"]),
            )

    codes = []
    for hf in daten["handlungsfelder"]:
        for ordnung, m in enumerate(hf["massnahmen"], 1):
            codes.append(m["code"])
            ziel_hf = hf["gemeinsam_mit"] or hf["nummer"]  # datenschema checked that these Leitsätze exist
            massnahme = _load_massnahme(
                datei, strategie, handlungsfelder[hf["nummer"]], ordnung, m, organisationen, landkreise, ergebnis
            )
            gewuenscht = {ziele[(ziel_hf, nummer)].pk for nummer in m["ziele"]}
            if set(massnahme.ziele.values_list("pk", flat=True)) != gewuenscht:
                massnahme.ziele.set(gewuenscht)  # audited with the reason _speichere set on the Maßnahme
                ergebnis.count_aenderung("Leitsatz-Zuordnungen", massnahme)
            teilnehmende.update(b.organisation.kennung for b in massnahme.beteiligungen.select_related("organisation"))
            if m["federfuehrung"]:
                teilnehmende.add(m["federfuehrung"])
            teilnehmende.update(meldung["organisation"] for meldung in m["statusmeldungen"])
            _load_statusmeldungen(datei, strategie, massnahme, m["statusmeldungen"], organisationen, ergebnis)

    for massnahme in strategie.massnahmen.filter(is_archived=False).exclude(code__in=codes):
        _save(Massnahme, {"pk": massnahme.pk}, {"is_archived": True}, ergebnis, datei=datei, schluessel=massnahme.code)
        ergebnis.archiviert["Maßnahmen"] += 1

    # Leitsätze and Kennzahlen exist only in the files: what left a file goes (after the Maßnahmen let go of it).
    for hf in daten["handlungsfelder"]:
        handlungsfeld = handlungsfelder[hf["nummer"]]
        nummern = [z["nummer"] for z in hf["ziele"]]
        _remove(handlungsfeld.ziele.exclude(nummer__in=nummern), "Leitsätze", ergebnis)
        kennzahlen = {(_text(k["bezeichnung"]), k["stand"]) for k in hf["kennzahlen"]}
        veraltet = [k for k in handlungsfeld.kennzahlen.all() if (k.bezeichnung, k.stand) not in kennzahlen]
        _remove(veraltet, "Kennzahlen", ergebnis)

    gewuenscht = {organisationen[k].pk for k in teilnehmende}
    if set(strategie.organisationen.values_list("pk", flat=True)) != gewuenscht:
        strategie.organisationen.set(gewuenscht)
        ergebnis.count_aenderung("Teilnehmende Organisationen", strategie)
    return strategie


def _load_massnahme(
    datei: str,
    strategie: Strategie,
    handlungsfeld: Handlungsfeld,
    ordnung: int,
    m: dict[str, Any],
    organisationen: dict[str, Organisation],
    landkreise: list[str],
    ergebnis: Ladeergebnis,
) -> Massnahme:
    massnahme = _save(
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
        datei=datei,
        nutzerfelder=MASSNAHME_NUTZERFELDER,
    )
    vorhandene = set(massnahme.beteiligungen.values_list("organisation__kennung", flat=True))
    for kennung in _kennungen(m["beteiligte"], landkreise):
        if kennung not in vorhandene:
            _save(
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
        werte = {"titel": _text(ms["titel"]), "faellig_am": ms["faellig_am"]}
        if nummer not in aus_datei:
            werte["ordnung"] = nummer if nummer not in belegt else max(belegt) + 1
            belegt.add(werte["ordnung"])
        _save(
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
            _remove([ms], "Meilensteine", ergebnis)
        else:
            _save(
                Meilenstein,
                {"pk": ms.pk},
                {"datei_nummer": None},
                ergebnis,
                datei=datei,
                schluessel=f"{massnahme.code}, Nr. {ms.datei_nummer}",
            )


def _load_statusmeldungen(
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
        objekt = _save(
            Statusmeldung,
            {
                "massnahme": massnahme,
                "organisation": organisationen[meldung["organisation"]],
                "quelle": _text(meldung["quelle"]),
            },
            {
                "stichtag": stichtag,
                "gemeldet_am": timezone.make_aware(dt.datetime.combine(gemeldet, dt.time(12))),
                "status": status,
                "fortschritt": 100 if status == "umgesetzt" else None,
                "text": _text(meldung["text"]),
            },
            ergebnis,
            datei=datei,
            schluessel=f"{massnahme.code}, {meldung['organisation']}, {_text(meldung['quelle'])}",
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
    _remove(veraltet, "Statusmeldungen", ergebnis)
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
