"""The one read path: the state of every Maßnahme × Organisation pair "as of Stichtag S with Datenstand D".

The SQL (`berichte.selectors.sql`) gives each pair with its Zustand by the rules of ZAEHLREGELN. Here it is read
pair by pair (`read_paare`: the matrix page, the profile, the exports; `read_paaraenderungen`: the change between
two Zeitpunkte); `berichte.selectors.summen` sums the same pairs in the database, so the dashboard of a national
strategy does not carry 80,000 pairs through Python. Every figure is derived from these rows in
`berichte.selectors.kennzahlen`, so no two figures follow different rules.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import DateField, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone

from berichte.selectors import sql
from handlungsfelder.models import Handlungsfeld
from massnahmen.models import Ampel, Massnahme
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
            return cls.heute().mit_stichtag(stichtag)
        return cls(stichtag=stichtag, datenstand=datenstand)

    def mit_stichtag(self, stichtag: dt.date) -> Zeitpunkt:
        """Another Stichtag with the same Datenstand (a comparison's)."""
        live = self.jetzt and stichtag >= timezone.localdate(self.datenstand)
        return Zeitpunkt(stichtag, self.datenstand, live=live, jetzt=self.jetzt)

    @property
    def aus_verlauf(self) -> bool:
        """Whether its pairs are read from the Meldungsverlauf: a past Stichtag with Datenstand now."""
        return self.jetzt and not self.live

    @property
    def stichtag_ende(self) -> dt.datetime:
        """The first instant after the Stichtag, in the portal's time zone."""
        naechster = dt.datetime.combine(self.stichtag + dt.timedelta(days=1), dt.time())
        return timezone.make_aware(naechster)


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


def als_zeitpunkt(wert) -> dt.datetime | None:
    if wert is None:
        return wert
    if not isinstance(wert, dt.datetime):
        wert = dt.datetime.fromisoformat(str(wert))  # SQLite: text in UTC, or naive where the column type is known
    return wert if timezone.is_aware(wert) else timezone.make_aware(wert, dt.UTC)


@dataclass(frozen=True)
class Auswahl:
    """Which pairs a read covers: all of the strategy's active Maßnahmen, or only these Maßnahmen and these
    Organisationen (None: no restriction)."""

    massnahme_ids: frozenset[int] | None = None
    organisation_ids: frozenset[int] | None = None
    nur_rot: bool = False  # only pairs in the Nenner with a red Ampel
    # set where `massnahme_ids` are all active Maßnahmen of these Handlungsfelder (the Standsummen can answer)
    handlungsfeld_ids: frozenset[int] | None = None


ALLE_PAARE = Auswahl()


def parameter_fuer(strategie: Strategie, zeitpunkt: Zeitpunkt) -> dict:
    """The parameters every statement of `berichte.selectors.sql` takes for this strategy and Zeitpunkt."""
    return sql.parameter(
        strategie_id=strategie.pk,
        stichtag=zeitpunkt.stichtag,
        stichtag_ende=zeitpunkt.stichtag_ende,
        datenstand=zeitpunkt.datenstand,
        intervall_tage=strategie.berichtsintervall_tage,
    )


def lesung(
    *, strategie: Strategie, zeitpunkt: Zeitpunkt, auswahl: Auswahl, aus_historie=None, verlauf=None
) -> tuple[str, str, dict]:
    """The pairs as of `zeitpunkt` (SQL), the condition `auswahl` sets on them (alias `z`) and the parameters.
    `aus_historie` and `verlauf` force a path (tests compare them); by default the fastest that answers."""
    if aus_historie is None:
        aus_historie = not zeitpunkt.live
    if verlauf is None:
        verlauf = zeitpunkt.jetzt
    parameter = parameter_fuer(strategie, zeitpunkt)
    bedingungen = [
        sql.in_liste("z.massnahme_id", auswahl.massnahme_ids, parameter, "mid"),
        sql.in_liste("z.organisation_id", auswahl.organisation_ids, parameter, "oid"),
    ]
    if auswahl.nur_rot:
        parameter["rot"] = Ampel.ROT.value
        bedingungen.append(sql.ROT_IM_NENNER)
    return sql.zellen(aus_historie=aus_historie, verlauf=verlauf), " AND ".join(bedingungen), parameter


def _fuer_orm(text: str, parameter: dict, output_field=None) -> RawSQL:
    """A fragment of `berichte.selectors.sql` for the ORM, which passes its parameters by position; `output_field`
    converts what it gives (SQLite hands back a date as text)."""
    namen = re.findall(r"%\((\w+)\)s", text)
    text, werte = re.sub(r"%\((\w+)\)s", "%s", text), [parameter[n] for n in namen]
    return RawSQL(text, werte, output_field=output_field)  # noqa: S611 - values are parameters


def massnahmen_am(strategie: Strategie, zeitpunkt: Zeitpunkt, praefix: str = "") -> Q:
    """The strategy's Maßnahmen as of `zeitpunkt` for the ORM: today the active ones, else those of the SQL's rule
    (`sql.massnahmen_ids`) as a subquery, no query of its own. `praefix` reaches the Maßnahme through a
    relation ("massnahme__")."""
    if zeitpunkt.live:
        return Q(**{f"{praefix}strategie": strategie, f"{praefix}is_archived": False})
    ids = _fuer_orm(sql.massnahmen_ids(am_stichtag=True), parameter_fuer(strategie, zeitpunkt))
    return Q(**{f"{praefix}strategie": strategie, f"{praefix}pk__in": ids})


def _feld_am(strategie: Strategie, zeitpunkt: Zeitpunkt, feld: str) -> F | RawSQL:
    """A Maßnahme's `feld` ("frist", "handlungsfeld_id") as of `zeitpunkt`: today as it stands, else as the SQL
    reads it (`sql.feld_am_stichtag`)."""
    if zeitpunkt.live:
        return F(feld)
    text = sql.feld_am_stichtag(feld, Massnahme._meta.db_table)
    art = DateField() if feld == "frist" else IntegerField()
    return _fuer_orm(text, parameter_fuer(strategie, zeitpunkt), output_field=art)


def massnahmen_damals(strategie: Strategie, zeitpunkt: Zeitpunkt) -> QuerySet[Massnahme]:
    """The Maßnahmen counted as of `zeitpunkt` (`massnahmen_am`), annotated with what they were then: `frist_damals`,
    `hf_damals` (the Handlungsfeld's id), `hf_nummer` and `hf_ordnung`. Order by ("hf_ordnung", …) for the
    strategy's order."""
    handlungsfeld = Handlungsfeld.objects.filter(pk=OuterRef("hf_damals"))
    return (
        Massnahme.objects.filter(massnahmen_am(strategie, zeitpunkt))
        .annotate(
            frist_damals=_feld_am(strategie, zeitpunkt, "frist"),
            hf_damals=_feld_am(strategie, zeitpunkt, "handlungsfeld_id"),
        )
        .annotate(
            hf_nummer=Subquery(handlungsfeld.values("nummer")[:1]),
            hf_ordnung=Subquery(handlungsfeld.values("ordnung")[:1]),
        )
    )


def abfragen(text: str, parameter: dict, *, ohne_merge_join: bool = False) -> list[tuple]:
    """The rows of one statement. `ohne_merge_join`: PostgreSQL may not join by sorting both sides, for this
    statement only (two statements more). For a past Stichtag at national size it underestimates the Meldungsverlauf's
    rows valid on S and the Beteiligungen (80,000 each, estimated at half), and sorts both for a merge join; hashing
    one side takes 40–50 ms less, with a comparison 60 ms (benchmarks/dashboard.py)."""
    if not ohne_merge_join or connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(text, parameter)
            return cursor.fetchall()
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:  # SET LOCAL: until the reset or the end
        cursor.execute("SET LOCAL enable_mergejoin = off")
        cursor.execute(text, parameter)
        zeilen = cursor.fetchall()
        cursor.execute("SET LOCAL enable_mergejoin TO DEFAULT")
        return zeilen


def ausfuehren(
    art: str,
    *,
    strategie: Strategie,
    zeitpunkt: Zeitpunkt,
    auswahl: Auswahl,
    aus_historie=None,
    verlauf=None,
) -> list[tuple]:
    zellen, wo, parameter = lesung(
        strategie=strategie,
        zeitpunkt=zeitpunkt,
        auswahl=auswahl,
        aus_historie=aus_historie,
        verlauf=verlauf,
    )
    return abfragen(sql.abfrage(art, zellen=zellen, wo=wo), parameter)


def zwei_lesungen(
    *,
    strategie: Strategie,
    seit: Zeitpunkt,
    bis: Zeitpunkt,
    auswahl_vorher: Auswahl,
    auswahl: Auswahl,
    paarweise: bool,
) -> list[tuple]:
    nachher, wo, parameter = lesung(strategie=strategie, zeitpunkt=bis, auswahl=auswahl)
    vorher, wo_vorher, parameter_vorher = lesung(strategie=strategie, zeitpunkt=seit, auswahl=auswahl_vorher)
    text = sql.aenderungen(nachher=nachher, wo=wo, vorher=vorher, wo_vorher=wo_vorher, paarweise=paarweise)
    return abfragen(text, mit_vorher(parameter, parameter_vorher))


def mit_vorher(parameter: dict, parameter_vorher: dict) -> dict:
    return {**parameter, **{sql.VORHER + k: v for k, v in parameter_vorher.items()}}


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
        for z in zwei_lesungen(
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
    zeilen = ausfuehren(
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
            gemeldet_am=als_zeitpunkt(z[7]),
            status=z[8] or "",
            fortschritt=z[9],
            ampel=z[10] or "",
            zustand=z[11],
            im_nenner=bool(z[12]),
            veraltet=bool(z[13]),
        )
        for z in zeilen
    ]
