"""Uploading a Meldebogen: store the file and queue its import (see importe.py for the import itself)."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from massnahmen import policies
from massnahmen.models import Berichtsrunde
from meldebogen.models import Meldebogenimport
from meldebogen.services.reader import validate_datei
from meldebogen.services.writer import endung
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
