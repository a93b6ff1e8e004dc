"""The Edit page's work: the paged grid and its draft, filters, column tools, cleaning tools, versions and views."""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from core.data import change_column_types
from storage.workspace import ADDED_ROW_BASE, DATE_PART_SQL, Filter, Workspace
from ui.columns import type_label, types_editor
from ui.tables import MISSING
from ui.i18n import format_bytes, format_datetime, t
from ui.session import flash, user_errors

PAGE_SIZES = (25, 50, 100, 200, 500)
FILL_METHODS = ("constant", "mean", "median", "mode")
#: The sort box's "no sort" choice.
NO_SORT = ""


def flush_grid(ws: Workspace) -> None:
    """Move the edits made in the grid on the last run into the dataset's draft, then show a fresh grid.

    The draft lives in the workspace, so edits survive paging, leaving the page and restarts.
    """
    meta = st.session_state.get("edit.grid_meta")
    state = st.session_state.get(meta["key"]) if meta else None
    if not state or not (state["edited_rows"] or state["added_rows"] or state["deleted_rows"]):
        return
    rows, columns = meta["row_ids"], set(meta["columns"])
    cells = {(rows[int(pos)], column): value for pos, changes in state["edited_rows"].items()
             for column, value in changes.items() if column in columns and int(pos) < len(rows)}
    deleted = [rows[int(pos)] for pos in state["deleted_rows"] if int(pos) < len(rows)]
    added = [{c: v for c, v in row.items() if c in columns} for row in state["added_rows"]]
    st.session_state["edit.grid_nonce"] = st.session_state.get("edit.grid_nonce", 0) + 1
    with user_errors():
        ws.record_edits(meta["dataset_id"], meta["base_version"], cells=cells, deleted=deleted, added=added)
        if added:
            st.session_state["edit.goto_page"] = 10**9  # the new rows are at the end: show the last page
    st.session_state.pop("edit.grid_meta", None)


def row_label(row_id: int) -> str:
    return f"+{row_id - ADDED_ROW_BASE}" if row_id > ADDED_ROW_BASE else str(row_id + 1)


def change_text(change: dict) -> str:
    params = {k: (", ".join(map(str, v)) if isinstance(v, list) else v) for k, v in change.items() if k != "code"}
    if change.get("code") == "types":
        params["columns"] = ", ".join(f"{c} → {type_label(k)}" for c, k in change.get("columns", {}).items())
    if change.get("code") == "fill_missing":
        params["method"] = t(f"edit.fill.{change.get('method')}")
    if change.get("code") == "date_parts":
        params["parts"] = ", ".join(t(f"edit.part.{p}") for p in change.get("parts", []))
    try:
        return t(f"data.change.{change.get('code')}", **params)
    except KeyError:
        return str(change.get("code", ""))


def done(new, key: str = "edit.saved_version", **params) -> None:
    """After a tool saved a version: say so on the next run, from the first page."""
    flash("edit.flash", "success", key=key, version=new.version, name=new.name, **params)
    st.session_state["edit.goto_page"] = 1
    st.rerun()


def draft_banner(ws: Workspace, ds, draft) -> None:
    """The unsaved edits, with Save (a new version) and Discard; or, when a later version was saved since
    the edits began (another tab or session), the choice of what to do with them."""
    with st.container(border=True):
        st.warning(t("edit.draft", changes=draft.changes, cells=draft.cells, deleted=draft.deleted,
                     added=draft.added, since=format_datetime(draft.updated)))
        if draft.base_version != ds.version:
            conflict_choices(ws, ds, draft)
            return
        save_col, discard_col, _ = st.columns([1, 1, 3])
        if save_col.button(t("edit.save_draft"), key="edit.save_draft", type="primary"):
            with user_errors():
                done(ws.save_draft(ds.dataset_id))
        if discard_col.button(t("edit.discard_draft"), key="edit.discard_draft"):
            ws.discard_draft(ds.dataset_id)
            flash("edit.flash", "info", key="edit.discarded")
            st.rerun()


