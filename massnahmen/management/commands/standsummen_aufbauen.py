"""`manage.py standsummen_aufbauen [--pruefen]`: rebuild the Standsummen of today's dashboard from the current state.

The services keep them per Maßnahme and Organisation; this is for data changed around them (a repair in the
database, a restored table). `--pruefen` only compares the kept Standsummen with rebuilt ones and changes nothing.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from massnahmen.management.commands.meldungsverlauf_aufbauen import _anzahl
from massnahmen.models import Beteiligung
from massnahmen.services import compare_standsummen


class Command(BaseCommand):
    help = "Baut die Standsummen (Grundlage der heutigen Zahlen im Dashboard) aus dem Umsetzungsstand neu auf."

    def add_arguments(self, parser):
        parser.add_argument(
            "--pruefen", action="store_true", help="nur vergleichen, nichts ändern (Fehlercode bei Abweichungen)"
        )

    def handle(self, *args, pruefen: bool = False, **options):
        anzahl, abweichungen = compare_standsummen(neu_aufbauen=not pruefen)
        paare = Beteiligung.objects.count()
        if not pruefen:
            self.stdout.write(
                f"Standsummen neu aufgebaut: {_anzahl(anzahl)} für {paare} Beteiligungen "
                f"({_anzahl(abweichungen)} geändert)."
            )
        elif abweichungen:
            raise CommandError(
                f"Die Standsummen weichen in {_anzahl(abweichungen)} vom Umsetzungsstand ab. "
                "Bitte bauen Sie sie mit „manage.py standsummen_aufbauen“ neu auf."
            )
        else:
            self.stdout.write(f"Die Standsummen stimmen mit dem Umsetzungsstand der {paare} Beteiligungen überein.")
