"""`manage.py standsummen_aufbauen [--pruefen]`: rebuild the Standsummen of today's dashboard from the current state.

The services keep them per Maßnahme and Organisation; this is for data changed around them (a repair in the
database, a restored table). `--pruefen` only compares the kept Standsummen with rebuilt ones and changes nothing.
"""

from __future__ import annotations

from massnahmen.management.abgleich import Abgleich
from massnahmen.models import Beteiligung
from massnahmen.services import compare_standsummen


class Command(Abgleich):
    help = "Baut die Standsummen (Grundlage der heutigen Zahlen im Dashboard) aus dem Umsetzungsstand neu auf."
    neu_aufgebaut = "Standsummen neu aufgebaut: {zeilen} für {quelle} Beteiligungen ({abweichungen} geändert)."
    weicht_ab = (
        "Die Standsummen weichen in {abweichungen} vom Umsetzungsstand ab. "
        "Bitte bauen Sie sie mit „manage.py standsummen_aufbauen“ neu auf."
    )
    stimmt = "Die Standsummen stimmen mit dem Umsetzungsstand der {quelle} Beteiligungen überein."

    def vergleichen(self, *, neu_aufbauen: bool) -> tuple[int, int]:
        return compare_standsummen(neu_aufbauen=neu_aufbauen)

    def quelle(self) -> int:
        return Beteiligung.objects.count()
