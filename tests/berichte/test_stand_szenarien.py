"""Hand-made history of one Maßnahme je Organisation: the as-of figures equal those computed here from the raw
Statusmeldungen (corrections, a late joiner, entfällt declared after the Stichtag, a draft, vertraulich, a
Meldung reported after the Datenstand)."""

import datetime as dt

import pytest
from django.utils import timezone

from berichte.selectors import BERICHT, NUR_AGGREGATE, Sichtbarkeit, Zeitpunkt, read_stand, read_uebersicht
from berichte.selectors.kennzahlen import KEINE_MELDUNG, NICHT_BETEILIGT
from massnahmen import services as massnahmen_services
from massnahmen.models import NEUESTE_ZUERST, Beteiligung, Meldungsentwurf, Status, Statusmeldung
from strategie.models import Organisation
from tests.factories import MassnahmeFactory, StatusmeldungFactory

MARKER = "GEHEIM-RISIKO-4711"


def _um(tag: str, stunde: int = 10) -> dt.datetime:
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
            gemeldet_am=_um(gemeldet),
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
    # the Beteiligungen were entered in 2022 (D = 2026-03-01 for the late joiner), entfällt today
    Beteiligung.history.filter(massnahme_id=m.pk, history_type="+").update(history_date=_um("2022-01-01"))
    Beteiligung.history.filter(massnahme_id=m.pk, organisation_id=d.pk, history_type="+").update(
        history_date=_um("2026-02-01")
    )
    for org in (a, b, c, d, e):
        massnahmen_services.refresh_umsetzungsstand(massnahme=m, organisation=org)
    return {"strategie": rlp, "m": m, "orgs": {"a": a, "b": b, "c": c, "d": d, "e": e}}


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
    zeitpunkt = Zeitpunkt.am(dt.date.fromisoformat(stichtag), datenstand and _um(datenstand, 23))

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
    with django_assert_max_num_queries(9):
        read_uebersicht(
            strategie=szenario["strategie"], zeitpunkt=Zeitpunkt.am(dt.date(2025, 12, 31)), sichtbarkeit=BERICHT
        )
    with django_assert_max_num_queries(9):
        read_uebersicht(strategie=szenario["strategie"], zeitpunkt=Zeitpunkt.heute(), sichtbarkeit=BERICHT)
