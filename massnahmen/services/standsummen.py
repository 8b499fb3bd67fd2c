"""The Standsummen (see the model): rewritten per Maßnahme and per Organisation wherever a pair's Beteiligung or
Umsetzungsstand is written, per strategy where Maßnahmen or Organisationen change (the admin, the loader), and for
all at once by `manage.py standsummen_aufbauen`. Portable SQL: INSERT … SELECT over the current-state tables."""

from __future__ import annotations

from django.db import connection, transaction

from massnahmen.models import ERSTE_ROTE, Ampel, Beteiligung, Massnahme, Standsumme, Umsetzungsstand
from massnahmen.services.abgleich import compare_rebuilt
from strategie.models import Organisation

SPALTEN = (
    "art, strategie_id, massnahme_id, organisation_id, handlungsfeld_id, frist, seit, entfaellt, status, ampel, "
    "stichtag, anzahl, fortschritt"
)


def _tabellen() -> dict[str, str]:
    return {
        "summe": Standsumme._meta.db_table,
        "beteiligung": Beteiligung._meta.db_table,
        "massnahme": Massnahme._meta.db_table,
        "stand": Umsetzungsstand._meta.db_table,
        "organisation": Organisation._meta.db_table,
    }


# the pairs je Organisation with their current state (aliases b, m, u; the red ones with the Organisation, o);
# `wo` restricts them
_PAARE = """
  FROM {beteiligung} b
  JOIN {massnahme} m ON m.id = b.massnahme_id
  LEFT JOIN {stand} u ON u.massnahme_id = b.massnahme_id AND u.organisation_id = b.organisation_id{join}
 WHERE m.umsetzungsart = %(je_organisation)s AND {wo}"""

_ABFRAGEN = {
    Standsumme.Art.MASSNAHME: """
INSERT INTO {summe} ({spalten})
SELECT %(art_m)s, m.strategie_id, b.massnahme_id, NULL, NULL, NULL, b.seit, b.entfaellt, COALESCE(u.status, ''),
       COALESCE(u.ampel, ''), u.stichtag, COUNT(*), SUM(COALESCE(u.fortschritt, 0)) {paare}
 GROUP BY m.strategie_id, b.massnahme_id, b.seit, b.entfaellt, COALESCE(u.status, ''), COALESCE(u.ampel, ''),
          u.stichtag""",
    Standsumme.Art.ORGANISATION: """
INSERT INTO {summe} ({spalten})
SELECT %(art_o)s, m.strategie_id, NULL, b.organisation_id, m.handlungsfeld_id, m.frist, b.seit, b.entfaellt,
       COALESCE(u.status, ''), '', u.stichtag, COUNT(*), SUM(COALESCE(u.fortschritt, 0)) {paare}
   AND m.is_archived = %(nein)s
 GROUP BY m.strategie_id, b.organisation_id, m.handlungsfeld_id, m.frist, b.seit, b.entfaellt, COALESCE(u.status, ''),
          u.stichtag""",
    Standsumme.Art.ROT: """
INSERT INTO {summe} ({spalten})
SELECT %(art_r)s, x.strategie_id, x.massnahme_id, x.organisation_id, NULL, NULL, x.seit, x.entfaellt, x.status,
       %(rot)s, x.stichtag, 1, x.fortschritt
  FROM (SELECT m.strategie_id, b.massnahme_id, b.organisation_id, b.seit, b.entfaellt, u.status, u.stichtag,
               COALESCE(u.fortschritt, 0) AS fortschritt,
               ROW_NUMBER() OVER (PARTITION BY b.massnahme_id, b.seit, b.entfaellt, u.status, u.stichtag
                                  ORDER BY o.kurzname, o.kennung) AS nr
          {paare} AND u.ampel = %(rot)s) x
 WHERE x.nr <= %(erste)s""",
}


