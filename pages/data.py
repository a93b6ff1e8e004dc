"""Data: upload a CSV/TSV or load a sample, list datasets, preview one, delete one."""
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from core import service
from core.samples import SAMPLES
from ui.i18n import t
from ui.session import pick_dataset, user_errors, workspace

PREVIEW_ROWS = 50

ws = workspace()
st.title(t("data.title"))

upload_col, sample_col = st.columns([3, 2])
with upload_col:
    upload = st.file_uploader(t("data.upload"), type=["csv", "tsv", "txt"], key="data.upload")
    name = st.text_input(t("data.name"), value=Path(upload.name).stem if upload else "", key="data.name")
    if st.button(t("data.save"), key="data.save", disabled=upload is None, type="primary"):
        with user_errors(), tempfile.TemporaryDirectory() as tmp:
            # The user's file name is only shown, never used as a path.
            path = Path(tmp) / "upload"
            path.write_bytes(upload.getbuffer())
            ds = service.ingest_file(ws, path, name or None, original_name=upload.name)
            st.session_state["current_dataset"] = ds.dataset_id
            st.success(t("data.saved", name=ds.name, rows=f"{ds.rows:,}", columns=ds.columns))
with sample_col:
    sample = st.selectbox(t("data.sample"), list(SAMPLES), format_func=lambda k: SAMPLES[k][0],
                          key="data.sample")
    if st.button(t("data.sample_button"), key="data.load_sample"):
        with user_errors():
            ds = service.load_sample(ws, sample)
            st.session_state["current_dataset"] = ds.dataset_id
            st.success(t("data.saved", name=ds.name, rows=f"{ds.rows:,}", columns=ds.columns))

st.subheader(t("data.list"))
datasets = ws.datasets()
if not datasets:
    st.info(t("data.none"))
    st.stop()
st.dataframe(pd.DataFrame([{t("col.name"): d.name, t("col.rows"): d.rows, t("col.columns"): d.columns,
                            t("col.source"): d.source, t("col.created"): d.created} for d in datasets]),
             hide_index=True, key="data.table")

ds = pick_dataset(ws, key="data.pick")
st.subheader(f"{t('data.preview')} {ds.name}")
st.caption(t("data.preview_rows", n=min(PREVIEW_ROWS, ds.rows), rows=f"{ds.rows:,}"))
st.dataframe(ws.load(ds.dataset_id, limit=PREVIEW_ROWS), key="data.preview")

with st.expander(t("data.delete")):
    if st.button(t("data.delete_confirm", name=ds.name), key="data.delete"):
        with user_errors():
            ws.delete_dataset(ds.dataset_id)
            st.session_state.pop("current_dataset", None)
            st.success(t("data.deleted", name=ds.name))
            st.rerun()
