"""Figures as of a Zeitpunkt, derived from the pairs of `stand.read_paare` by the rules in ZAEHLREGELN.

Everything returned is a plain dataclass that the dashboard, the Organisationsprofil, the exports and the
PDF render; nothing here knows a user or a request: the caller passes a `Sichtbarkeit` from
`berichte.policies.sichtbarkeit_fuer`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.db.models import Count, Exists, OuterRef, Q, Subquery

from berichte.selectors.ergebnisse import (
    ABGESCHLOSSEN,
    KEINE_MELDUNG,
    NICHT_BETEILIGT,
    STATUSFOLGE,
    TERMINE_TAGE,
    Filter,
    HandlungsfeldStand,
    Kennzahlen,
    MassnahmeStand,
    Matrix,
    OrganisationInfo,
    RoteAmpel,
    Runde,
    Stand,
    Termin,
    Uebersicht,
    Vollstaendigkeit,
    Zelle,
)
from berichte.selectors.sichtbarkeit import Sichtbarkeit
from berichte.selectors.stand import Paar, Zeitpunkt, read_paare
from massnahmen.models import Ampel, Berichtsrunde, Massnahme, Meilenstein, Meldepflicht, Status, Statusmeldung
from strategie.models import Organisation, Strategie


def _gesamtstatus(verteilung: Counter, nenner: int, entfallen: int) -> str:
    if nenner == 0:
        return Status.ENTFAELLT if entfallen else Status.NICHT_BEGONNEN
    if verteilung[Status.UMGESETZT] >= nenner:
        return Status.UMGESETZT
    if verteilung[Status.IN_UMSETZUNG] or verteilung[Status.UMGESETZT]:
        return Status.IN_UMSETZUNG
    if verteilung[Status.IN_PLANUNG]:
        return Status.IN_PLANUNG
    if verteilung[Status.ZURUECKGESTELLT] >= nenner:
        return Status.ZURUECKGESTELLT
    return Status.NICHT_BEGONNEN


def zelle_fuer(paar: Paar, *, stichtag: dt.date, intervall_tage: int) -> Zelle:
    """How one pair stands: the rules of ZAEHLREGELN for a single Organisation."""
    if paar.beteiligung_entfaellt:  # declared, even before its `seit`
        zustand = Status.ENTFAELLT
    elif not paar.gemeinsam and paar.seit is not None and paar.seit > stichtag:
        zustand = NICHT_BETEILIGT
    elif paar.status == Status.ENTFAELLT:
        zustand = Status.ENTFAELLT
    else:
        zustand = paar.status or KEINE_MELDUNG
    veraltet = bool(
        paar.stichtag
        and zustand not in ABGESCHLOSSEN
        and zustand != NICHT_BETEILIGT
        and paar.stichtag < stichtag - dt.timedelta(days=intervall_tage)
    )
    return Zelle(
        zustand=zustand,
        fortschritt=paar.fortschritt,
        ampel=paar.ampel,
        stichtag=paar.stichtag,
        veraltet=veraltet,
        im_nenner=zustand not in (Status.ENTFAELLT, NICHT_BETEILIGT),
    )


def organisation_info(o: Organisation) -> OrganisationInfo:
    return OrganisationInfo(o.pk, o.kennung, o.kurzname, o.name, o.art, o.get_art_display())


def _organisationen(strategie: Strategie) -> dict[int, OrganisationInfo]:
    arten = dict(Organisation.Art.choices)
    zeilen = Organisation.objects.filter(Q(strategien=strategie) | Q(pk=strategie.traeger_id)).distinct()
    return {
        o["id"]: OrganisationInfo(o["id"], o["kennung"], o["kurzname"], o["name"], o["art"], str(arten[o["art"]]))
        for o in zeilen.order_by("kurzname", "kennung").values("id", "kennung", "kurzname", "name", "art")
    }


def _massnahmen(strategie: Strategie) -> dict[int, MassnahmeStand]:
    zeilen = (
        Massnahme.objects.filter(strategie=strategie, is_archived=False)
        .order_by("handlungsfeld__ordnung", "ordnung")
        .values(
            "id",
            "code",
            "titel",
            "handlungsfeld_id",
            "handlungsfeld__nummer",
            "umsetzungsart",
            "beginn",
            "frist",
            "frist_herkunft",
        )
    )
    return {
        m["id"]: MassnahmeStand(
            id=m["id"],
            code=m["code"],
            titel=m["titel"],
            handlungsfeld_id=m["handlungsfeld_id"],
            handlungsfeld_nummer=m["handlungsfeld__nummer"],
            gemeinsam=m["umsetzungsart"] == Massnahme.Umsetzungsart.GEMEINSAM,
            beginn=m["beginn"],
            frist=m["frist"],
            frist_herkunft=m["frist_herkunft"],
        )
        for m in zeilen
    }


_AMPEL_RANG = {Ampel.ROT: 3, Ampel.GELB: 2, Ampel.GRUEN: 1, "": 0}


def read_stand(*, strategie: Strategie, zeitpunkt: Zeitpunkt, filter: Filter = Filter()) -> Stand:
    """Pairs and per-Maßnahme figures as of `zeitpunkt` under `filter`. Two queries."""
    massnahmen = _massnahmen(strategie)
    paare = read_paare(strategie_id=strategie.pk, zeitpunkt=zeitpunkt)
    if filter.handlungsfeld_ids:
        massnahmen = {k: m for k, m in massnahmen.items() if m.handlungsfeld_id in filter.handlungsfeld_ids}
    if filter.organisation_ids is not None:
        massnahmen = {k: m for k, m in massnahmen.items() if not m.gemeinsam}
        paare = [p for p in paare if p.organisation_id in filter.organisation_ids]
    paare = [p for p in paare if p.massnahme_id in massnahmen]
    stichtag, intervall = zeitpunkt.stichtag, strategie.berichtsintervall_tage
    zellen: dict[tuple[int, int | None], Zelle] = {}
    verteilungen: dict[int, Counter] = defaultdict(Counter)
    ampeln: dict[int, Counter] = defaultdict(Counter)
    fortschritte: dict[int, int] = defaultdict(int)
    for paar in paare:
        zelle = zelle_fuer(paar, stichtag=stichtag, intervall_tage=intervall)
        zellen[(paar.massnahme_id, paar.organisation_id)] = zelle
        m = massnahmen[paar.massnahme_id]
        if zelle.zustand == NICHT_BETEILIGT:
            m.noch_nicht_beteiligt += 1
            continue
        if zelle.zustand == Status.ENTFAELLT:
            m.entfallen += 1
            continue
        m.nenner += 1
        verteilungen[m.id][zelle.zustand] += 1
        fortschritte[m.id] += zelle.fortschritt or 0
        m.veraltet += zelle.veraltet
        if zelle.ampel:
            ampeln[m.id][zelle.ampel] += 1
            if _AMPEL_RANG[zelle.ampel] > _AMPEL_RANG[m.ampel]:
                m.ampel = zelle.ampel
    for m in massnahmen.values():
        verteilung = verteilungen[m.id]
        m.verteilung, m.ampeln = dict(verteilung), dict(ampeln[m.id])
        m.umgesetzt = verteilung[Status.UMGESETZT]
        m.status = _gesamtstatus(verteilung, m.nenner, m.entfallen)
        m.fortschritt = round(fortschritte[m.id] / m.nenner) if m.nenner else (100 if m.entfallen else 0)
        m.ueberfaellig = bool(m.frist and m.frist < stichtag and m.status not in ABGESCHLOSSEN)
    if filter.status:
        massnahmen = {k: m for k, m in massnahmen.items() if m.status == filter.status}
    if filter.ampel:
        massnahmen = {k: m for k, m in massnahmen.items() if m.ampeln.get(filter.ampel)}
    if filter.status or filter.ampel:
        zellen = {k: z for k, z in zellen.items() if k[0] in massnahmen}
        paare = [p for p in paare if p.massnahme_id in massnahmen]
    return Stand(zeitpunkt=zeitpunkt, massnahmen=massnahmen, zellen=zellen, paare=paare)


def kennzahlen_aus(massnahmen: list[MassnahmeStand]) -> Kennzahlen:
    k = Kennzahlen(massnahmen=len(massnahmen))
    status = Counter(m.status for m in massnahmen)
    k.nach_status = {s: status[s] for s in STATUSFOLGE}
    k.ueberfaellig = sum(m.ueberfaellig for m in massnahmen)
    k.veraltet = sum(m.veraltet > 0 for m in massnahmen)
    k.je_organisation = sum(not m.gemeinsam for m in massnahmen)
    k.paare_nenner = sum(m.nenner for m in massnahmen if not m.gemeinsam)
    k.paare_umgesetzt = sum(m.umgesetzt for m in massnahmen if not m.gemeinsam)
    return k


def _handlungsfelder(strategie: Strategie, massnahmen: list[MassnahmeStand]) -> list[HandlungsfeldStand]:
    felder = {
        h["id"]: HandlungsfeldStand(h["id"], h["nummer"], h["titel"])
        for h in strategie.handlungsfelder.order_by("ordnung").values("id", "nummer", "titel")
    }
    summen: dict[int, int] = defaultdict(int)
    for m in massnahmen:
        if m.handlungsfeld_id is None:  # a Maßnahme of the strategy as a whole counts in no Handlungsfeld
            continue
        hf = felder[m.handlungsfeld_id]
        hf.massnahmen += 1
        hf.nach_status[m.status] = hf.nach_status.get(m.status, 0) + 1
        hf.umgesetzt += m.status == Status.UMGESETZT
        hf.ueberfaellig += m.ueberfaellig
        summen[hf.id] += m.fortschritt
    for hf in felder.values():
        hf.nach_status = {s: hf.nach_status.get(s, 0) for s in STATUSFOLGE}
        hf.fortschritt = round(summen[hf.id] / hf.massnahmen) if hf.massnahmen else 0
    return [hf for hf in felder.values() if hf.massnahmen]


def _runden(strategie: Strategie) -> list[Runde]:
    return [
        Runde(r["id"], r["titel"], r["stichtag"], r["zustand"] == Berichtsrunde.Zustand.OFFEN)
        for r in Berichtsrunde.objects.filter(strategie=strategie)
        .order_by("-stichtag")
        .values("id", "titel", "stichtag", "zustand")
    ]


def runde_fuer(runden: list[Runde], stichtag: dt.date) -> Runde | None:
    """The round whose completeness a view as of `stichtag` shows: the latest with its Stichtag not after it."""
    return next((r for r in runden if r.stichtag <= stichtag), None)


def vorige_runde(runden: list[Runde], stichtag: dt.date) -> Runde | None:
    """The round before `stichtag`: the default of "Veränderung seit"."""
    return next((r for r in runden if r.stichtag < stichtag), None)


def _vollstaendigkeit(
    stand: Stand,
    organisationen: dict[int, OrganisationInfo],
    runde: Runde | None,
) -> list[Vollstaendigkeit]:
    zeitpunkt = stand.zeitpunkt
    pflichten: dict[int, tuple[int, int]] = {}
    if runde is not None:
        # received by D: any Meldung the round holds for the pair, gemeldet up to D (the Meldepflicht itself points to
        # the latest one, which may be a correction written after D)
        bis_d = Statusmeldung.objects.filter(
            berichtsrunde_id=runde.id,
            massnahme_id=OuterRef("massnahme_id"),
            organisation_id=OuterRef("organisation_id"),
            gemeldet_am__lte=zeitpunkt.datenstand,
        )
        zeilen = (
            Meldepflicht.objects.filter(berichtsrunde_id=runde.id, massnahme_id__in=list(stand.massnahmen))
            .annotate(bis_d=Exists(bis_d))
            .values("organisation_id")
            .annotate(geschuldet=Count("id"), eingegangen=Count("id", filter=Q(bis_d=True)))
            .order_by()
        )
        pflichten = {z["organisation_id"]: (z["geschuldet"], z["eingegangen"]) for z in zeilen}
    # per Organisation one probe down the index (organisation, -gemeldet_am): today's view stays flat in history
    neueste = Statusmeldung.objects.filter(
        organisation_id=OuterRef("pk"),
        massnahme_id__in=list(stand.massnahmen),
        stichtag__lte=zeitpunkt.stichtag,
        gemeldet_am__lte=zeitpunkt.datenstand,
    ).order_by("-gemeldet_am")
    letzte = dict(
        Organisation.objects.filter(pk__in=list(organisationen))
        .annotate(letzte=Subquery(neueste.values("gemeldet_am")[:1]))
        .values_list("pk", "letzte")
    )
    veraltet: Counter = Counter()
    ueberfaellig: Counter = Counter()
    beteiligt: set[int] = set()
    for (massnahme_id, organisation_id), zelle in stand.zellen.items():
        if organisation_id is None or not zelle.im_nenner or stand.massnahmen[massnahme_id].gemeinsam:
            continue
        beteiligt.add(organisation_id)
        veraltet[organisation_id] += zelle.veraltet
        m = stand.massnahmen[massnahme_id]
        offen = zelle.zustand not in ABGESCHLOSSEN
        ueberfaellig[organisation_id] += bool(m.frist and m.frist < zeitpunkt.stichtag and offen)
    return [
        Vollstaendigkeit(
            organisation=o,
            geschuldet=pflichten.get(o.id, (0, 0))[0],
            eingegangen=pflichten.get(o.id, (0, 0))[1],
            veraltet=veraltet[o.id],
            ueberfaellig=ueberfaellig[o.id],
            letzte_meldung=letzte.get(o.id),
        )
        for o in organisationen.values()
        if o.id in beteiligt or o.id in pflichten
    ]


def _termine(stand: Stand) -> list[Termin]:
    von, bis = stand.zeitpunkt.stichtag, stand.zeitpunkt.stichtag + dt.timedelta(days=TERMINE_TAGE)
    termine = [
        Termin(m.frist, "Frist", m, m.titel)
        for m in stand.massnahmen.values()
        if m.frist and von < m.frist <= bis and m.status not in ABGESCHLOSSEN
    ]
    for ms in (
        Meilenstein.objects.filter(massnahme_id__in=list(stand.massnahmen), faellig_am__gt=von, faellig_am__lte=bis)
        .filter(Q(erreicht_am__isnull=True) | Q(erreicht_am__gt=von))
        .values("massnahme_id", "titel", "faellig_am")
    ):
        termine.append(Termin(ms["faellig_am"], "Meilenstein", stand.massnahmen[ms["massnahme_id"]], ms["titel"]))
    return sorted(termine, key=lambda t: (t.datum, t.massnahme.code, t.art, t.titel))


def _rote_ampeln(
    stand: Stand, organisationen: dict[int, OrganisationInfo], sichtbarkeit: Sichtbarkeit
) -> list[RoteAmpel]:
    zellen = stand.zellen
    rote = [p for p in stand.paare if p.ampel == Ampel.ROT and zellen[(p.massnahme_id, p.organisation_id)].im_nenner]
    texte = {}
    if rote:
        texte = {
            t["id"]: t
            for t in Statusmeldung.objects.filter(pk__in=[p.meldung_id for p in rote]).values(
                "id", "risiken", "text", "vertraulich", "organisation_id"
            )
        }
    liste = []
    for p in rote:
        m = stand.massnahmen[p.massnahme_id]
        zeigen = sichtbarkeit.details or m.gemeinsam
        text = texte.get(p.meldung_id, {})
        lesbar = zeigen and sichtbarkeit.darf_text_lesen(p.organisation_id, bool(text.get("vertraulich")))
        liste.append(
            RoteAmpel(
                massnahme=m,
                organisation=organisationen.get(p.organisation_id) if zeigen else None,
                risiken=(text.get("risiken") or None) if lesbar else None,
                vertraulich=bool(text.get("vertraulich")),
                sachstand=(text.get("text") or None) if lesbar else None,
                stichtag=p.stichtag,
            )
        )
    return sorted(liste, key=lambda r: (r.massnahme.code, r.organisation.kurzname if r.organisation else ""))


def read_uebersicht(
    *, strategie: Strategie, zeitpunkt: Zeitpunkt, sichtbarkeit: Sichtbarkeit, filter: Filter = Filter()
) -> Uebersicht:
    """The dashboard as of `zeitpunkt`. A fixed number of queries (at most eight), whatever the size."""
    if not sichtbarkeit.details:
        filter = Filter(handlungsfeld_ids=filter.handlungsfeld_ids, status=filter.status, ampel=filter.ampel)
    stand = read_stand(strategie=strategie, zeitpunkt=zeitpunkt, filter=filter)
    organisationen = _organisationen(strategie)
    massnahmen = list(stand.massnahmen.values())
    runden = _runden(strategie)
    runde = runde_fuer(runden, zeitpunkt.stichtag)
    matrix = None
    vollstaendigkeit: list[Vollstaendigkeit] = []
    if sichtbarkeit.details:
        matrix = _matrix(stand, organisationen, filter)
        vollstaendigkeit = _vollstaendigkeit(stand, organisationen, runde)
    return Uebersicht(
        strategie_id=strategie.pk,
        zeitpunkt=zeitpunkt,
        filter=filter,
        details=sichtbarkeit.details,
        kennzahlen=kennzahlen_aus(massnahmen),
        handlungsfelder=_handlungsfelder(strategie, massnahmen),
        massnahmen=massnahmen,
        matrix=matrix,
        vollstaendigkeit=vollstaendigkeit,
        runde=runde,
        runden=runden,
        rote_ampeln=_rote_ampeln(stand, organisationen, sichtbarkeit),
        ueberfaellige=[m for m in massnahmen if m.ueberfaellig],
        termine=_termine(stand),
    )


def _matrix(stand: Stand, organisationen: dict[int, OrganisationInfo], filter: Filter) -> Matrix:
    spalten = [m for m in stand.massnahmen.values() if not m.gemeinsam]
    ids = {m.id for m in spalten}
    zellen = {(m, o): z for (m, o), z in stand.zellen.items() if o is not None and m in ids}
    mit_zeilen = {o for (_, o) in zellen}
    zeilen = [o for o in organisationen.values() if o.id in mit_zeilen]
    return Matrix(massnahmen=spalten, organisationen=zeilen, zellen=zellen)
