"""Data: bring a file (any common format and encoding), Redis keys, a sample or a blank table; list, rename, download, delete."""
import streamlit as st

from ui import data as view
from ui.i18n import t
from ui.redis_import import redis_source
from ui.session import pick_dataset, show_flash, workspace
from ui.uploads import upload_box

ws = workspace()
st.title(t("data.title"))
show_flash("data.flash")
view.next_step()
if st.session_state.pop("data.blank_done", False):
    st.session_state["data.blank"] = False

upload_col, sample_col = st.columns([3, 2])
with upload_col:
    nonce = st.session_state.setdefault("data.upload_nonce", 0)
    upload = upload_box(t("data.upload"), key=f"data.upload.{nonce}")
with sample_col:
    view.sample_loader(ws)

view.forget_removed_upload(ws, upload)
if upload is not None:
    view.upload_panel(ws, upload, nonce)
redis_source(ws)
if st.toggle(t("data.blank"), key="data.blank"):
    view.blank_table_panel(ws)

st.subheader(t("data.list"))
datasets = ws.datasets()
if not datasets:
    st.info(t("data.none"))
    st.stop()
view.dataset_table(datasets, view.model_names(ws))

ds = pick_dataset(ws, key="data.pick")
view.preview(ws, ds)
rename_col, download_col = st.columns(2)
with rename_col:
    view.rename_form(ws, ds)
with download_col:
    view.downloads(ws, ds)
with st.expander(t("data.delete")):
    view.delete_button(ws, ds)
