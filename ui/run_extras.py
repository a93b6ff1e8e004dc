"""The run page's extras: the test-part score, the ensemble's mix, the search's trials, the movable decision threshold."""
from __future__ import annotations

import math

import streamlit as st

from core.errors import USER_ERRORS
from core.predict import run_sidecar
from core.predict.decision import save_threshold
from core.runs import decision
from core.runs.report import metric_label, model_label
from core.runs.words import class_words
from storage.workspace import Run, Workspace
from ui.i18n import language, t
from ui.tables import MISSING
from ui.literal import literal, t_md
from ui.session import flash, show_flash, user_errors

THRESHOLD_KEY = "runs.threshold"
SAVE_KEY = "runs.save_threshold"


def _number(value) -> str:
    return "–" if value is None or (isinstance(value, float) and not math.isfinite(value)) else f"{value:.4f}"


def show(ws: Workspace, run: Run, details, metric: str) -> None:
    """Everything below a run's scores that the training added after its folds (nothing for runs without it)."""
    test_score(run, metric)
    ensemble_mix(run)
    trials(run, metric)
    if decision.has_threshold(details):
        threshold(ws, run, details)
    calibration_note(run)


def test_score(run: Run, metric: str) -> None:
    test = (run.settings.get("test_metrics") or {}).get(metric)
    if test is None:
        return
    st.markdown(f"**{t('runs.section.test')}**")
    st.caption(t("runs.test.value", metric=metric_label(metric, t), rows=f"{run.settings.get('test_rows') or 0:,}",
                 value=_number(test), valid=_number(run.metrics.get(metric))))


def ensemble_mix(run: Run) -> None:
    weights = (run.settings.get("ensemble_mix") or {}).get("weights") or {}
    if weights:
        mix = ", ".join(f"{model_label(m, language())} {w:.0%}" for m, w in weights.items())
        st.caption(t_md("runs.ensemble.weights", models=mix))


def trials(run: Run, metric: str) -> None:
    table = decision.trials_frame(run)
    if run.settings.get("tuned"):
        st.info(t("runs.trials.tuned"))
    if table.empty:
        return
    st.markdown(f"**{t('runs.section.trials')}**")
    st.caption(t("runs.trials.help", n=len(table)))
    shown = table.assign(state=[t(f"runs.trials.state.{s}") for s in table["state"]])
    shown = shown.rename(columns={"number": t("runs.trials.col.number"), "state": t("runs.trials.col.state"),
                                  "folds": t("runs.trials.col.folds"),
                                  "value": t("runs.trials.col.score", metric=metric_label(metric, t))})
    st.dataframe(shown, hide_index=True, key="runs.trials", placeholder=MISSING)


def _current_threshold(ws: Workspace, run: Run) -> tuple[float, bool]:
    """The threshold Predict uses for the run (from its bundle) and whether the run has a bundle to save to."""
    try:
        sidecar = run_sidecar(ws, run.run_id)
    except USER_ERRORS:
        return float((run.settings.get("decision") or {}).get("threshold", 0.5)), False
    return float((sidecar.get("decision") or {}).get("threshold", 0.5)), True


def threshold(ws: Workspace, run: Run, details) -> None:
    """A slider over the threshold with the counts it gives on the validation rows, and a button to keep it."""
    labels = [str(class_words(c, t)) for c in details.classes[:2]] or ["0", "1"]
    st.markdown(f"**{t('runs.section.decision')}**")
    st.caption(t_md("runs.decision.help", positive=labels[1]))
    in_use, saved = _current_threshold(ws, run)
    if st.session_state.get("runs.threshold_run") != run.run_id:
        st.session_state["runs.threshold_run"] = run.run_id
        st.session_state[THRESHOLD_KEY] = round(in_use, 3)
    value = st.slider(t("runs.decision.slider"), 0.0, 1.0, step=0.005, key=THRESHOLD_KEY, format="%.3f")
    chosen = run.settings.get("decision") or {}
    if chosen:
        st.caption(t("runs.decision.chosen", metric=metric_label(chosen["metric"], t) if chosen["metric"] != "f1"
                     else "F1", threshold=f"{chosen['threshold']:.3f}", value=f"{chosen['value']:.4f}",
                     half=f"{chosen['value_at_half']:.4f}"))
    st.caption(t("runs.decision.in_use", threshold=f"{in_use:.3f}"))
    counts = decision.at_threshold(details, value)
    st.caption(t("runs.decision.summary", threshold=f"{value:.3f}", tp=counts["tp"], positives=counts["positives"],
                    positive=literal(labels[1]), recall=f"{counts['recall']:.0%}", fp=counts["fp"],
                    precision=f"{counts['precision']:.0%}"))
    table = decision.confusion_frame(counts, labels, t("runs.decision.actual"), t("runs.decision.predicted"))
    st.dataframe(table, key="runs.threshold_counts", placeholder=MISSING)
    show_flash("runs.threshold_flash")
    if not saved:
        st.caption(t("runs.decision.no_model"))
    if st.button(t("runs.decision.save"), key=SAVE_KEY, disabled=not saved or round(value, 3) == round(in_use, 3)):
        with user_errors():
            save_threshold(ws, run.run_id, value)
            flash("runs.threshold_flash", "success", key="runs.decision.saved", threshold=float(value))
            st.rerun()


def calibration_note(run: Run) -> None:
    calibration = run.settings.get("calibration") or {}
    if "log_loss_before" not in calibration:
        return
    st.markdown(f"**{t('runs.section.calibration')}**")
    if calibration.get("method"):
        st.caption(t("runs.calibration.used", method=t(f"runs.calibration.method.{calibration['method']}"),
                     before=f"{calibration['log_loss_before']:.4f}", after=f"{calibration['log_loss_after']:.4f}"))
    else:
        st.caption(t("runs.calibration.not_used", before=f"{calibration['log_loss_before']:.4f}"))

