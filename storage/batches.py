"""Rows read in batches through DuckDB, and rows written batch by batch: a CSV file and a prediction table.

Prediction reads its input here (`open_rows`: any file the Data step reads, or a stored dataset)
and writes its output here (`BatchWriter`), one batch at a time, so an input of millions of rows
never has to fit in memory, let alone twice. The output table belongs to the prediction (the Predict
history), not to the dataset list; `save_as_dataset` makes a copy of it a dataset when the user asks.
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


def prediction_table(prediction_id: str) -> str:
    """The table holding the output rows of a prediction (a generated identifier, never user text)."""
    if not prediction_id.isalnum():
        raise ValueError("a prediction id is letters and digits")
    return f"prediction_{prediction_id}"


class BatchWriter:
    """Batches of rows appended, as they come, to a CSV file (UTF-8 with a BOM) and to a prediction's table.

    Input columns keep the DuckDB types they had (``types``); the CSV is written by DuckDB from the
    same typed rows, so it reads exactly like an export of the saved dataset. Use it as a context
    manager: if anything fails before `finish`, the partial table and file are removed.
    """

    def __init__(self, ws: Workspace, csv_path: Path, *, types: dict[str, str] | None = None):
        self.ws = ws
        self.csv_path = Path(csv_path)
        self.types = {c: t.upper() for c, t in (types or {}).items() if SAFE_TYPE.fullmatch(t.upper())}
        self.prediction_id = new_id()
        self.table = prediction_table(self.prediction_id)
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

    def finish(self) -> int:
        """Close the CSV and keep the table; the number of rows written."""
        if self._select is None:
            raise UserError("There were no rows to save.", key="predict.error.no_rows")
        self._csv.flush()
        return self.rows


def save_as_dataset(ws: Workspace, prediction_id: str, name: str, source: str | None = None) -> Dataset:
    """A copy of a prediction's output rows as a new dataset called ``name`` (made unique)."""
    dataset_id = new_id()
    table = table_name(dataset_id, 1)
    with ws.connect() as con:
        with transaction(con):
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM {_existing(con, prediction_id)} ORDER BY rowid")
            dataset = ws.register_table(con, dataset_id, " ".join(str(name).split())[:120] or "predictions", source,
                                        table, "predicted", change={"code": "created"})
            con.execute("UPDATE predictions SET output_dataset_id = ? WHERE prediction_id = ?",
                        [dataset_id, prediction_id])
    return dataset


def _existing(con, prediction_id: str) -> str:
    table = prediction_table(prediction_id)
    if not con.execute("SELECT 1 FROM information_schema.tables WHERE table_name = ?", [table]).fetchone():
        raise UserError("The rows of this prediction are no longer kept. Predict them again.",
                        key="predict.error.gone")
    return table


def write_prediction_csv(ws: Workspace, prediction_id: str, target: Path) -> Path:
    """A prediction's output rows as CSV (UTF-8 with a BOM; text a spreadsheet would run gets a quote)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with ws.connect() as con:
        table = _existing(con, prediction_id)
        described = describe_table(con, table)
        with open(target, "wb") as out:
            out.write(codecs.BOM_UTF8)
            out.write(csv_header([c for c, _ in described]))
        part = target.with_name(target.name + ".part")
        try:
            con.execute(f"COPY ({safe_select(described, f'(SELECT * FROM {table} ORDER BY rowid)')}) TO ? "
                        "(FORMAT csv, HEADER false)", [str(part)])
            with open(part, "rb") as src, open(target, "ab") as out:
                shutil.copyfileobj(src, out, 8 << 20)
        finally:
            part.unlink(missing_ok=True)
    return target


def read_prediction(ws: Workspace, prediction_id: str, limit: int | None = None) -> pd.DataFrame:
    """A prediction's output rows (the first ``limit``), in order."""
    with ws.connect() as con:
        table = _existing(con, prediction_id)
        sql = f"SELECT * FROM {table} ORDER BY rowid" + (" LIMIT ?" if limit is not None else "")
        return con.execute(sql, [int(limit)] if limit is not None else []).df()


def kept_predictions(ws: Workspace) -> set[str]:
    """The ids of the predictions whose output rows are kept (the Predict history)."""
    with ws.connect() as con:
        names = con.execute("SELECT table_name FROM information_schema.tables WHERE starts_with(table_name, ?)",
                            ["prediction_"]).fetchall()
    return {name.removeprefix("prediction_") for (name,) in names}


def delete_prediction(ws: Workspace, prediction_id: str) -> None:
    """Forget a prediction of the history: its record and its output rows (a dataset saved from it stays)."""
    with ws.connect() as con:
        with transaction(con):
            con.execute(f"DROP TABLE IF EXISTS {prediction_table(prediction_id)}")
            con.execute("DELETE FROM predictions WHERE prediction_id = ?", [prediction_id])


def write_xlsx(ws: Workspace, prediction_id: str, target: Path, max_rows: int = EXCEL_MAX_ROWS,
               sheet: str = "predictions") -> tuple[int, int]:
    """Write the first ``max_rows`` output rows of a prediction to an Excel file; (rows written, rows in all).

    Excel holds at most 1,048,576 rows with the header, so a bigger output is cut there and the
    caller says so.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with ws.connect() as con:
        table = _existing(con, prediction_id)
        rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        written = min(rows, int(max_rows))
        try:
            write_xlsx_rows(con.execute(f"SELECT * FROM {table} ORDER BY rowid LIMIT ?", [written]), target, sheet)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
    return written, rows
