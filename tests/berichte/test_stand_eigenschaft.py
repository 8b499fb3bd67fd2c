"""Property: today's view read from the history (S = D = now) equals the one read from the Umsetzungsstand table
and the one summed from the Standsummen, and a past Stichtag read from the Meldungsverlauf equals the one probed
per pair in the Statusmeldungen.

Random histories go through the production services (join, entfällt, Statusmeldungen with corrections,
drafts, vertraulich), then the read paths of `read_paare` and the Umsetzungsstand aggregate of the
Maßnahme pages (`massnahmen.selectors.aggregate_massnahmen`) must agree, and the Meldungsverlauf the services kept
pair by pair must equal one rebuilt from all Statusmeldungen.
"""

import datetime as dt
import itertools
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from berichte.selectors import (
    BERICHT,
    Filter,
    Zeitpunkt,
    read_paare,
    read_uebersicht,
    read_veraenderung,
)
from berichte.selectors.ergebnisse import KEINE_MELDUNG, NICHT_BETEILIGT
from berichte.selectors.kennzahlen import read_massnahmen
from berichte.selectors.stand import ALLE_PAARE, Auswahl
from berichte.selectors.summen import read_gesamtsummen
from massnahmen import services as massnahmen_services
from massnahmen.models import ERSTE_ROTE, Beteiligung, Massnahme, Meldungsverlauf, Status, Statusmeldung
from massnahmen.selectors import aggregate_massnahmen
from massnahmen.services.statusmeldungen import Konflikt, Meldung
from massnahmen.services.verlauf import SPALTEN, rebuild_meldungsverlauf
from strategie.models import Organisation
from strategie.services.mitgliedschaften import grant_rolle
from tests.berichte.hilfen import read_stand, schreibe_fort
from tests.factories import MassnahmeFactory

KREISE = ["07131", "07132", "07133", "07134"]  # Ahrweiler, Altenkirchen, Bad Kreuznach, Birkenfeld


@pytest.fixture
def welt(rlp, geschaeftsstelle_user):
    """Two new Maßnahmen je Organisation and one gemeinsame in HF I, four Kreise with a reporter each."""
    hf = rlp.handlungsfelder.order_by("ordnung").first()
    je_org = [MassnahmeFactory(handlungsfeld=hf, frist=timezone.localdate() - dt.timedelta(days=30)) for _ in range(2)]
    gemeinsam = MassnahmeFactory(handlungsfeld=hf, umsetzungsart=Massnahme.Umsetzungsart.GEMEINSAM)
    kreise = [Organisation.objects.get(schluessel=s) for s in KREISE]
    reporter = {}
    for kreis in kreise:
        user = get_user_model().objects.create_user(username=f"test-{kreis.schluessel}")
        grant_rolle(actor=None, user=user, strategie=rlp, organisation=kreis, rolle="berichterstattung")
        reporter[kreis.pk] = user
    return {
        "strategie": rlp,
        "je_org": je_org,
        "gemeinsam": gemeinsam,
        "kreise": kreise,
        "reporter": reporter,
        "geschaeftsstelle": geschaeftsstelle_user,
        "traeger": rlp.traeger,
    }


STATUS = st.sampled_from([s.value for s in Status])
SCHRITT = st.one_of(
    st.tuples(st.just("beitritt"), st.integers(0, 1), st.integers(0, 3), st.integers(-900, 60)),
    st.tuples(st.just("entfaellt"), st.integers(0, 1), st.integers(0, 3)),
    st.tuples(
        st.just("meldung"),
        st.integers(0, 2),  # 2: the gemeinsame Maßnahme
        st.integers(0, 3),
        st.integers(0, 900),  # days before today
        STATUS,
        st.integers(0, 100),
        st.sampled_from(["", "gruen", "gelb", "rot"]),
        st.booleans(),  # vertraulich
        st.booleans(),  # Korrektur
    ),
    st.tuples(st.just("entwurf"), st.integers(0, 1), st.integers(0, 3), STATUS),
    # the Beteiligung's records so far moved back by days, as if written then: changes before and after a past S
    st.tuples(st.just("zurueck"), st.integers(0, 1), st.integers(0, 3), st.integers(1, 900)),
    # a version of the strategy that drops a Maßnahme (the loader archives it) or holds it again; and the
    # Maßnahme's records moved back, so that archiving and entering lie before or after a past S
    st.tuples(st.just("archiv"), st.integers(0, 2), st.booleans()),
    st.tuples(st.just("frist"), st.integers(0, 2), st.integers(-400, 400)),  # a Frist moved, days from today
    st.tuples(st.just("feld"), st.integers(0, 2), st.integers(0, 1)),  # to another Handlungsfeld, or back to HF I
    st.tuples(st.just("m_zurueck"), st.integers(0, 2), st.integers(1, 900)),
)


