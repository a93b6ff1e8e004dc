"""Showing why a model predicts what it does (one record, and over the training rows) and how new rows drifted."""
from __future__ import annotations

import logging

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.predict import load_model, model_stamp
from core.predict.contract import fmt_value
from core.predict.drift import drift_sentences, drift_table
from core.predict.reasons import contributions, global_reasons, reason_table
from core.runs.words import class_words
from storage.workspace import Run, Workspace, csv_bytes
from texts import text_for
from ui.i18n import format_number, language, t
from ui.tables import MISSING
from ui.literal import literal

PLOTLY_CONFIG = {"displaylogo": False}
log = logging.getLogger(__name__)


# -- one record ----------------------------------------------------------------------------------------------

def record_reasons(pipeline, sidecar: dict, prediction) -> dict | None:
    """The reasons of a one-record prediction, in the current language, to keep in session state (None if the
    model cannot be explained: the prediction is shown all the same)."""
    frame = prediction.check.frame
    try:
        found = contributions(pipeline, sidecar, frame)
    except Exception:  # an explanation must never cost the user the prediction itself
        log.exception("reasons of run %s failed", sidecar.get("run_id"))
        return None
    table = reason_table(found, frame, sidecar, text_for(language()))
    base = float(found.base[0])
    if sidecar["task"] == "regression":
        intro = t("reasons.intro.regression", target=sidecar.get("target", ""), base=fmt_value(round(base, 2)))
    else:
        label = class_words(sidecar["classes"][int(found.classes[0])], t)
        intro = t("reasons.intro.classification", label=label, base=f"{base:.1f}%")
    method = t("reasons.method.tree") if found.method == "tree" else \
        t("reasons.method.sampled", rows=format_number(found.background))
    return {"table": table, "intro": intro, "method": method}


def show_record_reasons(reasons: dict | None, key: str = "predict.reasons") -> None:
    """"Why this prediction": one sentence per column that pushed it most, and the same as a table."""
    if not reasons:
        return
    st.markdown(f"**{t('reasons.title')}**")
    st.caption(literal(reasons["intro"]))
    table = reasons["table"]
    for sentence in table[t("reasons.col.reason")]:
        st.markdown(f"- {literal(sentence)}")
    st.dataframe(table, hide_index=True, key=f"{key}.table", placeholder=MISSING)
    st.caption(reasons["method"])


# -- drift of a batch ----------------------------------------------------------------------------------------

def show_drift(drift: dict | None, key: str = "predict.drift") -> None:
    """Whether the rows just predicted look like the training rows: sentences, then the details table."""
    lang = language()
    sentences = drift_sentences(drift, text_for(lang))
    with st.container(border=True, key=key):
        st.markdown(f"**{t('drift.title')}**")
        for level, sentence in sentences:
            {"large": st.warning, "some": st.info, "unknown": st.info}.get(level, st.success)(literal(sentence))
        table = drift_table(drift, text_for(lang))
        if len(table):
            st.caption(t("drift.intro") + " " + t("drift.help"))
            st.dataframe(table, hide_index=True, key=f"{key}.table", placeholder=MISSING)
            st.download_button(t("drift.download"), csv_bytes(table), file_name="drift.csv", mime="text/csv",
                               key=f"{key}.download")


# -- over the training rows (Runs page) ----------------------------------------------------------------------

@st.cache_data(show_spinner=False, max_entries=16)
def _global(username: str, run_id: str, stamp: str) -> tuple[pd.DataFrame | None, dict]:
    pipeline, sidecar = load_model(Workspace(username), run_id)
    return global_reasons(pipeline, sidecar), {"task": sidecar["task"], "target": sidecar.get("target", "")}


def reasons_figure(table: pd.DataFrame, unit: str) -> go.Figure:
    """Mean size of each column's effect as horizontal bars, largest on top."""
    shown = table.iloc[::-1]
    fig = go.Figure(go.Bar(x=shown["mean_effect"], y=shown["column"].astype(str), orientation="h",
                           hovertemplate="%{y}: %{x:.3g}<extra></extra>"))
    fig.update_layout(title=dict(text=t("reasons.chart_title")), xaxis_title=unit,
                      height=max(240, 40 + 28 * len(table)), margin=dict(l=10, r=10, t=50, b=40))
    return fig


def global_reasons_panel(ws: Workspace, run: Run) -> None:
    """What moves this run's predictions on average: a bar chart and the same numbers as a table."""
    if run.status != "finished" or not (run.settings or {}).get("model_saved", True):
        return
    st.markdown(f"**{t('reasons.global_title')}**")
    try:
        table, meta = _global(ws.username, run.run_id, model_stamp(ws, run.run_id))
    except Exception:  # a damaged or missing bundle: the rest of the page says so; this panel stays quiet
        log.exception("average reasons of run %s failed", run.run_id)
        return
    if table is None:
        st.info(t("reasons.global_none"))
        return
    unit = t("reasons.global_unit.regression", target=meta["target"]) if meta["task"] == "regression" else \
        t("reasons.global_unit.classification")
    st.caption(literal(t("reasons.global_intro", rows=format_number(int(table["rows"].iloc[0])), unit=unit)))
    st.plotly_chart(reasons_figure(table, unit), key="runs.chart.reasons", config=PLOTLY_CONFIG)
    shown = pd.DataFrame({t("reasons.col.column"): table["column"],
                          t("reasons.col.mean_effect"): table["mean_effect"].round(3)})
    st.dataframe(shown, hide_index=True, key="runs.reasons_table", placeholder=MISSING)
