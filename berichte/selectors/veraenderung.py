"""What changed between two Zeitpunkte: per Maßnahme, per pair, new red Ampeln, newly overdue."""

from __future__ import annotations

from collections import Counter

from berichte.selectors.ergebnisse import (
    KEINE_MELDUNG,
    NICHT_BETEILIGT,
    Aenderung,
    Filter,
    MassnahmeStand,
    Veraenderung,
    Zelle,
)
from berichte.selectors.kennzahlen import (
    read_organisationen,
    read_stand,
)
from berichte.selectors.sichtbarkeit import Sichtbarkeit
from berichte.selectors.stand import Zeitpunkt
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
) -> Veraenderung:
    """What changed between two Zeitpunkte (usually the previous round's Stichtag and now). Five queries."""
    if not sichtbarkeit.details:
        filter = Filter(handlungsfeld_ids=filter.handlungsfeld_ids, status=filter.status, ampel=filter.ampel)
    ohne_auswahl = Filter(handlungsfeld_ids=filter.handlungsfeld_ids, organisation_ids=filter.organisation_ids)
    vorher = read_stand(strategie=strategie, zeitpunkt=seit, filter=ohne_auswahl)
    nachher = read_stand(strategie=strategie, zeitpunkt=bis, filter=filter)
    organisationen = read_organisationen(strategie)
    massnahmen_aenderungen, neue_rote, neu_ueberfaellig = [], [], []
    je_hf: Counter = Counter()
    for m in nachher.massnahmen.values():
        alt = vorher.massnahmen.get(m.id)
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
    paare: list[Aenderung] = []
    je_org: Counter = Counter()
    if sichtbarkeit.details:
        for (massnahme_id, organisation_id), n in nachher.zellen.items():
            m = nachher.massnahmen.get(massnahme_id)
            if m is None or m.gemeinsam or organisation_id is None:
                continue
            a = vorher.zellen.get((massnahme_id, organisation_id))
            status = a is None or a.zustand != n.zustand
            ampel = a is not None and a.ampel != n.ampel
            fortschritt = a is not None and a.fortschritt != n.fortschritt
            if a is None and n.zustand in (KEINE_MELDUNG, NICHT_BETEILIGT):
                continue
            if status or ampel or fortschritt:
                paare.append(Aenderung(m, organisationen.get(organisation_id), a, n, status, ampel, fortschritt))
                je_org[organisation_id] += 1
        paare.sort(key=lambda x: (x.massnahme.code, x.organisation.kurzname if x.organisation else ""))
    return Veraenderung(
        seit=seit,
        bis=bis,
        massnahmen=massnahmen_aenderungen,
        paare=paare,
        neue_rote=neue_rote,
        neu_ueberfaellig=neu_ueberfaellig,
        je_handlungsfeld=dict(je_hf),
        je_organisation=[(organisationen[o], je_org[o]) for o in organisationen if je_org[o]],
    )
