"""The editorial texts of a Bericht: cleaning what users type and turning its simple Markdown into safe HTML."""

from __future__ import annotations

import re
import unicodedata

import nh3
from markdown_it import MarkdownIt

MAX_ZEICHEN = 20_000
ERLAUBTE_ELEMENTE = {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "h3", "h4", "a"}
ERLAUBTE_ATTRIBUTE = {"a": {"href"}}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable("image")
_UNERLAUBT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """No NUL, no control characters but tab and newline, no non-characters; Windows line ends become newlines."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = _UNERLAUBT.sub("", text)
    text = "".join(z for z in text if not _ist_nichtzeichen(z))
    return unicodedata.normalize("NFC", text).strip()


def _ist_nichtzeichen(zeichen: str) -> bool:
    code = ord(zeichen)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE or unicodedata.category(zeichen) == "Cs"


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
