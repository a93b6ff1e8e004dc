"""Train: choose the target, features, preparation, models and validation; training runs in the background."""
import pandas as pd
import streamlit as st

from core.errors import UserError
from core.train.models import DEFAULT_MODELS, REGISTRY
from core.train.preprocessing import BALANCE, IMPUTE, SCALING, SELECTION, PreprocessSettings
from core.train.train import (CLASSIFICATION_METRICS, LOWER_IS_BETTER, REGRESSION_METRICS, TrainSettings, infer_task,
                           plan_warnings)
from ui.i18n import language, t
from ui.jobs import job_panel, runner
from ui.session import pick_dataset, require_user, user_errors, workspace

user = require_user()
ws = workspace()
st.title(t("train.title"))

prefill = st.session_state.pop("train.prefill", None)
if prefill:
    # Settings of an earlier run ("re-run with changed settings"): put them into the widgets.
    st.session_state["current_dataset"] = prefill.get("dataset_id", st.session_state.get("current_dataset"))
    st.session_state["train.prefilled_from"] = prefill.get("run_id")
    st.session_state["train.pending_prefill"] = prefill

ds = pick_dataset(ws, key="train.dataset")
columns = ws.column_names(ds.dataset_id)
pending = st.session_state.pop("train.pending_prefill", None)
if pending:
    pre = pending.get("preprocessing") or {}
    values = {"train.target": pending.get("target"), "train.task": pending.get("task"),
              "train.models": [m for m in pending.get("models", []) if m in REGISTRY and m != "dummy"],
              "train.features": [c for c in (pending.get("features") or []) if c in columns] or None,
              "train.validation": pending.get("validation"), "train.folds": pending.get("folds"),
              "train.repeats": pending.get("repeats"), "train.seed": pending.get("seed"),
              "train.test_size": pending.get("test_size"), "train.tune": pending.get("tune"),
              "train.time_limit": pending.get("time_limit") or 0, "train.metric": pending.get("metric"),
              "train.impute": pre.get("numeric_impute"), "train.indicators": pre.get("missing_indicators"),
              "train.scaling": pre.get("scaling"), "train.balance": pre.get("balance"),
              "train.selection": pre.get("selection"), "train.selection_k": pre.get("selection_k")}
    for model, params in (pending.get("params") or {}).items():
        for name, value in params.items():
            values[f"train.param.{model}.{name}"] = value
    st.session_state.update({k: v for k, v in values.items() if v is not None})
if st.session_state.get("train.prefilled_from"):
    st.info(t("train.prefilled", run=st.session_state["train.prefilled_from"]))

explore_target = st.session_state.pop("explore.target", None)
explore_features = st.session_state.pop("explore.features", None)
if explore_target in columns:
    st.session_state["train.target"] = explore_target
if explore_features:
    st.session_state["train.features"] = [c for c in explore_features if c in columns]
    st.caption(t("train.features_from_explore"))
if st.session_state.get("train.target") not in columns:
    st.session_state["train.target"] = columns[-1]

target = st.selectbox(t("train.target"), columns, key="train.target")
sample = ws.load(ds.dataset_id, limit=5000, columns=[target])[target]
guessed = infer_task(sample) if sample.notna().any() else None
task_labels = {None: f"{t('train.task_auto')} ({t('train.task.' + guessed) if guessed else '-'})",
               "binary": t("train.task.binary"), "multiclass": t("train.task.multiclass"),
               "regression": t("train.task.regression")}
task = st.selectbox(t("train.task"), list(task_labels), format_func=task_labels.get, key="train.task")
effective_task = task or guessed
feature_options = [c for c in columns if c != target]
if "train.features" in st.session_state:
    st.session_state["train.features"] = [c for c in st.session_state["train.features"] if c in feature_options]
features = st.multiselect(t("train.features"), feature_options, default=feature_options, key="train.features")

lang = language()
model_names = {key: getattr(spec, f"name_{lang}") for key, spec in REGISTRY.items()}
choosable = [k for k in REGISTRY if k != "dummy"]
models = st.multiselect(t("train.models"), choosable, default=[m for m in DEFAULT_MODELS if m != "dummy"],
                        format_func=model_names.get, key="train.models", help=t("train.models_help"))
params: dict[str, dict] = {}
for key in models:
    spec = REGISTRY[key]
    with st.expander(t("train.settings_of", model=model_names[key])):
        st.markdown(getattr(spec, f"explain_{lang}"))
        params[key] = {}
        columns_ui = st.columns(3)
        for i, h in enumerate(spec.hyperparameters):
            widget_key = f"train.param.{key}.{h.name}"
            help_text = getattr(h, f"effect_{lang}") or None
            with columns_ui[i % 3]:
                if h.choices:
                    value = st.selectbox(h.name, list(h.choices), index=list(h.choices).index(h.default),
                                         key=widget_key, help=help_text)
                elif isinstance(h.default, int) and not isinstance(h.default, bool):
                    value = st.number_input(h.name, int(h.low), int(h.high), int(h.default), key=widget_key,
                                            help=help_text)
                else:
                    value = st.number_input(h.name, float(h.low), float(h.high), float(h.default), key=widget_key,
                                            help=help_text, format="%g")
            if value != h.default:
                params[key][h.name] = value

