"""Reminders: organisations that still owe Meldungen in an open Berichtsrunde get one e-mail on the reminder days.

Reminder days of a round: `frist − erinnerung_tage_vor_frist`, the first day after the Frist, and every 7 days
after that while the round is open. The Erinnerung row (unique per round, organisation and day) is written
before the e-mail is queued; when it exists already, the organisation is skipped. So the task runs hourly in
office hours and may be retried without anybody getting a second e-mail that day; an e-mail the mail server
refuses drops its row again, so the next hourly run tries once more.

Recipients are the organisation's Berichterstattung in the strategy; an organisation without one (the Träger,
which owes the gemeinsame Maßnahmen without Federführung and reports them through its Geschäftsstelle) is
reminded through its Geschäftsstelle members. An organisation with no recipient at all gets no Erinnerung row,
only a warning in the log, so the next run tries again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from massnahmen.models import Berichtsrunde, Erinnerung, Massnahme, Meldepflicht
from massnahmen.selectors.berichtsrunden import list_erinnerungsempfaenger
from strategie import policies as strategie_policies
from strategie.models import Organisation

logger = logging.getLogger(__name__)

WIEDERHOLUNG_TAGE = 7


def erinnerungsart(berichtsrunde: Berichtsrunde, heute: dt.date) -> str | None:
    """Which reminder is due for an open round on `heute`, if any."""
    if heute == berichtsrunde.frist - dt.timedelta(days=berichtsrunde.erinnerung_tage_vor_frist):
        return Erinnerung.Art.VOR_FRIST
    if heute > berichtsrunde.frist and (heute - berichtsrunde.frist).days % WIEDERHOLUNG_TAGE == 1:
        return Erinnerung.Art.UEBERFAELLIG
    return None


@dataclass(frozen=True)
class Erinnerungsmail:
    """What one reminder e-mail says; built inside the transaction, sent after it committed."""

    berichtsrunde: Berichtsrunde
    organisation: Organisation
    art: str
    massnahmen: list[Massnahme]
    empfaenger: list[str]


@transaction.atomic
def send_erinnerungen(*, heute: dt.date) -> int:
    """Remind every organisation that still owes Meldungen in an open round whose reminder day is `heute`.
    Returns the number of e-mails queued (sent once the transaction has committed)."""
    versandt = 0
    for berichtsrunde in Berichtsrunde.objects.filter(zustand=Berichtsrunde.Zustand.OFFEN).select_related("strategie"):
        art = erinnerungsart(berichtsrunde, heute)
        if art is not None:
            versandt += len(_remind(berichtsrunde=berichtsrunde, art=art, heute=heute).versandt)
    return versandt


@dataclass
class Erinnerungslauf:
    """What one reminder run of a round did, by Organisation (short names)."""

    versandt: list[str]
    heute_schon: list[str]  # reminded earlier today: never twice a day
    ohne_empfaenger: list[str]  # nobody reports for them: they cannot be reminded


@transaction.atomic
def send_erinnerungen_jetzt(*, actor, berichtsrunde: Berichtsrunde, heute: dt.date) -> Erinnerungslauf:
    """The Geschäftsstelle's button: remind now every Organisation that still owes Meldungen in the open round,
    except those reminded today already. Works without Celery beat (the e-mails go after the commit)."""
    if not strategie_policies.can_manage_strategie(actor, berichtsrunde.strategie):
        raise PermissionDenied
    if berichtsrunde.zustand != Berichtsrunde.Zustand.OFFEN:
        raise ValidationError("Für eine geschlossene Berichtsrunde werden keine Erinnerungen versandt.")
    art = Erinnerung.Art.UEBERFAELLIG if heute > berichtsrunde.frist else Erinnerung.Art.VOR_FRIST
    return _remind(berichtsrunde=berichtsrunde, art=art, heute=heute)


def _remind(*, berichtsrunde: Berichtsrunde, art: str, heute: dt.date) -> Erinnerungslauf:
    offen: dict[int, list[Massnahme]] = defaultdict(list)
    organisationen: dict[int, Organisation] = {}
    for pflicht in (
        Meldepflicht.objects.filter(berichtsrunde=berichtsrunde, statusmeldung__isnull=True)
        .select_related("massnahme__handlungsfeld", "organisation")
        .order_by("organisation__kurzname", "massnahme__handlungsfeld__ordnung", "massnahme__ordnung")
    ):
        offen[pflicht.organisation_id].append(pflicht.massnahme)
        organisationen[pflicht.organisation_id] = pflicht.organisation
    empfaenger = list_erinnerungsempfaenger(berichtsrunde=berichtsrunde, organisation_ids=list(offen))

    lauf = Erinnerungslauf([], [], [])
    ohne_empfaenger = lauf.ohne_empfaenger
    for organisation_id, massnahmen in offen.items():
        an = empfaenger.get(organisation_id, [])
        if not an:
            ohne_empfaenger.append(organisationen[organisation_id].kurzname)
            continue  # no Erinnerung row: the next run tries again
        try:
            with transaction.atomic():
                erinnerung = Erinnerung.objects.create(
                    berichtsrunde=berichtsrunde,
                    organisation_id=organisation_id,
                    datum=heute,
                    art=art,
                    offene_meldungen=len(massnahmen),
                    empfaenger=", ".join(an),
                )
        except IntegrityError:
            lauf.heute_schon.append(organisationen[organisation_id].kurzname)
            continue  # already reminded today
        mail = Erinnerungsmail(berichtsrunde, organisationen[organisation_id], art, massnahmen, an)
        transaction.on_commit(_nach_commit(mail, erinnerung.pk))
        lauf.versandt.append(organisationen[organisation_id].kurzname)
    if ohne_empfaenger:
        logger.warning(
            "%s: keine Empfänger (Berichterstattung oder Geschäftsstelle) für %s; keine Erinnerung versandt",
            berichtsrunde,
            ", ".join(ohne_empfaenger),
        )
    return lauf


def _nach_commit(mail: Erinnerungsmail, erinnerung_id: int):
    def send_erinnerung() -> None:
        """A refused send must not stop the other reminders; it forgets its Erinnerung row, so the next run of the
        day (hourly, see strategie/celery.py) tries again and nobody is reminded twice."""
        try:
            build_erinnerung_email(mail).send()
        except Exception:  # noqa: BLE001 - SMTP, DNS, connection: any failure means "not sent"
            logger.exception(
                "Erinnerung an %s nicht versandt; der nächste Lauf versucht es erneut", ", ".join(mail.empfaenger)
            )
            Erinnerung.objects.filter(pk=erinnerung_id).delete()

    return send_erinnerung


def build_erinnerung_email(mail: Erinnerungsmail) -> EmailMultiAlternatives:
    """The German reminder, as plain text with an HTML alternative."""
    runde = mail.berichtsrunde
    portal_url = settings.PORTAL_URL.rstrip("/")
    context = {
        "berichtsrunde": runde,
        "strategie": runde.strategie,
        "organisation": mail.organisation,
        "massnahmen": mail.massnahmen,
        "massnahmen_mit_url": [
            (massnahme, portal_url + reverse("massnahmen:detail", args=[runde.strategie.slug, massnahme.code]))
            for massnahme in mail.massnahmen
        ],
        "ueberfaellig": mail.art == Erinnerung.Art.UEBERFAELLIG,
        "meine_meldungen_url": portal_url + "/meine-meldungen/",
        "portal_name": settings.PORTAL_NAME,
    }
    if mail.art == Erinnerung.Art.UEBERFAELLIG:
        betreff = f"Frist überschritten: Statusmeldungen für „{runde.titel}“ stehen noch aus"
    else:
        betreff = f"Erinnerung: Statusmeldungen für „{runde.titel}“ bis {runde.frist:%d.%m.%Y}"
    email = EmailMultiAlternatives(
        subject=betreff, body=render_to_string("emails/erinnerung.txt", context), to=mail.empfaenger
    )
    email.attach_alternative(render_to_string("emails/erinnerung.html", context), "text/html")
    return email
