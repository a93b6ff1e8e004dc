"""One user's workspace: datasets and their versions, runs, per-fold metrics and predictions."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from storage import paths
from storage.db import connect
from storage.errors import UserError
from storage.files import create_table_from_csv

SCHEMA = """
CREATE TABLE IF NOT EXISTS datasets (
    dataset_id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL UNIQUE,
    current_version INTEGER NOT NULL,
    source VARCHAR,
    created TIMESTAMP NOT NULL DEFAULT current_timestamp
);
CREATE TABLE IF NOT EXISTS dataset_versions (
    dataset_id VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    table_name VARCHAR NOT NULL,
    rows BIGINT NOT NULL,
    columns INTEGER NOT NULL,
    note VARCHAR,
    created TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (dataset_id, version)
);
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY,
    dataset_id VARCHAR NOT NULL,
    dataset_version INTEGER NOT NULL,
    target VARCHAR NOT NULL,
    task VARCHAR NOT NULL,
    model VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    metric VARCHAR,
    metrics VARCHAR,
    settings VARCHAR,
    fit_seconds DOUBLE,
    error VARCHAR,
    created TIMESTAMP NOT NULL DEFAULT current_timestamp
);
CREATE TABLE IF NOT EXISTS fold_metrics (
    run_id VARCHAR NOT NULL,
    fold INTEGER NOT NULL,
    split VARCHAR NOT NULL,
    metric VARCHAR NOT NULL,
    value DOUBLE
);
CREATE TABLE IF NOT EXISTS predictions (
    prediction_id VARCHAR PRIMARY KEY,
    run_id VARCHAR NOT NULL,
    source VARCHAR,
    rows BIGINT NOT NULL,
    output_dataset_id VARCHAR,
    created TIMESTAMP NOT NULL DEFAULT current_timestamp
);
"""

DATASET_COLUMNS = ["dataset_id", "name", "version", "rows", "columns", "source", "created"]


@dataclass(frozen=True)
class Dataset:
    dataset_id: str
    name: str
    version: int
    rows: int
    columns: int
    source: str | None
    created: datetime
    table_name: str


@dataclass(frozen=True)
class Run:
    run_id: str
    dataset_id: str
    dataset_name: str
    dataset_version: int
    target: str
    task: str
    model: str
    status: str
    metric: str | None
    metrics: dict
    settings: dict
    fit_seconds: float | None
    error: str | None
    created: datetime


class DatasetNotFound(UserError):
    pass


class RunNotFound(UserError):
    pass


def _new_id() -> str:
    return uuid.uuid4().hex[:12]


def _table_name(dataset_id: str, version: int) -> str:
    # Generated from our own hex ids, never from user text, so it is safe to place in SQL.
    assert dataset_id.isalnum()
    return f"ds_{dataset_id}_v{int(version)}"


def _clean_name(name: str) -> str:
    name = " ".join(str(name).split())
    if not name:
        raise UserError("A dataset needs a name: type one and try again.")
    if len(name) > 120:
        raise UserError("That dataset name is too long: use at most 120 characters.")
    return name


class Workspace:
    """Everything of one user in ``users/<username>/workspace.duckdb``."""

    def __init__(self, username: str, root: Path | None = None):
        self.username = paths.check_username(username)
        self.root = root or paths.data_dir()
        self.path = paths.workspace_db_path(username, self.root)

    def connect(self):
        return connect(self.path, SCHEMA)

    # -- datasets -------------------------------------------------------------------------------

    def _unique_name(self, con, name: str) -> str:
        base, n = name, 1
        while con.execute("SELECT 1 FROM datasets WHERE name = ?", [name]).fetchone():
            n += 1
            name = f"{base} ({n})"
        return name

    def _register(self, con, dataset_id: str, name: str, source: str | None, table: str, note: str) -> Dataset:
        rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        columns = len(con.execute(f"DESCRIBE {table}").fetchall())
        name = self._unique_name(con, name)
        con.execute("INSERT INTO datasets (dataset_id, name, current_version, source) VALUES (?, ?, 1, ?)",
                    [dataset_id, name, source])
        con.execute("INSERT INTO dataset_versions (dataset_id, version, table_name, rows, columns, note) "
                    "VALUES (?, 1, ?, ?, ?, ?)", [dataset_id, table, rows, columns, note])
        return self._get(con, dataset_id)

    def ingest_csv(self, file: Path, name: str, source: str | None = None,
                   delimiter: str | None = None) -> Dataset:
        """Stream a delimited text file into a new dataset through DuckDB's own ``read_csv``.

        The file never passes through pandas; a file DuckDB cannot parse saves nothing.
        """
        name = _clean_name(name)
        dataset_id = _new_id()
        table = _table_name(dataset_id, 1)
        with self.connect() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                create_table_from_csv(con, table, Path(file), delimiter)
                if con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0:
                    raise UserError("The file has a header but no rows: add some rows and upload it again.")
                dataset = self._register(con, dataset_id, name, source or Path(file).name, table, "uploaded")
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return dataset

    def save_frame(self, frame: pd.DataFrame, name: str, source: str | None = None) -> Dataset:
        """Store a pandas frame as a new dataset (samples, predictions, small edits)."""
        name = _clean_name(name)
        if frame.shape[1] == 0:
            raise UserError("The table has no columns: add at least one column.")
        dataset_id = _new_id()
        table = _table_name(dataset_id, 1)
        with self.connect() as con:
            con.register("incoming_frame", frame)
            con.execute("BEGIN TRANSACTION")
            try:
                con.execute(f"CREATE TABLE {table} AS SELECT * FROM incoming_frame")
                dataset = self._register(con, dataset_id, name, source, table, "created")
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            finally:
                con.unregister("incoming_frame")
        return dataset

    def _get(self, con, key: str) -> Dataset:
        row = con.execute(
            "SELECT d.dataset_id, d.name, v.version, v.rows, v.columns, d.source, d.created, v.table_name "
            "FROM datasets d JOIN dataset_versions v "
            "ON v.dataset_id = d.dataset_id AND v.version = d.current_version "
            "WHERE d.dataset_id = ? OR d.name = ? ORDER BY d.dataset_id = ? DESC LIMIT 1",
            [key, key, key]).fetchone()
        if row is None:
            raise DatasetNotFound(f"There is no dataset called '{key}'. Pick one from your datasets list.")
        return Dataset(*row)

    def dataset(self, key: str) -> Dataset:
        """The current version of the dataset whose id or name is ``key``."""
        with self.connect() as con:
            return self._get(con, key)

    def datasets(self) -> list[Dataset]:
        with self.connect() as con:
            rows = con.execute(
                "SELECT d.dataset_id, d.name, v.version, v.rows, v.columns, d.source, d.created, v.table_name "
                "FROM datasets d JOIN dataset_versions v "
                "ON v.dataset_id = d.dataset_id AND v.version = d.current_version "
                "ORDER BY d.created DESC, d.name").fetchall()
        return [Dataset(*r) for r in rows]

    def load(self, key: str, limit: int | None = None, columns: list[str] | None = None) -> pd.DataFrame:
        """The dataset as a pandas frame in stored row order (``limit`` rows if given)."""
        with self.connect() as con:
            ds = self._get(con, key)
            select = "*"
            if columns is not None:
                known = [c for c, *_ in con.execute(f"DESCRIBE {ds.table_name}").fetchall()]
                missing = [c for c in columns if c not in known]
                if missing:
                    raise UserError(f"Dataset '{ds.name}' has no column {', '.join(map(repr, missing))}.")
                select = ", ".join(_quote_identifier(c) for c in columns)
            sql = f"SELECT {select} FROM {ds.table_name} ORDER BY rowid"
            if limit is not None:
                return con.execute(sql + " LIMIT ?", [int(limit)]).df()
            return con.execute(sql).df()

    def column_names(self, key: str) -> list[str]:
        with self.connect() as con:
            ds = self._get(con, key)
            return [c for c, *_ in con.execute(f"DESCRIBE {ds.table_name}").fetchall()]

    def delete_dataset(self, key: str) -> None:
        with self.connect() as con:
            ds = self._get(con, key)
            tables = [t for (t,) in con.execute("SELECT table_name FROM dataset_versions WHERE dataset_id = ?",
                                                 [ds.dataset_id]).fetchall()]
            con.execute("BEGIN TRANSACTION")
            for t in tables:
                con.execute(f"DROP TABLE IF EXISTS {_table_name(*_split_table(t))}")
            con.execute("DELETE FROM dataset_versions WHERE dataset_id = ?", [ds.dataset_id])
            con.execute("DELETE FROM datasets WHERE dataset_id = ?", [ds.dataset_id])
            con.execute("COMMIT")

    # -- runs -----------------------------------------------------------------------------------

    def add_run(self, *, run_id: str, dataset: Dataset, target: str, task: str, model: str, status: str,
                metric: str | None, metrics: dict, settings: dict, fit_seconds: float | None,
                fold_metrics: list[tuple[int, str, str, float]] = (), error: str | None = None) -> None:
        with self.connect() as con:
            con.execute("BEGIN TRANSACTION")
            con.execute(
                "INSERT INTO runs (run_id, dataset_id, dataset_version, target, task, model, status, metric, "
                "metrics, settings, fit_seconds, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [run_id, dataset.dataset_id, dataset.version, target, task, model, status, metric,
                 json.dumps(metrics), json.dumps(settings, default=str), fit_seconds, error])
            if fold_metrics:
                con.executemany("INSERT INTO fold_metrics VALUES (?, ?, ?, ?, ?)",
                                [(run_id, int(f), s, m, _float_or_none(v)) for f, s, m, v in fold_metrics])
            con.execute("COMMIT")

    def runs(self, dataset: str | None = None) -> list[Run]:
        with self.connect() as con:
            sql = ("SELECT r.run_id, r.dataset_id, coalesce(d.name, '(deleted)'), r.dataset_version, r.target, "
                   "r.task, r.model, r.status, r.metric, r.metrics, r.settings, r.fit_seconds, r.error, r.created "
                   "FROM runs r LEFT JOIN datasets d ON d.dataset_id = r.dataset_id")
            args: list = []
            if dataset is not None:
                ds = self._get(con, dataset)
                sql += " WHERE r.dataset_id = ?"
                args.append(ds.dataset_id)
            rows = con.execute(sql + " ORDER BY r.created DESC, r.run_id", args).fetchall()
        return [_run_from_row(r) for r in rows]

    def run(self, run_id: str) -> Run:
        with self.connect() as con:
            row = con.execute(
                "SELECT r.run_id, r.dataset_id, coalesce(d.name, '(deleted)'), r.dataset_version, r.target, "
                "r.task, r.model, r.status, r.metric, r.metrics, r.settings, r.fit_seconds, r.error, r.created "
                "FROM runs r LEFT JOIN datasets d ON d.dataset_id = r.dataset_id WHERE r.run_id = ?",
                [run_id]).fetchone()
        if row is None:
            raise RunNotFound(f"There is no run '{run_id}'. List your runs to find its id.")
        return _run_from_row(row)

    def fold_metrics(self, run_id: str) -> pd.DataFrame:
        with self.connect() as con:
            return con.execute("SELECT fold, split, metric, value FROM fold_metrics WHERE run_id = ? "
                               "ORDER BY fold, split, metric", [run_id]).df()

    def add_prediction(self, *, run_id: str, source: str | None, rows: int,
                       output_dataset_id: str | None) -> str:
        prediction_id = _new_id()
        with self.connect() as con:
            con.execute("INSERT INTO predictions (prediction_id, run_id, source, rows, output_dataset_id) "
                        "VALUES (?, ?, ?, ?, ?)", [prediction_id, run_id, source, rows, output_dataset_id])
        return prediction_id

    def predictions(self) -> pd.DataFrame:
        with self.connect() as con:
            return con.execute("SELECT prediction_id, run_id, source, rows, output_dataset_id, created "
                               "FROM predictions ORDER BY created DESC").df()


def _quote_identifier(name: str) -> str:
    """Quote a column name that exists in the table (checked by the caller) for use in a select list."""
    return '"' + str(name).replace('"', '""') + '"'


def _split_table(table: str) -> tuple[str, int]:
    _, dataset_id, version = table.split("_")
    return dataset_id, int(version[1:])


def _float_or_none(value) -> float | None:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if value != value else value


def _run_from_row(row) -> Run:
    values = list(row)
    values[9] = json.loads(values[9] or "{}")
    values[10] = json.loads(values[10] or "{}")
    return Run(*values)
