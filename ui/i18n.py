"""Every string a user sees, in Korean and English, and the language switch."""
from __future__ import annotations

import importlib
import pkgutil

import streamlit as st

from ui import strings as strings_package

LANGUAGES = {"ko": "한국어", "en": "English"}


def _catalogue() -> dict[str, dict[str, str]]:
    """All strings from the modules of ``ui/strings`` (one per area, so areas never edit one file)."""
    merged: dict[str, dict[str, str]] = {}
    for info in pkgutil.iter_modules(strings_package.__path__):
        module = importlib.import_module(f"{strings_package.__name__}.{info.name}")
        for key, entry in module.STRINGS.items():
            if key in merged:
                raise KeyError(f"string key {key!r} is defined twice (ui/strings/{info.name}.py)")
            merged[key] = entry
    return merged


STRINGS = _catalogue()


def language() -> str:
    """The chosen language: the sidebar switch if used, else the browser's, else Korean."""
    lang = st.session_state.get("lang")
    if lang in LANGUAGES:
        return lang
    locale = (getattr(st.context, "locale", None) or "ko").lower()
    return "en" if locale.startswith("en") else "ko"


def t(key: str, **values) -> str:
    """The string ``key`` in the current language, with ``values`` filled in."""
    text = STRINGS[key][language()]
    return text.format(**values) if values else text


def language_switch() -> None:
    current = language()
    st.sidebar.selectbox(t("lang.label"), list(LANGUAGES), index=list(LANGUAGES).index(current),
                         format_func=LANGUAGES.get, key="lang")
