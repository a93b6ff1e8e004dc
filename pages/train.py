"""Train: choose a dataset, the target and models, validate, and compare the results."""
import pandas as pd
import streamlit as st

from core import service
from core.models import DEFAULT_MODELS, REGISTRY
from core.training import TrainSettings
from ui.i18n import language, t
from ui.session import pick_dataset, user_errors, workspace

ws = workspace()
st.title(t("train.title"))
ds = pick_dataset(ws, key="train.dataset")
columns = ws.column_names(ds.dataset_id)

target = st.selectbox(t("train.target"), columns, index=len(columns) - 1, key="train.target")
# Labels are computed here, not inside format_func, so they follow this run's language.
task_labels = {None: t("train.task_auto"), "binary": "binary", "multiclass": "multiclass", "regression": "regression"}
task = st.selectbox(t("train.task"), list(task_labels), format_func=task_labels.get, key="train.task")
lang = language()
model_names = {key: getattr(spec, f"name_{lang}") for key, spec in REGISTRY.items()}
models = st.multiselect(t("train.models"), list(REGISTRY), default=list(DEFAULT_MODELS), key="train.models",
                        format_func=model_names.get)
with st.expander(t("train.explain")):
    for key in models:
        spec = REGISTRY[key]
        st.markdown(f"**{getattr(spec, f'name_{lang}')}** — {getattr(spec, f'explain_{lang}')}")
left, middle, right = st.columns(3)
validation_labels = {"kfold": t("train.kfold"), "holdout": t("train.holdout")}
validation = left.radio(t("train.validation"), list(validation_labels), key="train.validation",
                        format_func=validation_labels.get)
folds = middle.number_input(t("train.folds"), 2, 10, 5, key="train.folds", disabled=validation != "kfold")
seed = right.number_input(t("train.seed"), 0, 2**31 - 1, 42, key="train.seed")

if st.button(t("train.start"), type="primary", key="train.start"):
    if not models:
        st.warning(t("train.need_model"))
        st.stop()
    settings = TrainSettings(target=target, models=tuple(models), task=task, validation=validation,
                             folds=int(folds), seed=int(seed))
    bar = st.progress(0.0, text=t("train.running"))
    with user_errors():
        outcome = service.train_dataset(ws, ds.dataset_id, settings,
                                        progress=lambda f, msg: bar.progress(min(f, 1.0), text=msg))
        st.session_state["train.last"] = outcome.to_json()
    bar.empty()

last = st.session_state.get("train.last")
if last:
    metric = last["metric"]
    best = next((r for r in last["runs"] if r["run_id"] == last["best_run_id"]), None)
    st.success(t("train.done", n=len(last["runs"]), metric=metric, best=best["model"] if best else "-"))
    rows = []
    for run in last["runs"]:
        row = {t("col.model"): model_names[run["model"]], t("col.run"): run["run_id"]}
        row.update({k: v for k, v in run["metrics"].items()})
        row[t("col.seconds")] = run["fit_seconds"]
        rows.append(row)
    table = pd.DataFrame(rows)
    st.dataframe(table, hide_index=True, key="train.results",
                 column_config={metric: st.column_config.NumberColumn(f"★ {metric}", format="%.4f")})
    st.caption(t("train.baseline"))
    for run in last["runs"]:
        if run.get("error"):
            st.warning(t("train.failed_model", model=run["model"], error=run["error"]))
    for note in last.get("notes", []):
        st.info(note)
