"""Hand-made history of one Maßnahme je Organisation: the as-of figures equal those computed here from the raw
Statusmeldungen (corrections, a late joiner, entfällt declared after the Stichtag, a draft, vertraulich, a
Meldung reported after the Datenstand)."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from berichte.selectors import BERICHT, NUR_AGGREGATE, Filter, Sichtbarkeit, Zeitpunkt, read_uebersicht
from berichte.selectors.ergebnisse import KEINE_MELDUNG, NICHT_BETEILIGT
from berichte.selectors.kennzahlen import read_massnahmen
from berichte.selectors.stand import Auswahl
from berichte.selectors.summen import read_organisationssummen
from massnahmen import services as massnahmen_services
from massnahmen.models import NEUESTE_ZUERST, Beteiligung, Massnahme, Status, Statusmeldung
from tests.berichte.conftest import MARKER, um
from tests.berichte.hilfen import read_stand, schreibe_fort
from tests.conftest import RLP
from tests.factories import MassnahmeFactory, StatusmeldungFactory


def _roh(m, org, stichtag: dt.date, datenstand: dt.datetime) -> Statusmeldung | None:
    """The rule computed by hand from the raw rows: latest by NEUESTE_ZUERST among those known and due."""
    kandidaten = [
        s
        for s in Statusmeldung.objects.filter(massnahme=m, organisation=org)
        if s.stichtag <= stichtag and s.gemeldet_am <= datenstand
    ]
    schluessel = [(f.lstrip("-"), f.startswith("-")) for f in NEUESTE_ZUERST]
    kandidaten.sort(key=lambda s: tuple(getattr(s, f) for f, _ in schluessel), reverse=True)
    return kandidaten[0] if kandidaten else None


@pytest.mark.parametrize(
    ("stichtag", "datenstand", "erwartet"),
    [
        # S = 31.12.2025, D = now: A's correction (50), B umgesetzt, C's late report counts, D not yet, E still in
        (
            "2025-12-31",
            None,
            {
                "a": Status.IN_UMSETZUNG,
                "b": Status.UMGESETZT,
                "c": Status.IN_PLANUNG,
                "d": NICHT_BETEILIGT,
                "e": Status.IN_PLANUNG,
            },
        ),
        # D = 05.01.2026: C's Meldung was not in yet
        (
            "2025-12-31",
            "2026-01-05",
            {
                "a": Status.IN_UMSETZUNG,
                "b": Status.UMGESETZT,
                "c": KEINE_MELDUNG,
                "d": None,
                "e": Status.IN_PLANUNG,
            },
        ),
        # D = 10.07.2025: A's first report before its correction
        (
            "2025-06-30",
            "2025-07-10",
            {
                "a": Status.IN_UMSETZUNG,
                "b": KEINE_MELDUNG,
                "c": KEINE_MELDUNG,
                "d": None,
                "e": Status.IN_PLANUNG,
            },
        ),
    ],
)
def test_as_of_figures_equal_raw_statusmeldungen(szenario, stichtag, datenstand, erwartet):
    m, orgs = szenario["m"], szenario["orgs"]
    zeitpunkt = Zeitpunkt.am(dt.date.fromisoformat(stichtag), datenstand and um(datenstand, 23))

    stand = read_stand(strategie=szenario["strategie"], zeitpunkt=zeitpunkt)

    ergebnis = stand.massnahmen[m.pk]
    for name, org in orgs.items():
        if erwartet[name] is None:  # its Beteiligung was entered after the Datenstand
            assert (m.pk, org.pk) not in stand.zellen
            continue
        zelle = stand.zellen[(m.pk, org.pk)]
        assert zelle.zustand == erwartet[name], name
        roh = _roh(m, org, zeitpunkt.stichtag, zeitpunkt.datenstand)
        if zelle.zustand not in (KEINE_MELDUNG, NICHT_BETEILIGT):
            assert (zelle.fortschritt, zelle.stichtag) == (roh.fortschritt, roh.stichtag)
        else:
            assert zelle.zustand == NICHT_BETEILIGT or roh is None
    im_nenner = [n for n, z in erwartet.items() if z not in (None, NICHT_BETEILIGT, Status.ENTFAELLT)]
    assert ergebnis.nenner == len(im_nenner)
    assert ergebnis.quote == f"{sum(erwartet[n] == Status.UMGESETZT for n in im_nenner)} von {len(im_nenner)}"
    if stichtag == "2025-06-30" and datenstand == "2025-07-10":
        assert stand.zellen[(m.pk, orgs["a"].pk)].fortschritt == 40


def test_today_entfaellt_leaves_denominator_and_late_joiner_counts(szenario):
    m, orgs = szenario["m"], szenario["orgs"]

    stand = read_stand(strategie=szenario["strategie"], zeitpunkt=Zeitpunkt.heute())

    ergebnis = stand.massnahmen[m.pk]
    assert stand.zellen[(m.pk, orgs["e"].pk)].zustand == Status.ENTFAELLT
    assert stand.zellen[(m.pk, orgs["d"].pk)].zustand == Status.IN_UMSETZUNG
    assert stand.zellen[(m.pk, orgs["c"].pk)].zustand == Status.IN_PLANUNG  # not the draft's "umgesetzt"
    assert (ergebnis.quote, ergebnis.entfallen, ergebnis.status) == ("2 von 4", 1, Status.IN_UMSETZUNG)
    assert ergebnis.ueberfaellig  # Frist 30.06.2025 passed, not umgesetzt by all


def test_vertraulich_risiken_only_for_readers_of_the_reporting_organisation(szenario):
    strategie, m, b = szenario["strategie"], szenario["m"], szenario["orgs"]["b"]
    zeitpunkt = Zeitpunkt.am(dt.date(2025, 12, 31))

    def rot(sichtbarkeit):
        uebersicht = read_uebersicht(strategie=strategie, zeitpunkt=zeitpunkt, sichtbarkeit=sichtbarkeit)
        return next(r for r in uebersicht.rote_ampeln if r.massnahme.id == m.pk)

    assert rot(BERICHT).risiken is None and rot(BERICHT).vertraulich and rot(BERICHT).organisation.id == b.pk
    assert rot(Sichtbarkeit(details=True, vertraulich_lesbar_fuer=frozenset({b.pk}))).risiken == MARKER
    assert rot(NUR_AGGREGATE).organisation is None and rot(NUR_AGGREGATE).risiken is None
    assert read_uebersicht(strategie=strategie, zeitpunkt=zeitpunkt, sichtbarkeit=NUR_AGGREGATE).matrix is None


def test_uebersicht_needs_same_queries_for_past_and_today(szenario, django_assert_max_num_queries):
    with django_assert_max_num_queries(11):  # two set and reset the planner for the figures' query
        read_uebersicht(
            strategie=szenario["strategie"], zeitpunkt=Zeitpunkt.am(dt.date(2025, 12, 31)), sichtbarkeit=BERICHT
        )
    with django_assert_max_num_queries(9):
        read_uebersicht(strategie=szenario["strategie"], zeitpunkt=Zeitpunkt.heute(), sichtbarkeit=BERICHT)


def test_past_figures_set_the_planner_for_their_query_only(szenario):
    """The figures of a past Stichtag are read without a merge join (`berichte.selectors.stand.abfragen`), and the
    setting ends with that query, also inside a transaction (as here)."""
    gesendet = []

    def mitschreiben(execute, sql, params, many, context):
        gesendet.append(" ".join(sql.split())[:40])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(mitschreiben):
        read_uebersicht(
            strategie=szenario["strategie"], zeitpunkt=Zeitpunkt.am(dt.date(2025, 12, 31)), sichtbarkeit=BERICHT
        )
    aus = gesendet.index("SET LOCAL enable_mergejoin = off")
    assert gesendet[aus + 1].startswith("WITH") and gesendet[aus + 2] == "SET LOCAL enable_mergejoin TO DEFAULT"
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_mergejoin")
        assert cursor.fetchone()[0] == "on"


def test_meldung_written_just_after_a_recorded_datenstand_does_not_count(szenario):
    """A Bericht's Datenstand is history at once: a Stichtag at year end and a Meldung a moment after D."""
    m, a = szenario["m"], szenario["orgs"]["a"]
    datenstand = timezone.now()
    zeitpunkt = Zeitpunkt.am(timezone.localdate() + dt.timedelta(days=30), datenstand)
    StatusmeldungFactory(
        massnahme=m,
        organisation=szenario["orgs"]["c"],
        stichtag=timezone.localdate(),
        gemeldet_am=datenstand + dt.timedelta(milliseconds=1),
        status=Status.UMGESETZT,
        fortschritt=100,
    )
    massnahmen_services.refresh_umsetzungsstand(massnahme=m, organisation=szenario["orgs"]["c"])

    stand = read_stand(strategie=szenario["strategie"], zeitpunkt=zeitpunkt)

    assert not zeitpunkt.live
    assert stand.zellen[(m.pk, szenario["orgs"]["c"].pk)].zustand == Status.IN_PLANUNG
    assert stand.zellen[(m.pk, a.pk)].zustand == Status.UMGESETZT


