"""PDF reports: seconds, pages, peak memory (RSS) and where the time goes, for the RLP ALK-Jahresbericht at full
size, the KGRZ Umsetzungsbericht, and eight RLP reports requested at once from two Celery worker processes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/3 \
        .venv/bin/python benchmarks/bericht.py [--nur-einzeln]

With `--bund`, the ALK-Jahresbericht of the SYNTHETIC national data set instead (400 Organisationen × 200
Maßnahmen, 3.2 million Statusmeldungen; the matrix annex split by Handlungsfeld), in the database that
benchmarks/daten_erzeugen.py built; nothing is created but the Bericht:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/um_bund .venv/bin/python benchmarks/bericht.py --bund

Full size as in benchmarks/meldungen.py: all 36 Kreise and kreisfreie Städte take part in every Maßnahme je
Organisation, with five years of quarterly history. Each single report is rendered in a forked child process so
that its peak RSS is its own (the child starts with Django loaded, as a worker does). Creates and drops its own
test database; asserts nothing but that the reports were made.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import resource
import subprocess
import sys
import time
import uuid
from io import StringIO
from pathlib import Path

from _umgebung import start_django
from meldungen import create_historie

PROJEKT = Path(__file__).resolve().parent.parent


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _einzeln(bericht_id: int, ergebnis) -> None:
    """In the child: the four stages of one render, timed; the same code the task runs."""
    import io

    from django.db import connection
    from django.template.loader import render_to_string
    from django.test.utils import CaptureQueriesContext

    from berichte import pdf
    from berichte.models import Bericht
    from berichte.services.inhalt import build_berichtsinhalt
    from berichte.services.rendern import TEMPLATES

    bericht = Bericht.objects.select_related("strategie").get(pk=bericht_id)
    t0 = time.perf_counter()
    with CaptureQueriesContext(connection) as abfragen:
        inhalt = build_berichtsinhalt(bericht=bericht)
    t1 = time.perf_counter()
    html = render_to_string(TEMPLATES[bericht.art], {"bericht": bericht, "inhalt": inhalt})
    t2 = time.perf_counter()
    dokument = pdf.layout_pdf(html=html, base_url=str(PROJEKT))
    t3 = time.perf_counter()
    ziel = io.BytesIO()
    pdf.write_pdf(document=dokument, ziel=ziel, anhaenge=inhalt.anhaenge, datenstand=bericht.datenstand)
    t4 = time.perf_counter()
    ergebnis.put(
        {
            "abfragen": len(abfragen),
            "zahlen": t1 - t0,
            "html": t2 - t1,
            "layout": t3 - t2,
            "schreiben": t4 - t3,
            "gesamt": t4 - t0,
            "seiten": len(dokument.pages),
            "bytes": len(ziel.getvalue()),
            "rss": _rss_mb(),
        }
    )


def miss_einzeln(name: str, bericht_id: int) -> None:
    from django.db import connections

    connections.close_all()
    kontext = multiprocessing.get_context("fork")
    ergebnis = kontext.Queue()
    prozess = kontext.Process(target=_einzeln, args=(bericht_id, ergebnis))
    prozess.start()
    e = ergebnis.get(timeout=1800)
    prozess.join()
    print(
        f"{name:<34} {e['gesamt']:6.1f} s  {e['seiten']:3d} Seiten  {e['bytes'] / 1024:6.0f} KiB  "
        f"Spitze RSS {e['rss']:6.0f} MB  | Abfragen {e['abfragen']} in {e['zahlen']:.2f} s, HTML {e['html']:.2f} s, "
        f"Layout {e['layout']:.2f} s, PDF schreiben {e['schreiben']:.2f} s"
    )


def _datenbank_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    benutzer = f"{s['USER']}@" if s.get("USER") else ""
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{benutzer}{s.get('HOST') or '127.0.0.1'}{port}/{s['NAME']}"


def miss_acht_gleichzeitig(strategie, geschaeftsstelle) -> None:
    """Eight Berichte requested at once; two prefork worker processes (2 cores) work the queue."""
    from django.conf import settings
    from django.test import override_settings

    from berichte.models import Bericht
    from berichte.services import berichte as services
    from strategie.celery import app

    queue = f"bericht-benchmark-{uuid.uuid4().hex[:8]}"
    umgebung = {**os.environ, "CELERY_EAGER": "0", "DATABASE_URL": _datenbank_url(), "REDIS_URL": settings.REDIS_URL}
    befehl = [str(Path(sys.executable).parent / "celery"), "-A", "strategie", "worker", "--concurrency=2"]
    befehl += ["-l", "warning", "-Q", queue, "-n", f"{queue}@%h", "--without-gossip", "--without-mingle"]
    worker = subprocess.Popen(befehl, cwd=PROJEKT, env=umgebung)
    app.conf.task_always_eager, app.conf.task_default_queue = False, queue
    try:
        time.sleep(8)  # the worker boots Django
        jahre = range(dt.date.today().year - 7, dt.date.today().year + 1)
        start = time.perf_counter()
        with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
            berichte = []
            for jahr in jahre:
                bericht = services.create_bericht(
                    actor=geschaeftsstelle, strategie=strategie, art="alk_jahresbericht", berichtsjahr=jahr
                )
                berichte.append(services.request_bericht_pdf(actor=geschaeftsstelle, bericht=bericht))
        fertig: dict[int, float] = {}
        while len(fertig) < len(berichte) and time.perf_counter() - start < 900:
            for b in Bericht.objects.filter(pk__in=[b.pk for b in berichte]).exclude(
                zustand__in=["angefordert", "in_arbeit"]
            ):
                fertig.setdefault(b.pk, time.perf_counter() - start)
            time.sleep(0.2)
        zustaende = list(Bericht.objects.filter(pk__in=[b.pk for b in berichte]).values_list("zustand", "seiten"))
        gut = sum(1 for z, _ in zustaende if z == "fertig")
        zeiten = sorted(fertig.values())
        print(
            f"{'8 RLP-Berichte gleichzeitig angefordert':<34} {gut} von 8 fertig, keiner abgelehnt; "
            f"alle fertig nach {zeiten[-1]:.1f} s (erster nach {zeiten[0]:.1f} s), 2 Worker-Prozesse; "
            f"Seiten je Bericht {sorted({s for _, s in zustaende})}"
        )
    finally:
        worker.terminate()
        worker.wait(timeout=60)


def main_bund() -> None:
    """The ALK report of the synthetic national data set, in the generator's database."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from berichte.models import Bericht
    from berichte.services import berichte as services
    from massnahmen.models import Statusmeldung
    from strategie.models import Strategie

    strategie = Strategie.objects.get(slug="bund-synthetisch")
    meldungen = Statusmeldung.objects.filter(massnahme__strategie=strategie).count()
    print(
        f"Daten SYNTHETISCH: {strategie.organisationen.count()} Organisationen, {strategie.massnahmen.count()} "
        f"Maßnahmen, {meldungen} Statusmeldungen"
    )
    gs = get_user_model().objects.get(username="benchmark-geschaeftsstelle")
    Bericht.objects.filter(strategie=strategie).delete()
    jahr = timezone.localdate().year - 1
    bericht = services.create_bericht(actor=gs, strategie=strategie, art="alk_jahresbericht", berichtsjahr=jahr)
    bericht = services.request_bericht_pdf(actor=gs, bericht=bericht, enqueue=False)
    miss_einzeln(f"Bund ALK-Jahresbericht {jahr}", bericht.pk)
    Bericht.objects.filter(strategie=strategie).delete()


