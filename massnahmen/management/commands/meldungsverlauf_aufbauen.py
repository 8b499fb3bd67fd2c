"""`manage.py meldungsverlauf_aufbauen [--pruefen]`: rebuild the Meldungsverlauf from all Statusmeldungen.

The services keep it pair by pair; this is for data changed around them (a repair in the database, a restored
table). `--pruefen` only compares the kept Verlauf with a rebuilt one and changes nothing.
"""

from __future__ import annotations

from massnahmen.management.abgleich import Abgleich
from massnahmen.models import Statusmeldung
from massnahmen.services import compare_meldungsverlauf


class Command(Abgleich):
    help = "Baut den Meldungsverlauf (maßgebliche Meldung je Paar und Stichtag) aus allen Statusmeldungen neu auf."
    neu_aufgebaut = "Meldungsverlauf neu aufgebaut: {zeilen} aus {quelle} Statusmeldungen ({abweichungen} geändert)."
    weicht_ab = (
        "Der Meldungsverlauf weicht in {abweichungen} von den Statusmeldungen ab. "
        "Bitte bauen Sie ihn mit „manage.py meldungsverlauf_aufbauen“ neu auf."
    )
    stimmt = "Der Meldungsverlauf stimmt mit den {quelle} Statusmeldungen überein."

    def vergleichen(self, *, neu_aufbauen: bool) -> tuple[int, int]:
        return compare_meldungsverlauf(neu_aufbauen=neu_aufbauen)

    def quelle(self) -> int:
        return Statusmeldung.objects.count()
