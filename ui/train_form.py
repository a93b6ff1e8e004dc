"""The Train page's target, task and features: asked for (likely targets first), kept per dataset and across pages.

Streamlit forgets a widget's value when its page is left, and warns when a widget gets both a default and
a value through the Session State API. So the form's choices are also kept under `FORM` (which survives
a page change), every widget here takes its value from session state only (never a default too), and
the choices are put right *before* the widgets are drawn: a new dataset starts a new form; a new target
gets every other column as features (the previous target back among them) and the task guessed anew.
"""
from __future__ import annotations

import streamlit as st

from core.data.types import infer_types
from core.errors import UserError
from core.train.task import TaskGuess, dataset_task_guess
from core.train.targets import likely_targets, target_problem
from storage.workspace import Dataset, Workspace
from ui.i18n import t

#: Session key of the form's choices: {"dataset": id, "target": column, "features": [columns], "task": task}.
FORM = "train.form"
#: The widgets whose values belong to one dataset.
DATASET_WIDGETS = ("train.target", "train.features", "train.task")


@st.cache_data(max_entries=32, show_spinner=False)
def target_facts(username: str, dataset_id: str, version: int) -> tuple[list[str], dict[str, str]]:
    """(the columns in the order the target picker offers them, {column: type}) of one dataset version."""
    ws = Workspace(username)
    profiles = ws.column_profiles(dataset_id, version)
    types = infer_types(profiles, ws.column_type_overrides(dataset_id, version))
    return likely_targets(profiles, types), types


def start(ds: Dataset) -> dict:
    """The form of ``ds``: a dataset other than the last one shown starts an empty form."""
    form = st.session_state.setdefault(FORM, {})
    if form.get("dataset") != ds.dataset_id:
        form.clear()
        form["dataset"] = ds.dataset_id
        for key in DATASET_WIDGETS:
            st.session_state.pop(key, None)
    return form


def adopt(target: str | None, features: list[str] | None) -> None:
    """Take a target and features set from outside (an earlier run's settings, Explore) as the form's own."""
    form = st.session_state.setdefault(FORM, {})
    form["target"], form["features"] = target, features


def _in_order(chosen: list[str], columns: list[str]) -> list[str]:
    keep = set(chosen)
    return [c for c in columns if c in keep]


def prepare(columns: list[str]) -> str | None:
    """Put the target, features and task into session state before their widgets; returns the target."""
    form = st.session_state.setdefault(FORM, {})
    state = st.session_state
    if "train.target" not in state and form.get("target") in columns:
        state["train.target"] = form["target"]  # back from another page, which made Streamlit forget it
    target = state.get("train.target")
    if target not in columns:
        state.pop("train.target", None)
        target = None
    previous = form.get("target")
    if target != previous:
        current = state.get("train.features")
        if current is None and previous is not None:
            current = form.get("features")
        if current is None:
            features = [c for c in columns if c != target]
        else:
            features = [c for c in current if c != target] + ([previous] if previous in columns else [])
        state["train.features"] = _in_order(features, columns)
        state.pop("train.task", None)
        form.update(target=target, task=None)
    else:
        if "train.features" not in state and target is not None:
            kept = form.get("features")
            state["train.features"] = _in_order(kept if kept is not None else columns, columns)
        if "train.task" not in state and form.get("task"):
            state["train.task"] = form["task"]
    if target is not None:
        valid = [c for c in state["train.features"] if c in columns and c != target]
        if valid != state["train.features"]:
            state["train.features"] = valid
    return target


def pick_target(ws: Workspace, ds: Dataset, columns: list[str]) -> str | None:
    """The target select box, likely targets first and nothing chosen until the user chooses; shows why a
    column cannot be predicted. Returns the target, or None while none is chosen."""
    order, _ = target_facts(ws.username, ds.dataset_id, ds.version)
    order = [c for c in order if c in columns] + [c for c in columns if c not in order]
    prepare(columns)
    target = st.selectbox(t("train.target"), order, index=None, placeholder=t("train.target_placeholder"),
                          key="train.target", help=t("train.target_help"))
    if target is None:
        st.info(t("train.target_first"))
    return target


def target_refusal(ws: Workspace, ds: Dataset, target: str) -> str | None:
    """The catalogue key of the reason ``target`` cannot be predicted (identifier, constant, free text), or None."""
    _, types = target_facts(ws.username, ds.dataset_id, ds.version)
    problem = target_problem(types.get(target))
    return f"train.target_bad.{problem}" if problem else None


def check_target(ws: Workspace, ds: Dataset, target: str) -> bool:
    """Show, in one sentence, why ``target`` cannot be predicted; True when it can."""
    refusal = target_refusal(ws, ds, target)
    if refusal:
        st.error(t(refusal, column=target))
    return refusal is None


def refuse_target(ws: Workspace, ds: Dataset, target: str) -> None:
    """Raise the user's error for a target that cannot be predicted (checked again just before queuing)."""
    refusal = target_refusal(ws, ds, target)
    if refusal:
        raise UserError(t(refusal, column=target), key=refusal, params={"column": target})


def guessed_task(ws: Workspace, ds: Dataset, target: str) -> TaskGuess | None:
    """The task the whole column ``target`` suggests (counted in DuckDB): a yes/no column is two classes whatever
    its values look like."""
    _, types = target_facts(ws.username, ds.dataset_id, ds.version)
    if types.get(target) == "yes_no":
        return TaskGuess("binary")
    return dataset_task_guess(ws, ds.dataset_id, target)


def pick_task(ws: Workspace, ds: Dataset, target: str) -> tuple[str | None, str | None]:
    """The task select box (automatic by default, with why when the guess is close); returns (the task chosen,
    the task that applies)."""
    guess = guessed_task(ws, ds, target)
    guessed = guess.task if guess else None
    task_labels = {None: f"{t('train.task_auto')} ({t('train.task.' + guessed) if guessed else '-'})",
                   "binary": t("train.task.binary"), "multiclass": t("train.task.multiclass"),
                   "regression": t("train.task.regression")}
    task = st.selectbox(t("train.task"), list(task_labels), format_func=task_labels.get, key="train.task")
    st.session_state[FORM]["task"] = task
    if guess and guess.reason_key and task is None:
        st.caption(t(guess.reason_key, **guess.params))
    return task, task or guessed


def pick_features(columns: list[str], target: str) -> tuple[list[str], list[str]]:
    """The features multiselect (every column but the target at first); returns (the chosen, the offered)."""
    options = [c for c in columns if c != target]
    features = st.multiselect(t("train.features"), options, key="train.features",
                              placeholder=t("train.features_placeholder"))
    st.session_state[FORM]["features"] = list(features)
    return features, options


__all__ = ["FORM", "adopt", "check_target", "pick_features", "pick_target", "pick_task", "prepare",
           "refuse_target", "start", "target_facts"]
