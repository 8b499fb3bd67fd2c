"""Uploading a Meldebogen: store the file and queue its import (see importe.py for the import itself)."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from massnahmen import policies
from massnahmen.models import Berichtsrunde
from meldebogen.models import Meldebogenimport
from meldebogen.services.reader import Dateifehler, read_datei, validate_datei
from meldebogen.services.writer import endung
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