def conflict_choices(ws: Workspace, ds, draft) -> None:
    """Edits made on an older version: save them over the latest, as a new dataset, or discard them."""
    st.error(t("data.error.edit_conflict", name=ds.name, base=draft.base_version, latest=ds.version))
    over_col, branch_col, discard_col = st.columns(3)
    if over_col.button(t("edit.conflict_over", latest=ds.version), key="edit.conflict_over", type="primary"):
        with user_errors():
            done(ws.save_draft(ds.dataset_id, replace_latest=True), "edit.saved_over", replaced=ds.version)
    name = branch_col.text_input(t("edit.branch_name"), value=f"{ds.name} ({t('edit.conflict_suffix')})",
                                 key="edit.conflict_name")
    if branch_col.button(t("edit.conflict_branch"), key="edit.conflict_branch"):
        with user_errors():
            branched = ws.branch_draft(ds.dataset_id, name)
            st.session_state["current_dataset"] = branched.dataset_id
            flash("edit.flash", "success", key="edit.branched", name=branched.name)
            st.rerun()
    if discard_col.button(t("edit.discard_draft"), key="edit.conflict_discard"):
        ws.discard_draft(ds.dataset_id)
        flash("edit.flash", "info", key="edit.discarded")
        st.rerun()


def page_of_rows(ws: Workspace, ds, columns: list[str], filters: list[Filter]):
    """The page of rows to show (size, number and sort as chosen), and the paging controls."""
    size = st.session_state.get("edit.page_size", 50)
    # The sort box's choice is kept outside the widget too, so a rerun that skipped the box (a filter being
    # added) never leaves it empty; "no sort" is "" rather than None, which a select box shows as no choice.
    sort = st.session_state.get("edit.sort", st.session_state.get("edit.sort_kept", NO_SORT))
    sort = sort if sort in columns else NO_SORT
    st.session_state["edit.sort"] = sort
    descending = st.session_state.get("edit.descending", False)
    requested = int(st.session_state.pop("edit.goto_page", None) or st.session_state.get("edit.page") or 1)
    page = None
    with user_errors():
        page = ws.page(ds.dataset_id, offset=(requested - 1) * size, limit=size, sort=sort or None,
                       descending=descending, filters=filters)
        pages = max(1, math.ceil(page.total / size))
        if requested > pages:
            requested = pages
            page = ws.page(ds.dataset_id, offset=(requested - 1) * size, limit=size, sort=sort or None,
                           descending=descending, filters=filters)
        st.session_state["edit.page"] = requested
    if page is None:
        st.stop()

    size_col, page_col, sort_col, order_col = st.columns([1, 1, 2, 1])
    size_col.selectbox(t("edit.page_size"), PAGE_SIZES, index=PAGE_SIZES.index(size) if size in PAGE_SIZES else 1,
                       key="edit.page_size")
    page_col.number_input(t("edit.page"), min_value=1, max_value=pages, step=1, key="edit.page")
    sort_names = {NO_SORT: t("edit.sort_none")} | {c: c for c in columns}
    st.session_state["edit.sort_kept"] = sort_col.selectbox(t("edit.sort"), list(sort_names),
                                                            format_func=sort_names.get, key="edit.sort")
    order_col.toggle(t("edit.descending"), key="edit.descending")
    return page, requested, pages


def grid(ds, page, requested: int, pages: int) -> None:
    """The editable grid over one page; its edits reach the draft at the start of the next run."""
    grid_key = f"edit.grid.{ds.dataset_id}.{st.session_state.get('edit.grid_nonce', 0)}"
    row_ids = [int(r) for r in page.frame.index]
    st.session_state["edit.grid_meta"] = {"key": grid_key, "dataset_id": ds.dataset_id,
                                          "base_version": page.base_version, "row_ids": row_ids,
                                          "columns": list(page.frame.columns)}
    shown = page.frame.copy()
    shown.index = pd.Index([row_label(r) for r in row_ids], name="#")
    st.data_editor(shown, key=grid_key, num_rows="dynamic", disabled=["_index"], placeholder="",
                   column_config={"_index": st.column_config.TextColumn("#")})
    first = page.offset + 1 if page.total else 0
    st.caption(t("edit.rows_caption", first=f"{first:,}", last=f"{page.offset + len(page.frame):,}",
                 total=f"{page.total:,}", page=requested, pages=pages) + " · " + t("edit.grid_help"))


