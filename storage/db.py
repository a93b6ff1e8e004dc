"""Opening DuckDB files: one database instance per file in this process, a cursor per use.

DuckDB allows one process to hold a database file. Connecting and closing per call from many
threads races on the instance DuckDB caches per file ("file handle conflict"), so each file is
opened once and every caller gets its own cursor (a cursor is a connection of its own to the same
database, safe to use from one thread). `release` closes a file before it is deleted.
"""
from __future__ import annotations

import atexit
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

#: Memory one DuckDB database may take for its data (DuckDB spills or fails past it, instead of taking
#: the server's memory): each user's workspace is its own database, and so is each preview.
MEMORY_LIMIT = "2GB"
#: Threads one DuckDB database uses: a few, since several users' databases share the server's cores
#: (and a query over thousands of columns costs per thread); DuckDB's default is every core.
THREADS = max(1, min(4, (os.cpu_count() or 2) // 2))

_lock = threading.Lock()


def configure(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Give a database the app's memory limit and thread count; returns ``con``."""
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute(f"SET threads = {int(THREADS)}")
    return con


def scratch_database() -> duckdb.DuckDBPyConnection:
    """A private in-memory database (previews, one-off reads) with the app's limits; the caller closes it."""
    return configure(duckdb.connect())
_open: dict[Path, duckdb.DuckDBPyConnection] = {}


def _database(path: Path, schema: str) -> duckdb.DuckDBPyConnection:
    key = path.resolve()
    with _lock:
        con = _open.get(key)
        if con is None:
            key.parent.mkdir(parents=True, exist_ok=True)
            con = configure(duckdb.connect(str(key)))
            if schema:
                con.execute(schema)
            _open[key] = con
        return con


@contextmanager
def connect(path: Path, schema: str = "") -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a cursor on the DuckDB file at ``path``, creating the file (and ``schema``) on first use."""
    cursor = _database(path, schema).cursor()
    try:
        yield cursor
    finally:
        cursor.close()


def release(path: Path) -> None:
    """Close the database at ``path`` (before its file is removed); the next `connect` reopens it."""
    with _lock:
        con = _open.pop(path.resolve(), None)
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
