"""Column types on the Data and Edit pages: cached per dataset version, labelled, edited in a table."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from core.data import dataset_types
from core.data.types import TYPES
from storage.workspace import Workspace
from ui.i18n import t


@st.cache_data(max_entries=32, show_spinner=False)
def column_types(username: str, dataset_id: str, version: int) -> dict[str, str]:
    """{column: type} of one version of a dataset (a version never changes, so it is read once)."""
    return dataset_types(Workspace(username), dataset_id, version)


def type_label(key: str) -> str:
    return t(f"data.type.{key}")


def types_editor(types: dict[str, str], key: str) -> dict[str, str]:
    """The columns with their types, each type a select box; the types the user changed ({column: type})."""
    labels = {k: type_label(k) for k in TYPES}
    by_label = {label: k for k, label in labels.items()}
    # The table's own column names are the headers the user reads (a name, not a label over a code name).
    column, kind = t("data.col.column"), t("data.col.type")
    table = pd.DataFrame({column: list(types), kind: [labels[v] for v in types.values()]})
    chosen = st.data_editor(table, key=key, hide_index=True, disabled=[column],
                            column_config={column: st.column_config.TextColumn(column),
                                           kind: st.column_config.SelectboxColumn(
                                               kind, options=list(labels.values()), required=True)})
    return {c: by_label[label] for c, label in zip(chosen[column], chosen[kind])
            if label in by_label and by_label[label] != types.get(c)}
