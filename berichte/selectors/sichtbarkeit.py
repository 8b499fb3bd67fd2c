"""What a reader may see of a strategy's figures: a value the caller's policy computes, so that a Celery task
can call the selectors as well as a view (`berichte.policies.sichtbarkeit_fuer`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

ALLE: Final = "alle"


@dataclass(frozen=True)
class Sichtbarkeit:
    """`details`: each Organisation's state may be shown (else aggregates only);
    `vertraulich_lesbar_fuer`: Organisationen whose vertrauliche texts may be shown, or ALLE."""

    details: bool
    vertraulich_lesbar_fuer: frozenset[int] | Literal["alle"] = frozenset()

    def darf_text_lesen(self, organisation_id: int | None, vertraulich: bool) -> bool:
        if not vertraulich:
            return True
        return self.vertraulich_lesbar_fuer == ALLE or organisation_id in self.vertraulich_lesbar_fuer


NUR_AGGREGATE = Sichtbarkeit(details=False)
"""A reader who sees sums only and no vertraulich text (Gast, members of a strategy with "nur Aggregate")."""

BERICHT = Sichtbarkeit(details=True)
"""A report for the Lenkungsausschuss and the ALK: every Organisation, no vertraulich text."""