def test_completeness_at_a_past_datenstand_counts_a_meldung_later_replaced_by_a_correction(
    rlp, i2, kusel, kusel_user, geschaeftsstelle_user
):
    from massnahmen.services.statusmeldungen import Meldung, record_statusmeldung
    from tests.meldebogen.meldebogen_hilfen import open_runde

    runde = open_runde(rlp, geschaeftsstelle_user, codes=("I.2",), tage_zurueck=3)

    def melde(fortschritt: int, korrektur: bool):
        record_statusmeldung(
            actor=kusel_user,
            massnahme=i2,
            organisation=kusel,
            meldung=Meldung(
                stichtag=runde.stichtag, status="in_umsetzung", fortschritt=fortschritt, ist_korrektur=korrektur
            ),
            erwartete_version=None,
        )

    melde(70, korrektur=False)
    datenstand = timezone.now()
    melde(75, korrektur=True)  # the round's Meldepflicht now points to this correction, written after D

    uebersicht = read_uebersicht(
        strategie=rlp, zeitpunkt=Zeitpunkt.am(runde.stichtag, datenstand), sichtbarkeit=BERICHT
    )

    zeile = next(v for v in uebersicht.vollstaendigkeit if v.organisation.id == kusel.pk)
    assert (zeile.geschuldet, zeile.eingegangen) == (1, 1)


