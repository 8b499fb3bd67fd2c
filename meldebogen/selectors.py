"""Reads for the Meldebogen (Excel/CSV): which rows an Organisation gets and what is filled in. Fixed queries.

The export and the import share `vorbelegung`: a row the user left as it was downloaded is recognised as
unchanged on upload and skipped.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
from dataclasses import dataclass

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from massnahmen.models import MELDUNGSFELDER, Berichtsrunde, Massnahme, Meldepflicht, Meldungsentwurf, Umsetzungsstand
from meldebogen import policies
from meldebogen.models import Meldebogenimport
from strategie.models import Organisation, Strategie
from strategie.texte import export_safe


@dataclass(frozen=True)
class Werte:
    """The editable values of one Meldebogen row, as the service understands them (status and Ampel as values)."""

    stichtag: dt.date | None = None
    status: str = ""
    fortschritt: int | None = None
    ampel: str = ""
    text: str = ""
    naechste_schritte: str = ""
    risiken: str = ""
    vertraulich: bool = False
    ist_korrektur: bool = False

    def pruefsumme(self) -> str:
        """A short fingerprint of the values, written next to the Stand-Version: on upload it tells a row nobody
        touched since the download from one typed in, when someone else has reported in between."""
        schlicht = tuple(
            v.value if isinstance(v, enum.Enum) else v for v in self.vergleichbar()
        )  # Ampel.GELB -> "gelb"
        return hashlib.sha256(repr(schlicht).encode()).hexdigest()[:8]

    def vergleichbar(self) -> tuple:
        """The values as compared for "unchanged": texts without surrounding blanks and with plain line breaks."""

        def text(wert: str) -> str:  # as exported: without what the text rule refuses (strategie/texte.py)
            return "\n".join(zeile.rstrip() for zeile in export_safe(wert).split("\n")).strip()

        return (
            self.stichtag,
            self.status,
            self.fortschritt,
            self.ampel,
            text(self.text),
            text(self.naechste_schritte),
            text(self.risiken),
            self.vertraulich,
            self.ist_korrektur,
        )


@dataclass
class Meldebogenzeile:
    """One Maßnahme the Organisation reports on, with its current state and what the Meldebogen shows."""

    massnahme: Massnahme
    organisation: Organisation
    stand: Umsetzungsstand | None
    entwurf: Meldungsentwurf | None
    werte: Werte

    @property
    def version(self) -> int:
        return self.stand.version if self.stand else 0


def vorbelegung(
    *, stand: Umsetzungsstand | None, entwurf: Meldungsentwurf | None, berichtsrunde: Berichtsrunde | None
) -> Werte:
    """What the Meldebogen shows for a pair: the draft if there is one, else the current state with the text of
    its latest Statusmeldung. The Stichtag is the round's (or, without a round, the current state's)."""
    stichtag = berichtsrunde.stichtag if berichtsrunde else (stand.stichtag if stand else None)
    if entwurf is not None:
        return Werte(
            **{**{feld: getattr(entwurf, feld) for feld in MELDUNGSFELDER}, "stichtag": entwurf.stichtag or stichtag}
        )
    if stand is None:
        return Werte(stichtag=stichtag)
    meldung = stand.letzte_meldung
    return Werte(
        stichtag=stichtag,
        status=stand.status,
        fortschritt=stand.fortschritt,
        ampel=stand.ampel,
        text=meldung.text,
        naechste_schritte=meldung.naechste_schritte,
        risiken=meldung.risiken,
        vertraulich=meldung.vertraulich,
        ist_korrektur=False,
    )


def list_meldebogen_organisationen(*, user, strategie: Strategie) -> list[Organisation]:
    ids = policies.meldebogen_organisationen(user, strategie)
    return list(Organisation.objects.filter(pk__in=ids).order_by("kurzname")) if ids else []


def list_offene_berichtsrunden(*, strategie: Strategie, organisation: Organisation) -> list[Berichtsrunde]:
    """Open rounds in which the organisation owes Meldungen, with `.offen` (still owed) and `.gesamt`. One query."""
    return list(
        Berichtsrunde.objects.filter(
            strategie=strategie, zustand=Berichtsrunde.Zustand.OFFEN, meldepflichten__organisation=organisation
        )
        .annotate(
            gesamt=Count("meldepflichten", distinct=True),
            offen=Count("meldepflichten", filter=Q(meldepflichten__statusmeldung__isnull=True), distinct=True),
        )
        .order_by("frist", "stichtag")
    )


@dataclass
class Meldebogenstand:
    """Everything the import needs to know about an Organisation's Maßnahmen, read once."""

    massnahmen: dict[str, Massnahme]  # by Kennziffer, every Maßnahme of the strategy
    meldbar: frozenset[int]  # ids the user may report on for the organisation
    staende: dict[int, Umsetzungsstand]
    entwuerfe: dict[int, Meldungsentwurf]


