"""`manage.py bericht_erstellen --strategie SLUG --jahr YYYY [--stichtag DD.MM.YYYY]`: render a Bericht here and now.

Takes the newest version of the year's Bericht (or creates one), freezes the Datenstand, renders in this process
and prints the path of the PDF. A released version is never rendered again: its path is printed as it is.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from berichte.models import Bericht
from berichte.services import berichte as services
from berichte.services.rendern import fail_bericht, render_bericht_pdf
from berichte.tasks import meldung_fuer
from strategie.models import Strategie


def _datum(wert: str) -> dt.date:
    try:
        return dt.datetime.strptime(wert, "%d.%m.%Y").date()
    except ValueError as fehler:
        raise CommandError(f"Der Stichtag „{wert}“ ist kein Datum im Format TT.MM.JJJJ.") from fehler


class Command(BaseCommand):
    help = "Erzeugt den Bericht einer Strategie für ein Jahr als PDF und gibt den Pfad der Datei aus."

    def add_arguments(self, parser):
        parser.add_argument("--strategie", required=True, help="Kurzbezeichnung, z. B. rlp-digitalisierungsstrategie")
        parser.add_argument("--jahr", required=True, type=int, help="Berichtsjahr, z. B. 2025")
        parser.add_argument("--stichtag", type=_datum, help="TT.MM.JJJJ (nur für einen neuen Bericht)")
        parser.add_argument(
            "--art",
            choices=Bericht.Art.values,
            help="Jahresbericht an die ALK oder Umsetzungsbericht (ohne Angabe: nach der Strategie)",
        )

    def handle(self, *args, strategie: str, jahr: int, stichtag: dt.date | None, art: str | None, **optionen):
        gefunden = Strategie.objects.filter(slug=strategie).first()
        if gefunden is None:
            raise CommandError(f"Eine Strategie „{strategie}“ gibt es nicht.")
        art = art or (Bericht.Art.ALK_JAHRESBERICHT if gefunden.gremium else Bericht.Art.UMSETZUNGSBERICHT)
        bericht = Bericht.objects.filter(strategie=gefunden, art=art, berichtsjahr=jahr).order_by("-version").first()
        try:
            if bericht is None:
                bericht = services.create_bericht(
                    actor=None, strategie=gefunden, art=art, berichtsjahr=jahr, stichtag=stichtag
                )
            elif stichtag and stichtag != bericht.stichtag:
                raise CommandError(
                    f"Der Bericht {jahr} (Version {bericht.version}) hat den Stichtag {bericht.stichtag:%d.%m.%Y}; "
                    "ein anderer Stichtag braucht einen eigenen Bericht."
                )
            if bericht.zustand != Bericht.Zustand.FERTIG:
                bericht = services.request_bericht_pdf(actor=None, bericht=bericht, enqueue=False)
                try:
                    render_bericht_pdf(bericht_id=bericht.pk)
                except Exception as fehler:
                    fail_bericht(bericht_id=bericht.pk, meldung=meldung_fuer(fehler))
                    raise CommandError(meldung_fuer(fehler)) from fehler
                bericht.refresh_from_db()
        except ValidationError as fehler:
            raise CommandError(" ".join(fehler.messages)) from fehler
        if bericht.zustand != Bericht.Zustand.FERTIG:
            raise CommandError(bericht.fehlermeldung or "Das PDF wurde nicht erzeugt.")
        self.stdout.write(default_storage.path(bericht.datei.name))
