"""`manage.py meldungsverlauf_aufbauen [--pruefen]`: rebuild the Meldungsverlauf from all Statusmeldungen.

The services keep it pair by pair; this is for data changed around them (a repair in the database, a restored
table). `--pruefen` only compares the kept Verlauf with a rebuilt one and changes nothing.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from massnahmen.models import Statusmeldung
from massnahmen.services import compare_meldungsverlauf


def _anzahl(n: int) -> str:
    return f"{n} Zeile" if n == 1 else f"{n} Zeilen"


class Command(BaseCommand):
    help = "Baut den Meldungsverlauf (maßgebliche Meldung je Paar und Stichtag) aus allen Statusmeldungen neu auf."

    def add_arguments(self, parser):
        parser.add_argument(
            "--pruefen", action="store_true", help="nur vergleichen, nichts ändern (Fehlercode bei Abweichungen)"
        )

    def handle(self, *args, pruefen: bool = False, **options):
        anzahl, abweichungen = compare_meldungsverlauf(neu_aufbauen=not pruefen)
        meldungen = Statusmeldung.objects.count()
        if not pruefen:
            self.stdout.write(
                f"Meldungsverlauf neu aufgebaut: {_anzahl(anzahl)} aus {meldungen} Statusmeldungen "
                f"({_anzahl(abweichungen)} geändert)."
            )
        elif abweichungen:
            raise CommandError(
                f"Der Meldungsverlauf weicht in {_anzahl(abweichungen)} von den Statusmeldungen ab. "
                "Bitte bauen Sie ihn mit „manage.py meldungsverlauf_aufbauen“ neu auf."
            )
        else:
            self.stdout.write(f"Der Meldungsverlauf stimmt mit den {meldungen} Statusmeldungen überein.")
