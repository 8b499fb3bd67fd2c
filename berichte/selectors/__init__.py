"""As-of selectors: every figure of the dashboard, the Organisationsprofil, the exports and the PDF report.

A figure is computed "as of Stichtag S with Datenstand D" (DESIGN.md, "As of"); the rules are printed from
`ZAEHLREGELN`. No user or request inside: pass a `Sichtbarkeit` from `berichte.policies.sichtbarkeit_fuer`
(or `BERICHT` / `NUR_AGGREGATE` in a task). Each function runs a fixed number of queries.

Public:
- `Zeitpunkt.heute()`, `Zeitpunkt.am(stichtag, datenstand=None)`: what S and D are; `.mit_stichtag(tag)` another S
  with the same D.
- `massnahmen_am(strategie, zeitpunkt, praefix="")`: the Maßnahmen every figure as of the Zeitpunkt counts, as
  a filter for the ORM (today the active ones; for a past Stichtag or Datenstand those active then, as known at D);
  `massnahmen_damals(strategie, zeitpunkt)` these Maßnahmen annotated with their Frist and Handlungsfeld then.
- `read_runden(strategie)`, `vorige_runde(runden, stichtag)`: the Berichtsrunden, the one before a Stichtag.
- `read_uebersicht(strategie=, zeitpunkt=, sichtbarkeit=, filter=Filter(), vergleich=None, runden=None)` ->
  `Uebersicht`: key figures
  (`Kennzahlen`), per Handlungsfeld (`HandlungsfeldStand`), per Maßnahme (`MassnahmeStand`, `.quote` "15 von
  24"), the Organisation × Maßnahme `Matrix`, `Vollstaendigkeit` per Organisation, red Ampeln with Risiken,
  overdue Maßnahmen, Fristen and Meilensteine of the next 90 days, the Berichtsrunden.
- `read_veraenderung(strategie=, seit=, bis=, sichtbarkeit=, filter=Filter(), uebersicht=None)` -> `Veraenderung`.
- `read_massnahmen(strategie=, zeitpunkt=, filter=Filter())` -> per-Maßnahme figures, summed in the database.
- `read_paare(strategie=, zeitpunkt=, auswahl=)` -> `list[Paar]`; `read_summen`,
  `read_organisationssummen`, `read_gesamtsummen` and `read_aenderungssummen` (in `berichte.selectors.summen`) sum
  the same pairs in the database: the one SQL read path (`berichte.selectors.sql`) below all of these. Large
  lists (matrix cells, each red Ampel, each changed pair) are read only when a page or an export asks for them.
"""

from berichte.selectors.ergebnisse import (
    ROTE_AMPELN_EINZELN,
    ZAEHLREGELN,
    Filter,
    Kennzahlen,
    MassnahmeStand,
    Matrix,
    Uebersicht,
    Veraenderung,
)
from berichte.selectors.kennzahlen import read_massnahmen, read_runden, vorige_runde
from berichte.selectors.sichtbarkeit import ALLE, BERICHT, NUR_AGGREGATE, Sichtbarkeit
from berichte.selectors.stand import Paar, Zeitpunkt, massnahmen_am, massnahmen_damals, read_paare
from berichte.selectors.uebersicht import read_uebersicht
from berichte.selectors.veraenderung import read_veraenderung

__all__ = [
    "ALLE",
    "BERICHT",
    "NUR_AGGREGATE",
    "ROTE_AMPELN_EINZELN",
    "ZAEHLREGELN",
    "Filter",
    "Kennzahlen",
    "MassnahmeStand",
    "Matrix",
    "Paar",
    "Sichtbarkeit",
    "Uebersicht",
    "Veraenderung",
    "Zeitpunkt",
    "massnahmen_am",
    "massnahmen_damals",
    "read_massnahmen",
    "read_paare",
    "read_runden",
    "read_uebersicht",
    "read_veraenderung",
    "vorige_runde",
]
