"""Tables as a reader expects them: a missing value is an empty cell, not the word "None"."""
from __future__ import annotations

import math

import pandas as pd
from pandas.io.formats.style import Styler


def _cell(value) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:,.10g}" if abs(value) < 1e15 else f"{value:g}"
    if isinstance(value, pd.Timestamp):
        return value.isoformat(sep=" ") if value != value.normalize() else value.date().isoformat()
    return str(value)


def blank_missing(frame: pd.DataFrame) -> Styler:
    """``frame`` for ``st.dataframe`` with missing values shown as empty cells (the data keep their types,
    so sorting and column types still work; only what is shown changes)."""
    return frame.style.format(_cell)
