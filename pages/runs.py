"""Runs: every run of a dataset as a leaderboard, several side by side, one in detail; mark the active
model, re-run with changed settings, download a run's report, delete runs."""
import streamlit as st

from ui import runs as view
from ui.i18n import t
from ui.session import pick_dataset, show_flash, workspace

ws = workspace()
st.title(t("runs.title"))
view.open_requested(ws)
show_flash("runs.flash")
ds = pick_dataset(ws, key="runs.dataset")
all_runs = ws.runs(ds.dataset_id)  # one query: the leaderboard needs nothing per run
if not all_runs:
    st.info(t("runs.none"))
    st.page_link("pages/train.py", label=t("runs.go_train"), icon=":material/model_training:")
    st.stop()

runs, target, task = view.pick_problem(all_runs)
metric = view.pick_metric(runs, task)
active_run_id = ws.active_run(ds.dataset_id)
table = view.leaderboard(runs, metric, active_run_id)

views = {"compare": t("runs.view.compare"), "details": t("runs.view.details")}
if st.session_state.get("runs.view") not in views:
    st.session_state["runs.view"] = "compare"
mode = st.segmented_control(t("runs.view"), list(views), format_func=views.get, key="runs.view", required=True)
if mode == "compare":
    view.compare(ws, runs, table, metric, task)
else:
    run = view.pick_run(runs, table, metric)
    if run is not None:
        view.run_header(ws, ds, run, active=run.run_id == active_run_id)
        view.run_details(ws, ds, run, metric)
view.delete_runs(ws, runs, metric)