def _massnahme(welt, index: int) -> Massnahme:
    return welt["gemeinsam"] if index == 2 else welt["je_org"][index]


def _fuehre_aus(welt, schritt) -> None:
    heute = timezone.localdate()
    art = schritt[0]
    gs = welt["geschaeftsstelle"]
    if art in ("beitritt", "entfaellt", "entwurf", "zurueck"):
        massnahme, kreis = welt["je_org"][schritt[1]], welt["kreise"][schritt[2]]
    if art == "beitritt":
        seit = heute + dt.timedelta(days=schritt[3])
        massnahmen_services.join_massnahme(actor=gs, massnahme=massnahme, organisation=kreis, seit=seit)
    elif art == "entfaellt":
        massnahmen_services.declare_entfaellt(
            actor=gs, massnahme=massnahme, organisation=kreis, begruendung="Kein eigenes Rechenzentrum."
        )
    elif art == "zurueck":
        Beteiligung.history.filter(massnahme=massnahme, organisation=kreis).update(
            history_date=F("history_date") - dt.timedelta(days=schritt[3])
        )
    elif art in ("archiv", "frist", "feld"):
        massnahme = Massnahme.objects.get(pk=_massnahme(welt, schritt[1]).pk)
        if art == "archiv":
            schreibe_fort(massnahme, is_archived=schritt[2])
        elif art == "frist":
            schreibe_fort(massnahme, frist=heute + dt.timedelta(days=schritt[2]))
        else:
            schreibe_fort(massnahme, handlungsfeld=welt["strategie"].handlungsfelder.order_by("ordnung")[schritt[2]])
    elif art == "m_zurueck":
        Massnahme.history.filter(id=_massnahme(welt, schritt[1]).pk).update(
            history_date=F("history_date") - dt.timedelta(days=schritt[2])
        )
    elif art == "entwurf":
        massnahmen_services.save_meldungsentwurf(
            actor=welt["reporter"][kreis.pk],
            massnahme=massnahme,
            organisation=kreis,
            werte={"status": schritt[3]},
            basis_version=0,
        )
    else:
        _, m_idx, o_idx, tage, status, fortschritt, ampel, vertraulich, korrektur = schritt
        if m_idx == 2:
            massnahme, organisation, actor = welt["gemeinsam"], welt["traeger"], gs
        else:
            massnahme, organisation = welt["je_org"][m_idx], welt["kreise"][o_idx]
            actor = welt["reporter"][organisation.pk]
        meldung = Meldung(
            stichtag=heute - dt.timedelta(days=tage),
            status=status,
            fortschritt=fortschritt,
            ampel=ampel,
            text=f"Sachstand {tage} {status}",
            vertraulich=vertraulich,
            ist_korrektur=korrektur,
        )
        massnahmen_services.record_statusmeldung(
            actor=actor, massnahme=massnahme, organisation=organisation, meldung=meldung, erwartete_version=None
        )


