"""Compare derived rows (the Meldungsverlauf, the Standsummen) with ones rebuilt from their source."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from django.db import transaction


def compare_rebuilt(
    lesen: Callable[[], Iterable[tuple]], aufbauen: Callable[[], int], *, neu_aufbauen: bool
) -> tuple[int, int]:
    """Rebuild the rows (`aufbauen`, returning how many) and count those in which the kept ones (`lesen`) differed,
    a row kept twice too; with `neu_aufbauen=False` nothing is changed. Returns (rows, differing rows)."""
    with transaction.atomic():
        vorher = Counter(lesen())
        anzahl = aufbauen()
        nachher = Counter(lesen())
        abweichungen = sum(((vorher - nachher) + (nachher - vorher)).values())
        if not neu_aufbauen:
            transaction.set_rollback(True)
    return anzahl, abweichungen
