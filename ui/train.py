"""The Train page's work: an earlier run's settings put back, the choices of a training, starting it, its results."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from core.errors import UserError
from core.train.holdout import MIN_ROWS
from core.train.models import DEFAULT_MODELS, REGISTRY
from core.train.preprocessing import BALANCE, IMPUTE, SCALING, SELECTION, PreprocessSettings
from core.train import CLASSIFICATION_METRICS, REGRESSION_METRICS, TrainSettings, metric_order, plan_warnings
from storage.workspace import Dataset, Workspace
from core.runs.words import choice_words, param_label
from ui.i18n import t
from ui.tables import MISSING
from ui import result_card
from ui.jobs import runner, short_error
from ui.literal import literal, t_md
from ui import train_form
from ui.session import user_errors

#: The widget that shows each field of a run's settings (``TrainSettings.to_dict()``) on "re-run with changed
#: settings"; ``preprocessing.<field>`` is a field of its preparation. Models, features and hyperparameters
#: are filtered first (see `widget_values`).
SETTING_WIDGETS = {
    "train.target": "target", "train.task": "task", "train.validation": "validation", "train.folds": "folds",
    "train.repeats": "repeats", "train.seed": "seed", "train.test_size": "test_size", "train.tune": "tune",
    "train.ensemble": "ensemble",
    "train.time_limit": "time_limit", "train.metric": "metric",
    "train.impute": "preprocessing.numeric_impute", "train.indicators": "preprocessing.missing_indicators",
    "train.scaling": "preprocessing.scaling", "train.balance": "preprocessing.balance",
    "train.selection": "preprocessing.selection", "train.selection_k": "preprocessing.selection_k",
    "train.native_categories": "preprocessing.native_categories",
}
VALIDATION_CHOICES = ("kfold", "repeated", "holdout", "time")  # in the order shown


# -- settings of an earlier run, and what Explore carried in ---------------------------------------------------

def setting(settings: dict, name: str):
    """One field of stored settings by its dotted name (None when it, or the section holding it, is absent)."""
    value = settings
    for part in name.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def widget_values(settings: dict, columns: list[str]) -> dict:
    """{widget key: value} that show a run's settings; models no longer offered and columns no longer in the
    dataset are left out, and so is every field the settings do not give."""
    values = {key: setting(settings, name) for key, name in SETTING_WIDGETS.items()}
    values["train.time_limit"] = values["train.time_limit"] or 0  # "no limit" is 0 in its number box
    values["train.models"] = [m for m in settings.get("models", []) if m in REGISTRY and m != "dummy"]
    values["train.features"] = [c for c in (settings.get("features") or []) if c in columns] or None
    for model, params in (settings.get("params") or {}).items():
        for name, value in params.items():
            values[f"train.param.{model}.{name}"] = value
    return {k: v for k, v in values.items() if v is not None}


def receive_prefill() -> None:
    """Settings of an earlier run ("re-run with changed settings") choose the dataset, then wait for its columns."""
    prefill = st.session_state.pop("train.prefill", None)
    if prefill:
        st.session_state["current_dataset"] = prefill.get("dataset_id", st.session_state.get("current_dataset"))
        st.session_state["train.prefilled_from"] = prefill.get("run_id")
        st.session_state["train.pending_prefill"] = prefill


def fill_widgets(columns: list[str]) -> None:
    """Put waiting settings of an earlier run, or the target and features chosen on Explore, into the widgets."""
    pending = st.session_state.pop("train.pending_prefill", None)
    if pending:
        values = widget_values(pending, columns)
        st.session_state.update(values)
        train_form.adopt(values.get("train.target"), values.get("train.features"))
    if st.session_state.get("train.prefilled_from"):
        st.info(t("train.prefilled", run=st.session_state["train.prefilled_from"]))

    explore_target = st.session_state.pop("explore.target", None)
    explore_features = st.session_state.pop("explore.features", None)
    if explore_target in columns:
        st.session_state["train.target"] = explore_target
    if explore_features:
        st.session_state["train.features"] = [c for c in explore_features if c in columns]
        st.caption(t("train.features_from_explore"))
    if explore_target in columns or explore_features:
        train_form.adopt(st.session_state.get("train.target"), st.session_state.get("train.features"))


def default(key: str, value):
    """``value`` as the widget ``key``'s value unless it has one: a widget gets its value either from
    session state or from a default, never both (Streamlit warns when both are given)."""
    st.session_state.setdefault(key, value)
    return key


# -- the choices ---------------------------------------------------------------------------------------------

def model_names() -> dict[str, str]:
    """Each model's full name in the user's language."""
    return {key: t(f"model.{key}.name") for key in REGISTRY}


def pick_models() -> tuple[list[str], dict[str, dict]]:
    """The models multiselect and, per chosen model, its explanation and hyperparameters;
    returns (the models, {model: {hyperparameter: value}} for the values changed from their defaults)."""
    names = model_names()
    choosable = [k for k in REGISTRY if k != "dummy"]
    default("train.models", [m for m in DEFAULT_MODELS if m != "dummy"])
    models = st.multiselect(t("train.models"), choosable, format_func=names.get, key="train.models",
                            help=t("train.models_help"), placeholder=t("train.models_placeholder"))
    params: dict[str, dict] = {}
    for key in models:
        spec = REGISTRY[key]
        with st.expander(t("train.settings_of", model=names[key])):
            st.markdown(t(f"model.{key}.explain"))
            params[key] = {}
            columns_ui = st.columns(3)
            for i, h in enumerate(spec.hyperparameters):
                help_text = t(f"model.{key}.param.{h.name}.effect")
                with columns_ui[i % 3]:
                    value = hyperparameter(h, f"train.param.{key}.{h.name}", help_text)
                if value != h.default:
                    params[key][h.name] = value
    return models, params


def hyperparameter(h, widget_key: str, help_text: str | None):
    """The widget of one hyperparameter: a select box for choices, else a number box within its range."""
    label = param_label(h.name, t)
    if h.choices:
        default(widget_key, h.default)
        return st.selectbox(label, list(h.choices), key=widget_key, help=help_text,
                            format_func=lambda choice: choice_words(choice, t))
    if isinstance(h.default, int) and not isinstance(h.default, bool):
        default(widget_key, int(h.default))
        return st.number_input(label, int(h.low), int(h.high), key=widget_key, help=help_text)
    default(widget_key, float(h.default))
    return st.number_input(label, float(h.low), float(h.high), key=widget_key, help=help_text, format="%g")


def preprocessing_choices(effective_task: str | None) -> dict:
    """The preparation expander; returns the `PreprocessSettings` fields chosen."""
    with st.expander(t("train.preprocessing")):
        left, right = st.columns(2)
        impute_labels = {k: t(f"train.impute.{k}") for k in IMPUTE}
        impute = left.selectbox(t("train.impute"), list(impute_labels), format_func=impute_labels.get,
                                key="train.impute")
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
        selection_k = right.number_input(t("train.selection_k"), 1, 500, key=default("train.selection_k", 20),
                                         disabled=selection != "mutual_info")
        native = right.checkbox(t("train.native_categories"), key=default("train.native_categories", True),
                                help=t("train.native_categories_help"))
    return {"numeric_impute": impute, "missing_indicators": bool(indicators), "scaling": scaling,
            "balance": balance if effective_task != "regression" else "none", "selection": selection,
            "selection_k": int(selection_k), "native_categories": bool(native)}


def validation_choices(ws: Workspace, ds: Dataset, effective_task: str | None) -> dict:
    """The "more" expander (validation, metric, test set, time limit, tuning, seed); returns those
    `TrainSettings` fields."""
    with st.expander(t("train.more")):
        left, middle, right = st.columns(3)
        validation_labels = {k: t(f"train.validation.{k}") for k in VALIDATION_CHOICES}
        validation = left.radio(t("train.validation"), list(validation_labels), format_func=validation_labels.get,
                                key="train.validation")
        folds = left.number_input(t("train.folds"), 2, 20, key=default("train.folds", 5),
                                  disabled=validation == "holdout")
        repeats = left.number_input(t("train.repeats"), 2, 10, key=default("train.repeats", 2),
                                    disabled=validation != "repeated")
        time_column = None
        if validation == "time":
            frame_head = ws.load(ds.dataset_id, limit=200)
            date_columns = [c for c in frame_head.columns if pd.api.types.is_datetime64_any_dtype(frame_head[c])]
            if date_columns:
                time_column = left.selectbox(t("train.time_column"), date_columns, key="train.time_column")
            else:
                left.warning(t("train.no_date_column"))
        metrics = list(REGRESSION_METRICS if effective_task == "regression" else CLASSIFICATION_METRICS)
        metric_labels = {None: t("train.metric_default")} | {m: result_card.metric_words(m) for m in metrics}
        if st.session_state.get("train.metric") not in metric_labels:
            st.session_state["train.metric"] = None
        metric = middle.selectbox(t("train.metric"), list(metric_labels), format_func=metric_labels.get,
                                  placeholder=metric_labels[None],
                                  key="train.metric")
        test_size = middle.slider(t("train.test_size"), 0.0, 0.4, step=0.05, key=default("train.test_size", 0.0))
        time_limit = right.number_input(t("train.time_limit"), 0, 24 * 3600, step=30,
                                        key=default("train.time_limit", 0))
        tune = right.checkbox(t("train.tune"), key="train.tune")
        ensemble = right.checkbox(t("train.ensemble"), key=default("train.ensemble", True), help=t("train.ensemble_help"))
        middle.caption(t("train.test_auto", rows=f"{MIN_ROWS:,}"))
        seed = right.number_input(t("train.seed"), 0, 2**31 - 1, key=default("train.seed", 42))
    return {"validation": validation, "folds": int(folds), "repeats": int(repeats), "time_column": time_column,
            "test_size": float(test_size), "metric": metric, "seed": int(seed), "tune": bool(tune),
            "ensemble": bool(ensemble), "time_limit": float(time_limit) or None}


# -- training ------------------------------------------------------------------------------------------------

def build_settings(ds: Dataset, target: str, task: str | None, features: list[str], feature_options: list[str],
                   models: list[str], params: dict, validation: dict, preprocessing: dict) -> TrainSettings | None:
    """The settings chosen, with a warning for each part of the plan that may disappoint; None (and the
    reason shown) when they do not fit together."""
    settings = None
    with user_errors():
        settings = TrainSettings(
            target=target, models=tuple(models),
            features=tuple(features) if len(features) < len(feature_options) else None, task=task, params=params,
            preprocessing=PreprocessSettings(**preprocessing), **validation)
        for warning in plan_warnings(ds.rows, len(features), settings):
            st.warning(literal(warning))
    return settings


def start(ws: Workspace, ds: Dataset, settings: TrainSettings, models: list[str], features: list[str],
          validation: dict) -> None:
    """Hand the training to the background runner (its progress is shown by the job panel)."""
    with user_errors():
        train_form.refuse_target(ws, ds, settings.target)
        if not models:
            raise UserError(t("train.need_model"))
        if not features:
            raise UserError(t("train.need_feature"))
        if validation["validation"] == "time" and validation["time_column"] is None:
            raise UserError(t("train.no_date_column"))
        job = runner().submit(ws.username, ds.dataset_id, settings)
        st.session_state["train.last_job"] = job.job_id
        st.session_state.pop("train.prefilled_from", None)
        st.success(t("train.started"))


def results(ws: Workspace, username: str) -> None:
    """When the last training started here has finished: the result card, its runs (best first, one click
    away) and a link to Runs."""
    finished = st.session_state.get("train.last_job")
    if not finished:
        return
    try:
        job = runner().job(username, finished)
    except UserError:
        job = None
    if job is None or job.state != "finished":
        return
    runs = [ws.run(run_id) for run_id in job.run_ids.values()]
    metric_name = runs[0].metric
    runs.sort(key=lambda r: (r.status != "finished", *metric_order(metric_name, r.metrics.get(metric_name))))
    result_card.card(ws, result_card.best_of(runs), key="train.card")
    with st.expander(t("summary.details")):
        st.caption(t("train.results", metric=result_card.metric_words(metric_name)))
        rows = []
        for r in runs:
            row = {t("col.model"): result_card.model_words(r)}
            row.update({result_card.metric_words(m): v for m, v in sorted(
                r.metrics.items(), key=lambda item: item[0] != metric_name)})
            row[t("col.status")] = t(f"train.state.{r.status}")
            row[t("col.seconds")] = round(r.fit_seconds or 0, 2)
            row[t("col.run")] = r.run_id
            rows.append(row)
        st.dataframe(pd.DataFrame(rows), hide_index=True, key="train.results",
                     column_config=result_card.metric_columns(list(runs[0].metrics)), placeholder=MISSING)
        st.caption(t("train.baseline"))
    for r in runs:
        if r.error:
            st.warning(t_md("train.failed_model", model=result_card.model_words(r), error=short_error(r.error)))
    st.page_link("pages/runs.py", label=t("train.to_runs"), icon=":material/leaderboard:")