def _massnahmen_roh(strategie, zeitpunkt: Zeitpunkt) -> dict[int, tuple]:
    """The rule for the Maßnahmen counted, with their Frist and Handlungsfeld, computed by hand from the history: the
    record at S as known at D (the last before the end of S, else the first), not archived; without a record up to D
    none; without any record the row as it stands. Two queries."""
    verlauf: dict[int, list] = {}
    for m_id, datum, nr, archiviert, *felder in Massnahme.history.filter(strategie=strategie).values_list(
        "id", "history_date", "history_id", "is_archived", "frist", "handlungsfeld_id"
    ):
        verlauf.setdefault(m_id, []).append((datum, nr, archiviert, tuple(felder)))
    gezaehlt = {}
    for m_id, archiviert, angelegt, *felder in Massnahme.objects.filter(strategie=strategie).values_list(
        "pk", "is_archived", "created_at", "frist", "handlungsfeld_id"
    ):
        if m_id not in verlauf:  # written around the ORM: as it stands
            if not archiviert and angelegt <= zeitpunkt.datenstand:
                gezaehlt[m_id] = tuple(felder)
            continue
        bekannt = sorted(r for r in verlauf[m_id] if r[0] <= zeitpunkt.datenstand)
        vor_s = [r for r in bekannt if r[0] < zeitpunkt.stichtag_ende]
        satz = (vor_s[-1] if vor_s else bekannt[0]) if bekannt else None
        if satz and not satz[2]:
            gezaehlt[m_id] = satz[3]
    return gezaehlt


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(schritte=st.lists(SCHRITT, min_size=1, max_size=14))
@example(schritte=[("meldung", 2, 0, 0, "nicht_begonnen", 0, "rot", False, False)])  # a gemeinsame red Ampel
def test_history_read_equals_umsetzungsstand_table_today(welt, schritte):
    with transaction.atomic():
        for schritt in schritte:
            try:
                with transaction.atomic():
                    _fuehre_aus(welt, schritt)
            except (ValidationError, PermissionDenied, Konflikt):
                pass  # the service refused it, as it would a user
        strategie = welt["strategie"]
        jetzt = Zeitpunkt.heute()
        aus_tabelle = sorted(read_paare(strategie=strategie, zeitpunkt=jetzt, aus_historie=False), key=repr)
        for verlauf in (False, True):  # the history probed per pair, and the Meldungsverlauf
            aus_historie = read_paare(strategie=strategie, zeitpunkt=jetzt, aus_historie=True, verlauf=verlauf)
            assert sorted(aus_historie, key=repr) == aus_tabelle
        # a past Stichtag (Meldungen lie up to 900 days back) from the Meldungsverlauf equals the probe per pair, also
        # on and just before the Stichtage reported, where one part of the Verlauf ends and the next begins
        tage = {jetzt.stichtag - dt.timedelta(days=n) for n in (1, 45, 200, 450, 1000)}
        for gemeldet in Statusmeldung.objects.filter(massnahme__strategie=strategie).values_list(
            "stichtag", flat=True
        ):
            tage |= {gemeldet, gemeldet - dt.timedelta(days=1)}
        neue = Beteiligung.history.filter(massnahme_id__in=[m.pk for m in welt["je_org"]])
        eigene = Massnahme.history.filter(id__in=[welt["gemeinsam"].pk, *(m.pk for m in welt["je_org"])])
        for geaendert in [  # ... and where a record of a Beteiligung or a Maßnahme begins
            *neue.values_list("history_date", flat=True),
            *eigene.values_list("history_date", flat=True),
        ]:
            tag = timezone.localdate(geaendert)
            tage |= {tag, tag - dt.timedelta(days=1)}
        for tag in sorted(tage):
            zeitpunkt = Zeitpunkt.am(tag)
            gezaehlt = read_massnahmen(strategie=strategie, zeitpunkt=zeitpunkt)
            roh = _massnahmen_roh(strategie, zeitpunkt)
            assert {k: (m.frist, m.handlungsfeld_id) for k, m in gezaehlt.items()} == roh, tag
            lesungen = [
                sorted(read_paare(strategie=strategie, zeitpunkt=zeitpunkt, verlauf=verlauf), key=repr)
                for verlauf in (True, False)
            ]
            assert lesungen[0] == lesungen[1], tag
        # ... and the Meldungsverlauf written pair by pair is the one rebuilt from all Statusmeldungen
        spalten = SPALTEN.split(", ")
        gefuehrt = sorted(Meldungsverlauf.objects.values_list(*spalten))
        assert rebuild_meldungsverlauf() == len(gefuehrt)
        assert sorted(Meldungsverlauf.objects.values_list(*spalten)) == gefuehrt
        # the Standsummen the services kept sum today's pairs as the pairs themselves do, for all Maßnahmen and for
        # a Handlungsfeld, also on later days (a Beteiligung `seit` a later day joins then, without a write), alone
        # and with a comparison (then today's pairs are read for the changes only)
        hf = frozenset({welt["je_org"][0].handlungsfeld_id})
        im_hf = Massnahme.objects.filter(strategie=strategie, handlungsfeld_id__in=hf, is_archived=False)
        for tage, vergleich in itertools.product((0, 30, 61), (None, 100)):
            spaeter = Zeitpunkt(jetzt.stichtag + dt.timedelta(days=tage), jetzt.datenstand, live=True, jetzt=True)
            seit = None if vergleich is None else spaeter.mit_stichtag(jetzt.stichtag - dt.timedelta(days=vergleich))
            for auswahl in (ALLE_PAARE, Auswahl(frozenset(im_hf.values_list("pk", flat=True)), handlungsfeld_ids=hf)):
                standsummen, paare = (
                    read_gesamtsummen(
                        strategie=strategie,
                        zeitpunkt=spaeter,
                        auswahl=auswahl,
                        je_massnahme=ERSTE_ROTE,
                        vergleich=seit,
                        standsummen=s,
                    )
                    for s in (True, False)
                )
                assert sorted(standsummen.summen, key=repr) == sorted(paare.summen, key=repr)
                assert sorted(standsummen.organisationen, key=repr) == sorted(paare.organisationen, key=repr)
                assert standsummen.rote_namen == paare.rote_namen
                if seit is None:  # the rows' order is the database's: compared as sets
                    assert standsummen.aenderungen is paare.aenderungen is None
                else:
                    assert standsummen.aenderungen.je_organisation == paare.aenderungen.je_organisation
                    assert sorted(standsummen.aenderungen.vorher, key=repr) == sorted(
                        paare.aenderungen.vorher, key=repr
                    )
        assert massnahmen_services.compare_standsummen(neu_aufbauen=False)[1] == 0
        # the figures summed in the database equal those summed from the pairs, today and for a past Stichtag
        frueher = Zeitpunkt.am(jetzt.stichtag - dt.timedelta(days=200))
        for zeitpunkt in (jetzt, frueher):
            summiert = read_massnahmen(strategie=strategie, zeitpunkt=zeitpunkt)
            assert summiert == read_stand(strategie=strategie, zeitpunkt=zeitpunkt).massnahmen
        # Vollständigkeit and the matrix's rows summed per Organisation in the database equal those from the pairs,
        # also over the Maßnahmen a status filter leaves, today and for a past Stichtag
        for zeitpunkt, auswahl in itertools.product((jetzt, frueher), (Filter(), Filter(status=Status.IN_UMSETZUNG))):
            uebersicht = read_uebersicht(
                strategie=strategie, zeitpunkt=zeitpunkt, sichtbarkeit=BERICHT, filter=auswahl
            )
            paare = read_stand(strategie=strategie, zeitpunkt=zeitpunkt, filter=auswahl)
            erwartet: dict[int, list[int]] = {}
            zeilen = set()
            for (massnahme_id, organisation_id), zelle in paare.zellen.items():
                m = paare.massnahmen[massnahme_id]
                if organisation_id is None or m.gemeinsam:
                    continue
                zeilen.add(organisation_id)
                if zelle.im_nenner:
                    offen = zelle.zustand not in (Status.UMGESETZT, Status.ENTFAELLT)
                    werte = erwartet.setdefault(organisation_id, [0, 0])
                    werte[0] += zelle.veraltet
                    werte[1] += bool(m.frist and m.frist < zeitpunkt.stichtag and offen)
            gezeigt = {v.organisation.id: [v.veraltet, v.ueberfaellig] for v in uebersicht.vollstaendigkeit}
            assert {o: gezeigt.get(o) for o in erwartet} == erwartet
            assert {o.id for o in uebersicht.matrix.organisationen} == zeilen
        # "letzte Meldung" per Organisation for a past Stichtag (read from the Meldungsverlauf with the figures) as
        # the raw rows give it, over all Maßnahmen and over one
        roh = Statusmeldung.objects.filter(
            massnahme_id__in=_massnahmen_roh(strategie, frueher), stichtag__lte=frueher.stichtag
        )
        for zeile in read_uebersicht(strategie=strategie, zeitpunkt=frueher, sichtbarkeit=BERICHT).vollstaendigkeit:
            erwartet = roh.filter(organisation_id=zeile.organisation.id).aggregate(letzte=Max("gemeldet_am"))
            assert zeile.letzte_meldung == erwartet["letzte"]
        # ... and read on its own (one probe per Organisation today, the Meldungsverlauf for a past Stichtag), over
        # all Maßnahmen and over those a status filter leaves
        for zeitpunkt, auswahl in itertools.product((jetzt, frueher), (Filter(), Filter(status=Status.IN_UMSETZUNG))):
            uebersicht = read_uebersicht(
                strategie=strategie, zeitpunkt=zeitpunkt, sichtbarkeit=BERICHT, filter=auswahl
            )
            gemeldet = Statusmeldung.objects.filter(
                massnahme_id__in=[m.id for m in uebersicht.massnahmen], stichtag__lte=zeitpunkt.stichtag
            )
            for zeile in uebersicht.vollstaendigkeit:
                erwartet = gemeldet.filter(organisation_id=zeile.organisation.id).aggregate(letzte=Max("gemeldet_am"))
                assert zeile.letzte_meldung == erwartet["letzte"]
        eine = welt["je_org"][0]
        gelesen = read_gesamtsummen(
            strategie=strategie,
            zeitpunkt=frueher,
            auswahl=Auswahl(frozenset({eine.pk})),
            je_massnahme=ERSTE_ROTE,
            letzte_meldungen=True,
        ).letzte_meldungen
        erwartet = roh.filter(massnahme=eine).values("organisation_id").annotate(letzte=Max("gemeldet_am"))
        assert gelesen == {z["organisation_id"]: z["letzte"] for z in erwartet}
        # the changed pairs counted per Organisation in the database are those listed one by one
        veraenderung = read_veraenderung(strategie=strategie, seit=frueher, bis=jetzt, sichtbarkeit=BERICHT)
        gezaehlt = Counter(a.organisation.id for a in veraenderung.paare)
        # ... and the Übersicht that reads the comparison in the same query gives the same figures and changes
        for bis, seit in ((jetzt, frueher), (frueher, Zeitpunkt.am(frueher.stichtag - dt.timedelta(days=300)))):
            einzeln = read_uebersicht(strategie=strategie, zeitpunkt=bis, sichtbarkeit=BERICHT)
            zusammen = read_uebersicht(strategie=strategie, zeitpunkt=bis, sichtbarkeit=BERICHT, vergleich=seit)
            assert zusammen.aenderungen is not None and zusammen.massnahmen == einzeln.massnahmen
            assert zusammen.vollstaendigkeit == einzeln.vollstaendigkeit
            assert read_veraenderung(
                strategie=strategie, seit=seit, bis=bis, sichtbarkeit=BERICHT, uebersicht=zusammen
            ) == read_veraenderung(strategie=strategie, seit=seit, bis=bis, sichtbarkeit=BERICHT)
        assert {o.id: n for o, n in veraenderung.je_organisation} == dict(gezaehlt)
        # ... and they are the pairs whose state differs, compared here cell by cell
        vorher, nachher = (read_stand(strategie=strategie, zeitpunkt=z) for z in (frueher, jetzt))
        erwartet = Counter()
        for (massnahme_id, organisation_id), n in nachher.zellen.items():
            if organisation_id is None or nachher.massnahmen[massnahme_id].gemeinsam:
                continue
            a = vorher.zellen.get((massnahme_id, organisation_id))
            if a is None and n.zustand in (KEINE_MELDUNG, NICHT_BETEILIGT):
                continue
            if a is None or (a.zustand, a.ampel, a.fortschritt) != (n.zustand, n.ampel, n.fortschritt):
                erwartet[organisation_id] += 1
        assert gezaehlt == erwartet

        stand = read_stand(strategie=strategie, zeitpunkt=jetzt)
        neue = [*welt["je_org"], welt["gemeinsam"]]
        aggregate = aggregate_massnahmen(neue, heute=jetzt.stichtag)
        for massnahme in neue:
            if massnahme.pk not in stand.massnahmen:  # archived
                continue
            aggregat, m = aggregate[massnahme.pk], stand.massnahmen[massnahme.pk]
            if massnahme.ist_gemeinsam:
                erwartet = aggregat.stand.status if aggregat.stand else Status.NICHT_BEGONNEN
                assert m.status == erwartet
                continue
            entfallen_gemeldet = aggregat.verteilung[Status.ENTFAELLT]
            assert m.nenner == aggregat.beteiligt - entfallen_gemeldet
            assert m.entfallen == aggregat.entfallen + entfallen_gemeldet
            ohne_meldung = m.verteilung.get(KEINE_MELDUNG, 0)
            gemeldet = {k: v for k, v in m.verteilung.items() if k != KEINE_MELDUNG}
            assert gemeldet == {k: v for k, v in aggregat.verteilung.items() if v and k != Status.ENTFAELLT}
            assert ohne_meldung == aggregat.beteiligt - aggregat.gemeldet
            assert f"{m.umgesetzt} von" in m.quote and m.umgesetzt == aggregat.umgesetzt
        transaction.set_rollback(True)
