"""Session guards and pickers shared by pages: the signed-in user's workspace, datasets and runs."""
from __future__ import annotations

import streamlit as st

from core.errors import USER_ERRORS
from storage.workspace import Dataset, Workspace
from ui.i18n import t


def workspace() -> Workspace:
    """The signed-in user's workspace; a page never builds one from anything else."""
    username = st.session_state.get("username")
    if not st.session_state.get("authentication_status") or not username:
        st.stop()
    return Workspace(username)


def pick_dataset(ws: Workspace, key: str) -> Dataset:
    """A dataset select box; shows a hint and stops the page when there is none."""
    datasets = ws.datasets()
    if not datasets:
        st.info(t("pick.none"))
        st.stop()
    ids = [d.dataset_id for d in datasets]
    by_id = {d.dataset_id: d for d in datasets}
    chosen = st.session_state.get("current_dataset")
    index = ids.index(chosen) if chosen in ids else 0
    dataset_id = st.selectbox(t("pick.dataset"), ids, index=index, key=key,
                              format_func=lambda i: f"{by_id[i].name}  ({by_id[i].rows:,} × {by_id[i].columns})")
    st.session_state["current_dataset"] = dataset_id
    return by_id[dataset_id]


class user_errors:
    """``with user_errors():`` shows a user's mistake as ``st.error`` and any bug without a traceback."""

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc is None:
            return False
        if isinstance(exc, USER_ERRORS):
            st.error(str(exc))
            return True
        if isinstance(exc, Exception) and not _is_streamlit_control_flow(exc):
            st.error(t("error.unexpected", kind=type(exc).__name__))
            import logging

            logging.getLogger("anyml").exception("unexpected error on a page")
            return True
        return False


def _is_streamlit_control_flow(exc: BaseException) -> bool:
    # st.stop / st.rerun work by raising; they must pass through.
    return type(exc).__module__.startswith("streamlit.")
