"""Home: who is signed in, where to start, what the workspace holds, and the user's recent history."""
import pandas as pd
import streamlit as st

from texts import STRINGS
from ui.i18n import format_datetime, t
from ui.session import workspace

ws = workspace()
st.title(t("home.welcome", name=st.session_state.get("name") or ws.username))
st.markdown(t("home.steps"))
st.caption(t("home.counts", datasets=len(ws.datasets()), runs=len(ws.runs())))

st.subheader(t("home.history"))
events = ws.events(limit=100)
if events.empty:
    st.caption(t("home.no_history"))
else:
    kinds = {k: t(f"home.event.{k}") if f"home.event.{k}" in STRINGS else k for k in events["kind"].unique()}
    st.dataframe(pd.DataFrame({
        t("home.col.when"): [format_datetime(v.to_pydatetime()) for v in events["logged_at"]],
        t("home.col.what"): [kinds[k] for k in events["kind"]],
        t("home.col.detail"): events["detail"],
        t("home.col.outcome"): events["outcome"],
    }), hide_index=True, key="home.history")
