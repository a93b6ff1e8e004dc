"""The Edit page's row filters: "add a condition" (column → condition → value → add), shown as removable chips.

Only conditions the user added are applied, so the table stays on screen while one is being written.
The list lives in session state per dataset, outside any widget, so it survives paging and sorting.
"""
from __future__ import annotations

import streamlit as st

from storage.workspace import FILTER_OPS, Filter
from ui.i18n import t

#: Conditions that need no value.
NO_VALUE = ("missing", "present")


def _slot(dataset_id: str) -> str:
    return f"edit.filter_list.{dataset_id}"


def active_filters(dataset_id: str, columns: list[str]) -> list[Filter]:
    """The conditions added for this dataset (those on a column it still has)."""
    return [Filter(f["column"], f["op"], f["value"]) for f in st.session_state.get(_slot(dataset_id), [])
            if f["column"] in columns]


def chip_text(f: Filter) -> str:
    condition = t(f"edit.op.{f.op}")
    return t("edit.chip_no_value", column=f.column, condition=condition) if f.op in NO_VALUE else \
        t("edit.chip", column=f.column, condition=condition, value=f.value)


def _add(dataset_id: str) -> None:
    column, op = st.session_state.get("edit.new_filter_column"), st.session_state.get("edit.new_filter_op")
    value = (st.session_state.get("edit.new_filter_value") or "").strip()
    if column is None or op is None or (op not in NO_VALUE and value == ""):
        st.session_state["edit.filter_incomplete"] = True
        return
    st.session_state.setdefault(_slot(dataset_id), []).append(
        {"column": column, "op": op, "value": None if op in NO_VALUE else value})
    st.session_state["edit.new_filter_value"] = ""
    st.session_state["edit.goto_page"] = 1


def _remove(dataset_id: str, index: int) -> None:
    filters = st.session_state.get(_slot(dataset_id), [])
    if 0 <= index < len(filters):
        filters.pop(index)
    st.session_state["edit.goto_page"] = 1


def row_filters(ds, columns: list[str]) -> list[Filter]:
    """The "add a condition" row and the chips of the conditions added; the filters to apply."""
    filters = active_filters(ds.dataset_id, columns)
    ops = {op: t(f"edit.op.{op}") for op in FILTER_OPS}
    with st.expander(t("edit.filters_count", count=len(filters)) if filters else t("edit.filters"),
                     expanded=bool(filters)):
        column_col, op_col, value_col, add_col = st.columns([2, 2, 2, 1], vertical_alignment="bottom")
        column_col.selectbox(t("data.col.column"), columns, index=None, key="edit.new_filter_column",
                             placeholder=t("edit.pick_column"))
        op = op_col.selectbox(t("edit.filter_condition"), list(ops), index=None, format_func=ops.get,
                              key="edit.new_filter_op", placeholder=t("edit.pick_condition"))
        value_col.text_input(t("edit.filter_value"), key="edit.new_filter_value", disabled=op in NO_VALUE,
                             placeholder=t("edit.type_value"))
        add_col.button(t("edit.add_filter"), key="edit.add_filter", on_click=_add, args=(ds.dataset_id,),
                       icon=":material/add:")
        if st.session_state.pop("edit.filter_incomplete", False):
            st.caption(t("edit.filter_incomplete"))
        if filters:
            chips = st.columns(min(len(filters), 4))
            for i, f in enumerate(filters):
                chips[i % len(chips)].button(chip_text(f), key=f"edit.remove_filter.{i}", icon=":material/close:",
                                             on_click=_remove, args=(ds.dataset_id, i), help=t("edit.remove_filter"))
    return filters
