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
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from massnahmen.models import Berichtsrunde, Erinnerung, Massnahme, Meldepflicht
from strategie.models import Mitgliedschaft, Organisation

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
            versandt += _remind(berichtsrunde=berichtsrunde, art=art, heute=heute)
    return versandt


def _remind(*, berichtsrunde: Berichtsrunde, art: str, heute: dt.date) -> int:
    offen: dict[int, list[Massnahme]] = defaultdict(list)
    organisationen: dict[int, Organisation] = {}
    for pflicht in (
        Meldepflicht.objects.filter(berichtsrunde=berichtsrunde, statusmeldung__isnull=True)
        .select_related("massnahme__handlungsfeld", "organisation")
        .order_by("organisation__kurzname", "massnahme__handlungsfeld__ordnung", "massnahme__ordnung")
    ):
        offen[pflicht.organisation_id].append(pflicht.massnahme)
        organisationen[pflicht.organisation_id] = pflicht.organisation
    empfaenger = _empfaenger(berichtsrunde=berichtsrunde, organisation_ids=list(offen))

    versandt, ohne_empfaenger = 0, []
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
            continue  # already reminded today
        mail = Erinnerungsmail(berichtsrunde, organisationen[organisation_id], art, massnahmen, an)
        transaction.on_commit(_nach_commit(mail, erinnerung.pk))
        versandt += 1
    if ohne_empfaenger:
        logger.warning(
            "%s: keine Empfänger (Berichterstattung oder Geschäftsstelle) für %s; keine Erinnerung versandt",
            berichtsrunde,
            ", ".join(ohne_empfaenger),
        )
    return versandt


def _empfaenger(*, berichtsrunde: Berichtsrunde, organisation_ids: list[int]) -> dict[int, list[str]]:
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
