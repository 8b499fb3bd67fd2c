from django.core.management.base import BaseCommand, CommandError

from portal.services.datenimport import DATEN_VERZEICHNIS, load_strategien
from portal.services.datenschema import Datenfehler


class Command(BaseCommand):
    help = "Lädt die Organisationen und beide Strategien aus strategie/daten/ (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--verzeichnis", default=str(DATEN_VERZEICHNIS), help="Ordner mit den Datendateien")

    def handle(self, *args, verzeichnis: str, **options):
        from pathlib import Path

        try:
            ergebnis = load_strategien(Path(verzeichnis))
        except Datenfehler as exc:
            raise CommandError(f"Die Strategiedaten wurden nicht geladen, nichts wurde geändert. {exc}") from exc
        strategien = ", ".join(ergebnis.strategien)
        if not ergebnis.hat_aenderungen:
            self.stdout.write(f"Keine Änderungen: Die Datenbank entspricht bereits den Datendateien ({strategien}).")
            return
        teile = [f"{n} {art} neu" for art, n in sorted(ergebnis.neu.items())]
        teile += [f"{n} {art} geändert" for art, n in sorted(ergebnis.geaendert.items())]
        teile += [f"{n} {art} archiviert" for art, n in sorted(ergebnis.archiviert.items())]
        teile += [f"{n} {art} entfernt" for art, n in sorted(ergebnis.entfernt.items())]
        self.stdout.write(self.style.SUCCESS(f"Strategiedaten geladen ({strategien}): " + "; ".join(teile) + "."))