def get_meldebogenstand(*, user, strategie: Strategie, organisation: Organisation) -> Meldebogenstand:
    """State, drafts and rights for every Maßnahme of the strategy. Five queries, whatever the number of rows."""
    massnahmen = {
        m.code: m
        for m in Massnahme.objects.filter(strategie=strategie)
        .select_related("handlungsfeld")
        .order_by("handlungsfeld__ordnung", "ordnung")
    }
    meldbar = policies.massnahmen_fuer_meldebogen(user, strategie, organisation)
    staende = {
        s.massnahme_id: s
        for s in Umsetzungsstand.objects.filter(
            organisation=organisation, massnahme__strategie=strategie
        ).select_related("letzte_meldung__von")
    }
    entwuerfe = {
        e.massnahme_id: e
        for e in Meldungsentwurf.objects.filter(organisation=organisation, massnahme__strategie=strategie)
    }
    return Meldebogenstand(massnahmen=massnahmen, meldbar=meldbar, staende=staende, entwuerfe=entwuerfe)


def list_meldebogenzeilen(
    *, user, strategie: Strategie, organisation: Organisation, berichtsrunde: Berichtsrunde | None
) -> list[Meldebogenzeile]:
    """Rows of the Meldebogen: with a round, the organisation's Meldungen still owed in it; without, every Maßnahme
    the organisation reports on. Ordered as in the strategy; the number of queries does not grow with rows."""
    stand = get_meldebogenstand(user=user, strategie=strategie, organisation=organisation)
    ids = stand.meldbar
    if berichtsrunde is not None:
        offen = Meldepflicht.objects.filter(
            berichtsrunde=berichtsrunde, organisation=organisation, statusmeldung__isnull=True
        ).values_list("massnahme_id", flat=True)
        ids = ids & set(offen)
    return [
        Meldebogenzeile(
            massnahme=massnahme,
            organisation=organisation,
            stand=stand.staende.get(massnahme.pk),
            entwurf=stand.entwuerfe.get(massnahme.pk),
            werte=vorbelegung(
                stand=stand.staende.get(massnahme.pk),
                entwurf=stand.entwuerfe.get(massnahme.pk),
                berichtsrunde=berichtsrunde,
            ),
        )
        for massnahme in stand.massnahmen.values()
        if massnahme.pk in ids
    ]


def list_meldebogenimporte(*, strategie: Strategie, organisation: Organisation, anzahl: int = 5):
    """The organisation's latest uploads for the strategy (the caller checked it may use the Meldebogen)."""
    return list(
        Meldebogenimport.objects.filter(strategie=strategie, organisation=organisation)
        .select_related("von")
        .order_by("-created_at")[:anzahl]
    )


def get_meldebogenimport_for_user(*, user, strategie: Strategie, pk: int) -> Meldebogenimport:
    """An upload of the strategy, only for the uploading organisation's reporters; 404 for everyone else."""
    meldebogenimport = get_object_or_404(
        Meldebogenimport.objects.select_related("strategie", "organisation", "berichtsrunde", "von"),
        strategie=strategie,
        pk=pk,
    )
    if not policies.can_see_meldebogenimport(user, meldebogenimport):
        raise Http404
    return meldebogenimport
