"""Showing user text (cell values, column and dataset names, names, messages) literally where Streamlit renders Markdown.

``st.markdown``, ``st.caption``, ``st.header``, ``st.warning`` and the other message boxes, and most widget
labels, read their text as Markdown (with HTML, LaTeX, emoji and colour directives): a cell holding
``![x](http://host/a.png)`` would make the browser fetch that image, ``**bold**`` would be bold. Every
piece of user text passes through `literal` before it reaches one of them; `t_md` does that for the
values of a catalogue string whose own Markdown (its ``**bold**``) is kept.
"""
from __future__ import annotations

from ui.i18n import t

#: The ASCII punctuation that means something to Markdown, HTML, GitHub's extensions or Streamlit's
#: ($ for LaTeX, :name: for emoji and :red[...] for colour, @ for mail links). CommonMark lets a backslash
#: escape any ASCII punctuation, which then shows as itself; , ' " / ; ? % = mean nothing on one line.
_SPECIAL = frozenset("\\`*_{}[]()#+-.!|<>~$:&@^")


def literal(text: object) -> str:
    """``text`` as Markdown that shows exactly its characters, on one line.

    Every punctuation character Markdown could read gets a backslash (``<`` and ``&`` included, so no
    HTML tag or entity survives), and line breaks become spaces (a value cannot start a heading, list or block).
    """
    flat = " ".join(str(text).splitlines())
    return "".join("\\" + ch if ch in _SPECIAL else ch for ch in flat)


def t_md(key: str, **values) -> str:
    """The catalogue string ``key`` for a Markdown element: its text values shown literally; numbers,
    dates and other values keep their type so the string's format specs still apply."""
    return t(key, **{name: literal(v) if isinstance(v, str) else v for name, v in values.items()})