def test_last_meldung_counts_only_the_massnahmen_the_filter_leaves(szenario):
    """Kreis a's latest Meldung is on a Maßnahme of another Handlungsfeld, umgesetzt: the Vollständigkeit names it
    without a filter, and under a Handlungsfeld or status filter that leaves that Maßnahme out the latest on those
    left, as the raw Statusmeldungen give it; today (one probe per Organisation) and for a past Stichtag."""
    rlp, m, a = szenario["strategie"], szenario["m"], szenario["orgs"]["a"]
    m2 = MassnahmeFactory(handlungsfeld=rlp.handlungsfelder.exclude(pk=m.handlungsfeld_id).first())
    Beteiligung.objects.create(massnahme=m2, organisation=a)
    neueste = StatusmeldungFactory(
        massnahme=m2,
        organisation=a,
        stichtag=timezone.localdate() - dt.timedelta(days=1),
        gemeldet_am=timezone.now(),
        status=Status.UMGESETZT,
        fortschritt=100,
    )
    massnahmen_services.refresh_umsetzungsstand(massnahme=m2, organisation=a)

    heute, gestern = Zeitpunkt.heute(), Zeitpunkt.am(timezone.localdate() - dt.timedelta(days=1))
    for zeitpunkt in (heute, gestern):
        for auswahl in (
            Filter(),
            Filter(handlungsfeld_ids=frozenset({m.handlungsfeld_id})),
            Filter(status="in_umsetzung"),
        ):
            u = read_uebersicht(strategie=rlp, zeitpunkt=zeitpunkt, sichtbarkeit=BERICHT, filter=auswahl)
            gezeigt = next(v.letzte_meldung for v in u.vollstaendigkeit if v.organisation.id == a.pk)
            roh = Statusmeldung.objects.filter(
                organisation=a, massnahme_id__in=[x.id for x in u.massnahmen], stichtag__lte=zeitpunkt.stichtag
            ).aggregate(letzte=Max("gemeldet_am"))["letzte"]
            assert gezeigt == roh
            assert (gezeigt == neueste.gemeldet_am) is (auswahl == Filter()), auswahl


