"""Tables as a reader expects them: a missing value is an empty cell, not the word "None".

Streamlit's grid draws "None" for any missing cell, whatever a Styler says, so a column with missing
values is shown as text (numbers written as the grid would write them, kept right-aligned); columns
without missing values keep their types. Only what is shown changes, never the data.
"""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st


def _cell(value) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.10g}"
    if isinstance(value, pd.Timestamp):
        return value.isoformat(sep=" ") if value != value.normalize() else value.date().isoformat()
    return str(value)


def blank_missing(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every column that has a missing value as text, the missing ones empty."""
    shown = frame.copy()
    for column in frame.columns[frame.isna().any()]:
        shown[column] = frame[column].map(_cell).astype(object)
    return shown


def numbers_with_blanks(frame: pd.DataFrame) -> list:
    """The number columns `blank_missing` turns into text (to keep them right-aligned)."""
    return [c for c in frame.columns[frame.isna().any()] if pd.api.types.is_numeric_dtype(frame[c])]


def show_table(frame: pd.DataFrame, key: str, column_config: dict | None = None, **kwargs) -> None:
    """``st.dataframe`` of ``frame`` with missing values shown as empty cells."""
    config = dict(column_config or {})
    for column in numbers_with_blanks(frame):
        config.setdefault(column, st.column_config.Column(alignment="right"))
    st.dataframe(blank_missing(frame), key=key, column_config=config, **kwargs)
