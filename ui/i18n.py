"""The language of this browser session, the switch that changes it, and numbers and dates in that language."""
from __future__ import annotations

from datetime import date, datetime

import streamlit as st

from texts import DEFAULT_LANGUAGE, LANGUAGES, text_for


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
    return text_for(language())(key, **values)


def use_saved_language(saved: str | None) -> None:
    """At sign-in: switch to the language the user chose last time, if any (call before the switch renders)."""
    if saved in LANGUAGES:
        st.session_state["lang"] = saved


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
