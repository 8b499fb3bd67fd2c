"""A Maßnahme of the strategy as a whole (no Handlungsfeld, e.g. RLP II.4 from Grundsatz 2) counts in the
strategy's figures but in no Handlungsfeld's, and the dashboard's as-of reads do not trip over it."""

import datetime as dt

from berichte.selectors import BERICHT, Zeitpunkt, read_uebersicht, read_veraenderung
from massnahmen.models import Massnahme


def test_uebersicht_counts_grundsatz_massnahmen_in_the_sum_only(rlp):
    uebersicht = read_uebersicht(strategie=rlp, zeitpunkt=Zeitpunkt.heute(), sichtbarkeit=BERICHT)

    ohne_feld = {m.code for m in uebersicht.massnahmen if m.handlungsfeld_id is None}
    assert ohne_feld == {"II.4", "II.5"}
    assert sum(hf.massnahmen for hf in uebersicht.handlungsfelder) == len(uebersicht.massnahmen) - 2
    assert next(hf for hf in uebersicht.handlungsfelder if hf.nummer == "II").massnahmen == 5
    assert len(uebersicht.massnahmen) == Massnahme.objects.filter(strategie=rlp, is_archived=False).count()


def test_veraenderung_reads_a_strategy_with_grundsatz_massnahmen(rlp):
    veraenderung = read_veraenderung(
        strategie=rlp, seit=Zeitpunkt.am(dt.date(2021, 1, 1)), bis=Zeitpunkt.heute(), sichtbarkeit=BERICHT
    )

    assert None not in veraenderung.je_handlungsfeld
