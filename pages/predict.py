"""Predict: pick a model (the active one by default), check new rows against its input contract, predict."""
import streamlit as st

from ui import predict as view
from ui.i18n import t
from ui.literal import t_md
from ui.session import show_flash, user_errors, workspace

ws = workspace()
st.title(t("predict.title"))
show_flash("predict.flash")
runs = view.finished_runs(ws)
if not runs:
    st.info(t("predict.no_runs"))
    st.stop()
by_id = {r.run_id: r for r in runs}

run_id = view.pick_run(ws, runs)
run = by_id[run_id]
model = None
with user_errors():  # a damaged bundle, or one saved with other library versions, is refused here
    model = view.load_model(ws, run_id)
if model is None:
    st.stop()
pipeline, sidecar = model
contract = sidecar["contract"]
st.caption(t_md("predict.needs", columns=", ".join(c["name"] for c in contract["columns"])))
view.model_actions(ws, run)

batch_tab, record_tab = st.tabs([t("predict.tab_batch"), t("predict.tab_record")])
with batch_tab:
    view.batch(ws, run)
with record_tab:
    view.one_record(run_id, pipeline, sidecar)
