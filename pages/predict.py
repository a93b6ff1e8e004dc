"""Predict: pick a trained model, give it new rows, see and download the predictions."""
import tempfile
from pathlib import Path

import streamlit as st

from core import service
from storage.bundles import read_sidecar
from ui.i18n import t
from ui.session import user_errors, workspace

ws = workspace()
st.title(t("predict.title"))
runs = [r for r in ws.runs() if r.status == "finished"]
if not runs:
    st.info(t("predict.no_runs"))
    st.stop()
by_id = {r.run_id: r for r in runs}


def _label(run_id: str) -> str:
    r = by_id[run_id]
    score = r.metrics.get(r.metric)
    shown = f"{r.metric}={score:.4f}" if isinstance(score, float) else ""
    return f"{r.model} → {r.target} · {r.dataset_name} · {shown} · {r.run_id}"


run_id = st.selectbox(t("predict.run"), list(by_id), format_func=_label, key="predict.run")
with user_errors():
    contract = read_sidecar(ws.username, run_id, ws.root)["contract"]
    st.caption(t("predict.needs", columns=", ".join(c["name"] for c in contract["columns"])))

upload = st.file_uploader(t("predict.upload"), type=["csv", "tsv", "txt"], key="predict.upload")
datasets = ws.datasets()
dataset_names = {None: "—"} | {d.dataset_id: d.name for d in datasets}
dataset_id = st.selectbox(t("predict.or_dataset"), list(dataset_names), format_func=dataset_names.get,
                          key="predict.dataset")

if st.button(t("predict.go"), type="primary", key="predict.go", disabled=upload is None and dataset_id is None):
    with user_errors():
        if upload is not None:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "rows"
                path.write_bytes(upload.getbuffer())
                frame = service.read_rows(path, original_name=upload.name)
            source = upload.name
        else:
            frame, source = ws.load(dataset_id), ws.dataset(dataset_id).name
        prediction = service.predict(ws, run_id, frame, source=source)
        st.session_state["predict.last"] = {
            "run_id": run_id, "source": source, "csv": service.predictions_csv(prediction),
            "preview": prediction.frame.head(200), "rows": len(prediction.frame),
            "messages": prediction.check.messages(),
        }

last = st.session_state.get("predict.last")
if last and last["run_id"] == run_id:
    st.success(t("predict.done", rows=f"{last['rows']:,}"))
    if last["messages"]:
        with st.container(border=True):
            st.markdown(f"**{t('predict.warnings')}**")
            for message in last["messages"]:
                st.warning(message)
    st.dataframe(last["preview"], key="predict.preview")
    st.download_button(t("predict.download"), last["csv"], file_name=f"predictions_{run_id}.csv",
                       mime="text/csv", key="predict.download", type="primary")
