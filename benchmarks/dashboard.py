"""Server time of the dashboard on the SYNTHETIC data set of benchmarks/daten_erzeugen.py, and of its bare SQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/um_bund .venv/bin/python benchmarks/dashboard.py [--n 30]

p50/p95 over n requests after two warm-up requests each: dashboard today (also compared with the last quarter's
end), a past Stichtag (alone and with a comparison), the matrix of one Handlungsfeld, an Organisationsprofil and the
CSV export; then the bare SQL that computes the dashboard's figures (the statements of `berichte.selectors.summen`
the page runs: the summed pairs, with the comparison and, for a past Stichtag, the last Meldung per Organisation
read in the same statement) and the ratio page / SQL; last every statement one request of the page sends, replayed
through the driver's cursor in one transaction, and the ratio page / all its statements. The process freezes what it
holds after its first requests, as a server process does (strategie/speicher.py). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategie.settings.dev")

from _umgebung import measure_runs, p, zeile  # noqa: E402

SLUG, LA_BENUTZER = "bund-synthetisch", "benchmark-lenkungsausschuss"


def main() -> None:
    argumente = argparse.ArgumentParser()
    argumente.add_argument("--n", type=int, default=30)
    n = argumente.parse_args().n

    import django

    django.setup()
    import datetime as dt

    from django.conf import settings

    settings.SPEICHER_EINFRIEREN = True  # as in a server process (strategie/speicher.py)

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from berichte.selectors import Zeitpunkt
    from berichte.selectors.stand import Auswahl
    from berichte.selectors.summen import read_gesamtsummen
    from massnahmen.models import Statusmeldung
    from strategie.models import Strategie

    strategie = Strategie.objects.get(slug=SLUG)
    meldungen = Statusmeldung.objects.filter(massnahme__strategie=strategie).count()
    print(
        f"Datenbank {connection.settings_dict['NAME']}: SYNTHETISCH {strategie.organisationen.count()} "
        f"Organisationen, {strategie.massnahmen.count()} Maßnahmen, {meldungen} Statusmeldungen"
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=LA_BENUTZER))
    organisation = strategie.organisationen.order_by("kennung").first().kennung
    heute = dt.date.today()
    vorige = dt.date(heute.year, 3 * ((heute.month - 1) // 3) + 1, 1) - dt.timedelta(days=1)  # last quarter's end
    basis = f"/{SLUG}"
    anfragen = {
        "Dashboard heute": (f"{basis}/dashboard/", {}),
        # after a Berichtsrunde the page compares with its Stichtag by default: one reading of the history more
        f"Dashboard heute, Vergleich {vorige.strftime('%d.%m.%Y')}": (
            f"{basis}/dashboard/",
            {"vergleich": vorige.isoformat()},
        ),
        "Dashboard Stichtag 31.12.2020": (f"{basis}/dashboard/", {"stichtag": "2020-12-31"}),
        "Dashboard Stichtag 31.12.2020, Vergleich 30.06.2020": (
            f"{basis}/dashboard/",
            {"stichtag": "2020-12-31", "vergleich": "2020-06-30"},
        ),
        "Matrix eines Handlungsfelds (heute)": (f"{basis}/dashboard/", {"handlungsfeld": "1"}),
        "Organisationsprofil (heute)": (f"{basis}/organisationen/{organisation}/", {}),
        "CSV-Export Matrix (heute)": (f"{basis}/dashboard/export/matrix.csv", {}),
    }
    ergebnisse = {}
    for name, (pfad, parameter) in anfragen.items():
        for _ in range(2):
            assert client.get(pfad, parameter).status_code == 200
        ergebnisse[name] = measure_runs(lambda pfad=pfad, parameter=parameter: client.get(pfad, parameter), n)
        print(zeile(name, ergebnisse[name]))

    # the bare SQL: the statements that compute the page's figures, with nothing of Django around them but the call
    heute = Zeitpunkt.heute()
    vergangen = Zeitpunkt.am(dt.date(2020, 12, 31))
    vergleich = vergangen.mit_stichtag(dt.date(2020, 6, 30))
    alle = Auswahl()

    def gesamt(zeitpunkt, mit=None):  # for a past Stichtag with "letzte Meldung" per Organisation, as the page
        read_gesamtsummen(
            strategie=strategie,
            zeitpunkt=zeitpunkt,
            auswahl=alle,
            je_massnahme=5,
            vergleich=mit,
            letzte_meldungen=True,
        )

    sql = {
        "Dashboard heute": measure_runs(lambda: gesamt(heute), n),
        "Dashboard Stichtag 31.12.2020": measure_runs(lambda: gesamt(vergangen), n),
        "Dashboard Stichtag 31.12.2020, Vergleich 30.06.2020": measure_runs(lambda: gesamt(vergangen, vergleich), n),
    }
    for name, werte in sql.items():
        print(zeile(f"bare SQL: {name}", werte))
    for name, werte in sql.items():
        print(f"Verhältnis Seite/SQL (p50), {name}: {p(ergebnisse[name], 50) / p(werte, 50):.2f}")

    # the floor of the whole page: every statement one request sends (session, user, strategy, filter choices,
    # figures, last Meldungen, Termine …), sent again straight through the driver's cursor and fetched
    for name in sql:
        pfad, parameter = anfragen[name]
        anweisungen = []

        def erfassen(execute, text, werte, many, context, anweisungen=anweisungen):
            anweisungen.append((text, werte))
            return execute(text, werte, many, context)

        with connection.execute_wrapper(erfassen):
            client.get(pfad, parameter)
        assert all(text.lstrip().upper().startswith(("SELECT", "WITH", "SET LOCAL")) for text, _ in anweisungen), (
            "reads only"
        )

        def nachspielen(anweisungen=anweisungen):  # in one transaction, as SET LOCAL needs
            with connection.connection.transaction(), connection.connection.cursor() as cursor:
                for text, werte in anweisungen:
                    cursor.execute(text, werte)
                    if cursor.description is not None:  # not for SET
                        cursor.fetchall()

        nachspielen()
        werte = measure_runs(nachspielen, n)
        print(zeile(f"bare SQL, alle {len(anweisungen)} Anweisungen der Seite: {name}", werte))
        print(f"Verhältnis Seite/alle Anweisungen (p50), {name}: {p(ergebnisse[name], 50) / p(werte, 50):.2f}")


if __name__ == "__main__":
    main()
