from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from berichte.services.demo import load_demo_bericht
from portal.services.demo import load_demo


class Command(BaseCommand):
    help = (
        "Lädt Demo-Benutzer (Passwort „demo“), gekennzeichnete Demo-Meldungen und einen freigegebenen "
        "Demo-Jahresbericht des Vorjahres. Nur mit DEBUG."
    )

    def handle(self, *args, **options):
        try:
            ergebnis = load_demo()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo-Daten geladen: {ergebnis.benutzer} Demo-Benutzer (Passwort „demo“), "
                f"{ergebnis.meldungen} neue Demo-Statusmeldungen."
            )
        )
        bericht = load_demo_bericht(heute=timezone.localdate())  # after load_demo: DEBUG is checked there
        if bericht is not None and bericht.datei:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo-Jahresbericht {bericht.berichtsjahr} (freigegeben): {default_storage.path(bericht.datei.name)}"
                )
            )
