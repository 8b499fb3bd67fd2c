"""The Meldebogen to download: an Organisation's Statusmeldungen as one Excel or CSV file to fill in."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from massnahmen.models import Berichtsrunde
from meldebogen import policies
from meldebogen.selectors import list_meldebogenzeilen
from meldebogen.services.format import CSV_MIME, XLSX_MIME, Kopfdaten
from meldebogen.services.writer import write_csv, write_xlsx
from strategie.models import Organisation, Strategie


@dataclass(frozen=True)
class Meldebogendatei:
    inhalt: bytes
    dateiname: str
    content_type: str


def export_meldebogen(
    *, actor, strategie: Strategie, organisation: Organisation, berichtsrunde: Berichtsrunde | None, format: str
) -> Meldebogendatei:
    """The organisation's Meldebogen as XLSX or CSV (`format` "xlsx" or "csv")."""
    if not policies.can_use_meldebogen(actor, strategie, organisation.pk):
        raise PermissionDenied
    if berichtsrunde is not None and berichtsrunde.strategie_id != strategie.pk:
        raise PermissionDenied
    zeilen = list_meldebogenzeilen(
        user=actor, strategie=strategie, organisation=organisation, berichtsrunde=berichtsrunde
    )
    teil = berichtsrunde.stichtag.isoformat() if berichtsrunde else "alle"
    name = f"meldebogen-{strategie.slug}-{organisation.kennung}-{teil}.{format}"
    if format == "csv":
        return Meldebogendatei(write_csv(zeilen=zeilen), name, CSV_MIME)
    runde = ""
    if berichtsrunde is not None:
        runde = (
            f"{berichtsrunde.titel} (Stichtag {berichtsrunde.stichtag:%d.%m.%Y}, Frist {berichtsrunde.frist:%d.%m.%Y})"
        )
    kopf = Kopfdaten(
        strategie=strategie.titel,
        organisation=organisation.name,
        kennung=organisation.kennung,
        berichtsrunde=runde,
        erstellt_am=timezone.localtime(),
        berichtsrunde_nr=berichtsrunde.pk if berichtsrunde else None,
        stichtag=berichtsrunde.stichtag if berichtsrunde else None,
    )
    return Meldebogendatei(write_xlsx(zeilen=zeilen, kopf=kopf), name, XLSX_MIME)
