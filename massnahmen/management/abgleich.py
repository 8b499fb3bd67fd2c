"""The shape of the commands that rebuild derived rows (Meldungsverlauf, Standsummen) from their source: rebuild
and report, or with `--pruefen` only compare and fail with a German message on a difference."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError


def _anzahl(n: int) -> str:
    return f"{n} Zeile" if n == 1 else f"{n} Zeilen"


class Abgleich(BaseCommand):
    """Set `vergleichen` (a service's compare_…(neu_aufbauen=) -> (rows, differing rows)), `quelle` (how many
    source rows there are) and the three messages; each may name {zeilen}, {abweichungen} and {quelle}."""

    neu_aufgebaut = ""
    weicht_ab = ""
    stimmt = ""

    def vergleichen(self, *, neu_aufbauen: bool) -> tuple[int, int]:
        raise NotImplementedError

    def quelle(self) -> int:
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument(
            "--pruefen", action="store_true", help="nur vergleichen, nichts ändern (Fehlercode bei Abweichungen)"
        )

    def handle(self, *args, pruefen: bool = False, **options):
        zeilen, abweichungen = self.vergleichen(neu_aufbauen=not pruefen)
        werte = {"zeilen": _anzahl(zeilen), "abweichungen": _anzahl(abweichungen), "quelle": self.quelle()}
        if not pruefen:
            self.stdout.write(self.neu_aufgebaut.format(**werte))
        elif abweichungen:
            raise CommandError(self.weicht_ab.format(**werte))
        else:
            self.stdout.write(self.stimmt.format(**werte))
