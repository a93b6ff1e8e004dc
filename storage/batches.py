"""Rows read in batches through DuckDB, and rows written batch by batch: a CSV file and a new dataset.

Prediction reads its input here (`open_rows`: any file the Data step reads, or a stored dataset)
and writes its output here (`BatchWriter`), one batch at a time, so an input of millions of rows
never has to fit in memory, let alone twice.
"""
from __future__ import annotations

import codecs
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from storage import paths

from storage.ingest import FileReport, ReadOptions, create_table
from storage.errors import UserError
from storage.sql import SAFE_TYPE, describe_table, new_id, quote_identifier, table_name, transaction
from storage.workspace import (EXCEL_MAX_ROWS, Dataset, Workspace, csv_header, safe_select,
                               write_xlsx_rows)

#: Rows per batch unless the caller says otherwise.
DEFAULT_BATCH_ROWS = 100_000
#: DuckDB hands out rows in vectors of this many.
VECTOR_ROWS = 2048
#: Prediction files older than this are removed when a new one is written.
OUTPUT_MAX_AGE_SECONDS = 24 * 3600


@dataclass
class RowSource:
    """Rows to read in batches: their columns (with DuckDB types), how many, and how the file was read."""

    columns: list[str]
    types: dict[str, str]
    rows: int
    report: FileReport | None
    _con: duckdb.DuckDBPyConnection = field(repr=False)
    _table: str = field(repr=False)

    def batches(self, batch_rows: int = DEFAULT_BATCH_ROWS) -> Iterator[pd.DataFrame]:
        """The rows in order, ``batch_rows`` at a time (the last batch may be shorter).

        Each frame is what `Workspace.load` would give for those rows (DuckDB's own conversion to
        pandas), indexed by row position from 0.
        """
        batch_rows = max(int(batch_rows), 1)
        vectors = max(1, -(-batch_rows // VECTOR_ROWS))
        result = self._con.execute(f"SELECT * FROM {self._table} ORDER BY rowid")
        pending: list[pd.DataFrame] = []
        held = start = 0
        while True:
            frame = result.fetch_df_chunk(vectors)
            done = frame is None or len(frame) == 0
            if not done:
                pending.append(frame)
                held += len(frame)
            while held >= batch_rows or (done and held):
                joined = pd.concat(pending, ignore_index=True) if len(pending) > 1 else pending[0]
                batch, rest = joined.iloc[:batch_rows], joined.iloc[batch_rows:]
                batch.index = pd.RangeIndex(start, start + len(batch))
                start += len(batch)
                pending, held = ([rest.reset_index(drop=True)] if len(rest) else []), len(rest)
                yield batch
            if done:
                return


@contextmanager
def open_rows(ws: Workspace, *, path: Path | None = None, original_name: str | None = None,
              options: ReadOptions | None = None, dataset: str | None = None) -> Iterator[RowSource]:
    """The rows of a file (any format the Data step reads) or of a stored dataset, ready to read in batches.

    A file is read by `storage.create_table` (the Data step's reader: formats, encodings, number
    and date tidying) into a private scratch database on disk, which is removed afterwards; a dataset
    is read where it is stored. Exactly one of ``path`` and ``dataset`` is given.
    """
    if (path is None) == (dataset is None):
        raise ValueError("give either a file or a dataset")
    if dataset is not None:
        ds = ws.dataset(dataset)
        with ws.connect() as con:
            yield _source(con, ds.table_name, None)
        return
    staging = ws.staging_dir()
    staging.mkdir(parents=True, exist_ok=True)
    scratch = staging / f"predict_{new_id()}.duckdb"
    con = duckdb.connect(str(scratch))
    try:
        report = create_table(con, "incoming", Path(path), options, name=original_name or Path(path).name,
                              scratch_dir=staging)
        yield _source(con, "incoming", report)
    finally:
        con.close()
        for leftover in (scratch, scratch.with_name(scratch.name + ".wal")):
            leftover.unlink(missing_ok=True)


def _source(con, table: str, report: FileReport | None) -> RowSource:
    described = describe_table(con, table)
    rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return RowSource([c for c, _ in described], dict(described), int(rows), report, con, table)


def output_path(ws: Workspace, suffix: str = ".csv") -> Path:
    """A new file for a prediction's output in the user's ``predictions`` directory (old ones are removed)."""
    directory = paths.user_dir(ws.username, ws.root) / "predictions"
    directory.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - OUTPUT_MAX_AGE_SECONDS
    for old in directory.iterdir():
        if old.is_file() and old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    return directory / f"predictions_{new_id()}{suffix}"


class BatchWriter:
    """Batches of rows appended, as they come, to a CSV file (UTF-8 with a BOM) and to a new dataset.

    Input columns keep the DuckDB types they had (``types``); the CSV is written by DuckDB from the
    same typed rows, so it reads exactly like an export of the saved dataset. Use it as a context
    manager: if anything fails before `finish`, the partial table and file are removed.
    """

    def __init__(self, ws: Workspace, csv_path: Path, *, types: dict[str, str] | None = None):
        self.ws = ws
        self.csv_path = Path(csv_path)
        self.types = {c: t.upper() for c, t in (types or {}).items() if SAFE_TYPE.fullmatch(t.upper())}
        self.dataset_id = new_id()
        self.table = table_name(self.dataset_id, 1)
        self.rows = 0
        self._select: str | None = None
        self._csv_select: str | None = None
        self._csv = None
        self._con_cm = None
        self._con = None

    def __enter__(self) -> BatchWriter:
        self.csv_path.parent.mkdir(parents=True, exist_ok=True)
        self._csv = open(self.csv_path, "wb")
        self._csv.write(codecs.BOM_UTF8)
        self._con_cm = self.ws.connect()
        self._con = self._con_cm.__enter__()
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if self._csv is not None:
            self._csv.close()
        try:
            if exc is not None:
                self._con.execute(f"DROP TABLE IF EXISTS {self.table}")
                self.csv_path.unlink(missing_ok=True)
        finally:
            self._con_cm.__exit__(exc_type, exc, tb)
        return False

    def append(self, frame: pd.DataFrame) -> None:
        """Add ``frame``'s rows to the table and the CSV (every batch has the same columns)."""
        con = self._con
        con.register("incoming_batch", frame)
        try:
            if self._select is None:
                columns = [str(c) for c in frame.columns]
                self._select = "SELECT " + ", ".join(
                    f"CAST({quote_identifier(c)} AS {self.types[c]}) AS {quote_identifier(c)}"
                    if c in self.types else quote_identifier(c) for c in columns) + " FROM incoming_batch"
                con.execute(f"CREATE TABLE {self.table} AS {self._select} LIMIT 0")
                described = describe_table(con, self.table)
                self._csv_select = safe_select(described, f"({self._select})")
                self._csv.write(csv_header([c for c, _ in described]))
            con.execute(f"INSERT INTO {self.table} {self._select}")
            part = self.csv_path.with_name(self.csv_path.name + ".part")
            try:
                # Text that a spreadsheet would run as a formula gets a quote in the CSV, not in the dataset.
                con.execute(f"COPY ({self._csv_select}) TO ? (FORMAT csv, HEADER false)", [str(part)])
                with open(part, "rb") as src:
                    shutil.copyfileobj(src, self._csv, 8 << 20)
            finally:
                part.unlink(missing_ok=True)
        finally:
            con.unregister("incoming_batch")
        self.rows += len(frame)

    def finish(self, name: str, source: str | None = None, change: dict | None = None) -> Dataset:
        """Register the rows written as a new dataset called ``name`` (made unique) and close the CSV."""
        if self._select is None:
            raise UserError("There were no rows to save.", key="predict.error.no_rows")
        self._csv.flush()
        con = self._con
        with transaction(con):
            dataset = self.ws.register_table(con, self.dataset_id, " ".join(str(name).split())[:120] or "predictions",
                                             source, self.table, "predicted", change=change or {"code": "created"})
        return dataset


def write_xlsx(ws: Workspace, dataset: str, target: Path, max_rows: int = EXCEL_MAX_ROWS) -> tuple[int, int]:
    """Write the first ``max_rows`` rows of a dataset to an Excel file; returns (rows written, rows in all).

    Excel holds at most 1,048,576 rows with the header, so a bigger dataset is cut there and the
    caller says so.
    """
    ds = ws.dataset(dataset)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with ws.connect() as con:
        written = min(ds.rows, int(max_rows))
        try:
            write_xlsx_rows(con.execute(f"SELECT * FROM {ds.table_name} ORDER BY rowid LIMIT ?", [written]), target,
                        ds.name)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
    return written, ds.rows
