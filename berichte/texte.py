"""The editorial texts of a Bericht: cleaning what users type and turning its simple Markdown into safe HTML."""

from __future__ import annotations

import re
import unicodedata

import nh3
from markdown_it import MarkdownIt

from strategie.texte import BERICHTTEXT_MAX, clean_text

ERLAUBTE_ELEMENTE = {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "h3", "h4", "a"}
ERLAUBTE_ATTRIBUTE = {"a": {"href"}}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable("image")


def clean_berichttext(text: str) -> str:
    """An editorial text under the one text rule of `strategie.texte` (refused, with a German message, when it holds
    a control or non-character or is too long), in composed form (NFC) and without surrounding blanks."""
    text = clean_text(text, max_length=BERICHTTEXT_MAX, feld="Der Text")
    return unicodedata.normalize("NFC", text).strip()


def markdown_to_html(text: str) -> str:
    """Paragraphs, emphasis, lists, quotes, small headings and links; everything else is dropped by nh3.

    Headings shift down to h3/h4 because the report's own chapters use h1 and h2.
    """
    roh = _markdown.render(text or "")
    roh = re.sub(r"<(/?)h[1-2]>", r"<\1h3>", roh)
    roh = re.sub(r"<(/?)h[5-6]>", r"<\1h4>", roh)
    return nh3.clean(
        roh,
        tags=ERLAUBTE_ELEMENTE,
        attributes=ERLAUBTE_ATTRIBUTE,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
