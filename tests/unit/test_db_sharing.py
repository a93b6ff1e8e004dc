"""Data files shared with another process: idle files are closed, a held file is waited for, then refused."""
from __future__ import annotations

import subprocess
import sys

import pytest

from storage import db
from storage.errors import DataBusy
from storage.workspace import Workspace


def _opens_elsewhere(path) -> bool:
    done = subprocess.run([sys.executable, "-c", "import duckdb, sys; duckdb.connect(sys.argv[1]).close()", str(path)],
                          capture_output=True, text=True, timeout=60, check=False)
    return done.returncode == 0


def test_an_idle_file_is_closed_for_another_process_and_one_in_use_is_not(ws):
    ws.datasets()
    key = ws.path.resolve()
    with ws.connect():
        assert key not in db.close_idle(0)  # a cursor is open on it
        assert not _opens_elsewhere(ws.path)
    assert key not in db.close_idle(3600)  # used just now
    assert key in db.close_idle(0)
    assert _opens_elsewhere(ws.path)
    assert ws.datasets() == []  # and this process opens it again when it needs it


def test_a_file_another_process_keeps_is_refused_with_a_message_after_a_wait(data_dir, monkeypatch):
    monkeypatch.setattr(db, "LOCK_WAIT_SECONDS", 0.2)
    ws = Workspace("alice", data_dir)
    ws.datasets()
    db.release_under(data_dir)
    script = "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('held', flush=True); time.sleep(60)"
    holder = subprocess.Popen([sys.executable, "-c", script, str(ws.path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(DataBusy, match="is using this data right now"):
            ws.datasets()
    finally:
        holder.kill()
        holder.wait()
    assert ws.datasets() == []
