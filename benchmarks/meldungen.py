"""Reporting at full RLP size on PostgreSQL: p50/p95 server time of saving a Statusmeldung, of "Meine
Meldungen", and of importing a 60-row Meldebogen (XLSX).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/meldungen.py

Full size: all 36 Kreise and kreisfreie Städte take part in every Maßnahme je Organisation, with five years of
quarterly history (20 Statusmeldungen per pair). Creates and drops its own test database; asserts nothing.
"""

from __future__ import annotations

import datetime as dt
import time
from io import StringIO

from _umgebung import measure_runs, start_django, zeile

WIEDERHOLUNGEN = 60


def create_historie():
    from django.utils import timezone

    from massnahmen.models import Beteiligung, Massnahme, Statusmeldung, Umsetzungsstand
    from massnahmen.services.standsummen import rebuild_standsummen
    from massnahmen.services.verlauf import rebuild_meldungsverlauf
    from strategie.models import Organisation, Strategie
    from strategie.services.mitgliedschaften import sync_strategie

    rlp = Strategie.objects.get(slug="rlp-digitalisierungsstrategie")
    kreise = list(Organisation.objects.filter(art__in=["landkreis", "kreisfreie_stadt"]))
    rlp.organisationen.add(*kreise)
    massnahmen = list(Massnahme.objects.filter(strategie=rlp, umsetzungsart="je_organisation"))
    vorhanden = set(Beteiligung.objects.values_list("massnahme_id", "organisation_id"))
    Beteiligung.objects.bulk_create(
        Beteiligung(massnahme=m, organisation=o) for m in massnahmen for o in kreise if (m.pk, o.pk) not in vorhanden
    )
    Umsetzungsstand.objects.filter(massnahme__in=massnahmen).delete()
    Statusmeldung.objects.filter(massnahme__in=massnahmen).update(berichtsrunde=None)
    Statusmeldung.objects.filter(massnahme__in=massnahmen).delete()
    quartale = [dt.date(2020 + q // 4, 3 * (q % 4) + 1, 1) - dt.timedelta(days=1) for q in range(1, 21)]
    meldungen = [
        Statusmeldung(
            massnahme=m,
            organisation=o,
            stichtag=tag,
            status="in_umsetzung",
            fortschritt=min(5 * i, 95),
            ampel="gruen",
            text=f"Stand {tag:%d.%m.%Y}",
            gemeldet_am=timezone.make_aware(dt.datetime.combine(tag + dt.timedelta(days=10), dt.time(9))),
        )
        for m in massnahmen
        for o in kreise
        for i, tag in enumerate(quartale)
    ]
    Statusmeldung.objects.bulk_create(meldungen, batch_size=2000)
    letzte = {(s.massnahme_id, s.organisation_id): s for s in meldungen if s.stichtag == quartale[-1]}
    Umsetzungsstand.objects.bulk_create(
        Umsetzungsstand(
            massnahme_id=m,
            organisation_id=o,
            letzte_meldung=s,
            stichtag=s.stichtag,
            gemeldet_am=s.gemeldet_am,
            status=s.status,
            fortschritt=s.fortschritt,
            ampel=s.ampel,
        )
        for (m, o), s in letzte.items()
    )
    rebuild_meldungsverlauf()
    rebuild_standsummen(strategie_id=rlp.pk)
    sync_strategie(rlp)
    return rlp, massnahmen, kreise, len(meldungen), quartale[-1]


def main() -> None:
    aufraeumen = start_django()
    try:
        from django.core.management import call_command
        from django.test import Client, override_settings
        from django.urls import reverse

        from massnahmen.models import Massnahme, Umsetzungsstand
        from massnahmen.services import open_berichtsrunde
        from strategie.models import Organisation

        call_command("strategien_laden", stdout=StringIO())
        with override_settings(DEBUG=True):
            call_command("demo_laden", stdout=StringIO())
        start = time.perf_counter()
        rlp, massnahmen, kreise, anzahl, letztes_quartal = create_historie()
        print(
            f"Historie: {len(kreise)} Organisationen × {len(massnahmen)} Maßnahmen je Organisation × 20 Quartale = "
            f"{anzahl} Statusmeldungen ({time.perf_counter() - start:.1f} s)"
        )
        heute = dt.date.today()
        open_berichtsrunde(
            actor=None,
            strategie=rlp,
            titel="Benchmark-Runde",
            stichtag=heute - dt.timedelta(days=90),
            frist=heute + dt.timedelta(days=30),
            massnahmen=list(Massnahme.objects.filter(strategie=rlp, is_archived=False)),
        )

        client = Client()
        assert client.post("/anmelden/", {"username": "demo-kusel", "password": "demo"}).status_code == 302
        kusel = Organisation.objects.get(schluessel="07336")
        massnahme = Massnahme.objects.get(strategie=rlp, code="I.2")
        url = reverse("massnahmen:melden", args=[rlp.slug, massnahme.code]) + f"?organisation={kusel.pk}"
        prefix = f"m{massnahme.pk}-o{kusel.pk}"
        tag = [letztes_quartal]
        runden_tag = [heute - dt.timedelta(days=90)]  # htmx saves report days of the open round: it counts them

        def speichern(htmx: bool = False):
            zaehler = runden_tag if htmx else tag
            zaehler[0] += dt.timedelta(days=1)
            version = Umsetzungsstand.objects.get(massnahme=massnahme, organisation=kusel).version
            daten = {
                f"{prefix}-{k}": v
                for k, v in {
                    "organisation": kusel.pk,
                    "version": version,
                    "stichtag": zaehler[0].isoformat(),
                    "status": "in_umsetzung",
                    "fortschritt": 96,
                    "ampel": "gruen",
                    "text": "Benchmark",
                    "aktion": "einreichen",
                    "ist_korrektur": "on",
                }.items()
            }
            if htmx:  # as on "Meine Meldungen": the item, the round's count and the message come back in one answer
                antwort = client.post(url + "&ansicht=meine", daten, headers={"HX-Request": "true"})
                assert antwort.status_code == 200 and b"erledigt-" in antwort.content, antwort.content[:500]
            else:
                antwort = client.post(url, daten)
                assert antwort.status_code == 302, antwort.content[:500]

        print(zeile("Statusmeldung speichern (POST, Redirect)", measure_runs(speichern, WIEDERHOLUNGEN)))
        print(
            zeile(
                "Statusmeldung speichern (htmx, Meine Meldungen)",
                measure_runs(lambda: speichern(htmx=True), WIEDERHOLUNGEN),
            )
        )
        print(zeile("Meine Meldungen (GET)", measure_runs(lambda: client.get("/meine-meldungen/"), WIEDERHOLUNGEN)))
        importieren = _import_messung(rlp, kusel, heute)
        zeiten = [importieren() * 1000 for _ in range(12)]
        print(zeile("Meldebogen-Import, 60 geänderte Zeilen XLSX (Dienst)", zeiten))
    finally:
        aufraeumen()


def _import_messung(rlp, kusel, heute):
    """A 60-row XLSX Meldebogen of Kusel, exported, every row edited, imported through the upload's service.

    The RLP strategy has 21 Maßnahmen je Organisation; to reach 60 rows the benchmark database gets 39 more,
    named "Benchmark-Maßnahme", in which Kusel takes part (they exist only in this throwaway database)."""
    import io

    from django.contrib.auth import get_user_model
    from openpyxl import load_workbook

    from massnahmen.models import Beteiligung, Massnahme
    from meldebogen.services.export import export_meldebogen
    from meldebogen.services.importe import import_meldebogen
    from strategie.services.mitgliedschaften import sync_strategie

    vorlage = Massnahme.objects.get(strategie=rlp, code="I.1")
    for i in range(39):
        zusatz = Massnahme.objects.create(
            strategie=rlp,
            handlungsfeld=vorlage.handlungsfeld,
            code=f"B.{i + 1}",
            ordnung=100 + i,
            titel=f"Benchmark-Maßnahme {i + 1}",
            umsetzungsart="je_organisation",
        )
        Beteiligung.objects.create(massnahme=zusatz, organisation=kusel)
    sync_strategie(rlp)
    user = get_user_model().objects.get(username="demo-kusel")
    zaehler = [0]

    def einmal():
        zaehler[0] += 1
        datei = export_meldebogen(actor=user, strategie=rlp, organisation=kusel, berichtsrunde=None, format="xlsx")
        mappe = load_workbook(io.BytesIO(datei.inhalt))
        blatt = mappe["Meldebogen"]
        kopf = [z.value for z in blatt[1]]
        for reihe in blatt.iter_rows(min_row=2):
            # after the days the htmx saves above reported
            reihe[kopf.index("Stichtag")].value = heute - dt.timedelta(days=20 - zaehler[0])
            reihe[kopf.index("Status")].value = "in Umsetzung"
            reihe[kopf.index("Fortschritt (%)")].value = 90
            reihe[kopf.index("Sachstand")].value = f"Benchmark-Import {zaehler[0]}"
        puffer = io.BytesIO()
        mappe.save(puffer)
        start = time.perf_counter()
        ergebnis = import_meldebogen(
            actor=user,
            organisation=kusel,
            strategie=rlp,
            berichtsrunde=None,
            datei_bytes=puffer.getvalue(),
            dateiname="meldebogen.xlsx",
        )
        dauer = time.perf_counter() - start
        assert not ergebnis.fehler and ergebnis.gemeldet == 60, (ergebnis.fehler[:3], ergebnis.gemeldet)
        return dauer

    return einmal


if __name__ == "__main__":
    main()