def columns_panel(ws: Workspace, ds, columns: list[str], types_now: dict, blocked: bool) -> None:
    """Column types, and adding, renaming and dropping columns."""
    if blocked:
        st.info(t("edit.blocked_by_draft"))
    st.markdown(f"**{t('data.types_title')}** — {t('edit.types_help')}")
    changes = types_editor(types_now, key=f"edit.types.{ds.dataset_id}.{ds.version}")
    lenient = st.checkbox(t("edit.types_lenient"), key="edit.types_lenient")
    if st.button(t("edit.apply_types"), key="edit.apply_types", disabled=blocked or not changes):
        with user_errors():
            done(change_column_types(ws, ds.dataset_id, changes, strict=not lenient))

    left, middle, right = st.columns(3)
    with left.form("edit.add_column_form", border=True):
        st.markdown(f"**{t('edit.add_column')}**")
        new_column = st.text_input(t("edit.new_column_name"), key="edit.new_column_name")
        kinds = {k: t(f"edit.kind.{k}") for k in ("text", "float", "integer", "boolean", "datetime")}
        new_kind = st.selectbox(t("edit.new_column_kind"), list(kinds), format_func=kinds.get,
                                key="edit.new_column_kind")
        new_value = st.text_input(t("edit.new_column_value"), key="edit.new_column_value")
        if st.form_submit_button(t("edit.add_column_button"), disabled=blocked):
            with user_errors():
                done(ws.add_column(ds.dataset_id, new_column, new_value or None, new_kind))
    with middle.form("edit.rename_form", border=True):
        st.markdown(f"**{t('edit.rename_column')}**")
        old = st.selectbox(t("data.col.column"), columns, key="edit.rename_from")
        new = st.text_input(t("edit.rename_to"), key="edit.rename_to")
        if st.form_submit_button(t("edit.rename_button"), disabled=blocked):
            with user_errors():
                done(ws.rename_column(ds.dataset_id, old, new))
    with right.form("edit.drop_form", border=True):
        st.markdown(f"**{t('edit.drop_columns')}**")
        dropped = st.multiselect(t("data.col.column"), columns, key="edit.drop", placeholder=t("pick.columns"))
        if st.form_submit_button(t("edit.drop_button"), disabled=blocked):
            with user_errors():
                done(ws.drop_columns(ds.dataset_id, dropped))


