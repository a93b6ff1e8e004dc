"""The Train page's note on how each chosen column will be used: numbers, categories, dates, words, codes, left out."""
from __future__ import annotations

import streamlit as st

from core.train.preprocessing import PreprocessSettings, column_roles, usage
from storage.workspace import Dataset, Workspace
from ui.i18n import t
from ui.literal import t_md
from ui.train_form import target_facts

#: Rows read to judge the columns (training itself reads every row, and its notes say what it found).
SAMPLE_ROWS = 2000


@st.cache_data(max_entries=32, show_spinner=False)
def column_usage(username: str, dataset_id: str, version: int, features: tuple[str, ...]) -> dict:
    """``{kind: [columns]}`` for ``features`` of one dataset version, judged from its first `SAMPLE_ROWS` rows
    and its column types (as the Data page shows them), the way training sorts them."""
    ws = Workspace(username)
    _, types = target_facts(username, dataset_id, version)
    frame = ws.load(dataset_id, limit=SAMPLE_ROWS, columns=list(features), version=version)
    roles = column_roles(frame, list(features), PreprocessSettings(), types)
    return {kind: list(cols) for kind, cols in usage(roles).items()}


def show(ws: Workspace, ds: Dataset, features: list[str]) -> None:
    """One line per way of using columns (numbers, categories, dates, words, codes, left out), under the features."""
    if not features:
        return
    kinds = column_usage(ws.username, ds.dataset_id, ds.version, tuple(features))
    with st.container(key="train.usage"):
        st.markdown(f"**{t('train.usage.title')}**")
        for kind, columns in kinds.items():
            st.caption(t_md(f"train.usage.{kind}", columns=", ".join(f"'{c}'" for c in columns)))
        if ds.rows > SAMPLE_ROWS:
            st.caption(t("train.usage.sample", rows=f"{SAMPLE_ROWS:,}"))


__all__ = ["SAMPLE_ROWS", "column_usage", "show"]
