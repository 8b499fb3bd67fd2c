"""One Organisation across all its Maßnahmen against the average of all, its Meldungen and its completeness per
round, as of a Zeitpunkt (what a Kreis shows its Landrat)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from berichte.selectors.ergebnisse import Filter, MassnahmeStand, OrganisationInfo, Zelle, zustand_label
from berichte.selectors.kennzahlen import organisation_info, read_massnahmen, zelle_aus
from berichte.selectors.sichtbarkeit import Sichtbarkeit
from berichte.selectors.stand import Auswahl, Zeitpunkt, massnahmen_am, read_paare
from massnahmen.models import NEUESTE_ZUERST, Meldepflicht, Status, Statusmeldung
from strategie.models import Organisation, Strategie


@dataclass
class ProfilZeile:
    massnahme: MassnahmeStand  # figures of all Organisationen
    zelle: Zelle  # this Organisation


@dataclass
class ProfilMeldung:
    massnahme_code: str
    massnahme_titel: str
    stichtag: dt.date
    gemeldet_am: dt.datetime
    status: str
    fortschritt: int | None
    ampel: str
    vertraulich: bool
    ist_korrektur: bool
    sachstand: str | None  # None: vertraulich and not readable by this reader
    naechste_schritte: str | None
    risiken: str | None

    @property
    def status_label(self) -> str:
        return zustand_label(self.status)


@dataclass
class RundenStand:
    titel: str
    stichtag: dt.date
    offen: bool
    geschuldet: int
    eingegangen: int


@dataclass
class Profil:
    organisation: OrganisationInfo
    zeitpunkt: Zeitpunkt
    zeilen: list[ProfilZeile]
    fortschritt: int  # this Organisation's mean over its Maßnahmen in the Nenner
    fortschritt_alle: int  # the mean of all Organisationen over the same Maßnahmen
    umgesetzt: int
    nenner: int
    meldungen: list[ProfilMeldung]  # one page of them, newest first (all: `meldungen_seite=None`)
    runden: list[RundenStand]
    meldungen_anzahl: int = 0
    meldungen_seite: int = 1
    meldungen_seiten: int = 1

    @property
    def quote(self) -> str:
        return f"{self.umgesetzt} von {self.nenner}"

    @property
    def meldungen_erste(self) -> int:
        return (self.meldungen_seite - 1) * MELDUNGEN_JE_SEITE + 1 if self.meldungen else 0

    @property
    def meldungen_letzte(self) -> int:
        return self.meldungen_erste + len(self.meldungen) - 1 if self.meldungen else 0


MELDUNGEN_JE_SEITE = 50  # the profile lists an Organisation's Meldungen in pages: decades of history stay one page


def read_profil(
    *,
    strategie: Strategie,
    organisation: Organisation,
    zeitpunkt: Zeitpunkt,
    sichtbarkeit: Sichtbarkeit,
    meldungen_seite: int | None = 1,
) -> Profil:
    """The Organisationsprofil with page `meldungen_seite` (clamped) of its Meldungen, or all of them (None: the
    export). Six queries, whatever the number of Maßnahmen and Meldungen."""
    massnahmen = read_massnahmen(strategie=strategie, zeitpunkt=zeitpunkt, filter=Filter())
    # its pairs: those je Organisation, and the gemeinsame Maßnahmen it reported (the KGRZ: all of its own strategy)
    paare = read_paare(
        strategie=strategie,
        zeitpunkt=zeitpunkt,
        auswahl=Auswahl(organisation_ids=frozenset([organisation.pk])),
    )
    zeilen = [ProfilZeile(massnahme=massnahmen[p.massnahme_id], zelle=zelle_aus(p)) for p in paare]
    reihenfolge = {massnahme_id: i for i, massnahme_id in enumerate(massnahmen)}
    zeilen.sort(key=lambda z: reihenfolge[z.massnahme.id])
    im_nenner = [z for z in zeilen if z.zelle.im_nenner]
    fortschritt = round(sum(z.zelle.fortschritt or 0 for z in im_nenner) / len(im_nenner)) if im_nenner else 0
    alle = round(sum(z.massnahme.fortschritt for z in im_nenner) / len(im_nenner)) if im_nenner else 0

    alle_meldungen = Statusmeldung.objects.filter(
        massnahmen_am(strategie, zeitpunkt, "massnahme__"),
        organisation=organisation,
        stichtag__lte=zeitpunkt.stichtag,
        gemeldet_am__lte=zeitpunkt.datenstand,
    )
    anzahl, seite, seiten = alle_meldungen.count(), 1, 1
    auswahl = alle_meldungen.select_related("massnahme").order_by(*NEUESTE_ZUERST)
    if meldungen_seite is not None:
        seiten = max(1, -(-anzahl // MELDUNGEN_JE_SEITE))
        seite = min(max(meldungen_seite, 1), seiten)
        auswahl = auswahl[(seite - 1) * MELDUNGEN_JE_SEITE : seite * MELDUNGEN_JE_SEITE]
    meldungen = []
    for s in auswahl:
        lesbar = sichtbarkeit.darf_text_lesen(organisation.pk, s.vertraulich)
        meldungen.append(
            ProfilMeldung(
                massnahme_code=s.massnahme.code,
                massnahme_titel=s.massnahme.titel,
                stichtag=s.stichtag,
                gemeldet_am=s.gemeldet_am,
                status=s.status,
                fortschritt=s.fortschritt,
                ampel=s.ampel,
                vertraulich=s.vertraulich,
                ist_korrektur=s.ist_korrektur,
                sachstand=s.text if lesbar else None,
                naechste_schritte=s.naechste_schritte if lesbar else None,
                risiken=s.risiken if lesbar else None,
            )
        )
    runden = [
        RundenStand(
            r["berichtsrunde__titel"],
            r["berichtsrunde__stichtag"],
            r["berichtsrunde__zustand"] == "offen",
            r["geschuldet"],
            r["eingegangen"],
        )
        for r in Meldepflicht.objects.filter(
            massnahmen_am(strategie, zeitpunkt, "massnahme__"),
            berichtsrunde__strategie=strategie,
            berichtsrunde__stichtag__lte=zeitpunkt.stichtag,
            organisation=organisation,
        )
        .values("berichtsrunde__titel", "berichtsrunde__stichtag", "berichtsrunde__zustand")
        .annotate(
            geschuldet=Count("id"),
            eingegangen=Count("id", filter=Q(statusmeldung__gemeldet_am__lte=zeitpunkt.datenstand)),
        )
        .order_by("-berichtsrunde__stichtag")
    ]
    return Profil(
        organisation=organisation_info(organisation),
        zeitpunkt=zeitpunkt,
        zeilen=zeilen,
        fortschritt=fortschritt,
        fortschritt_alle=alle,
        umgesetzt=sum(z.zelle.zustand == Status.UMGESETZT for z in im_nenner),
        nenner=len(im_nenner),
        meldungen=meldungen,
        runden=runden,
        meldungen_anzahl=anzahl,
        meldungen_seite=seite,
        meldungen_seiten=seiten,
    )
