"""Template helpers of the portal: paragraphs from source texts, German numbers, the Ampel."""

from __future__ import annotations

from django import template
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def absaetze(text: str) -> SafeString:
    """Blank-line separated paragraphs become <p>; lines starting with "- " become a list."""
    bloecke = []
    for absatz in (text or "").strip().split("\n\n"):
        zeilen = [z.rstrip() for z in absatz.split("\n") if z.strip()]
        if not zeilen:
            continue
        fliesstext, punkte = [], []
        for zeile in zeilen:
            if zeile.lstrip().startswith("- "):
                punkte.append(zeile.lstrip()[2:])
            elif punkte:
                punkte[-1] += " " + zeile.strip()
            else:
                fliesstext.append(zeile.strip())
        if fliesstext:
            bloecke.append(f'<p class="kern-body">{conditional_escape(" ".join(fliesstext))}</p>')
        if punkte:
            items = format_html_join("", "<li>{}</li>", ((p,) for p in punkte))
            bloecke.append(f'<ul class="kern-list kern-list--bullet">{items}</ul>')
    return mark_safe("\n".join(bloecke))  # noqa: S308 - every piece is escaped above


@register.filter
def zahl(wert) -> str:
    """German number format: 1.234,5 (trailing ,0 dropped for whole numbers)."""
    if wert is None or wert == "":
        return ""
    wert = float(wert)
    text = f"{wert:,.2f}".rstrip("0").rstrip(".") if wert != int(wert) else f"{int(wert):,}"
    return text.replace(",", "X").replace(".", ",").replace("X", ".")


@register.filter
def dauer(zeitspanne) -> str:
    """A timedelta in German words: "30 Minuten", "2 Stunden", "1 Stunde und 15 Minuten"."""
    if zeitspanne is None:
        return ""
    minuten = max(1, round(zeitspanne.total_seconds() / 60))
    stunden, minuten = divmod(minuten, 60)
    teile = []
    if stunden:
        teile.append(f"{stunden} Stunde{'n' if stunden != 1 else ''}")
    if minuten:
        teile.append(f"{minuten} Minute{'n' if minuten != 1 else ''}")
    return " und ".join(teile)


@register.filter
def datum_herkunft(datum, herkunft: str = "") -> str:
    """A date of the data files as "31.08.2023", marked "(abgeleitet)" or "(erschlossen)" where the source does not
    name the day (strategie/daten/README.md, Datumsregeln); "–" when there is none."""
    if not datum:
        return "–"
    text = date_format(datum, "d.m.Y")
    return f"{text} ({herkunft})" if herkunft in ("abgeleitet", "erschlossen") else text


_AMPEL_FARBE = {"gruen": "Grün", "gelb": "Gelb", "rot": "Rot"}


@register.filter
def ampel(wert: str, label: str = "") -> SafeString:
    """An Ampel as a shape plus text ("Rot: kritisch"), colour only in addition. A filter rather than an include:
    the dashboard of a national strategy shows hundreds."""
    if not wert:
        return mark_safe('<span class="ampel ampel--keine">ohne Ampel</span>')  # noqa: S308 - constant markup
    return format_html(
        '<span class="ampel ampel--{}"><span class="ampel__zeichen" aria-hidden="true"></span>{}: {}</span>',
        wert,
        _AMPEL_FARBE.get(wert, "Rot"),
        label,
    )
