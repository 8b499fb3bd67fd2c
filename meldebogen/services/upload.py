"""Uploading a Meldebogen: store the file and queue its import (see importe.py for the import itself)."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from massnahmen.models import Berichtsrunde
from meldebogen import policies
from meldebogen.models import Meldebogenimport
from meldebogen.services.format import endung
from meldebogen.services.grenzen import Dateifehler, validate_datei
from meldebogen.services.reader import read_datei, read_kopfdaten
from meldebogen.services.zeile import read_zeile
from meldebogen.tasks import import_meldebogen_task
from strategie.models import Organisation, Strategie


@transaction.atomic
def request_meldebogenimport(
    *, actor, strategie: Strategie, organisation: Organisation, berichtsrunde: Berichtsrunde | None, datei
) -> Meldebogenimport:
    """Store an uploaded Meldebogen and queue its import (after the commit, so the worker finds the row)."""
    if not policies.can_use_meldebogen(actor, strategie, organisation.pk):
        raise PermissionDenied
    if berichtsrunde is not None and berichtsrunde.strategie_id != strategie.pk:
        raise PermissionDenied
    dateiname = (datei.name or "meldebogen").rsplit("/", 1)[-1][:255]
    inhalt = datei.read()
    fehler = validate_datei(dateiname=dateiname, groesse=len(inhalt), inhalt=inhalt)
    if fehler:
        raise ValidationError([f.problem for f in fehler])
    meldebogenimport = Meldebogenimport(
        strategie=strategie, organisation=organisation, berichtsrunde=berichtsrunde, von=actor, dateiname=dateiname
    )
    meldebogenimport.datei.save(f"{uuid.uuid4().hex}{endung(dateiname)}", ContentFile(inhalt), save=False)
    meldebogenimport.save()

    transaction.on_commit(lambda: import_meldebogen_task.delay(import_id=meldebogenimport.pk))
    return meldebogenimport


def find_organisation_der_datei(*, inhalt: bytes, dateiname: str, organisationen: list[Organisation]):
    """The Organisation the file is the Meldebogen of, read from its rows (not from the page's selection): one of
    `organisationen` (those the user reports for), or None when the file names none clearly (the import then
    reports the rows). A file of another Organisation is refused in one sentence."""
    try:
        rohzeilen = read_datei(inhalt=inhalt, dateiname=dateiname)
    except Dateifehler:
        return None  # the import reports what is wrong with the file
    kennungen = {read_zeile(roh).organisation for roh in rohzeilen[:50]} - {""}
    if len(kennungen) != 1:
        return None
    kennung = kennungen.pop()
    eigene = next((o for o in organisationen if o.kennung == kennung), None)
    if eigene is not None:
        return eigene
    andere = Organisation.objects.filter(kennung=kennung).first()
    name = f"{andere.name} ({andere.kennung})" if andere else f"„{kennung}“"
    erlaubt = " oder ".join(o.name for o in organisationen)
    raise ValidationError(
        f"Diese Datei ist der Meldebogen von {name}; Sie können nur für {erlaubt} melden, bitte laden Sie deren "
        "Meldebogen hier herunter."
    )


def find_berichtsrunde_der_datei(
    *, inhalt: bytes, dateiname: str, strategie: Strategie, vorgabe: Berichtsrunde | None
) -> Berichtsrunde | None:
    """The Berichtsrunde an XLSX Meldebogen was downloaded for, from its Hinweise sheet: a round of `strategie`, or
    None for a file downloaded without one. `vorgabe` (the page's selection) holds when the file does not say (a
    CSV, an earlier export). A round closed or gone since the download is a real mismatch, refused in one sentence."""
    kopf = read_kopfdaten(inhalt=inhalt, dateiname=dateiname)
    if kopf is None:
        return vorgabe
    if kopf.berichtsrunde_nr is None:
        return None
    runde = Berichtsrunde.objects.filter(pk=kopf.berichtsrunde_nr, strategie=strategie).first()
    if runde is None:
        raise ValidationError(
            "Diese Datei wurde für eine Berichtsrunde heruntergeladen, die es in dieser Strategie nicht (mehr) gibt; "
            "bitte laden Sie den Meldebogen neu herunter und übertragen Sie Ihre Angaben."
        )
    if runde.zustand != Berichtsrunde.Zustand.OFFEN:
        raise ValidationError(
            f"Diese Datei wurde für die Berichtsrunde „{runde.titel}“ (Stichtag {runde.stichtag:%d.%m.%Y}) "
            "heruntergeladen, die inzwischen geschlossen ist; bitte laden Sie den Meldebogen für die aktuelle "
            "Berichtsrunde neu herunter und übertragen Sie Ihre Angaben."
        )
    return runde
