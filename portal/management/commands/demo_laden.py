from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from portal.services.demo import load_demo


class Command(BaseCommand):
    help = "Lädt Demo-Benutzer (Passwort „demo“) und gekennzeichnete Demo-Meldungen. Nur mit DEBUG."

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