def _fortschreibung(m, **werte) -> None:
    """A later version of the strategy, loaded on 01.03.2026, changes the Maßnahme (`schreibe_fort`)."""
    schreibe_fort(m, **werte)
    Massnahme.history.filter(id=m.pk, history_type="~").update(history_date=um("2026-03-01"))


def _dashboard(client, user, m):
    """The dashboard of the Maßnahme's Handlungsfeld as `user` sees it, by the GET parameters given."""
    client.force_login(user)

    def seite(**parameter) -> str:
        antwort = client.get(
            reverse("berichte:dashboard", args=[RLP]), {"handlungsfeld": m.handlungsfeld.nummer, **parameter}
        )
        assert antwort.status_code == 200
        return antwort.content.decode()

    return seite


def test_a_massnahme_the_strategy_drops_later_counts_for_the_stichtage_before(
    client, lenkungsausschuss_user, szenario
):
    """The loader archives a Maßnahme that a later version of the strategy no longer holds. The Stichtage before
    still count it, and a Datenstand from before the archiving too; one entered after a Datenstand counts there
    nowhere."""
    strategie, m, a = szenario["strategie"], szenario["m"], szenario["orgs"]["a"]
    _fortschreibung(m, is_archived=True)
    seite = _dashboard(client, lenkungsausschuss_user, m)

    def anzahl(html: str) -> int:
        return int(re.search(r'<span class="kennzahl__wert">(\d+)</span> Maßnahmen insgesamt</li>', html).group(1))

    vorher, danach, heute = seite(stichtag="2025-12-31"), seite(stichtag="2026-06-30"), seite()
    assert f">{m.code} {m.titel}</a>" in vorher and f">{m.code} {m.titel}</a>" not in danach + heute
    assert anzahl(vorher) == anzahl(danach) + 1 == anzahl(heute) + 1
    profil = client.get(reverse("berichte:organisationsprofil", args=[RLP, a.kennung]), {"stichtag": "2025-12-31"})
    assert f"{m.code} {m.titel}" in profil.content.decode()

    def gezaehlt(stichtag: str, datenstand: str | None) -> set[int]:
        zeitpunkt = Zeitpunkt.am(dt.date.fromisoformat(stichtag), datenstand and um(datenstand))
        uebersicht = read_uebersicht(strategie=strategie, zeitpunkt=zeitpunkt, sichtbarkeit=BERICHT)
        ids = {x.id for x in uebersicht.massnahmen}
        assert ids == set(read_stand(strategie=strategie, zeitpunkt=zeitpunkt).massnahmen)  # pair by pair alike
        return ids

    spaeter = MassnahmeFactory(handlungsfeld=m.handlungsfeld)  # entered today
    assert m.pk in gezaehlt("2026-06-30", "2026-02-15")  # archived, but not yet at the Datenstand
    assert m.pk not in gezaehlt("2026-06-30", None)
    assert m.pk not in gezaehlt("2025-12-31", "2021-06-01")  # entered in 2022, after that Datenstand
    assert spaeter.pk in gezaehlt("2025-12-31", None) and spaeter.pk not in gezaehlt("2025-12-31", "2026-02-15")


