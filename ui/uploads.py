"""Uploaded files, copied once per upload to the user's staging directory and remembered in the session."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import streamlit as st

from storage.ingest import UPLOAD_TYPES
from storage.workspace import Workspace


def upload_box(label: str, key: str):
    """A file uploader for every format AnyML reads."""
    return st.file_uploader(label, type=UPLOAD_TYPES, key=key)


def staged_upload(ws: Workspace, upload, slot: str, *, describe: Callable[[Path], dict] | None = None,
                  reset: Iterable[str] = ()) -> dict:
    """The uploaded file, copied once to the user's staging directory (the upload stays in memory).

    The staged file is kept in session state under ``slot`` until another file is uploaded.
    ``describe`` adds what is read from a newly staged file (a file it cannot read is discarded);
    ``reset`` names session keys a new file clears (choices that belonged to the previous file).
    """
    staged = st.session_state.get(slot)
    if staged is None or staged["file_id"] != upload.file_id:
        if staged is not None:
            ws.discard_staged(Path(staged["path"]))
        path = ws.stage_upload(upload, upload.name)
        st.session_state[slot] = None
        try:
            described = describe(path) if describe else {}
        except BaseException:
            ws.discard_staged(path)
            raise
        staged = {"file_id": upload.file_id, "path": str(path), "name": upload.name, **described}
        st.session_state[slot] = staged
        for key in reset:
            st.session_state.pop(key, None)
    return staged


def discard_staged(ws: Workspace, slot: str) -> None:
    """Delete the file staged under ``slot`` (its upload was removed, or it was saved) and forget it."""
    staged = st.session_state.pop(slot, None)
    if staged is not None:
        ws.discard_staged(Path(staged["path"]))
