"""Home: who is signed in, where to start, what the workspace holds, and the user's recent history."""
import streamlit as st

from ui import home as view
from ui.i18n import t
from ui.literal import t_md
from ui.session import workspace

ws = workspace()
st.title(t_md("home.welcome", name=st.session_state.get("name") or ws.username))
view.guide(ws)
st.caption(t("home.counts", datasets=len(ws.datasets()), runs=len(ws.runs())))
st.subheader(t("home.history"))
view.history(ws)
