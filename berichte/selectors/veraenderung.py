"""What changed between two Zeitpunkte: per Maßnahme, per pair, new red Ampeln, newly overdue."""

from __future__ import annotations

from collections import Counter

from berichte.selectors.ergebnisse import (
    Aenderung,
    Filter,
    MassnahmeStand,
    OrganisationInfo,
    Uebersicht,
    Veraenderung,
    Zelle,
)
from berichte.selectors.kennzahlen import (
    auswahl_fuer,
    read_massnahmen,
    read_organisationen,
    summieren,
    vorauswahl,
    vorfiltern,
    zelle_aus,
)
from berichte.selectors.sichtbarkeit import Sichtbarkeit
from berichte.selectors.stand import Zeitpunkt, read_paaraenderungen
from berichte.selectors.summen import read_aenderungssummen
from massnahmen.models import Ampel
from strategie.models import Strategie


def _massnahme_als_zelle(m: MassnahmeStand) -> Zelle:
    return Zelle(m.status, m.fortschritt, m.ampel, None, m.veraltet > 0, m.nenner > 0)


def read_veraenderung(
    *,
    strategie: Strategie,
    seit: Zeitpunkt,
    bis: Zeitpunkt,
    sichtbarkeit: Sichtbarkeit,
    filter: Filter = Filter(),
    uebersicht: Uebersicht | None = None,
) -> Veraenderung:
    """What changed between two Zeitpunkte (usually the previous round's Stichtag and now). At most five queries,
    the figures summed in the database; every changed pair (`Veraenderung.paare`, for the export) only when asked.
    Pass the `uebersicht` as of `bis` under the same filter when there is one: its figures are not read again, nor
    those of `seit` when it was read with `vergleich=seit`."""
    filter = filter.fuer(sichtbarkeit.details)
    nachher_da = uebersicht is not None and uebersicht.zeitpunkt == bis and uebersicht.filter == filter
    if nachher_da:
        nachher = {m.id: m for m in uebersicht.massnahmen}
    else:
        nachher = read_massnahmen(strategie=strategie, zeitpunkt=bis, filter=filter)
    ohne_auswahl = filter.ohne_auswahl()
    vorher = vorfiltern(strategie, ohne_auswahl, seit)
    je_org: dict[int, int] = {}
    if sichtbarkeit.details:
        if nachher_da and uebersicht.aenderungen and uebersicht.aenderungen[0] == seit:
            summen = uebersicht.aenderungen[1]  # read with the Übersicht's figures, in the same query
        else:
            summen = read_aenderungssummen(
                strategie=strategie,
                seit=seit,
                bis=bis,
                auswahl_vorher=vorauswahl(vorher, ohne_auswahl),
                auswahl=auswahl_fuer([m.id for m in nachher.values() if not m.gemeinsam], filter),
            )
        summieren(vorher, summen.vorher, seit.stichtag)
        je_org = summen.je_organisation
    else:
        vorher = read_massnahmen(strategie=strategie, zeitpunkt=seit, filter=ohne_auswahl)
    organisationen = read_organisationen(strategie)
    massnahmen_aenderungen, neue_rote, neu_ueberfaellig = [], [], []
    je_hf: Counter = Counter()
    for m in nachher.values():
        alt = vorher.get(m.id)
        a, n = (_massnahme_als_zelle(alt) if alt else None), _massnahme_als_zelle(m)
        aenderung = Aenderung(
            massnahme=m,
            organisation=None,
            vorher=a,
            nachher=n,
            status_geaendert=a is None or a.zustand != n.zustand,
            ampel_geaendert=a is not None and a.ampel != n.ampel,
            fortschritt_geaendert=a is not None and a.fortschritt != n.fortschritt,
        )
        if aenderung.status_geaendert or aenderung.ampel_geaendert or aenderung.fortschritt_geaendert:
            massnahmen_aenderungen.append(aenderung)
            if m.handlungsfeld_nummer is not None:  # the strategy as a whole is no Handlungsfeld
                je_hf[m.handlungsfeld_nummer] += 1
        if m.ampeln.get(Ampel.ROT) and not (alt and alt.ampeln.get(Ampel.ROT)):
            neue_rote.append(m)
        if m.ueberfaellig and not (alt and alt.ueberfaellig):
            neu_ueberfaellig.append(m)
    return Veraenderung(
        seit=seit,
        bis=bis,
        massnahmen=massnahmen_aenderungen,
        lade_paare=lambda: (
            _paare(strategie, seit, bis, filter, nachher, organisationen) if sichtbarkeit.details else []
        ),
        neue_rote=neue_rote,
        neu_ueberfaellig=neu_ueberfaellig,
        je_handlungsfeld=dict(je_hf),
        je_organisation=[(organisationen[o], je_org[o]) for o in organisationen if je_org.get(o)],
    )


def _paare(
    strategie: Strategie,
    seit: Zeitpunkt,
    bis: Zeitpunkt,
    filter: Filter,
    nachher: dict[int, MassnahmeStand],
    organisationen: dict[int, OrganisationInfo],
) -> list[Aenderung]:
    """Every pair je Organisation that changed, as `read_aenderungssummen` counts them. Two queries."""
    ohne_auswahl = filter.ohne_auswahl()
    aenderungen = read_paaraenderungen(
        strategie=strategie,
        seit=seit,
        bis=bis,
        auswahl_vorher=vorauswahl(vorfiltern(strategie, ohne_auswahl, seit), ohne_auswahl),
        auswahl=auswahl_fuer([m.id for m in nachher.values() if not m.gemeinsam], filter),
    )
    paare = [
        Aenderung(
            nachher[a.nachher.massnahme_id],
            organisationen.get(a.nachher.organisation_id),
            zelle_aus(a.vorher) if a.vorher else None,
            zelle_aus(a.nachher),
            a.status_geaendert,
            a.ampel_geaendert,
            a.fortschritt_geaendert,
        )
        for a in aenderungen
    ]
    return sorted(paare, key=lambda x: (x.massnahme.code, x.organisation.kurzname if x.organisation else ""))
