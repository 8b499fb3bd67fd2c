"""Invented, labelled history for the dashboard demo: half-yearly Meldungen of a dozen Kreise over two years.

Everything here is demo data: every Statusmeldung is `ist_demo=True` and its Sachstand starts with "Demo:". The
progression is computed from fixed numbers (no randomness), so loading twice gives the same rows. It uses the
Maßnahmen je Organisation of Handlungsfelder II–V, which the open demo round does not ask for, and leaves out
the Kreise of the demo logins (Kusel, Cochem-Zell), so their own pages keep showing only their demo reports.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from massnahmen import services as massnahmen_services
from massnahmen.models import Beteiligung, Massnahme, Statusmeldung

KREISE = ["07131", "07132", "07133", "07134", "07137", "07138", "07140", "07141", "07143", "07231", "07232", "07233"]
MASSNAHMEN = ["II.4", "III.3", "IV.3", "IV.5", "V.3", "V.4"]
STICHTAGE = ["2024-12-31", "2025-06-30", "2025-12-31", "2026-06-30", "2026-10-31"]
TEXTE = {
    "nicht_begonnen": "Demo: Noch nicht begonnen; Zuständigkeit im Haus wird geklärt.",
    "in_planung": "Demo: Bedarf erhoben, Vorlage für den Kreisausschuss in Arbeit.",
    "in_umsetzung": "Demo: Umsetzung läuft, {fortschritt} Prozent der geplanten Schritte erledigt.",
    "umgesetzt": "Demo: Abgeschlossen und in den Regelbetrieb übergeben.",
    "zurueckgestellt": "Demo: Wegen der Haushaltslage auf das kommende Jahr verschoben.",
}
RISIKO = "Demo: Personalengpass in der IT-Abteilung; Ausschreibung verzögert sich."
VERTRAULICH = ("07138", "II.4", "2025-12-31")  # a finding from an IS audit: text for the Kreis and the Geschäftsstelle
KORREKTUR = ("07131", "III.3", "2025-06-30")  # reported again the same Stichtag, a little further on
ENTFAELLT = ("07232", "V.4", "Demo: Die Aufgabe hat der Zweckverband übernommen; sie entfällt für den Kreis.")
ZURUECKGESTELLT = ("07141", "IV.5")


def _verlauf(kreis: int, massnahme: int) -> list[tuple[str, int, str]]:
    """(status, fortschritt, ampel) per Stichtag for one pair: a fixed pace per pair, never going backwards."""
    tempo = (kreis * 7 + massnahme * 13) % 5  # 0 (stuck) … 4 (fast)
    start = (kreis * 3 + massnahme * 5) % 4 * 5
    ergebnis = []
    for runde in range(len(STICHTAGE)):
        fortschritt = min(100, start + tempo * 9 * runde + (5 if tempo and runde else 0))
        if fortschritt == 0:
            status = "nicht_begonnen"
        elif fortschritt < 25:
            status = "in_planung"
        elif fortschritt < 100:
            status = "in_umsetzung"
        else:
            status = "umgesetzt"
        ampel = "gruen" if tempo >= 3 or status == "umgesetzt" else ("gelb" if tempo >= 1 or runde < 2 else "rot")
        ergebnis.append((status, fortschritt, ampel))
    return ergebnis


def _um(tag: dt.date, tage: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(tag + dt.timedelta(days=tage), dt.time(10)))


def load_demo_verlauf(*, strategie, organisationen: dict[str, object]) -> int:
    """Create the history (idempotent); returns the number of new Statusmeldungen."""
    jetzt = timezone.now()
    massnahmen = {m.code: m for m in Massnahme.objects.filter(strategie=strategie, code__in=MASSNAHMEN)}
    neu_gesamt = 0
    for i, schluessel in enumerate(KREISE):
        organisation = organisationen.get(schluessel)
        if organisation is None:
            continue
        for j, code in enumerate(MASSNAHMEN):
            massnahme = massnahmen.get(code)
            if (
                massnahme is None
                or not Beteiligung.objects.filter(massnahme=massnahme, organisation=organisation).exists()
            ):
                continue
            neu = 0
            for runde, ((status, fortschritt, ampel), tag) in enumerate(zip(_verlauf(i, j), STICHTAGE, strict=True)):
                stichtag = dt.date.fromisoformat(tag)
                if runde == len(STICHTAGE) - 1 and (i + j) % 2:
                    continue  # only half report the latest Stichtag: the rest is still outstanding
                if (schluessel, code) == ZURUECKGESTELLT[:2] and runde >= 2:
                    status, ampel = "zurueckgestellt", "gelb"
                gemeldet = _um(stichtag, 3 + (i + j) % 20)
                if stichtag > timezone.localdate() or gemeldet > jetzt:
                    continue
                vertraulich = (schluessel, code, tag) == VERTRAULICH
                werte = {
                    "status": status,
                    "fortschritt": fortschritt,
                    "ampel": ampel,
                    "text": TEXTE[status].format(fortschritt=fortschritt),
                    "risiken": RISIKO if ampel == "rot" else "",
                    "vertraulich": vertraulich,
                    "gemeldet_am": gemeldet,
                }
                if vertraulich:
                    werte["risiken"] = "Demo: Befund aus dem IS-Audit, Details nur für Kreis und Geschäftsstelle."
                    werte["ampel"] = "rot"
                _, angelegt = Statusmeldung.objects.get_or_create(
                    massnahme=massnahme,
                    organisation=organisation,
                    stichtag=stichtag,
                    ist_demo=True,
                    ist_korrektur=False,
                    defaults=werte,
                )
                neu += angelegt
                if (schluessel, code, tag) == KORREKTUR:
                    korrigiert = {**werte, "fortschritt": min(99, fortschritt + 5), "gemeldet_am": _um(stichtag, 40)}
                    korrigiert["text"] = "Demo: Korrektur – die Schulungen im Juni waren noch nicht mitgezählt."
                    _, angelegt = Statusmeldung.objects.get_or_create(
                        massnahme=massnahme,
                        organisation=organisation,
                        stichtag=stichtag,
                        ist_demo=True,
                        ist_korrektur=True,
                        defaults=korrigiert,
                    )
                    neu += angelegt
            if neu:
                massnahmen_services.refresh_umsetzungsstand(massnahme=massnahme, organisation=organisation)
            neu_gesamt += neu
    schluessel, code, begruendung = ENTFAELLT
    beteiligung = Beteiligung.objects.filter(
        massnahme__code=code, massnahme__strategie=strategie, organisation__schluessel=schluessel, entfaellt=False
    ).first()
    if beteiligung is not None and neu_gesamt:  # declared after the 2025 Stichtage: counts there, not today
        beteiligung.entfaellt, beteiligung.begruendung = True, begruendung
        beteiligung._change_reason = "Demo: Maßnahme entfällt für die Organisation"
        beteiligung.save()
        massnahmen_services.write_standsummen(
            massnahme_id=beteiligung.massnahme_id, organisation_id=beteiligung.organisation_id
        )
    return neu_gesamt
