"""The hand-made history the dashboard tests compute their expected figures from."""

import datetime as dt

import pytest
from django.utils import timezone

from massnahmen import services as massnahmen_services
from massnahmen.models import Beteiligung, Massnahme, Meldungsentwurf, Status
from strategie.models import Organisation
from tests.factories import MassnahmeFactory, StatusmeldungFactory

MARKER = "GEHEIM-RISIKO-4711"


def um(tag: str, stunde: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(tag), dt.time(stunde)))


@pytest.fixture
def szenario(rlp, geschaeftsstelle_user):
    hf = rlp.handlungsfelder.order_by("ordnung").first()
    m = MassnahmeFactory(handlungsfeld=hf, frist=dt.date(2025, 6, 30))
    a, b, c, d, e = (Organisation.objects.get(schluessel=s) for s in ("07131", "07132", "07133", "07134", "07135"))
    for org, seit in ((a, "2022-01-01"), (b, None), (c, "2022-01-01"), (d, "2026-03-01"), (e, "2022-01-01")):
        Beteiligung.objects.create(massnahme=m, organisation=org, seit=seit and dt.date.fromisoformat(seit))

    def meldung(org, stichtag, gemeldet, status, fortschritt, **extra):
        StatusmeldungFactory(
            massnahme=m,
            organisation=org,
            stichtag=dt.date.fromisoformat(stichtag),
            gemeldet_am=um(gemeldet),
            status=status,
            fortschritt=fortschritt,
            **extra,
        )

    meldung(a, "2025-06-30", "2025-07-05", Status.IN_UMSETZUNG, 40)
    meldung(a, "2025-06-30", "2025-08-01", Status.IN_UMSETZUNG, 50, ist_korrektur=True)  # correction, same Stichtag
    meldung(a, "2026-03-31", "2026-04-02", Status.UMGESETZT, 100)
    meldung(b, "2025-09-30", "2025-10-01", Status.UMGESETZT, 100, ampel="rot", risiken=MARKER, vertraulich=True)
    meldung(c, "2025-12-31", "2026-01-10", Status.IN_PLANUNG, 10)  # reported after a Datenstand of 05.01.2026
    meldung(d, "2026-06-30", "2026-07-01", Status.IN_UMSETZUNG, 30)  # late joiner
    meldung(e, "2025-03-31", "2025-04-01", Status.IN_PLANUNG, 5)
    Meldungsentwurf.objects.create(
        massnahme=m, organisation=c, status=Status.UMGESETZT, fortschritt=100, von=geschaeftsstelle_user
    )  # a draft never counts
    beteiligung_e = Beteiligung.objects.get(massnahme=m, organisation=e)  # entfällt declared today, after S
    beteiligung_e.entfaellt, beteiligung_e.begruendung = True, "Aufgabe an den Zweckverband übertragen."
    beteiligung_e.save()
    # the Maßnahme and its Beteiligungen were entered in 2022 (D = 2026-03-01 for the late joiner), entfällt today
    Massnahme.history.filter(id=m.pk, history_type="+").update(history_date=um("2022-01-01"))
    Beteiligung.history.filter(massnahme_id=m.pk, history_type="+").update(history_date=um("2022-01-01"))
    Beteiligung.history.filter(massnahme_id=m.pk, organisation_id=d.pk, history_type="+").update(
        history_date=um("2026-02-01")
    )
    for org in (a, b, c, d, e):
        massnahmen_services.refresh_umsetzungsstand(massnahme=m, organisation=org)
    return {"strategie": rlp, "m": m, "orgs": {"a": a, "b": b, "c": c, "d": d, "e": e}}
