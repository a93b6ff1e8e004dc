"""Tables as a reader expects them: a missing value is an empty cell, not the word "None"."""
from __future__ import annotations

import pandas as pd
import streamlit as st

#: What a missing cell shows (Streamlit's own default is the word "None").
MISSING = ""


def show_table(frame: pd.DataFrame, key: str, column_config: dict | None = None, **kwargs) -> None:
    """``st.dataframe`` of ``frame`` with missing values shown as empty cells (the data keep their types)."""
    st.dataframe(frame, key=key, column_config=column_config, placeholder=MISSING, **kwargs)
