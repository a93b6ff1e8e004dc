"""Predict: pick a model (the active one by default), check new rows against its input contract, predict."""
from functools import partial
from pathlib import Path

import streamlit as st

from core import service
from storage.ingest import UPLOAD_TYPES
from ui import predict as ui
from ui.i18n import format_number, t
from ui.session import flash, show_flash, user_errors, workspace

ws = workspace()
st.title(t("predict.title"))
show_flash("predict.flash")
runs = [r for r in ws.runs() if r.status == "finished"]
if not runs:
    st.info(t("predict.no_runs"))
    st.stop()
by_id = {r.run_id: r for r in runs}

run_id = ui.pick_run(ws, runs)
run = by_id[run_id]
model = None
with user_errors():  # a damaged bundle, or one saved with other library versions, is refused here
    model = ui.load_model(ws, run_id)
if model is None:
    st.stop()
pipeline, sidecar = model
contract = sidecar["contract"]
st.caption(t("predict.needs", columns=", ".join(c["name"] for c in contract["columns"])))

left, right = st.columns(2)
if run_id in ui.active_runs(ws, [run]):
    left.caption(t("predict.is_active", name=run.dataset_name))
elif left.button(t("predict.make_active", name=run.dataset_name), key="predict.make_active"):
    with user_errors():
        service.set_active_run(ws, run_id)
        flash("predict.flash", key="predict.activated", model=run.model, name=run.dataset_name)
        st.rerun()
right.download_button(t("predict.bundle"), partial(ui.bundle_zip, ws.username, run_id), file_name=f"model_{run_id}.zip",
                      mime="application/zip", key="predict.bundle", help=t("predict.bundle_help"))

batch_tab, record_tab = st.tabs([t("predict.tab_batch"), t("predict.tab_record")])

with batch_tab:
    upload = st.file_uploader(t("predict.upload"), type=UPLOAD_TYPES, key="predict.upload")
    datasets = {None: "—"} | {d.dataset_id: d.name for d in ws.datasets()}
    dataset_id = st.selectbox(t("predict.or_dataset"), list(datasets), format_func=datasets.get, key="predict.dataset")
    staged, columns = None, []
    with user_errors():
        staged = ui.staged_upload(ws, upload) if upload is not None else None
        columns = staged["columns"] if staged else ws.column_names(dataset_id) if dataset_id else []
    keep_labels = {None: t("predict.keep_all")} | {c: t("predict.keep_one", column=c) for c in columns}
    if st.session_state.get("predict.keep") not in keep_labels:  # a column of the previous file or dataset
        st.session_state.pop("predict.keep", None)
    keep = st.selectbox(t("predict.keep"), list(keep_labels), format_func=keep_labels.get, key="predict.keep")
    if st.button(t("predict.go"), type="primary", key="predict.go", disabled=staged is None and dataset_id is None):
        bar = st.progress(0.0, text=t("predict.running"))
        source = staged["name"] if staged else datasets[dataset_id]
        with user_errors():
            result = service.predict_rows(
                ws, run_id, path=Path(staged["path"]) if staged else None,
                original_name=staged["name"] if staged else None, dataset=None if staged else dataset_id,
                keep=[keep] if keep else None, texts=ui.row_texts(),
                name=t("predict.output_name", source=Path(source).stem, model=run.model),
                progress=lambda f, done: bar.progress(min(f, 1.0), text=t("predict.progress", done=done)))
            st.session_state["predict.last"] = {
                "run_id": run_id, "rows": result.rows, "csv": str(result.out), "dataset_id": result.dataset.dataset_id,
                "dataset": result.dataset.name, "preview": result.preview, "check": result.check,
            }
        bar.empty()

    last = st.session_state.get("predict.last")
    if last and last["run_id"] == run_id:
        st.success(t("predict.done", rows=format_number(last["rows"])))
        st.caption(t("predict.saved_as", name=last["dataset"]))
        st.dataframe(last["preview"], key="predict.preview")
        st.caption(t("predict.preview", shown=format_number(len(last["preview"])), rows=format_number(last["rows"])))
        ui.downloads(ws.username, last)
        ui.show_check(last["check"], key="predict.check")

with record_tab:
    values = ui.record_form(contract, key=f"predict.record.{run_id}")
    if values is not None:
        with user_errors():
            prediction = service.predict_record(pipeline, sidecar, values, texts=ui.row_texts())
            st.session_state["predict.record_last"] = {"run_id": run_id, **ui.record_result(prediction, sidecar)}
    record = st.session_state.get("predict.record_last")
    if record and record["run_id"] == run_id:
        ui.show_record_result(record)
