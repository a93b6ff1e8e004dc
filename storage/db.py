"""Opening DuckDB files: one database instance per file in this process, a cursor per use.

DuckDB allows one process to hold a database file. Connecting and closing per call from many
threads races on the instance DuckDB caches per file ("file handle conflict"), so each file is
opened once and every caller gets its own cursor (a cursor is a connection of its own to the same
database, safe to use from one thread). `release` closes a file before it is deleted.

Another process (the prediction API, the command line) can only open a file this one has closed.
Opening a file another process holds waits up to `LOCK_WAIT_SECONDS` for it, then raises `DataBusy`
(a message, not a crash). With ``ANYML_DB_IDLE_SECONDS`` set, a file no cursor has used for that long
is closed, so the web app hands its files to the API between a user's clicks.

DuckDB never gives a file's free blocks back to the disk (CHECKPOINT and VACUUM leave the size as it
is; the blocks are only reused), so `compact` rewrites a file that is mostly free space into a new one
(``COPY FROM DATABASE``) and swaps it in; cursors on that file wait meanwhile.
"""
from __future__ import annotations

import atexit
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from core.config import db_idle_seconds
from storage.errors import DataBusy
from storage.sql import quote_identifier

#: Memory one DuckDB database may take for its data (DuckDB spills or fails past it, instead of taking
#: the server's memory): each user's workspace is its own database, and so is each preview.
MEMORY_LIMIT = "2GB"
#: Threads one DuckDB database uses: a few, since several users' databases share the server's cores
#: (and a query over thousands of columns costs per thread); DuckDB's default is every core.
THREADS = max(1, min(4, (os.cpu_count() or 2) // 2))

_lock = threading.Lock()
_changed = threading.Condition(_lock)  # a file's rewrite by `compact` ended


def configure(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Give a database the app's memory limit and thread count; returns ``con``."""
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute(f"SET threads = {int(THREADS)}")
    return con


def scratch_database() -> duckdb.DuckDBPyConnection:
    """A private in-memory database (previews, one-off reads) with the app's limits; the caller closes it."""
    return configure(duckdb.connect())


_open: dict[Path, duckdb.DuckDBPyConnection] = {}
_in_use: dict[Path, int] = {}
_compacting: set[Path] = set()
_last_used: dict[Path, float] = {}
_closer: threading.Thread | None = None
#: How long opening a file that another process holds waits for it before `DataBusy`.
LOCK_WAIT_SECONDS = 5.0


def _held_elsewhere(err: duckdb.IOException) -> bool:
    return "lock" in str(err).lower()


def _database(path: Path, schema: str) -> duckdb.DuckDBPyConnection:
    key = path.resolve()
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        with _lock:
            while key in _compacting:  # only this file waits for its rewrite; others open meanwhile
                _changed.wait()
            con = _open.get(key)
            if con is None:
                key.parent.mkdir(parents=True, exist_ok=True)
                try:
                    con = configure(duckdb.connect(str(key)))
                except duckdb.IOException as err:
                    if not _held_elsewhere(err):
                        raise
                    if time.monotonic() >= deadline:
                        raise DataBusy("Another AnyML program (the web app, the command line or the API) is using "
                                       "this data right now. Try again in a moment.", key="error.data_busy") from err
                else:
                    if schema:
                        con.execute(schema)
                    _open[key] = con
                    _start_closer()
            if con is not None:
                _in_use[key] = _in_use.get(key, 0) + 1
                return con
        time.sleep(0.05)  # the other process holds it: wait outside the lock, so other files open meanwhile


def _start_closer() -> None:
    """Start the thread that closes idle files, when ``ANYML_DB_IDLE_SECONDS`` asks for it (under `_lock`)."""
    global _closer
    if _closer is None and db_idle_seconds() > 0:
        _closer = threading.Thread(target=_close_idle_files, name="anyml-db-closer", daemon=True)
        _closer.start()


def _close_idle_files() -> None:
    while True:
        idle = db_idle_seconds() or 1.0
        time.sleep(min(idle / 2, 1.0))
        if db_idle_seconds() > 0:
            close_idle(idle)


def close_idle(idle_seconds: float) -> list[Path]:
    """Close every file no cursor has used for ``idle_seconds`` (the next `connect` reopens it); returns them."""
    now = time.monotonic()
    with _lock:
        keys = [k for k in _open if _in_use.get(k, 0) == 0 and k not in _compacting
                and now - _last_used.get(k, now) >= idle_seconds]
        closing = [_open.pop(k) for k in keys]
    for con in closing:
        con.close()
    return keys


@contextmanager
def connect(path: Path, schema: str = "") -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a cursor on the DuckDB file at ``path``, creating the file (and ``schema``) on first use."""
    key = path.resolve()
    try:
        cursor = _database(path, schema).cursor()
    except BaseException:
        _done_with(key)
        raise
    try:
        yield cursor
    finally:
        cursor.close()
        _done_with(key)


def _done_with(key: Path) -> None:
    with _lock:
        _in_use[key] = max(_in_use.get(key, 1) - 1, 0)
        _last_used[key] = time.monotonic()
        _changed.notify_all()


def compact(path: Path, *, min_free_bytes: int = 1 << 20, min_free_share: float = 0.25,
            wait_seconds: float = 5.0) -> bool:
    """Checkpoint the database at ``path`` and, when at least ``min_free_bytes`` and ``min_free_share`` of
    the file are free blocks, rewrite it without them. True if rewritten.

    New cursors on the file wait meanwhile; open ones are waited for up to ``wait_seconds`` (else the
    file is left as it is, and the space is reused by DuckDB or given back by a later delete). Rows
    keep their order (and so their ``rowid``): each table is copied in insertion order.
    """
    key = path.resolve()
    with _lock:
        con = _open.get(key)
        if con is None or key in _compacting:
            return False
        _compacting.add(key)
        deadline = time.monotonic() + wait_seconds
        while _in_use.get(key, 0) > 0 and time.monotonic() < deadline:
            _changed.wait(deadline - time.monotonic())
        if _in_use.get(key, 0) > 0:
            _compacting.discard(key)
            _changed.notify_all()
            return False
    try:
        return _rewrite(key, con, min_free_bytes, min_free_share)
    finally:
        with _lock:
            _compacting.discard(key)
            _changed.notify_all()


def _rewrite(key: Path, con: duckdb.DuckDBPyConnection, min_free_bytes: int, min_free_share: float) -> bool:
    """`compact`'s work, while no one else can open ``key``."""
    con.execute("CHECKPOINT")
    name, block_size, total, _, free = con.execute(
        "SELECT database_name, block_size, total_blocks, used_blocks, free_blocks "
        "FROM pragma_database_size() WHERE database_name = current_database()").fetchone()
    if free * block_size < min_free_bytes or free < min_free_share * max(total, 1):
        return False
    fresh = key.with_name(key.name + ".compact")
    fresh.unlink(missing_ok=True)
    try:
        con.execute("ATTACH ? AS compacted", [str(fresh)])
        con.execute(f"COPY FROM DATABASE {quote_identifier(name)} TO compacted")
        con.execute("DETACH compacted")
    except duckdb.Error:
        con.execute("DETACH DATABASE IF EXISTS compacted")
        fresh.unlink(missing_ok=True)
        return False
    with _lock:
        del _open[key]
    con.close()
    os.replace(fresh, key)
    return True


def release(path: Path) -> None:
    """Close the database at ``path`` (before its file is removed); the next `connect` reopens it."""
    key = path.resolve()
    with _lock:
        while key in _compacting:
            _changed.wait()
        con = _open.pop(key, None)
    if con is not None:
        con.close()


def release_under(directory: Path) -> None:
    """Close every open database inside ``directory`` (before the directory is removed)."""
    directory = directory.resolve()
    with _lock:
        keys = [k for k in _open if directory in k.parents]
    for key in keys:
        release(key)


@atexit.register
def release_all() -> None:
    """Close every database this process opened (at exit, so DuckDB writes its checkpoint cleanly)."""
    with _lock:
        keys = list(_open)
    for key in keys:
        release(key)
