"""Every string a user sees, in Korean and English, the language switch, and number/date formatting."""
from __future__ import annotations

import importlib
import pkgutil
from datetime import date, datetime

import streamlit as st

from storage.users import UserStore
from ui import strings as strings_package

LANGUAGES = {"ko": "한국어", "en": "English"}
DEFAULT_LANGUAGE = "ko"


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


def browser_language() -> str:
    """The language of the browser (``st.context.locale``, e.g. ``ko-KR``) if we have it, else Korean."""
    locale = (getattr(st.context, "locale", None) or "").lower()
    code = locale.replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def language() -> str:
    """The chosen language: the sidebar switch (set from the user's saved choice at sign-in), else the browser's."""
    lang = st.session_state.get("lang")
    return lang if lang in LANGUAGES else browser_language()


def t(key: str, **values) -> str:
    """The string ``key`` in the current language, with ``values`` filled in."""
    text = STRINGS[key][language()]
    return text.format(**values) if values else text


def use_saved_language(saved: str | None) -> None:
    """At sign-in: switch to the language the user chose last time, if any (call before the switch renders)."""
    if saved in LANGUAGES:
        st.session_state["lang"] = saved


def _remember_language() -> None:
    username = st.session_state.get("username")
    if st.session_state.get("authentication_status") and username and st.session_state.get("lang") in LANGUAGES:
        UserStore().set_language(username, st.session_state["lang"])


def _choose_language(key: str) -> None:
    st.session_state["lang"] = st.session_state[key]
    _remember_language()


def language_choice(key: str) -> None:
    """The language as radio buttons on a page, in step with the sidebar switch and saved the same way."""
    st.session_state[key] = language()
    st.radio(t("lang.label"), list(LANGUAGES), format_func=LANGUAGES.get, key=key, horizontal=True,
             on_change=_choose_language, args=(key,))


def language_switch() -> None:
    """The sidebar language select box; a signed-in user's choice is saved with their account."""
    if st.session_state.get("lang") not in LANGUAGES:
        st.session_state["lang"] = browser_language()
    st.sidebar.selectbox(t("lang.label"), list(LANGUAGES), format_func=LANGUAGES.get, key="lang",
                         on_change=_remember_language)


# -- numbers and dates in the chosen language ----------------------------------------------------------

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_number(value: float | int | None, digits: int | None = None) -> str:
    """``1234567.891`` → ``1,234,567.89`` (``digits`` after the point; integers get none); ``None`` → ``–``.

    Korean and English group digits the same way (commas by thousands, a point for decimals).
    """
    if value is None or value != value:
        return "–"
    if digits is None:
        digits = 0 if float(value).is_integer() else 2
    return f"{value:,.{digits}f}"


def format_percent(fraction: float | None, digits: int = 1) -> str:
    """``0.1234`` → ``12.3%``."""
    if fraction is None or fraction != fraction:
        return "–"
    return f"{fraction * 100:,.{digits}f}%"


def format_bytes(size: int | float | None) -> str:
    """A size in the largest unit that keeps it at least 1: ``1536`` → ``1.5 KB``."""
    if size is None:
        return "–"
    size = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if abs(size) < 1024 or unit == "GB":
            break
        size /= 1024
    return f"{size:,.0f} {unit}" if unit == "B" else f"{size:,.1f} {unit}"


def format_date(value: date | datetime | None, lang: str | None = None) -> str:
    """``2025년 3월 5일`` in Korean, ``Mar 5, 2025`` in English."""
    if value is None:
        return "–"
    if (lang or language()) == "ko":
        return f"{value.year}년 {value.month}월 {value.day}일"
    return f"{_MONTHS_EN[value.month - 1]} {value.day}, {value.year}"


def format_datetime(value: datetime | None, lang: str | None = None) -> str:
    """``2025년 3월 5일 14:05`` in Korean, ``Mar 5, 2025, 14:05`` in English (24-hour clock in both)."""
    if value is None:
        return "–"
    lang = lang or language()
    separator = " " if lang == "ko" else ", "
    return f"{format_date(value, lang)}{separator}{value:%H:%M}"
