"""Running one DuckDB statement on a worker thread while reporting DuckDB's own progress."""
from __future__ import annotations

import threading
from collections.abc import Callable

import duckdb

#: ``progress(fraction, what)``: called on the calling thread, ``fraction`` from 0 to 1.
Progress = Callable[[float, str], None]


def execute(con: duckdb.DuckDBPyConnection, sql: str, args: list | None = None, progress: Progress | None = None,
            what: str = "", span: tuple[float, float] = (0.0, 1.0)):
    """Run one statement; with ``progress``, run it on a worker thread and report DuckDB's own progress.

    The callback is always called on the calling thread (Streamlit elements need that).
    """
    if progress is None:
        return con.execute(sql, args or [])
    con.execute("SET enable_progress_bar_print = false")
    con.execute("SET enable_progress_bar = true")
    outcome: dict = {}

    def work():
        try:
            outcome["result"] = con.execute(sql, args or [])
        except BaseException as err:  # handed to the calling thread
            outcome["error"] = err

    low, high = span
    progress(low, what)
    worker = threading.Thread(target=work, name="anyml-duckdb", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.25)
            done = con.query_progress()
            if done >= 0:
                progress(low + (high - low) * min(done, 100.0) / 100.0, what)
    except BaseException:
        con.interrupt()
        worker.join()
        raise
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]
