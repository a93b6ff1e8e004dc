"""What a browser shows for a Markdown element: rendered by a CommonMark parser, as HTML and as plain text."""
from __future__ import annotations

import html
import re

from markdown_it import MarkdownIt

_PARSER = MarkdownIt("commonmark")


def rendered(markdown: str) -> str:
    """The HTML a CommonMark renderer makes of ``markdown`` (Streamlit's renderer follows CommonMark)."""
    return _PARSER.render(markdown)


def shown_text(markdown: str) -> str:
    """The characters a reader sees: the rendered HTML without its tags, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", rendered(markdown))).strip()


def shows_literally(markdown: str, value: str) -> bool:
    """Whether ``value`` appears as typed in what ``markdown`` shows, with no image, link, emphasis or raw HTML
    made of it."""
    made = rendered(markdown)
    return value in shown_text(markdown) and not re.search(r"<(img|a|strong|em|code)\b", made)


def unescaped(markdown: str) -> str:
    """``markdown`` with its backslash escapes resolved (``survey\\_2024`` -> ``survey_2024``), other Markdown kept."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)