def test_a_frist_extended_later_leaves_the_stichtage_before_overdue(client, lenkungsausschuss_user, szenario):
    """A later version of the strategy extends the Frist of 30.06.2025: on 31.12.2025 the Maßnahme was overdue, and
    stays so there; today it is not."""
    strategie, m, a = szenario["strategie"], szenario["m"], szenario["orgs"]["a"]
    _fortschreibung(m, frist=dt.date(2027, 12, 31))
    seite = _dashboard(client, lenkungsausschuss_user, m)

    def zeile(**parameter) -> str:
        tabelle = seite(**parameter).split('id="massnahmen-titel"')[1]
        return re.search(rf"<tr>\s*<th scope=\"row\"[^>]*><a [^>]*>{re.escape(m.code)} .*?</tr>", tabelle, re.S).group(
            0
        )

    assert "30.06.2025" in zeile(stichtag="2025-12-31") and "überfällig" in zeile(stichtag="2025-12-31")
    assert "31.12.2027" in zeile() and "überfällig" not in zeile()

    def ueberfaellig(stichtag: str, datenstand: str | None) -> tuple[bool, int]:
        zeitpunkt = Zeitpunkt.am(dt.date.fromisoformat(stichtag), datenstand and um(datenstand))
        stand = read_massnahmen(strategie=strategie, zeitpunkt=zeitpunkt)[m.pk]  # summed in Python, the ORM's Frist
        je_organisation = read_organisationssummen(  # summed in SQL, its Frist
            strategie=strategie, zeitpunkt=zeitpunkt, auswahl=Auswahl(frozenset({m.pk}))
        )
        return stand.ueberfaellig, next(o.ueberfaellig for o in je_organisation if o.organisation_id == a.pk)

    assert ueberfaellig("2025-12-31", None) == (True, 1)  # the Frist of then, in Python and in SQL alike
    assert ueberfaellig("2026-06-30", "2026-02-15") == (True, 1)  # not yet extended at that Datenstand
    assert ueberfaellig("2026-06-30", None)[0] is False


def test_a_massnahme_moved_to_another_handlungsfeld_counts_in_the_old_one_before(
    client, lenkungsausschuss_user, szenario
):
    """A later version of the strategy moves the Maßnahme from Handlungsfeld I to II: the Stichtage before count it
    in I, today counts it in II."""
    strategie, m = szenario["strategie"], szenario["m"]
    alt, neu = strategie.handlungsfelder.order_by("ordnung")[:2]
    _fortschreibung(m, handlungsfeld=neu)
    seite = _dashboard(client, lenkungsausschuss_user, m)
    zeile = f">{m.code} {m.titel}</a>"

    assert zeile in seite(stichtag="2025-12-31", handlungsfeld=alt.nummer)
    assert zeile not in seite(stichtag="2025-12-31", handlungsfeld=neu.nummer)
    assert zeile in seite(handlungsfeld=neu.nummer) and zeile not in seite(handlungsfeld=alt.nummer)
    damals = read_uebersicht(strategie=strategie, zeitpunkt=Zeitpunkt.am(dt.date(2025, 12, 31)), sichtbarkeit=BERICHT)
    heute = read_uebersicht(strategie=strategie, zeitpunkt=Zeitpunkt.heute(), sichtbarkeit=BERICHT)
    je_feld = [{h.nummer: h.massnahmen for h in u.handlungsfelder} for u in (damals, heute)]
    assert (
        je_feld[0][alt.nummer] == je_feld[1][alt.nummer] + 1 and je_feld[0][neu.nummer] == je_feld[1][neu.nummer] - 1
    )
