"""What follows a change of an Organisation outside this app: apps above register a function here (in their
AppConfig), and every write path that changes an Organisation calls `after_organisation_changed` (the admin)."""

from __future__ import annotations

from collections.abc import Callable

from strategie.models import Organisation

_FOLGEN: list[Callable[[Organisation], None]] = []


def register_organisationsfolge(folge: Callable[[Organisation], None]) -> None:
    if folge not in _FOLGEN:
        _FOLGEN.append(folge)


def after_organisation_changed(organisation: Organisation) -> None:
    for folge in _FOLGEN:
        folge(organisation)
