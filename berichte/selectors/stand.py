"""The one read path: the state of every Maßnahme × Organisation pair "as of Stichtag S with Datenstand D".

The SQL (`berichte.selectors.sql`) gives each pair with its Zustand by the rules of ZAEHLREGELN. It is read per
pair (`read_paare`: the matrix page, the profile, the change between two Zeitpunkte, the exports) or summed in
the database (`read_summen` per Maßnahme, Zustand and Ampel; `read_organisationssummen` per Organisation;
`read_gesamtsummen` both, and the names beside red Ampeln, from one read of the pairs), so the dashboard of a
national strategy does not carry 80,000 pairs through Python. Every figure is derived from these rows in
`berichte.selectors.kennzahlen`, so no two figures follow different rules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from berichte.selectors import sql
from massnahmen.models import Ampel
from strategie.models import Strategie


@dataclass(frozen=True)
class Zeitpunkt:
    """Stichtag S (a day) and Datenstand D (an instant: only Meldungen gemeldet up to it count).

    `jetzt` says that D is "now": every Meldung recorded so far counts, so the Meldungsverlauf answers for any S,
    and for S not in the past (`live`) the current-state tables. A Zeitpunkt with a recorded Datenstand (a
    Bericht's) is neither: Meldungen written after it must not count, however soon after D the question comes.
    """

    stichtag: dt.date
    datenstand: dt.datetime
    live: bool = False
    jetzt: bool = False

    @classmethod
    def heute(cls) -> Zeitpunkt:
        return cls(stichtag=timezone.localdate(), datenstand=timezone.now(), live=True, jetzt=True)

    @classmethod
    def am(cls, stichtag: dt.date, datenstand: dt.datetime | None = None) -> Zeitpunkt:
        if datenstand is None:
            jetzt = timezone.now()
            return cls(stichtag, jetzt, live=stichtag >= timezone.localdate(jetzt), jetzt=True)
        return cls(stichtag=stichtag, datenstand=datenstand)

    def mit_stichtag(self, stichtag: dt.date) -> Zeitpunkt:
        """Another Stichtag with the same Datenstand (a comparison's)."""
        live = self.jetzt and stichtag >= timezone.localdate(self.datenstand)
        return Zeitpunkt(stichtag, self.datenstand, live=live, jetzt=self.jetzt)

    @property
    def stichtag_ende(self) -> dt.datetime:
        """The first instant after the Stichtag, in the portal's time zone."""
        naechster = dt.datetime.combine(self.stichtag + dt.timedelta(days=1), dt.time())
        return timezone.make_aware(naechster)

    @property
    def ist_aktuell(self) -> bool:
        """Whether the current-state tables answer it (see `live`)."""
        return self.live


@dataclass(frozen=True)
class Paar:
    """One Maßnahme × Organisation pair as of a Zeitpunkt (for a gemeinsame Maßnahme: its one joint state,
    `organisation_id` the reporting Organisation or None while nothing is reported)."""

    massnahme_id: int
    organisation_id: int | None
    gemeinsam: bool
    seit: dt.date | None = None  # Beteiligung: joined on (None: from the start)
    beteiligung_entfaellt: bool = False
    meldung_id: int | None = None
    stichtag: dt.date | None = None
    gemeldet_am: dt.datetime | None = None
    status: str = ""
    fortschritt: int | None = None
    ampel: str = ""
    zustand: str = sql.KEINE_MELDUNG  # a Status value, KEINE_MELDUNG or NICHT_BETEILIGT
    im_nenner: bool = True
    veraltet: bool = False


def _datum(wert) -> dt.date | None:
    if wert is None or isinstance(wert, dt.date):
        return wert
    return dt.date.fromisoformat(str(wert)[:10])  # SQLite hands back text from a UNION


def _zeitpunkt(wert) -> dt.datetime | None:
    if wert is None or isinstance(wert, dt.datetime):
        return wert
    wert = dt.datetime.fromisoformat(str(wert))  # SQLite: text in UTC
    return wert if timezone.is_aware(wert) else timezone.make_aware(wert, dt.UTC)


@dataclass(frozen=True)
class Auswahl:
    """Which pairs a read covers: all of the strategy's active Maßnahmen, or only these Maßnahmen and these
    Organisationen (None: no restriction)."""

    massnahme_ids: frozenset[int] | None = None
    organisation_ids: frozenset[int] | None = None
    nur_rot: bool = False  # only pairs in the Nenner with a red Ampel


ALLE_PAARE = Auswahl()


def _lesung(
    *, strategie: Strategie, zeitpunkt: Zeitpunkt, auswahl: Auswahl, aus_historie=None, verlauf=None
) -> tuple[str, str, dict]:
    """The pairs as of `zeitpunkt` (SQL), the condition `auswahl` sets on them (alias `z`) and the parameters.
    `aus_historie` and `verlauf` force a path (tests compare them); by default the fastest that answers."""
    if aus_historie is None:
        aus_historie = not zeitpunkt.ist_aktuell
    if verlauf is None:
        verlauf = zeitpunkt.jetzt
    parameter = sql.parameter(
        strategie_id=strategie.pk,
        stichtag=zeitpunkt.stichtag,
        stichtag_ende=zeitpunkt.stichtag_ende,
        datenstand=zeitpunkt.datenstand,
        intervall_tage=strategie.berichtsintervall_tage,
    )
    bedingungen = ["1 = 1"]
    if auswahl.massnahme_ids is not None:
        bedingungen.append(sql.in_liste("z.massnahme_id", sorted(auswahl.massnahme_ids), parameter, "mid"))
    if auswahl.organisation_ids is not None:
        bedingungen.append(sql.in_liste("z.organisation_id", sorted(auswahl.organisation_ids), parameter, "oid"))
    if auswahl.nur_rot:
        parameter["rot"] = Ampel.ROT.value
        bedingungen.append(sql.ROT_IM_NENNER)
    return sql.zellen(aus_historie=aus_historie, verlauf=verlauf), " AND ".join(bedingungen), parameter


def _abfragen(text: str, parameter: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(text, parameter)
        return cursor.fetchall()


def _ausfuehren(
    art: str,
    *,
    strategie: Strategie,
    zeitpunkt: Zeitpunkt,
    auswahl: Auswahl,
    aus_historie=None,
    verlauf=None,
) -> list[tuple]:
    zellen, wo, parameter = _lesung(
        strategie=strategie,
        zeitpunkt=zeitpunkt,
        auswahl=auswahl,
        aus_historie=aus_historie,
        verlauf=verlauf,
    )
    return _abfragen(sql.abfrage(art, zellen=zellen, wo=wo), parameter)


@dataclass(frozen=True)
class Aenderungssummen:
    vorher: list[Summe]  # the pairs in the earlier reading's Auswahl, summed as `read_summen` does
    je_organisation: dict[int, int]  # Organisation -> its changed pairs


def _zwei_lesungen(
    *,
    strategie: Strategie,
    seit: Zeitpunkt,
    bis: Zeitpunkt,
    auswahl_vorher: Auswahl,
    auswahl: Auswahl,
    paarweise: bool,
) -> list[tuple]:
    nachher, wo, parameter = _lesung(strategie=strategie, zeitpunkt=bis, auswahl=auswahl)
    vorher, wo_vorher, parameter_vorher = _lesung(strategie=strategie, zeitpunkt=seit, auswahl=auswahl_vorher)
    text = sql.aenderungen(nachher=nachher, wo=wo, vorher=vorher, wo_vorher=wo_vorher, paarweise=paarweise)
    return _abfragen(text, _mit_vorher(parameter, parameter_vorher))


def _mit_vorher(parameter: dict, parameter_vorher: dict) -> dict:
    return {**parameter, **{sql.VORHER + k: v for k, v in parameter_vorher.items()}}


def _zerlegen(zeilen) -> dict[str, list]:
    """The rows of the summed statements by their first column: "s"/"vs" a Summe (now/earlier), "o" an
    Organisationssumme, "r" (Maßnahme, rank, Kurzname), "vo" (Organisation, changed pairs)."""
    teile: dict[str, list] = {"s": [], "o": [], "r": [], "vs": [], "vo": []}
    for art, schluessel, text, ampel, a, b, c, d in zeilen:
        if art in ("s", "vs"):
            teile[art].append(Summe.aus_zeile(schluessel, text, ampel, a, b, c))
        elif art == "o":
            teile[art].append(Organisationssumme.aus_zeile(schluessel, a, b, c, d))
        elif art == "r":
            teile[art].append((schluessel, int(a), text))
        else:
            teile[art].append((schluessel, int(a)))
    return teile


def read_aenderungssummen(
    *,
    strategie: Strategie,
    seit: Zeitpunkt,
    bis: Zeitpunkt,
    auswahl_vorher: Auswahl,
    auswahl: Auswahl,
) -> Aenderungssummen:
    """The pairs as of `seit` in `auswahl_vorher` summed, and per Organisation how many of its pairs in `auswahl`
    (Maßnahmen je Organisation) changed Zustand, Ampel or Fortschritt between `seit` and `bis`; a pair that is new
    at `bis` counts once it has a Meldung. One query, reading each Zeitpunkt once."""
    teile = _zerlegen(
        _zwei_lesungen(
            strategie=strategie,
            seit=seit,
            bis=bis,
            auswahl_vorher=auswahl_vorher,
            auswahl=auswahl,
            paarweise=False,
        )
    )
    return Aenderungssummen(teile["vs"], dict(teile["vo"]))


@dataclass(frozen=True)
class Paaraenderung:
    """One pair je Organisation that changed between two Zeitpunkte, as `read_aenderungssummen` counts it."""

    nachher: Paar
    vorher: Paar | None  # None: the pair is new
    status_geaendert: bool
    ampel_geaendert: bool
    fortschritt_geaendert: bool


def read_paaraenderungen(
    *,
    strategie: Strategie,
    seit: Zeitpunkt,
    bis: Zeitpunkt,
    auswahl_vorher: Auswahl,
    auswahl: Auswahl,
) -> list[Paaraenderung]:
    """Each pair that `read_aenderungssummen` counts, with both states. One query."""

    def paar(m, o, zustand, fortschritt, ampel, stichtag, veraltet, im_nenner) -> Paar:
        return Paar(
            massnahme_id=m,
            organisation_id=o,
            gemeinsam=False,
            stichtag=_datum(stichtag),
            fortschritt=fortschritt,
            ampel=ampel or "",
            zustand=zustand,
            im_nenner=bool(im_nenner),
            veraltet=bool(veraltet),
        )

    return [
        Paaraenderung(
            nachher=paar(*z[:8]),
            vorher=None if z[14] else paar(z[0], z[1], *z[8:14]),
            status_geaendert=bool(z[15]),
            ampel_geaendert=bool(z[16]),
            fortschritt_geaendert=bool(z[17]),
        )
        for z in _zwei_lesungen(
            strategie=strategie,
            seit=seit,
            bis=bis,
            auswahl_vorher=auswahl_vorher,
            auswahl=auswahl,
            paarweise=True,
        )
    ]


def read_paare(
    *,
    strategie: Strategie,
    zeitpunkt: Zeitpunkt,
    auswahl: Auswahl = ALLE_PAARE,
    aus_historie: bool | None = None,
    verlauf: bool | None = None,
) -> list[Paar]:
    """The pairs of the strategy's active Maßnahmen as of `zeitpunkt` in `auswahl`, in one query.

    Rows for Organisationen whose Beteiligung begins after S or entfällt are included (the matrix shows them
    as such). `aus_historie` and `verlauf` force a path (tests compare them); by default today's view reads the
    current-state tables and any other view with D = now the Meldungsverlauf.
    """
    zeilen = _ausfuehren(
        "paare",
        strategie=strategie,
        zeitpunkt=zeitpunkt,
        auswahl=auswahl,
        aus_historie=aus_historie,
        verlauf=verlauf,
    )
    return [
        Paar(
            massnahme_id=z[0],
            organisation_id=z[1],
            gemeinsam=bool(z[2]),
            seit=_datum(z[3]),
            beteiligung_entfaellt=bool(z[4]),
            meldung_id=z[5],
            stichtag=_datum(z[6]),
            gemeldet_am=_zeitpunkt(z[7]),
            status=z[8] or "",
            fortschritt=z[9],
            ampel=z[10] or "",
            zustand=z[11],
            im_nenner=bool(z[12]),
            veraltet=bool(z[13]),
        )
        for z in zeilen
    ]


@dataclass(frozen=True)
class Summe:
    """The pairs of one Maßnahme in one Zustand with one Ampel: how many, their Fortschritt summed (a missing
    figure counting 0), how many of them are veraltet."""

    massnahme_id: int
    zustand: str
    ampel: str
    anzahl: int
    fortschritt: int
    veraltet: int

    @classmethod
    def aus_zeile(cls, massnahme_id, zustand, ampel, anzahl, fortschritt, veraltet) -> Summe:
        """From a row of the SQL's "summen" shape (SQLite and PostgreSQL hand back sums as NULL or Decimal)."""
        return cls(massnahme_id, zustand, ampel or "", int(anzahl), int(fortschritt or 0), int(veraltet or 0))


def read_summen(*, strategie: Strategie, zeitpunkt: Zeitpunkt, auswahl: Auswahl) -> list[Summe]:
    """The pairs in `auswahl` summed per Maßnahme, Zustand and Ampel in the database: one query."""
    zeilen = _ausfuehren("summen", strategie=strategie, zeitpunkt=zeitpunkt, auswahl=auswahl)
    return [Summe.aus_zeile(*zeile) for zeile in zeilen]


@dataclass(frozen=True)
class Organisationssumme:
    """The pairs of one Organisation over Maßnahmen je Organisation: all (the matrix shows a row), in the
    Nenner, veraltet, and überfällig (open after the Maßnahme's Frist)."""

    organisation_id: int
    paare: int
    im_nenner: int
    veraltet: int
    ueberfaellig: int

    @classmethod
    def aus_zeile(cls, organisation_id, paare, im_nenner, veraltet, ueberfaellig) -> Organisationssumme:
        """From a row of the SQL's "organisationen" shape."""
        return cls(organisation_id, int(paare), int(im_nenner or 0), int(veraltet or 0), int(ueberfaellig or 0))


def read_organisationssummen(
    *, strategie: Strategie, zeitpunkt: Zeitpunkt, auswahl: Auswahl
) -> list[Organisationssumme]:
    """Per Organisation, over the pairs in `auswahl` of Maßnahmen je Organisation: one query."""
    zeilen = _ausfuehren(
        "organisationen",
        strategie=strategie,
        zeitpunkt=zeitpunkt,
        auswahl=auswahl,
    )
    return [Organisationssumme.aus_zeile(*zeile) for zeile in zeilen]


def read_letzte_meldungen(
    *, zeitpunkt: Zeitpunkt, massnahme_ids: list[int], organisation_ids: list[int]
) -> dict[int, dt.datetime]:
    """Per Organisation the latest gemeldet_am of its Statusmeldungen on these Maßnahmen with stichtag ≤ S, for a
    Zeitpunkt whose Datenstand is now (`jetzt`), from the Meldungsverlauf. One query."""
    assert zeitpunkt.jetzt, "the Meldungsverlauf holds every Meldung recorded so far"
    parameter = {"stichtag": zeitpunkt.stichtag}
    wo = " AND ".join(
        (
            sql.in_liste("v.massnahme_id", sorted(massnahme_ids), parameter, "mid"),
            sql.in_liste("v.organisation_id", sorted(organisation_ids), parameter, "oid"),
        )
    )
    return {o: _zeitpunkt(letzte) for o, letzte in _abfragen(sql.letzte_meldungen(wo), parameter)}


@dataclass(frozen=True)
class Gesamtsummen:
    """What the dashboard reads of the pairs, from one read of them."""

    summen: list[Summe]
    organisationen: list[Organisationssumme]
    rote_namen: dict[int, list[str]]  # Maßnahme -> first Kurznamen with a red Ampel in the Nenner, alphabetically
    aenderungen: Aenderungssummen | None = None  # against `vergleich`, when asked for


@dataclass(frozen=True)
class Vergleich:
    """The earlier Zeitpunkt of a comparison and the pairs summed for it."""

    seit: Zeitpunkt
    auswahl_vorher: Auswahl


def read_gesamtsummen(
    *,
    strategie: Strategie,
    zeitpunkt: Zeitpunkt,
    auswahl: Auswahl,
    je_massnahme: int,
    vergleich: Vergleich | None = None,
) -> Gesamtsummen:
    """`read_summen`, `read_organisationssummen` and the first `je_massnahme` names per Maßnahme with a red Ampel,
    over the same pairs in `auswahl`, in one query that reads the pairs once (for a past Stichtag the costly part).
    With `vergleich`, the same query also gives `read_aenderungssummen` from `vergleich.seit` to `zeitpunkt` for
    every pair je Organisation in `auswahl`, reading each Zeitpunkt once."""
    zellen, wo, parameter = _lesung(strategie=strategie, zeitpunkt=zeitpunkt, auswahl=auswahl)
    parameter.update(rot=Ampel.ROT.value, je_massnahme=je_massnahme)
    if vergleich is None:
        text = sql.abfrage("gesamt", zellen=zellen, wo=wo)
    else:
        vorher, wo_vorher, parameter_vorher = _lesung(
            strategie=strategie, zeitpunkt=vergleich.seit, auswahl=vergleich.auswahl_vorher
        )
        text = sql.gesamt_und_aenderungen(zellen=zellen, wo=wo, vorher=vorher, wo_vorher=wo_vorher)
        parameter = _mit_vorher(parameter, parameter_vorher)
    teile = _zerlegen(_abfragen(text, parameter))
    namen: dict[int, list[tuple[int, str]]] = {}
    for massnahme_id, nr, kurzname in teile["r"]:
        namen.setdefault(massnahme_id, []).append((nr, kurzname))
    return Gesamtsummen(
        teile["s"],
        teile["o"],
        {k: [name for _, name in sorted(v)] for k, v in namen.items()},
        None if vergleich is None else Aenderungssummen(teile["vs"], dict(teile["vo"])),
    )