with st.expander(t("train.preprocessing")):
    left, right = st.columns(2)
    impute_labels = {k: t(f"train.impute.{k}") for k in IMPUTE}
    impute = left.selectbox(t("train.impute"), list(impute_labels), format_func=impute_labels.get, key="train.impute")
    indicators = left.checkbox(t("train.indicators"), key="train.indicators")
    scaling_labels = {k: t(f"train.scaling.{k}") for k in SCALING}
    scaling = left.selectbox(t("train.scaling"), list(scaling_labels), format_func=scaling_labels.get,
                             key="train.scaling")
    balance_labels = {k: t(f"train.balance.{k}") for k in BALANCE}
    balance = right.selectbox(t("train.balance"), list(balance_labels), format_func=balance_labels.get,
                              key="train.balance", help=t("train.balance_help"),
                              disabled=effective_task == "regression")
    selection_labels = {k: t(f"train.selection.{k}") for k in SELECTION}
    selection = right.selectbox(t("train.selection"), list(selection_labels), format_func=selection_labels.get,
                                key="train.selection")
    selection_k = right.number_input(t("train.selection_k"), 1, 500, 20, key="train.selection_k",
                                     disabled=selection != "mutual_info")

with st.expander(t("train.more")):
    left, middle, right = st.columns(3)
    validation_labels = {k: t(f"train.validation.{k}") for k in ("kfold", "repeated", "holdout", "time")}
    validation = left.radio(t("train.validation"), list(validation_labels), format_func=validation_labels.get,
                            key="train.validation")
    folds = left.number_input(t("train.folds"), 2, 20, 5, key="train.folds", disabled=validation == "holdout")
    repeats = left.number_input(t("train.repeats"), 2, 10, 2, key="train.repeats", disabled=validation != "repeated")
    time_column = None
    if validation == "time":
        frame_head = ws.load(ds.dataset_id, limit=200)
        date_columns = [c for c in frame_head.columns if pd.api.types.is_datetime64_any_dtype(frame_head[c])]
        if date_columns:
            time_column = left.selectbox(t("train.time_column"), date_columns, key="train.time_column")
        else:
            left.warning(t("train.no_date_column"))
    metrics = list(REGRESSION_METRICS if effective_task == "regression" else CLASSIFICATION_METRICS)
    metric_labels = {None: t("train.metric_default")} | {m: m for m in metrics}
    if st.session_state.get("train.metric") not in metric_labels:
        st.session_state["train.metric"] = None
    metric = middle.selectbox(t("train.metric"), list(metric_labels), format_func=metric_labels.get,
                              key="train.metric")
    test_size = middle.slider(t("train.test_size"), 0.0, 0.4, 0.0, 0.05, key="train.test_size")
    time_limit = right.number_input(t("train.time_limit"), 0, 24 * 3600, 0, 30, key="train.time_limit")
    tune = right.checkbox(t("train.tune"), key="train.tune")
    seed = right.number_input(t("train.seed"), 0, 2**31 - 1, 42, key="train.seed")

settings = None
with user_errors():
    settings = TrainSettings(
        target=target, models=tuple(models), features=tuple(features) if len(features) < len(feature_options) else None,
        task=task, validation=validation, folds=int(folds), repeats=int(repeats), time_column=time_column,
        test_size=float(test_size), metric=metric, seed=int(seed), params=params, tune=bool(tune),
        time_limit=float(time_limit) or None,
        preprocessing=PreprocessSettings(numeric_impute=impute, missing_indicators=bool(indicators), scaling=scaling,
                                         balance=balance if effective_task != "regression" else "none",
                                         selection=selection, selection_k=int(selection_k)))
    for warning in plan_warnings(ds.rows, len(features), settings):
        st.warning(warning)

if st.button(t("train.start"), type="primary", key="train.start", disabled=settings is None):
    with user_errors():
        if not models:
            raise UserError(t("train.need_model"))
        if not features:
            raise UserError(t("train.need_feature"))
        if validation == "time" and time_column is None:
            raise UserError(t("train.no_date_column"))
        job = runner().submit(user.username, ds.dataset_id, settings)
        st.session_state["train.last_job"] = job.job_id
        st.session_state.pop("train.prefilled_from", None)
        st.success(t("train.started"))

job_panel(user.username)

finished = st.session_state.get("train.last_job")
if finished:
    try:
        job = runner().job(user.username, finished)
    except UserError:
        job = None
    if job is not None and job.state == "finished":
        runs = [ws.run(run_id) for run_id in job.run_ids.values()]
        metric_name = runs[0].metric
        sign = 1 if metric_name in LOWER_IS_BETTER else -1
        runs.sort(key=lambda r: (r.status != "finished", sign * (r.metrics.get(metric_name) or 0)))
        st.subheader(t("train.results", metric=metric_name))
        rows = []
        for r in runs:
            row = {t("col.model"): model_names.get(r.model, r.model), t("col.run"): r.run_id,
                   t("col.status"): t(f"train.state.{r.status}")}
            row.update(r.metrics)
            row[t("col.seconds")] = round(r.fit_seconds or 0, 2)
            rows.append(row)
        st.dataframe(pd.DataFrame(rows), hide_index=True, key="train.results",
                     column_config={metric_name: st.column_config.NumberColumn(f"★ {metric_name}", format="%.4f")})
        st.caption(t("train.baseline"))
        for r in runs:
            if r.error:
                st.warning(t("train.failed_model", model=model_names.get(r.model, r.model), error=r.error))
        st.page_link("pages/runs.py", label=t("train.to_runs"), icon=":material/leaderboard:")
