"""The Data page's Redis source: address, pattern, password and row limit; a preview, then Save as with the file flow."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from core.data.redis_import import STAGED_OPTIONS, preview_redis, save_redis_rows
from storage.ingest.redis_source import DEFAULT_ROW_LIMIT, MAX_ROW_LIMIT
from storage.workspace import Workspace
from ui.columns import types_editor
from ui.tables import MISSING
from ui.data import PREVIEW_ROWS, inspect, show_notes
from ui.i18n import t
from ui.literal import t_md
from ui.session import flash, user_errors
from ui.uploads import discard_staged

#: Session slot of the rows read and staged by the last preview (path, source, summary, default name).
STAGED = "data.redis.staged"
DEFAULT_ADDRESS = "redis://localhost:6379/0"


def redis_source(ws: Workspace) -> None:
    """The switch that shows the Redis panel; switching it off drops rows a preview staged and did not save."""
    if st.toggle(t("data.redis.toggle"), key="data.redis"):
        redis_panel(ws)
    elif STAGED in st.session_state:
        discard_staged(ws, STAGED)


def redis_panel(ws: Workspace) -> None:
    """Where to read from; Preview reads and stages the rows, which are then shown with a Save button."""
    address = st.text_input(t("data.redis.address"), value=DEFAULT_ADDRESS, key="data.redis.address",
                            help=t("data.redis.address_help"))
    left, middle, right = st.columns(3)
    pattern = left.text_input(t("data.redis.pattern"), value="*", key="data.redis.pattern",
                              help=t("data.redis.pattern_help"))
    password = middle.text_input(t("data.redis.password"), type="password", key="data.redis.password",
                                 help=t("data.redis.password_help"))
    limit = right.number_input(t("data.redis.limit"), min_value=1, max_value=MAX_ROW_LIMIT, value=DEFAULT_ROW_LIMIT,
                               step=1000, key="data.redis.limit", help=t("data.redis.limit_help"))
    if st.button(t("data.redis.preview"), key="data.redis.preview"):
        discard_staged(ws, STAGED)
        with user_errors(), st.spinner(t("data.redis.reading")):
            preview = preview_redis(ws, address, pattern or "*", password=password or None, limit=int(limit))
            nonce = st.session_state.get("data.redis.nonce", 0) + 1
            st.session_state["data.redis.nonce"] = nonce
            st.session_state[STAGED] = {"path": str(preview.path), "source": preview.read.source,
                                        "name": preview.default_name, "nonce": nonce, **preview.summary()}
    if STAGED in st.session_state:
        staged_panel(ws, st.session_state[STAGED])


def staged_panel(ws: Workspace, staged: dict) -> None:
    """What the preview read (rows, columns, key types, whether the limit cut it), its first rows, and Save."""
    with user_errors():
        inspection = inspect(ws.username, staged["path"], staged["source"], STAGED_OPTIONS)
        types = ", ".join(f"{kind} {count:,}" for kind, count in staged["key_types"].items())
        st.caption(t_md("data.redis.summary", rows=f"{staged['rows']:,}", columns=f"{staged['columns']:,}",
                        keys=f"{staged['keys']:,}", types=types, source=staged["source"]))
        if staged["truncated"]:
            st.warning(t("data.redis.truncated", limit=f"{staged['limit']:,}"))
        show_notes(inspection.report.notes)
        st.dataframe(inspection.preview.head(PREVIEW_ROWS), key="data.redis.table", height=250, placeholder=MISSING)
        st.markdown(f"**{t('data.types_title')}** — {t('data.types_help')}")
        nonce = staged["nonce"]
        changed = types_editor(inspection.types, key=f"data.redis.types.{nonce}")
        name = st.text_input(t("data.name"), value=staged["name"], key=f"data.redis.name.{nonce}")
        if st.button(t("data.redis.save"), key="data.redis.save", type="primary"):
            bar = st.progress(0.0, text=t("data.progress.read"))
            saved = save_redis_rows(ws, Path(staged["path"]), staged["source"], name or staged["name"], changed,
                                    progress=lambda f, what: bar.progress(min(f, 1.0), text=t(f"data.progress.{what}")))
            discard_staged(ws, STAGED)
            st.session_state["current_dataset"] = saved.dataset.dataset_id
            flash("data.flash", "success", key="data.saved", name=saved.dataset.name,
                  rows=f"{saved.dataset.rows:,}", columns=saved.dataset.columns)
            st.rerun()
