"""Importing an uploaded Meldebogen: an Organisation's Statusmeldungen as one Excel or CSV file.

Export lives in `export.py`, the upload that queues the import in `upload.py`, the import as a job (progress, final
state, deleting files) in `auftraege.py`. Upload is all or nothing. Every row is read and checked first (no writes);
only when no row has a problem are the changed or confirmed rows recorded, each through `record_statusmeldung` with
the Stand-Version of the file, in one transaction. Rows left as they were downloaded are skipped, so a round trip
stores exactly the rows the user edited or confirmed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from massnahmen.models import Berichtsrunde, Massnahme, Statusmeldung, Umsetzungsstand
from massnahmen.services.berichtsrunden import earliest_stichtag
from massnahmen.services.statusmeldungen import Konflikt, Meldung, record_statusmeldung, validate_meldung
from meldebogen import policies
from meldebogen.selectors import get_meldebogenstand, vorbelegung
from meldebogen.services.format import (
    TITEL,
    Fehler,
)
from meldebogen.services.grenzen import Dateifehler, validate_datei
from meldebogen.services.reader import read_datei
from meldebogen.services.zeile import read_zeile
from strategie.models import Organisation, Strategie

logger = logging.getLogger(__name__)

SPALTE_ZU_FELD = {
    "text": "text",
    "stichtag": "stichtag",
    "status": "status",
    "fortschritt": "fortschritt",
    "ampel": "ampel",
    "naechste_schritte": "naechste_schritte",
    "risiken": "risiken",
    "vertraulich": "vertraulich",
    "ist_korrektur": "ist_korrektur",
}

Fortschrittsmelder = Callable[[int], None]


# --- import: check every row, then write all or nothing ---------------------------------------------------------


@dataclass
class Aenderung:
    """A changed or confirmed row that becomes a Statusmeldung."""

    zeile: int
    massnahme_id: int
    meldung: Meldung
    version: int
    kennziffer: str = ""
    bestaetigung: bool = False  # "Unverändert bestätigen": the values as they were, as a new Meldung


@dataclass(frozen=True)
class Posten:
    """A row of the result, by Kennziffer: skipped (with a note when not simply unchanged)."""

    zeile: int
    kennziffer: str
    hinweis: str = ""

    def als_dict(self) -> dict:
        return {"zeile": self.zeile, "kennziffer": self.kennziffer, "hinweis": self.hinweis}


@dataclass
class Meldebogenergebnis:
    zeilen: int = 0  # data rows in the file
    fehler: list[Fehler] = field(default_factory=list)
    aenderungen: list[Aenderung] = field(default_factory=list)
    uebersprungen: list[Posten] = field(default_factory=list)
    statusmeldungen: list[Statusmeldung] = field(default_factory=list)

    @property
    def gemeldet(self) -> int:
        return len(self.statusmeldungen)

    @property
    def unveraendert(self) -> int:
        return len(self.uebersprungen)

    def uebersicht(self) -> dict:
        """Which Maßnahmen were stored, confirmed or skipped, by Kennziffer (for the result page)."""
        gespeichert = self.aenderungen if self.statusmeldungen else []
        return {
            "gespeichert": [Posten(a.zeile, a.kennziffer).als_dict() for a in gespeichert if not a.bestaetigung],
            "bestaetigt": [Posten(a.zeile, a.kennziffer).als_dict() for a in gespeichert if a.bestaetigung],
            "uebersprungen": [p.als_dict() for p in self.uebersprungen],
        }


def _konfliktfehler(zeile: int, stand: Umsetzungsstand | None, code: str) -> Fehler:
    wer, wann = "einer anderen Person", ""
    if stand is not None:
        von = stand.letzte_meldung.von
        if von is not None:
            wer = von.get_full_name() or von.username
        wann = f" am {timezone.localtime(stand.gemeldet_am):%d.%m.%Y um %H:%M} Uhr"
    return Fehler(
        zeile,
        TITEL["version"],
        f"Zu {code} hat nach dem Herunterladen dieses Meldebogens {wer}{wann} eine "
        "neuere Meldung gespeichert. Damit sie nicht überschrieben wird, laden Sie den "
        "Meldebogen bitte neu herunter und tragen Ihre Änderungen dort ein.",
    )


def _fehler_aus_validation_error(zeile: int, fehler: ValidationError) -> list[Fehler]:
    """Messages of the service, placed in the column of their field (the whole row for others)."""
    if not hasattr(fehler, "error_dict"):
        return [Fehler(zeile, "", text) for text in fehler.messages]
    ergebnis = []
    for feld, liste in fehler.message_dict.items():
        spalte = TITEL.get(SPALTE_ZU_FELD.get(feld, ""), "")
        ergebnis += [Fehler(zeile, spalte, text) for text in liste]
    return ergebnis


def validate_meldebogen(
    *,
    actor,
    organisation: Organisation,
    strategie: Strategie,
    berichtsrunde: Berichtsrunde | None,
    datei_bytes: bytes,
    dateiname: str,
    fortschritt: Fortschrittsmelder | None = None,
) -> Meldebogenergebnis:
    """Read and check every row without writing anything. The result lists all problems and the changed rows."""
    if not policies.can_use_meldebogen(actor, strategie, organisation.pk):
        raise PermissionDenied
    ergebnis = Meldebogenergebnis()
    ergebnis.fehler = validate_datei(dateiname=dateiname, groesse=len(datei_bytes), inhalt=datei_bytes)
    if ergebnis.fehler:
        return ergebnis
    try:
        rohzeilen = read_datei(inhalt=datei_bytes, dateiname=dateiname)
    except Dateifehler as fehler:
        ergebnis.fehler = fehler.fehler
        return ergebnis
    ergebnis.zeilen = len(rohzeilen)

    stand = get_meldebogenstand(user=actor, strategie=strategie, organisation=organisation)
    andere_organisationen: dict[str, Organisation] | None = None
    heute = timezone.localdate()
    fruehester = earliest_stichtag(strategie=strategie)
    gesehen: dict[int, int] = {}  # Maßnahme id -> first row
    gemeldeter_fortschritt = 0
    for index, roh in enumerate(rohzeilen, start=1):
        prozent = index * 100 // len(rohzeilen)
        if fortschritt is not None and prozent >= gemeldeter_fortschritt + 5:
            fortschritt(prozent)  # at most twenty short saves, whatever the number of rows
            gemeldeter_fortschritt = prozent
        gelesen = read_zeile(roh)
        fehler = gelesen.fehler
        nummer = gelesen.nummer

        if gelesen.organisation and gelesen.organisation != organisation.kennung:
            if andere_organisationen is None:
                andere_organisationen = {o.kennung: o for o in Organisation.objects.all()}
            andere = andere_organisationen.get(gelesen.organisation)
            name = f"{andere.name} ({andere.kennung})" if andere else f"„{gelesen.organisation}“"
            fehler.append(
                Fehler(
                    nummer,
                    TITEL["organisation"],
                    f"Diese Zeile gehört zu {name}. Sie können nur "
                    f"Meldungen für {organisation.name} ({organisation.kennung}) hochladen.",
                )
            )
        massnahme = stand.massnahmen.get(gelesen.kennziffer) if gelesen.kennziffer else None
        if gelesen.kennziffer and massnahme is None:
            fehler.append(
                Fehler(
                    nummer,
                    TITEL["kennziffer"],
                    f"Eine Maßnahme mit der Kennziffer „{gelesen.kennziffer}“ gibt es in dieser Strategie nicht.",
                )
            )
        elif massnahme is not None and massnahme.pk in gesehen:
            fehler.append(
                Fehler(
                    nummer,
                    TITEL["kennziffer"],
                    f"Die Maßnahme {massnahme.code} steht mehrfach im "
                    f"Meldebogen (zuerst in Zeile {gesehen[massnahme.pk]}).",
                )
            )
        if massnahme is not None:
            gesehen.setdefault(massnahme.pk, nummer)
        if fehler or massnahme is None:
            ergebnis.fehler += fehler
            continue
        aenderung = _pruefe_zeile(gelesen, massnahme, stand, berichtsrunde, heute, fruehester, ergebnis)
        if aenderung is not None:
            ergebnis.aenderungen.append(aenderung)
    return ergebnis


NICHT_MELDBAR = (
    "Zur Maßnahme {code} meldet Ihre Organisation nicht (sie ist nicht beteiligt, die Maßnahme entfällt für sie, ist "
    "archiviert oder wird gemeinsam von der Federführung gemeldet)."
)
NICHT_MEHR_MELDBAR = (
    "Zur Maßnahme {code} meldet Ihre Organisation seit dem Herunterladen nicht mehr (die Maßnahme entfällt für sie, "
    "ist archiviert oder die Beteiligung wurde geändert); die unveränderte Zeile wurde übersprungen."
)


def _pruefe_zeile(gelesen, massnahme, stand, berichtsrunde, heute, fruehester, ergebnis) -> Aenderung | None:
    """What one readable row of a known Maßnahme means: skipped, an error, or a Statusmeldung to store."""
    nummer, code, werte = gelesen.nummer, massnahme.code, gelesen.werte
    unberuehrt = gelesen.pruefsumme is not None and gelesen.pruefsumme == werte.pruefsumme()
    if massnahme.pk not in stand.meldbar:
        if unberuehrt and not gelesen.bestaetigen:  # an old file: the Maßnahme entfällt for it since the download
            ergebnis.uebersprungen.append(Posten(nummer, code, NICHT_MEHR_MELDBAR.format(code=code)))
        else:
            ergebnis.fehler.append(Fehler(nummer, TITEL["kennziffer"], NICHT_MELDBAR.format(code=code)))
        return None
    aktuell = stand.staende.get(massnahme.pk)
    bisher = vorbelegung(stand=aktuell, entwurf=stand.entwuerfe.get(massnahme.pk), berichtsrunde=berichtsrunde)
    if unberuehrt or werte.vergleichbar() == bisher.vergleichbar():
        if not gelesen.bestaetigen:
            ergebnis.uebersprungen.append(Posten(nummer, code))  # as downloaded, whatever the page selects now
            return None
        return _bestaetigung(gelesen, massnahme, aktuell, heute, fruehester, ergebnis)
    if gelesen.version != (aktuell.version if aktuell else 0):
        ergebnis.fehler.append(_konfliktfehler(nummer, aktuell, code))
        return None
    fehler = []
    if werte.stichtag is None:
        fehler.append(Fehler(nummer, TITEL["stichtag"], "Bitte tragen Sie den Stichtag ein (TT.MM.JJJJ)."))
    if not werte.status:
        fehler.append(Fehler(nummer, TITEL["status"], "Bitte tragen Sie einen Status ein."))
    if fehler:
        ergebnis.fehler += fehler
        return None
    meldung = Meldung(**werte.__dict__)
    try:
        validate_meldung(meldung, aktuell, heute, fruehester=fruehester)
    except ValidationError as fehler_des_dienstes:
        ergebnis.fehler += _fehler_aus_validation_error(nummer, fehler_des_dienstes)
        return None
    return Aenderung(nummer, massnahme.pk, meldung, gelesen.version, code)


def _bestaetigung(gelesen, massnahme, aktuell, heute, fruehester, ergebnis) -> Aenderung | None:
    """An unchanged row marked "Unverändert bestätigen": the same values as a new Meldung, at the row's Stichtag when
    it lies after the last Meldung's, else today."""
    nummer, code, werte = gelesen.nummer, massnahme.code, gelesen.werte
    if aktuell is None:
        ergebnis.fehler.append(
            Fehler(
                nummer,
                TITEL["bestaetigen"],
                f"Zu {code} gibt es noch keine Meldung, die Sie bestätigen könnten. Bitte tragen Sie Stichtag, "
                "Status und Fortschritt ein.",
            )
        )
        return None
    if gelesen.version != aktuell.version:
        ergebnis.fehler.append(_konfliktfehler(nummer, aktuell, code))  # confirming values someone has replaced
        return None
    stichtag = werte.stichtag if werte.stichtag and werte.stichtag > aktuell.stichtag else heute
    if stichtag <= aktuell.stichtag:
        ergebnis.uebersprungen.append(
            Posten(nummer, code, f"{code} ist bereits zum {aktuell.stichtag:%d.%m.%Y} gemeldet; nichts zu bestätigen.")
        )
        return None
    meldung = Meldung(**{**werte.__dict__, "stichtag": stichtag, "ist_korrektur": False})
    try:
        validate_meldung(meldung, aktuell, heute, fruehester=fruehester)
    except ValidationError as fehler_des_dienstes:
        ergebnis.fehler += _fehler_aus_validation_error(nummer, fehler_des_dienstes)
        return None
    return Aenderung(nummer, massnahme.pk, meldung, gelesen.version, code, bestaetigung=True)


