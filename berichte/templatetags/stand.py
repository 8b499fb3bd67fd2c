"""Template helpers of the dashboard, the profile and the reports: one pair's state as a page shows it."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from berichte.selectors.ergebnisse import KEINE_MELDUNG, NICHT_BETEILIGT, Zelle

register = template.Library()

VERALTET = mark_safe(' <span class="veraltet-hinweis">(veraltet)</span>')  # noqa: S308 - constant markup


@register.filter
def zelle(stand: Zelle | None) -> SafeString:
    """Short text plus a shape, colour only in addition; None: the Organisation takes no part. A filter rather
    than an include: the matrix of a large strategy renders thousands of cells."""
    if stand is None:
        return mark_safe("<span>nicht beteiligt</span>")  # noqa: S308 - constant markup
    art = "keine" if stand.zustand in (KEINE_MELDUNG, NICHT_BETEILIGT) else stand.zustand
    return format_html(
        '<span class="status status--{}"><span class="status__zeichen" aria-hidden="true"></span>{}</span>{}',
        art,
        stand.label,
        VERALTET if stand.veraltet else "",
    )
