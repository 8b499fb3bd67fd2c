"""Template helpers of the dashboard, the profile and the reports: one pair's state as a page shows it."""

from __future__ import annotations

from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe

from berichte.selectors.ergebnisse import KEINE_MELDUNG, NICHT_BETEILIGT, Zelle

register = template.Library()

PLATZHALTER = "Platzhalter0"  # a valid Maßnahme code and Kennung, so that reverse() accepts it
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


@register.simple_tag(takes_context=True)
def pfad(context, viewname: str, slug: str, schluessel: str) -> str:
    """`{% url viewname slug schluessel %}` for the rows of long tables: the URL is reversed once per template,
    view and strategy, then only its last part changes (quoted as reverse() quotes it). A dashboard of a national
    strategy links a few hundred Maßnahmen and Organisationen; reversing each took a tenth of its rendering."""
    vorlagen = context.render_context.setdefault("pfad_vorlagen", {})
    if (viewname, slug) not in vorlagen:
        vorlagen[viewname, slug] = reverse(viewname, args=[slug, PLATZHALTER]).rpartition(PLATZHALTER)
    vor, _, nach = vorlagen[viewname, slug]
    return f"{vor}{quote(str(schluessel), safe=RFC3986_SUBDELIMS + '/~:@')}{nach}"
