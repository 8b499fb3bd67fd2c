"""Reads on Berichtsrunden: who has reported what in a round. A fixed number of queries for any number of rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from handlungsfelder.models import Handlungsfeld
from massnahmen import policies
from massnahmen.models import Berichtsrunde, Massnahme, Meldepflicht
from strategie.models import Mitgliedschaft, Organisation, Strategie


@dataclass(frozen=True)
class Eingang:
    """How many of the owed Meldungen are in."""

    erfuellt: int
    pflichten: int

    @property
    def offen(self) -> int:
        return self.pflichten - self.erfuellt

    @property
    def vollstaendig(self) -> bool:
        return self.erfuellt >= self.pflichten

    @property
    def prozent(self) -> int:
        return round(100 * self.erfuellt / self.pflichten) if self.pflichten else 100


def list_berichtsrunden(*, user, strategie: Strategie) -> list[Berichtsrunde]:
    """Rounds of the strategy, newest Stichtag first, in one query.

    Each carries `.ist_ueberfaellig`, `.eingang` (Meldungen), `.organisationen_vollstaendig` (organisations
    that sent everything, of all that owe) and, for a user reporting for organisations of their own,
    `.eigener_eingang` (else None)."""
    eigene = policies.organisationen_in_berichtsrunde_sichtbar(user, strategie)
    erfuellt = Q(meldepflichten__statusmeldung__isnull=False)
    zaehler = {
        "anzahl_pflichten": Count("meldepflichten", distinct=True),
        "anzahl_erfuellt": Count("meldepflichten", filter=erfuellt, distinct=True),
        "anzahl_organisationen": Count("meldepflichten__organisation", distinct=True),
        "anzahl_organisationen_offen": Count(
            "meldepflichten__organisation", filter=Q(meldepflichten__statusmeldung__isnull=True), distinct=True
        ),
    }
    if eigene:
        eigen = Q(meldepflichten__organisation_id__in=eigene)
        zaehler["eigene_pflichten"] = Count("meldepflichten", filter=eigen, distinct=True)
        zaehler["eigene_erfuellt"] = Count("meldepflichten", filter=eigen & erfuellt, distinct=True)
    runden = list(Berichtsrunde.objects.filter(strategie=strategie).annotate(**zaehler).order_by("-stichtag"))
    heute = timezone.localdate()
    for runde in runden:
        runde.ist_ueberfaellig = ist_ueberfaellig(runde, heute)
        runde.eingang = Eingang(runde.anzahl_erfuellt, runde.anzahl_pflichten)
        runde.organisationen_vollstaendig = Eingang(
            runde.anzahl_organisationen - runde.anzahl_organisationen_offen, runde.anzahl_organisationen
        )
        runde.eigener_eingang = Eingang(runde.eigene_erfuellt, runde.eigene_pflichten) if eigene else None
    return runden


def ist_ueberfaellig(berichtsrunde: Berichtsrunde, heute: dt.date) -> bool:
    """An open round past its Frist."""
    return berichtsrunde.zustand == Berichtsrunde.Zustand.OFFEN and berichtsrunde.frist < heute


def get_berichtsrunde(*, strategie: Strategie, pk: int) -> Berichtsrunde:
    return get_object_or_404(Berichtsrunde.objects.filter(strategie=strategie).select_related("strategie"), pk=pk)


@dataclass
class Organisationszeile:
    organisation: Organisation
    eingang: Eingang
    ist_eigene: bool = False
    offen: list[Massnahme] = field(default_factory=list)  # the Maßnahmen whose Meldung is still missing


@dataclass
class Massnahmenzeile:
    massnahme: Massnahme
    eingang: Eingang


@dataclass
class Rundenstand:
    """The overview of one round: totals over all organisations, the lines the user may read, per Maßnahme."""

    berichtsrunde: Berichtsrunde
    eingang: Eingang  # Meldungen of all organisations
    organisationen_vollstaendig: Eingang  # organisations that sent everything, of all that owe something
    zeilen: list[Organisationszeile] = field(default_factory=list)
    massnahmen: list[Massnahmenzeile] = field(default_factory=list)
    alle_zeilen_sichtbar: bool = True
    ist_ueberfaellig: bool = False


def get_rundenstand(*, user, berichtsrunde: Berichtsrunde) -> Rundenstand:
    """Per organisation how many of its owed Meldungen are in (incomplete first) and which are missing, per
    Maßnahme the same. Four queries, whatever the number of organisations and Maßnahmen."""
    sichtbar = policies.organisationen_in_berichtsrunde_sichtbar(user, berichtsrunde.strategie)
    je_organisation = (
        Meldepflicht.objects.filter(berichtsrunde=berichtsrunde)
        .values("organisation_id")
        .annotate(pflichten=Count("id"), erfuellt=Count("statusmeldung"))
        .order_by()
    )
    ids = [z["organisation_id"] for z in je_organisation]
    eingaenge = {z["organisation_id"]: Eingang(z["erfuellt"], z["pflichten"]) for z in je_organisation}
    organisationen = Organisation.objects.in_bulk([i for i in ids if sichtbar is None or i in sichtbar])
    offen: dict[int, list[Massnahme]] = {}
    for pflicht in (
        Meldepflicht.objects.filter(
            berichtsrunde=berichtsrunde, statusmeldung__isnull=True, organisation__in=organisationen
        )
        .select_related("massnahme")
        .order_by("massnahme__handlungsfeld__ordnung", "massnahme__ordnung")
    ):
        offen.setdefault(pflicht.organisation_id, []).append(pflicht.massnahme)
    zeilen = [
        Organisationszeile(
            o, eingaenge[o.pk], ist_eigene=sichtbar is not None and o.pk in sichtbar, offen=offen.get(o.pk, [])
        )
        for o in organisationen.values()
    ]
    zeilen.sort(key=lambda z: (z.eingang.vollstaendig, z.organisation.kurzname))

    massnahmen = (
        Massnahme.objects.filter(berichtsrunden=berichtsrunde)
        .select_related("handlungsfeld")
        .annotate(
            pflichten=Count("meldepflichten", filter=Q(meldepflichten__berichtsrunde=berichtsrunde)),
            erfuellt=Count(
                "meldepflichten",
                filter=Q(meldepflichten__berichtsrunde=berichtsrunde, meldepflichten__statusmeldung__isnull=False),
            ),
        )
        .order_by("handlungsfeld__ordnung", "ordnung")
    )
    return Rundenstand(
        berichtsrunde=berichtsrunde,
        eingang=Eingang(sum(e.erfuellt for e in eingaenge.values()), sum(e.pflichten for e in eingaenge.values())),
        organisationen_vollstaendig=Eingang(sum(e.vollstaendig for e in eingaenge.values()), len(eingaenge)),
        zeilen=zeilen,
        massnahmen=[Massnahmenzeile(m, Eingang(m.erfuellt, m.pflichten)) for m in massnahmen],
        alle_zeilen_sichtbar=sichtbar is None,
        ist_ueberfaellig=ist_ueberfaellig(berichtsrunde, timezone.localdate()),
    )


def list_erinnerungsempfaenger(*, berichtsrunde: Berichtsrunde, organisation_ids: list[int]) -> dict[int, list[str]]:
    """E-mail addresses per owing organisation: its active Berichterstattung in the strategy, else its active
    Geschäftsstelle members (who report for the Träger). One query."""
    Rolle = Mitgliedschaft.Rolle
    nach_rolle: dict[tuple[int, str], list[str]] = defaultdict(list)
    for organisation_id, rolle, email in (
        Mitgliedschaft.objects.filter(
            strategie=berichtsrunde.strategie,
            organisation_id__in=organisation_ids,
            rolle__in=[Rolle.BERICHTERSTATTUNG, Rolle.GESCHAEFTSSTELLE],
            user__is_active=True,
        )
        .exclude(user__email="")
        .order_by("user__email")
        .values_list("organisation_id", "rolle", "user__email")
        .distinct()
    ):
        nach_rolle[(organisation_id, rolle)].append(email)
    empfaenger = {}
    for organisation_id in organisation_ids:
        an = (
            nach_rolle[(organisation_id, Rolle.BERICHTERSTATTUNG)]
            or nach_rolle[(organisation_id, Rolle.GESCHAEFTSSTELLE)]
        )
        if an:
            empfaenger[organisation_id] = an
    return empfaenger


@dataclass
class Erinnerungsstand:
    """What the round page shows about reminders: those sent, newest first, and the Organisationen that owe
    Meldungen but cannot be reminded because nobody reports for them."""

    erinnerungen: list
    ohne_empfaenger: list[Organisation]


def get_erinnerungsstand(*, berichtsrunde: Berichtsrunde) -> Erinnerungsstand:
    """Reminders of the round and the owing Organisationen without a recipient (see list_erinnerungsempfaenger).
    Three queries, whatever the number of organisations, also when none owes anything."""
    erinnerungen = list(
        berichtsrunde.erinnerungen.select_related("organisation").order_by("-datum", "organisation__kurzname")
    )
    offen = {"meldepflichten__berichtsrunde": berichtsrunde, "meldepflichten__statusmeldung__isnull": True}
    schulden = list(Organisation.objects.filter(**offen).distinct().order_by("kurzname"))
    erreichbar = set(
        Mitgliedschaft.objects.filter(
            strategie=berichtsrunde.strategie,
            rolle__in=[Mitgliedschaft.Rolle.BERICHTERSTATTUNG, Mitgliedschaft.Rolle.GESCHAEFTSSTELLE],
            user__is_active=True,
            **{f"organisation__{k}": v for k, v in offen.items()},
        )
        .exclude(user__email="")
        .values_list("organisation_id", flat=True)
    )
    return Erinnerungsstand(erinnerungen=erinnerungen, ohne_empfaenger=[o for o in schulden if o.pk not in erreichbar])


@dataclass
class Massnahmengruppe:
    handlungsfeld: Handlungsfeld | None  # None: the Maßnahmen of the strategy as a whole
    massnahmen: list[Massnahme]

    @property
    def schluessel(self) -> int:
        """The group's value in the form: the Handlungsfeld's id, 0 for the strategy as a whole."""
        return self.handlungsfeld.pk if self.handlungsfeld else 0


def list_massnahmen_for_berichtsrunde(*, strategie: Strategie) -> list[Massnahmengruppe]:
    """Active Maßnahmen of the strategy grouped by Handlungsfeld (those of the strategy as a whole last), for
    choosing a round's scope. One query."""
    gruppen: dict[int, Massnahmengruppe] = {}
    for massnahme in (
        Massnahme.objects.filter(strategie=strategie, is_archived=False)
        .select_related("handlungsfeld")
        .order_by("handlungsfeld__ordnung", "ordnung")
    ):
        gruppe = gruppen.setdefault(massnahme.handlungsfeld_id, Massnahmengruppe(massnahme.handlungsfeld, []))
        gruppe.massnahmen.append(massnahme)
    return list(gruppen.values())