def _parameter() -> dict:
    return {
        "art_m": Standsumme.Art.MASSNAHME.value,
        "art_o": Standsumme.Art.ORGANISATION.value,
        "art_r": Standsumme.Art.ROT.value,
        "je_organisation": Massnahme.Umsetzungsart.JE_ORGANISATION.value,
        "nein": False,
        "rot": Ampel.ROT.value,
        "erste": ERSTE_ROTE,
    }


def _schreiben(art: str, wo: str, parameter: dict) -> None:
    t = _tabellen()
    join = f"\n  JOIN {t['organisation']} o ON o.id = b.organisation_id" if art == Standsumme.Art.ROT else ""
    text = _ABFRAGEN[art].format(paare=_PAARE.format(wo=wo, join=join, **t), spalten=SPALTEN, **t)
    with connection.cursor() as cursor:
        cursor.execute(text, {**_parameter(), **parameter})


def write_standsummen(*, massnahme_id: int, organisation_id: int) -> None:
    """Rewrite the Standsummen a change of the pair touches: its Maßnahme's and its Organisation's in the Maßnahme's
    strategy. Runs in the caller's transaction; the row locks on the Maßnahme and then the Organisation make two
    writers of one Maßnahme (or Organisation) rewrite one after the other, each from the state the other left."""
    strategie_id = Massnahme.objects.select_for_update().filter(pk=massnahme_id).values_list("strategie_id").get()[0]
    Organisation.objects.select_for_update().filter(pk=organisation_id).values_list("pk").get()
    Standsumme.objects.filter(
        massnahme_id=massnahme_id, art__in=[Standsumme.Art.MASSNAHME, Standsumme.Art.ROT]
    ).delete()
    for art in (Standsumme.Art.MASSNAHME, Standsumme.Art.ROT):
        _schreiben(art, "b.massnahme_id = %(massnahme)s", {"massnahme": massnahme_id})
    Standsumme.objects.filter(
        organisation_id=organisation_id, strategie_id=strategie_id, art=Standsumme.Art.ORGANISATION
    ).delete()
    _schreiben(
        Standsumme.Art.ORGANISATION,
        "b.organisation_id = %(organisation)s AND m.strategie_id = %(strategie)s",
        {"organisation": organisation_id, "strategie": strategie_id},
    )


@transaction.atomic
def rebuild_standsummen(*, strategie_id: int | None = None) -> int:
    """Rewrite the Standsummen of one strategy (None: of all); returns the strategy's (all) rows. For changes to
    Maßnahmen and Organisationen (the admin, the loader) and data written around the services."""
    massnahmen = (
        Massnahme.objects.all() if strategie_id is None else Massnahme.objects.filter(strategie_id=strategie_id)
    )
    list(massnahmen.select_for_update().order_by("pk").values_list("pk"))  # as a writer of each would, in one order
    summen = Standsumme.objects.all() if strategie_id is None else Standsumme.objects.filter(strategie_id=strategie_id)
    summen.delete()
    wo, parameter = "1 = 1", {}
    if strategie_id is not None:
        wo, parameter = "m.strategie_id = %(strategie)s", {"strategie": strategie_id}
    for art in Standsumme.Art:
        _schreiben(art, wo, parameter)
    return summen.count()


def rebuild_standsummen_fuer(organisation: Organisation) -> None:
    """After an Organisation changed (its Kurzname orders the names of red Ampeln): the strategies it takes part in."""
    strategien = Beteiligung.objects.filter(organisation=organisation).values_list(
        "massnahme__strategie_id", flat=True
    )
    for strategie_id in sorted(set(strategien)):
        rebuild_standsummen(strategie_id=strategie_id)


def compare_standsummen(*, neu_aufbauen: bool) -> tuple[int, int]:
    """Rebuild all Standsummen and count the rows in which the kept ones differed (a row kept twice counts too);
    with `neu_aufbauen=False` nothing is changed. Returns (rows, differing rows)."""
    spalten = [s.removesuffix("_id") for s in SPALTEN.split(", ")]
    return compare_rebuilt(
        lambda: Standsumme.objects.values_list(*spalten), rebuild_standsummen, neu_aufbauen=neu_aufbauen
    )