class _Zurueckrollen(Exception):
    pass


def apply_meldebogen(*, actor, organisation: Organisation, ergebnis: Meldebogenergebnis) -> Meldebogenergebnis:
    """Record every changed row of a checked Meldebogen in one transaction; any problem rolls all of them back."""
    nach_id = Massnahme.objects.in_bulk([a.massnahme_id for a in ergebnis.aenderungen])
    try:
        with transaction.atomic():
            for aenderung in ergebnis.aenderungen:
                try:
                    ergebnis.statusmeldungen.append(
                        record_statusmeldung(
                            actor=actor,
                            massnahme=nach_id[aenderung.massnahme_id],
                            organisation=organisation,
                            meldung=aenderung.meldung,
                            erwartete_version=aenderung.version,
                        )
                    )
                except Konflikt as konflikt:
                    ergebnis.fehler.append(_konfliktfehler(aenderung.zeile, konflikt.stand, aenderung.kennziffer))
                except ValidationError as fehler:
                    ergebnis.fehler += _fehler_aus_validation_error(aenderung.zeile, fehler)
                except PermissionDenied:
                    ergebnis.fehler.append(
                        Fehler(
                            aenderung.zeile,
                            TITEL["kennziffer"],
                            "Sie dürfen zu dieser Maßnahme für Ihre Organisation nicht (mehr) melden.",
                        )
                    )
            if ergebnis.fehler:
                raise _Zurueckrollen
    except _Zurueckrollen:
        ergebnis.statusmeldungen = []
    return ergebnis


def import_meldebogen(
    *,
    actor,
    organisation: Organisation,
    strategie: Strategie,
    berichtsrunde: Berichtsrunde | None,
    datei_bytes: bytes,
    dateiname: str,
    fortschritt: Fortschrittsmelder | None = None,
) -> Meldebogenergebnis:
    """Check a filled-in Meldebogen and, when no row has a problem, record its changed rows (all or nothing).

    Plain function for callers without a Meldebogenimport (benchmarks, shell); the upload page goes through
    `request_meldebogenimport` and the Celery task.
    """
    ergebnis = validate_meldebogen(
        actor=actor,
        organisation=organisation,
        strategie=strategie,
        berichtsrunde=berichtsrunde,
        datei_bytes=datei_bytes,
        dateiname=dateiname,
        fortschritt=fortschritt,
    )
    if ergebnis.fehler:
        return ergebnis
    return apply_meldebogen(actor=actor, organisation=organisation, ergebnis=ergebnis)
