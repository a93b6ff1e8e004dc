"""Opening DuckDB files: explicit connections only, schema created on first use."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb


@contextmanager
def connect(path: Path, schema: str = "") -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection to the DuckDB file at ``path``, creating it (and ``schema``) if needed.

    DuckDB shares one database instance per file inside a process, so short-lived connections
    are cheap and each thread gets its own.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    try:
        if schema:
            con.execute(schema)
        yield con
    finally:
        con.close()