def main() -> None:
    if "--bund" in sys.argv:
        return main_bund()
    nur_einzeln = "--nur-einzeln" in sys.argv  # skip the eight reports at once
    aufraeumen = start_django()
    try:
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.test import override_settings
        from django.utils import timezone

        from berichte.models import Bericht
        from berichte.services import berichte as services
        from strategie.models import Strategie

        call_command("strategien_laden", stdout=StringIO())
        with override_settings(DEBUG=True):
            call_command("demo_laden", stdout=StringIO())
        rlp, massnahmen, kreise, anzahl, _ = create_historie()
        print(
            f"Daten: {len(kreise)} Organisationen, {len(massnahmen)} Maßnahmen je Organisation, {anzahl} Statusmeldungen"
        )
        print(f"Grundlast des Prozesses (Django geladen): {_rss_mb():.0f} MB")
        User = get_user_model()
        gs = User.objects.get(username="demo-geschaeftsstelle")
        kgrz_gs = User.objects.get(username="demo-kgrz")
        Bericht.objects.all().delete()
        jahr = timezone.localdate().year - 1
        alk = services.create_bericht(actor=gs, strategie=rlp, art="alk_jahresbericht", berichtsjahr=jahr)
        alk = services.request_bericht_pdf(actor=gs, bericht=alk, enqueue=False)
        kgrz = services.create_bericht(
            actor=kgrz_gs,
            strategie=Strategie.objects.get(slug="kgrz-koblenz"),
            art="umsetzungsbericht",
            berichtsjahr=2021,
        )
        kgrz = services.request_bericht_pdf(actor=kgrz_gs, bericht=kgrz, enqueue=False)
        miss_einzeln(f"RLP ALK-Jahresbericht {jahr}", alk.pk)
        miss_einzeln("KGRZ Umsetzungsbericht 2021", kgrz.pk)
        if not nur_einzeln:
            Bericht.objects.all().delete()
            miss_acht_gleichzeitig(rlp, gs)
    finally:
        aufraeumen()


if __name__ == "__main__":
    main()
