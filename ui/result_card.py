"""The result card (a training's result in one sentence, with a button to predict with it) and metric names in words."""
from __future__ import annotations

import streamlit as st

from core.runs import report as run_report
from core.runs import summary as run_summary
from core.train import LOWER_IS_BETTER
from storage.workspace import Run, Workspace
from texts import STRINGS
from ui.i18n import language, t
from ui.literal import literal

#: The session key the Predict page reads to open a run (set by the card's button).
PREDICT_RUN = "predict.open_run"


def metric_words(metric: str) -> str:
    """The metric's name in words (``평균 오차 (RMSE)``)."""
    return run_report.metric_label(metric, t)


def direction_words(metric: str) -> str:
    """``낮을수록 좋음`` for an error or loss, ``높을수록 좋음`` for a score."""
    return t("runs.direction.lower" if metric in LOWER_IS_BETTER else "runs.direction.higher")


def metric_help(metric: str) -> str:
    """One line on what the metric measures, and which way is better (shown on hover)."""
    key = f"runs.metric_help.{metric}"
    explained = t(key) if key in STRINGS else metric_words(metric)
    return f"{explained} ({direction_words(metric)})"


def metric_columns(metrics: list[str]) -> dict:
    """Column settings of a table whose metric columns are named by `metric_words`: their hover help."""
    return {metric_words(m): st.column_config.NumberColumn(metric_words(m), help=metric_help(m), format="%.4f")
            for m in metrics}


def model_words(run: Run) -> str:
    """The run's model by its full name (the baseline named for the run's task)."""
    return run_report.model_label(run.model, language(), run.task)


def best_of(runs: list[Run]) -> Run | None:
    return run_summary.best_run(runs)


@st.cache_data(max_entries=64, show_spinner=False)
def _sentence(username: str, run_id: str, lang: str) -> str:
    ws = Workspace(username)
    return run_summary.sentence_of(ws, ws.run(run_id), lang)


def sentence(ws: Workspace, run: Run) -> str:
    """The run's result in one plain sentence in the page's language (a finished run never changes, so
    it is worked out once)."""
    return _sentence(ws.username, run.run_id, language())


def open_in_predict(run: Run) -> None:
    """Go to Predict with ``run`` chosen."""
    st.session_state[PREDICT_RUN] = run.run_id
    st.session_state["current_dataset"] = run.dataset_id
    st.switch_page("pages/predict.py")


def card(ws: Workspace, run: Run | None, *, key: str) -> None:
    """A bordered card: the result sentence of ``run`` and the button "Predict with this model"."""
    if run is None:
        st.info(t("summary.none"))
        return
    with st.container(border=True, key=f"{key}.box"):
        st.markdown(f"**{t('summary.title')}**")
        st.markdown(literal(sentence(ws, run)))
        if run.status == "finished" and st.button(t("summary.predict"), key=key, type="primary",
                                                  icon=":material/arrow_forward:"):
            open_in_predict(run)


__all__ = ["PREDICT_RUN", "best_of", "card", "direction_words", "metric_columns", "metric_help", "metric_words",
           "model_words",
           "open_in_predict", "sentence"]
