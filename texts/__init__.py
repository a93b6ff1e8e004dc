"""The Korean/English catalogue of every sentence a user reads, with no Streamlit: used by ui/, reports and the CLI.

Each module of this package covers one area of the app and defines ``STRINGS = {key: {"en": ..., "ko": ...}}``;
areas never share a module, so two people rarely edit one file. A key is defined once across all modules.
"""
from __future__ import annotations

import importlib
import pkgutil
from typing import Callable

from texts.particles import FORMATTER, attach, particle

LANGUAGES = {"ko": "한국어", "en": "English"}
DEFAULT_LANGUAGE = "ko"


def _catalogue() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for key, entry in module.STRINGS.items():
            if key in merged:
                raise KeyError(f"string key {key!r} is defined twice (texts/{info.name}.py)")
            merged[key] = entry
    return merged


STRINGS = _catalogue()


def text_for(lang: str) -> Callable[..., str]:
    """``text(key, **values)``: the catalogue entry ``key`` in ``lang``, with ``values`` filled in.

    >>> text_for("en")("lang.label")
    'Language'
    """
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE

    def text(key: str, **values) -> str:
        value = STRINGS[key][lang]
        return FORMATTER.format(value, **values) if values else value

    return text


__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "STRINGS", "attach", "particle", "text_for"]
