"""The Home page's work: the signed-in user's recent history as a table."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from storage.workspace import Workspace
from texts import STRINGS
from ui.activity import detail_text, outcome_text
from ui.i18n import format_datetime, t


def history(ws: Workspace) -> None:
    """The last 100 events of the workspace: when, what, its detail and outcome."""
    events = ws.events(limit=100)
    if events.empty:
        st.caption(t("home.no_history"))
        return
    models = {r.run_id: r.model for r in ws.runs()}
    kinds = {k: t(f"home.event.{k}") if f"home.event.{k}" in STRINGS else k for k in events["kind"].unique()}
    st.dataframe(pd.DataFrame({
        t("home.col.when"): [format_datetime(v.to_pydatetime()) for v in events["logged_at"]],
        t("home.col.what"): [kinds[k] for k in events["kind"]],
        t("home.col.detail"): [detail_text(k, d, models) for k, d in zip(events["kind"], events["detail"])],
        t("home.col.outcome"): [outcome_text(o) for o in events["outcome"]],
    }), hide_index=True, key="home.history")
