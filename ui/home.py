"""The Home page's work: the guided path (data → train → predict) and the signed-in user's recent history."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from storage.workspace import Workspace
from texts import STRINGS
from ui.activity import detail_text, outcome_text
from ui.tables import MISSING
from ui.i18n import format_datetime, t


#: The steps of the guided path: (catalogue key, page, icon).
STEPS = (("guide.data", "pages/data.py", ":material/table:"),
         ("guide.train", "pages/train.py", ":material/model_training:"),
         ("guide.predict", "pages/predict.py", ":material/online_prediction:"))


def steps_done(ws: Workspace) -> list[bool]:
    """Which steps the user has done: a saved dataset, a finished run, a prediction made."""
    has_data = bool(ws.datasets())
    has_run = has_data and any(r.status == "finished" for r in ws.runs())
    events = ws.events(limit=500)
    predicted = has_run and not events.empty and bool((events["kind"] == "predict").any())
    return [has_data, has_run, predicted]


def guide(ws: Workspace) -> None:
    """The three steps as links, each saying whether it is done (✓) or the next one (→)."""
    done = steps_done(ws)
    upcoming = done.index(False) if False in done else None
    st.subheader(t("guide.title"))
    for i, ((key, page, icon), finished) in enumerate(zip(STEPS, done)):
        if finished:
            label, icon = f"{t(key)} · ✓ {t('guide.done')}", ":material/check_circle:"
        elif i == upcoming:
            label, icon = f"**{t(key)}** · {t('guide.next')}", ":material/arrow_forward:"
        else:
            label = t(key)
        st.page_link(page, label=label, icon=icon, disabled=upcoming is not None and i > upcoming)
    if upcoming is None:
        st.caption(t("guide.all_done"))


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
    }), hide_index=True, key="home.history", placeholder=MISSING)
