"""Edit: a paged spreadsheet over a dataset of any size; edits stay a draft until saved as a new version."""
import streamlit as st

from ui import edit as view
from ui.columns import column_types
from ui.edit_filters import row_filters
from ui.i18n import t
from ui.session import pick_dataset, show_flash, workspace

ws = workspace()
st.title(t("edit.title"))
view.flush_grid(ws)
show_flash("edit.flash")
ds = pick_dataset(ws, key="edit.dataset")
draft = ws.draft(ds.dataset_id)
columns = ws.column_names(ds.dataset_id)
filters = row_filters(ds, columns)
page, requested, pages = view.page_of_rows(ws, ds, columns, filters)
view.grid(ds, page, requested, pages)
if draft is not None:  # below the grid, so it never moves the cells under the user's pointer
    view.draft_banner(ws, ds, draft)

blocked = draft is not None
types_now = column_types(ws.username, ds.dataset_id, ds.version)
columns_tab, clean_tab, history_tab, view_tab = st.tabs([t("edit.tab.columns"), t("edit.tab.clean"),
                                                          t("edit.tab.history"), t("edit.tab.view")])
with columns_tab:
    view.columns_panel(ws, ds, columns, types_now, blocked)
with clean_tab:
    view.clean_panel(ws, ds, columns, types_now, blocked)
with history_tab:
    view.history_panel(ws, ds, blocked)
with view_tab:
    view.view_panel(ws, ds, columns, filters, page)
