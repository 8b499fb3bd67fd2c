"""Demo users and demo Statusmeldungen for the embedded mode. Everything created here is marked ist_demo."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from massnahmen import services as massnahmen_services
from massnahmen.models import Massnahme, Statusmeldung
from portal.services.demo_verlauf import load_demo_verlauf
from strategie.models import Mitgliedschaft, Organisation, Strategie
from strategie.services.mitgliedschaften import grant_rolle, sync_strategie

RLP, KGRZ = "rlp-digitalisierungsstrategie", "kgrz-koblenz"
DEMO_PASSWORT = "demo"  # noqa: S105 - documented demo login, refused outside DEBUG
Rolle = Mitgliedschaft.Rolle

# user name, first name, last name, [(strategy, organisation, role)]
DEMO_BENUTZER = [
    ("demo-geschaeftsstelle", "Greta", "Geschäftsstelle (Demo)", [(RLP, "landkreistag", Rolle.GESCHAEFTSSTELLE)]),
    ("demo-lenkungsausschuss", "Lena", "Lenkungsausschuss (Demo)", [(RLP, "landkreistag", Rolle.LENKUNGSAUSSCHUSS)]),
    ("demo-kusel", "Karl", "Kusel (Demo)", [(RLP, "07336", Rolle.BERICHTERSTATTUNG)]),
    ("demo-cochem-zell", "Clara", "Cochem-Zell (Demo)", [(RLP, "07135", Rolle.BERICHTERSTATTUNG)]),
    (
        "demo-kgrz",
        "Kai",
        "KGRZ (Demo)",
        [(KGRZ, "kgrz-koblenz", Rolle.BERICHTERSTATTUNG), (KGRZ, "kgrz-koblenz", Rolle.GESCHAEFTSSTELLE)],
    ),
    ("demo-gast", "Gabi", "Gast Land RLP (Demo)", [(RLP, "land-rlp", Rolle.GAST)]),
]

# Invented reports of a few Kreise on Maßnahmen of the RLP strategy: (code, Kreisschlüssel, stichtag, status,
# fortschritt, ampel, Sachstand, vertraulich)
DEMO_MELDUNGEN = [
    (
        "I.1",
        "07336",
        "2022-06-30",
        "in_umsetzung",
        40,
        "gruen",
        "Externe Unterstützung beauftragt, Erhebung läuft.",
        False,
    ),
    (
        "I.1",
        "07336",
        "2022-12-15",
        "umgesetzt",
        100,
        "gruen",
        "Soll-Ist-Analyse abgeschlossen und der Hausleitung vorgelegt.",
        True,
    ),
    (
        "I.1",
        "07135",
        "2022-09-30",
        "in_umsetzung",
        60,
        "gelb",
        "Analyse der Serverräume verzögert sich wegen Personalwechsel.",
        False,
    ),
    (
        "I.1",
        "07231",
        "2022-11-30",
        "umgesetzt",
        100,
        "gruen",
        "Im Rahmen des EMH-Verbunds gemeinsam mit Cochem-Zell erstellt.",
        False,
    ),
    ("I.1", "07233", "2023-03-31", "umgesetzt", 100, "gelb", "Mit drei Monaten Verspätung abgeschlossen.", False),
    (
        "I.2",
        "07336",
        "2024-06-30",
        "in_umsetzung",
        55,
        "gelb",
        "Rechenzentrum im Audit, kritische Fachverfahren folgen.",
        False,
    ),
    (
        "I.2",
        "07135",
        "2024-09-30",
        "in_planung",
        15,
        "rot",
        "Ausschreibung der Zertifizierung noch nicht erfolgt.",
        False,
    ),
    (
        "VI.1",
        "07336",
        "2025-03-31",
        "in_umsetzung",
        70,
        "gruen",
        "E-Akte in 14 von 20 Fachbereichen eingeführt.",
        False,
    ),
    (
        "VI.1",
        "07135",
        "2025-06-30",
        "in_umsetzung",
        45,
        "gelb",
        "Einführung im Bauamt wegen Fachverfahrenswechsel verschoben.",
        False,
    ),
    (
        "VII.1",
        "07336",
        "2025-06-30",
        "umgesetzt",
        100,
        "gruen",
        "Alle weiterführenden Schulen mit FtB angeschlossen.",
        False,
    ),
]


@dataclass
class Demoergebnis:
    benutzer: int
    meldungen: int


def _check_erlaubt() -> None:
    if not settings.DEBUG:
        raise ImproperlyConfigured(
            "Demo-Daten werden nur im lokalen Entwicklungsbetrieb (DEBUG eingeschaltet) geladen, nie in Produktion."
        )


@transaction.atomic
def load_demo() -> Demoergebnis:
    """Create the demo users, their Mitgliedschaften and demo Statusmeldungen; idempotent."""
    _check_erlaubt()
    User = get_user_model()
    strategien = {s.slug: s for s in Strategie.objects.filter(slug__in=[RLP, KGRZ])}
    if len(strategien) < 2:
        raise ImproperlyConfigured("Bitte laden Sie zuerst die Strategien: manage.py strategien_laden")
    organisationen = {o.kennung: o for o in Organisation.objects.all()}
    organisationen_nach_schluessel = {o.schluessel: o for o in organisationen.values() if o.schluessel}

    for name, vorname, nachname, rollen in DEMO_BENUTZER:
        user, neu = User.objects.get_or_create(
            username=name, defaults={"first_name": vorname, "last_name": nachname, "email": f"{name}@demo.invalid"}
        )
        if neu or not user.check_password(DEMO_PASSWORT):
            user.set_password(DEMO_PASSWORT)
            user.save()
        for slug, kennung, rolle in rollen:
            grant_rolle(
                actor=None,
                user=user,
                strategie=strategien[slug],
                organisation=organisationen[kennung],
                rolle=rolle,
                ist_demo=True,
            )

    neue_meldungen = 0
    massnahmen = {m.code: m for m in Massnahme.objects.filter(strategie=strategien[RLP])}
    for code, kennung, stichtag, status, fortschritt, ampel, text, vertraulich in DEMO_MELDUNGEN:
        stichtag = dt.date.fromisoformat(stichtag)
        massnahme, organisation = massnahmen[code], organisationen[kennung]
        _, neu = Statusmeldung.objects.get_or_create(
            massnahme=massnahme,
            organisation=organisation,
            stichtag=stichtag,
            ist_demo=True,
            defaults={
                "status": status,
                "fortschritt": fortschritt,
                "ampel": ampel,
                "text": f"Demo: {text}",
                "vertraulich": vertraulich,
                "gemeldet_am": timezone.make_aware(dt.datetime.combine(stichtag, dt.time(10))),
            },
        )
        if neu:
            neue_meldungen += 1
            massnahmen_services.refresh_umsetzungsstand(massnahme=massnahme, organisation=organisation)
    neue_meldungen += load_demo_verlauf(strategie=strategien[RLP], organisationen=organisationen_nach_schluessel)
    sync_strategie(strategien[RLP])  # a demo Beteiligung may have changed to "entfällt"
    massnahmen_services.open_demo_berichtsrunde(strategie=strategien[RLP], heute=timezone.localdate())
    return Demoergebnis(benutzer=len(DEMO_BENUTZER), meldungen=neue_meldungen)