def clean_panel(ws: Workspace, ds, columns: list[str], types_now: dict, blocked: bool) -> None:
    """Fill missing values, find and replace, date parts, duplicate rows."""
    if blocked:
        st.info(t("edit.blocked_by_draft"))
    left, right = st.columns(2)
    with left.form("edit.fill_form", border=True):
        st.markdown(f"**{t('edit.fill_title')}**")
        fill_column = st.selectbox(t("data.col.column"), columns, key="edit.fill_column")
        methods = {m: t(f"edit.fill.{m}") for m in FILL_METHODS}
        method = st.radio(t("edit.fill_method"), FILL_METHODS, format_func=methods.get,
                          horizontal=True, key="edit.fill_method")
        fill_value = st.text_input(t("edit.fill_value"), key="edit.fill_value")
        if st.form_submit_button(t("edit.fill_button"), disabled=blocked):
            with user_errors():
                done(ws.fill_missing(ds.dataset_id, fill_column, method, fill_value or None))
    with right.form("edit.replace_form", border=True):
        st.markdown(f"**{t('edit.replace_title')}**")
        find = st.text_input(t("edit.find"), key="edit.find")
        replace_with = st.text_input(t("edit.replace_with"), key="edit.replace_with")
        replace_columns = st.multiselect(t("edit.replace_columns"), columns, key="edit.replace_columns", placeholder=t("pick.columns"))
        whole_cell = st.checkbox(t("edit.whole_cell"), key="edit.whole_cell")
        if st.form_submit_button(t("edit.replace_button"), disabled=blocked):
            with user_errors():
                new_version, count = ws.find_replace(ds.dataset_id, find, replace_with,
                                                     columns=replace_columns or None, whole_cell=whole_cell)
                done(new_version, "edit.replaced", count=count)
    left, right = st.columns(2)
    with left.form("edit.parts_form", border=True):
        st.markdown(f"**{t('edit.parts_title')}**")
        date_columns = [c for c, k in types_now.items() if k == "datetime"] or columns
        part_column = st.selectbox(t("data.col.column"), date_columns, key="edit.parts_column")
        part_names = {p: t(f"edit.part.{p}") for p in DATE_PART_SQL}
        parts = st.multiselect(t("edit.parts"), list(DATE_PART_SQL), default=["year", "month", "weekday"],
                               format_func=part_names.get, key="edit.parts", placeholder=t("pick.one"))
        if st.form_submit_button(t("edit.parts_button"), disabled=blocked):
            with user_errors():
                done(ws.derive_date_parts(ds.dataset_id, part_column, parts))
    with right.form("edit.dedupe_form", border=True):
        st.markdown(f"**{t('edit.dedupe_title')}**")
        dedupe_columns = st.multiselect(t("edit.dedupe_columns"), columns, key="edit.dedupe_columns", placeholder=t("pick.columns"))
        if st.form_submit_button(t("edit.dedupe_button"), disabled=blocked):
            with user_errors():
                new_version, count = ws.drop_duplicates(ds.dataset_id, dedupe_columns or None)
                done(new_version, "edit.deduped", count=count)


def history_panel(ws: Workspace, ds, blocked: bool) -> None:
    """Every version with what it changed; restore one, or save it as a new dataset."""
    versions = ws.versions(ds.dataset_id)
    st.dataframe(pd.DataFrame([{t("data.col.version"): ("★ " if v.current else "") + str(v.version),
                                t("data.col.change"): change_text(v.change), t("col.rows"): v.rows,
                                t("col.columns"): v.columns, t("data.col.size"): format_bytes(v.size_bytes),
                                t("col.created"): format_datetime(v.created)} for v in versions]),
                 hide_index=True, key="edit.history", placeholder=MISSING)
    version_names = {v.version: t("edit.version_label", version=v.version) for v in versions}
    chosen = st.selectbox(t("edit.pick_version"), list(version_names), key="edit.version",
                          format_func=version_names.get)
    restore_col, branch_col = st.columns(2)
    if restore_col.button(t("edit.restore"), key="edit.restore", disabled=blocked or chosen == ds.version):
        with user_errors():
            done(ws.restore_version(ds.dataset_id, chosen), "edit.restored", restored=chosen)
    branch_name = branch_col.text_input(t("edit.branch_name"), value=f"{ds.name} v{chosen}", key="edit.branch_name")
    if branch_col.button(t("edit.branch"), key="edit.branch"):
        with user_errors():
            branched = ws.branch_version(ds.dataset_id, chosen, branch_name)
            st.session_state["current_dataset"] = branched.dataset_id
            flash("edit.flash", "success", key="edit.branched", name=branched.name)
            st.rerun()


def view_panel(ws: Workspace, ds, columns: list[str], filters: list[Filter], page) -> None:
    """Save the chosen columns of the filtered rows as a new dataset."""
    st.caption(t("edit.view_help", filters=len(filters), rows=f"{page.total:,}"))
    view_columns = st.multiselect(t("edit.view_columns"), columns, default=columns, key="edit.view_columns", placeholder=t("pick.columns"))
    view_name = st.text_input(t("edit.view_name"), value=f"{ds.name} ({t('edit.view_suffix')})", key="edit.view_name")
    if st.button(t("edit.view_save"), key="edit.view_save", type="primary"):
        with user_errors():
            view = ws.save_view(ds.dataset_id, view_name, columns=view_columns, filters=filters)
            st.session_state["current_dataset"] = view.dataset_id
            flash("edit.flash", "success", key="edit.view_saved", name=view.name, rows=f"{view.rows:,}")
            st.rerun()
