"""The dashboard as of a Zeitpunkt (`read_uebersicht`): the figures of `berichte.selectors.kennzahlen`, and the
matrix, Vollständigkeit, red Ampeln, overdue Maßnahmen and Termine the page, the exports and the PDF show."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q

from berichte.selectors.ergebnisse import (
    ABGESCHLOSSEN,
    ROTE_AMPELN_NAMEN,
    TERMINE_TAGE,
    Filter,
    MassnahmeStand,
    Matrix,
    OrganisationInfo,
    RoteAmpel,
    RoteAmpelGruppe,
    Runde,
    Termin,
    Uebersicht,
    Vollstaendigkeit,
    Zelle,
)
from berichte.selectors.kennzahlen import (
    auswahl_fuer,
    handlungsfelder_aus,
    kennzahlen_aus,
    nachfiltern,
    read_organisationen,
    read_runden,
    runde_fuer,
    summieren,
    vorauswahl,
    vorfiltern,
    zelle_aus,
)
from berichte.selectors.sichtbarkeit import Sichtbarkeit
from berichte.selectors.stand import Auswahl, Zeitpunkt, read_paare
from berichte.selectors.summen import (
    Organisationssumme,
    read_gesamtsummen,
    read_letzte_meldungen,
    read_organisationssummen,
)
from massnahmen.models import Ampel, Meilenstein, Meldepflicht, Statusmeldung
from strategie.models import Strategie


def _vollstaendigkeit(
    strategie: Strategie,
    zeitpunkt: Zeitpunkt,
    massnahmen: dict[int, MassnahmeStand],
    organisationen: dict[int, OrganisationInfo],
    summen: dict[int, Organisationssumme],
    runde: Runde | None,
    letzte: dict[int, dt.datetime] | None,
    alle_massnahmen: bool,
) -> list[Vollstaendigkeit]:
    """Per Organisation what it owes and has sent for `runde`, veraltet, überfällig and its latest Meldung (`letzte`:
    as read with the figures, else read here over `massnahmen`, which are all active ones if `alle_massnahmen`)."""
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
            Meldepflicht.objects.filter(berichtsrunde_id=runde.id, massnahme_id__in=list(massnahmen))
            .annotate(bis_d=Exists(bis_d))
            .values("organisation_id")
            .annotate(geschuldet=Count("id"), eingegangen=Count("id", filter=Q(bis_d=True)))
            .order_by()
        )
        pflichten = {z["organisation_id"]: (z["geschuldet"], z["eingegangen"]) for z in zeilen}
    if letzte is None:
        letzte = read_letzte_meldungen(
            strategie=strategie, zeitpunkt=zeitpunkt, massnahme_ids=None if alle_massnahmen else list(massnahmen)
        )
    leer = Organisationssumme(0, 0, 0, 0, 0)
    return [
        Vollstaendigkeit(
            organisation=o,
            geschuldet=pflichten.get(o.id, (0, 0))[0],
            eingegangen=pflichten.get(o.id, (0, 0))[1],
            veraltet=summen.get(o.id, leer).veraltet,
            ueberfaellig=summen.get(o.id, leer).ueberfaellig,
            letzte_meldung=letzte.get(o.id),
        )
        for o in organisationen.values()
        if summen.get(o.id, leer).im_nenner or o.id in pflichten
    ]


def _termine(zeitpunkt: Zeitpunkt, massnahmen: dict[int, MassnahmeStand]) -> list[Termin]:
    von, bis = zeitpunkt.stichtag, zeitpunkt.stichtag + dt.timedelta(days=TERMINE_TAGE)
    termine = [
        Termin(m.frist, "Frist", m, m.titel)
        for m in massnahmen.values()
        if m.frist and von < m.frist <= bis and m.status not in ABGESCHLOSSEN
    ]
    for ms in (
        Meilenstein.objects.filter(massnahme_id__in=list(massnahmen), faellig_am__gt=von, faellig_am__lte=bis)
        .filter(Q(erreicht_am__isnull=True) | Q(erreicht_am__gt=von))
        .values("massnahme_id", "titel", "faellig_am")
    ):
        termine.append(Termin(ms["faellig_am"], "Meilenstein", massnahmen[ms["massnahme_id"]], ms["titel"]))
    return sorted(termine, key=lambda t: (t.datum, t.massnahme.code, t.art, t.titel))


def _rote_ampeln(
    strategie: Strategie,
    zeitpunkt: Zeitpunkt,
    massnahmen: dict[int, MassnahmeStand],
    filter: Filter,
    organisationen: dict[int, OrganisationInfo],
    sichtbarkeit: Sichtbarkeit,
) -> list[RoteAmpel]:
    """Each red Ampel in the Nenner with its Risiken, as far as the reader may read them. Two queries."""
    rote = read_paare(
        strategie=strategie,
        zeitpunkt=zeitpunkt,
        auswahl=Auswahl(frozenset(massnahmen), filter.organisation_ids, nur_rot=True),
    )
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
        m = massnahmen[p.massnahme_id]
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


def _rote_gruppen(
    massnahmen: dict[int, MassnahmeStand], namen: dict[int, list[str]], sichtbarkeit: Sichtbarkeit
) -> list[RoteAmpelGruppe]:
    """The red Ampeln one row per Maßnahme, naming the first few Organisationen the reader may see."""
    gruppen = [
        RoteAmpelGruppe(m, m.ampeln[Ampel.ROT], namen.get(k, []) if sichtbarkeit.details or m.gemeinsam else [])
        for k, m in massnahmen.items()
        if m.ampeln.get(Ampel.ROT)
    ]
    return sorted(gruppen, key=lambda g: g.massnahme.code)


def read_uebersicht(
    *,
    strategie: Strategie,
    zeitpunkt: Zeitpunkt,
    sichtbarkeit: Sichtbarkeit,
    filter: Filter = Filter(),
    vergleich: Zeitpunkt | None = None,
    runden: list[Runde] | None = None,
) -> Uebersicht:
    """The dashboard as of `zeitpunkt`. A fixed number of queries (at most nine, two more where a past Stichtag is
    read: they set the planner for the figures' query), whatever the size: the figures are summed in the database
    from one read of the pairs; the matrix reads the pairs of the rows it shows, the red Ampeln their texts only
    when asked (`Uebersicht.rote_ampeln`). Name the Zeitpunkt `vergleich` that `read_veraenderung` will compare
    with, and the same query reads what it needs (`Uebersicht.aenderungen`) where the Maßnahmen compared are known
    before the figures (no status or Ampel filter). `runden`: the strategy's Berichtsrunden, when the caller has
    read them already (`read_runden`)."""
    filter = filter.fuer(sichtbarkeit.details)
    massnahmen = vorfiltern(strategie, filter, zeitpunkt)
    auswahl = vorauswahl(massnahmen, filter)
    if not sichtbarkeit.details or filter != filter.ohne_auswahl():
        vergleich = None  # read_veraenderung reads what it compares itself
    gesamt = read_gesamtsummen(
        strategie=strategie,
        zeitpunkt=zeitpunkt,
        auswahl=auswahl,
        je_massnahme=ROTE_AMPELN_NAMEN,
        vergleich=vergleich,
        # over the Maßnahmen before the status and Ampel filter: where it leaves others, `_vollstaendigkeit` reads
        letzte_meldungen=sichtbarkeit.details and not (filter.status or filter.ampel),
    )
    summieren(massnahmen, gesamt.summen, zeitpunkt.stichtag)
    massnahmen = nachfiltern(massnahmen, filter)
    liste = list(massnahmen.values())
    organisationen = read_organisationen(strategie)
    runden = read_runden(strategie) if runden is None else runden
    runde = runde_fuer(runden, zeitpunkt.stichtag)
    matrix = None
    vollstaendigkeit: list[Vollstaendigkeit] = []
    if sichtbarkeit.details:
        spalten = [m for m in liste if not m.gemeinsam]
        organisationssummen = gesamt.organisationen
        if filter.status or filter.ampel:  # over the Maßnahmen left by the filter only
            organisationssummen = read_organisationssummen(
                strategie=strategie,
                zeitpunkt=zeitpunkt,
                auswahl=auswahl_fuer([m.id for m in spalten], filter),
            )
        summen = {s.organisation_id: s for s in organisationssummen}
        matrix = Matrix(
            massnahmen=spalten,
            organisationen=[o for o in organisationen.values() if o.id in summen],
            lade_zellen=lambda ids: _matrixzellen(strategie, zeitpunkt, spalten, filter, ids),
        )
        vollstaendigkeit = _vollstaendigkeit(
            strategie,
            zeitpunkt,
            massnahmen,
            organisationen,
            summen,
            runde,
            gesamt.letzte_meldungen,
            alle_massnahmen=auswahl.massnahme_ids is None and not (filter.status or filter.ampel),
        )
    return Uebersicht(
        strategie_id=strategie.pk,
        zeitpunkt=zeitpunkt,
        filter=filter,
        details=sichtbarkeit.details,
        kennzahlen=kennzahlen_aus(liste),
        handlungsfelder=handlungsfelder_aus(strategie, liste),
        massnahmen=liste,
        matrix=matrix,
        vollstaendigkeit=vollstaendigkeit,
        runde=runde,
        runden=runden,
        rote_ampeln_anzahl=sum(m.ampeln.get(Ampel.ROT, 0) for m in liste),
        lade_rote_ampeln=lambda: _rote_ampeln(strategie, zeitpunkt, massnahmen, filter, organisationen, sichtbarkeit),
        lade_rote_gruppen=lambda: _rote_gruppen(massnahmen, gesamt.rote_namen, sichtbarkeit),
        ueberfaellige=[m for m in liste if m.ueberfaellig],
        termine=_termine(zeitpunkt, massnahmen),
        aenderungen=None if vergleich is None else (vergleich, gesamt.aenderungen),
    )


def _matrixzellen(
    strategie: Strategie,
    zeitpunkt: Zeitpunkt,
    spalten: list[MassnahmeStand],
    filter: Filter,
    organisation_ids: list[int] | None,
) -> dict[tuple[int, int], Zelle]:
    """The matrix cells of these rows (None: of all rows). One query."""
    if organisation_ids is not None and filter.organisation_ids is not None:
        organisation_ids = [o for o in organisation_ids if o in filter.organisation_ids]
    paare = read_paare(
        strategie=strategie,
        zeitpunkt=zeitpunkt,
        auswahl=Auswahl(
            frozenset(m.id for m in spalten),
            filter.organisation_ids if organisation_ids is None else frozenset(organisation_ids),
        ),
    )
    return {(p.massnahme_id, p.organisation_id): zelle_aus(p) for p in paare if p.organisation_id is not None}
