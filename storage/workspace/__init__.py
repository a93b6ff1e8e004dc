"""One user's workspace: datasets and their versions, runs, per-fold metrics and predictions."""
from __future__ import annotations

import codecs
import json
import math
import re
import shutil
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

import duckdb
import pandas as pd

from storage import bundles, paths

from storage import ingest as files
from storage.db import connect
from storage.errors import UserError
from storage.ingest import ROW_ID

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
CREATE TABLE IF NOT EXISTS version_details (
    dataset_id VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    size_bytes BIGINT,
    change VARCHAR,
    PRIMARY KEY (dataset_id, version)
);
CREATE TABLE IF NOT EXISTS column_types (
    dataset_id VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    column_name VARCHAR NOT NULL,
    type VARCHAR NOT NULL,
    PRIMARY KEY (dataset_id, version, column_name)
);
CREATE TABLE IF NOT EXISTS dataset_drafts (
    dataset_id VARCHAR NOT NULL,
    base_version INTEGER NOT NULL,
    kind VARCHAR NOT NULL,
    row_id BIGINT NOT NULL,
    column_name VARCHAR NOT NULL,
    value VARCHAR,
    updated TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (dataset_id, kind, row_id, column_name)
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
CREATE TABLE IF NOT EXISTS events (
    logged_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    kind VARCHAR NOT NULL,
    detail VARCHAR,
    outcome VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS run_importance (
    run_id VARCHAR NOT NULL,
    feature VARCHAR NOT NULL,
    model_importance DOUBLE,
    permutation_mean DOUBLE,
    permutation_std DOUBLE
);
CREATE TABLE IF NOT EXISTS learning_curves (
    run_id VARCHAR NOT NULL,
    step INTEGER NOT NULL,
    split VARCHAR NOT NULL,
    metric VARCHAR,
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
CREATE TABLE IF NOT EXISTS active_runs (
    dataset_id VARCHAR PRIMARY KEY,
    run_id VARCHAR NOT NULL,
    updated TIMESTAMP NOT NULL DEFAULT current_timestamp
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
    size_bytes: int | None = None


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
    # A dataset is a list of versions; each version is a table written once (``ds_<id>_v<n>``) and
    # never changed, so its DuckDB ``rowid`` is a stable row id for paging and for draft edits. A
    # version that only changes metadata (restore, column types) points at an earlier version's table.

    def _unique_name(self, con, name: str, exclude: str | None = None) -> str:
        base, n = name, 1
        while con.execute("SELECT 1 FROM datasets WHERE lower(name) = lower(?) AND dataset_id IS DISTINCT FROM ?",
                          [name, exclude]).fetchone():
            n += 1
            name = f"{base} ({n})"
        return name

    def _register(self, con, dataset_id: str, name: str, source: str | None, table: str, note: str,
                  *, change: dict | None = None, size: int | None = None) -> Dataset:
        rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        columns = len(con.execute(f"DESCRIBE {table}").fetchall())
        name = self._unique_name(con, name)
        con.execute("INSERT INTO datasets (dataset_id, name, current_version, source) VALUES (?, ?, 1, ?)",
                    [dataset_id, name, source])
        con.execute("INSERT INTO dataset_versions (dataset_id, version, table_name, rows, columns, note) "
                    "VALUES (?, 1, ?, ?, ?, ?)", [dataset_id, table, rows, columns, note])
        con.execute("INSERT INTO version_details (dataset_id, version, size_bytes, change) VALUES (?, 1, ?, ?)",
                    [dataset_id, size if size is not None else _estimated_size(con, table, rows),
                     json.dumps(change or {"code": note}, ensure_ascii=False, default=str)])
        _log(con, "upload" if note == "uploaded" else "edit",
             f"'{name}' ({rows:,} × {columns}){f' from {source}' if source else ''}")
        return self._get(con, dataset_id)

    def staging_dir(self) -> Path:
        """Where uploads wait between preview and save, and where files are transcoded (this user's only)."""
        return paths.user_dir(self.username, self.root) / "staging"

    def stage_upload(self, stream: BinaryIO, original_name: str) -> Path:
        """Copy an uploaded file (a file-like object) to this user's staging directory, in chunks.

        The user's file name only chooses the suffix; the stored name is generated.
        """
        staging = self.staging_dir()
        staging.mkdir(parents=True, exist_ok=True)
        cutoff = time.time() - STAGED_MAX_AGE_SECONDS
        for old in staging.iterdir():
            if old.is_file() and old.stat().st_mtime < cutoff:
                old.unlink(missing_ok=True)
        suffix = Path(original_name).suffix.lower()
        suffix = suffix if suffix in files.FORMAT_BY_SUFFIX else ".bin"
        target = staging / f"upload_{_new_id()}{suffix}"
        with open(target, "wb") as out:
            shutil.copyfileobj(stream, out, STAGE_CHUNK_BYTES)
        return target

    def discard_staged(self, path: Path) -> None:
        """Delete a staged upload (only ever a file inside this user's staging directory)."""
        path = Path(path)
        if path.parent.resolve() == self.staging_dir().resolve() and path.name.startswith("upload_"):
            path.unlink(missing_ok=True)

    def preview_file(self, file: Path, options: files.ReadOptions | None = None, *, name: str | None = None,
                     rows: int | None = None) -> FilePreview:
        """The first ``rows`` rows of a file as it would be saved, what was detected, and column profiles.

        Nothing is stored: the rows are read into a private in-memory database.
        """
        con = duckdb.connect()
        try:
            report = files.create_table(con, "preview", Path(file), options, name=name,
                                        scratch_dir=self.staging_dir(), limit=rows or PREVIEW_READ_ROWS)
            frame = con.execute("SELECT * FROM preview ORDER BY rowid").df()
            return FilePreview(frame, report, profile_table(con, "preview"))
        finally:
            con.close()

    def ingest(self, file: Path, name: str, *, source: str | None = None, options: files.ReadOptions | None = None,
               casts: dict[str, str] | None = None, types: dict[str, str] | None = None,
               progress: files.Progress | None = None) -> tuple[Dataset, files.FileReport]:
        """Stream any supported file into a new dataset through DuckDB's own readers.

        ``casts`` converts columns ({column: kind}, see `convert_expression`) and ``types`` records the
        user's column types; a file that cannot be read (or converted) saves nothing at all.
        """
        name = _clean_name(name)
        file = Path(file)
        dataset_id = _new_id()
        table = _table_name(dataset_id, 1)
        # The file is read into a scratch table outside any transaction, since a failed read is retried
        # (another encoding, a column as text) and DuckDB cannot retry inside an aborted transaction.
        # Only when it is complete does it get its real name, in the transaction that registers it.
        load = f"{table}_load"
        shown = source or file.name
        try:
            with self.connect() as con:
                report = files.create_table(con, load, file, options, name=shown,
                                            scratch_dir=self.staging_dir(), progress=progress)
                if casts:
                    _convert_in_place(con, load, casts, strict=True)
                change = {"code": "uploaded", "file": shown, "format": report.format, "encoding": report.encoding,
                          "delimiter": report.delimiter, "sheet": report.sheet}
                con.execute("BEGIN TRANSACTION")
                try:
                    con.execute(f"ALTER TABLE {load} RENAME TO {table}")
                    dataset = self._register(con, dataset_id, name, shown, table, "uploaded", change=change,
                                             size=file.stat().st_size)
                    if types:
                        self._store_types(con, dataset_id, 1, types, table)
                    con.execute("COMMIT")
                except BaseException:
                    con.execute("ROLLBACK")
                    raise
        except BaseException:
            with self.connect() as con:
                for scratch in (load, f"{load}_tidy", f"{load}_staging", f"{load}_converted"):
                    con.execute(f"DROP TABLE IF EXISTS {scratch}")
            raise
        if progress is not None:
            progress(1.0, "done")
        return dataset, report

    def ingest_csv(self, file: Path, name: str, source: str | None = None,
                   delimiter: str | None = None) -> Dataset:
        """Stream a delimited text file into a new dataset through DuckDB's own ``read_csv``.

        The file never passes through pandas; a file DuckDB cannot parse saves nothing.
        """
        options = files.ReadOptions(format="delimited", delimiter=delimiter)
        return self.ingest(Path(file), name, source=source or Path(file).name, options=options)[0]

    def save_frame(self, frame: pd.DataFrame, name: str, source: str | None = None, *,
                   note: str = "created") -> Dataset:
        """Store a pandas frame as a new dataset (samples, predictions, small edits, blank tables)."""
        name = _clean_name(name)
        if frame.shape[1] == 0:
            raise UserError("The table has no columns: add at least one column.", key="data.error.no_columns")
        dataset_id = _new_id()
        table = _table_name(dataset_id, 1)
        with self.connect() as con:
            con.register("incoming_frame", frame)
            con.execute("BEGIN TRANSACTION")
            try:
                con.execute(f"CREATE TABLE {table} AS SELECT * FROM incoming_frame")
                dataset = self._register(con, dataset_id, name, source, table, note)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            finally:
                con.unregister("incoming_frame")
        return dataset

    def _get(self, con, key: str) -> Dataset:
        row = con.execute(
            _DATASET_SELECT + " WHERE d.dataset_id = ? OR d.name = ? ORDER BY d.dataset_id = ? DESC LIMIT 1",
            [key, key, key]).fetchone()
        if row is None:
            raise DatasetNotFound(f"There is no dataset called '{key}'. Pick one from your datasets list.",
                                  key="data.error.no_dataset", params={"name": key})
        return Dataset(*row)

    def dataset(self, key: str) -> Dataset:
        """The current version of the dataset whose id or name is ``key``."""
        with self.connect() as con:
            return self._get(con, key)

    def datasets(self) -> list[Dataset]:
        with self.connect() as con:
            rows = con.execute(_DATASET_SELECT + " ORDER BY d.created DESC, d.name").fetchall()
        return [Dataset(*r) for r in rows]

    def load(self, key: str, limit: int | None = None, columns: list[str] | None = None,
             version: int | None = None) -> pd.DataFrame:
        """The dataset (its current version, or ``version``) as a pandas frame in stored row order."""
        with self.connect() as con:
            ds = self._get(con, key)
            table = self._version_table(con, ds, version)
            select = "*"
            if columns is not None:
                known = _column_names(con, table)
                missing = [c for c in columns if c not in known]
                if missing:
                    raise UserError(f"Dataset '{ds.name}' has no column {', '.join(map(repr, missing))}.",
                                    key="data.error.no_column", params={"name": ds.name,
                                                                        "columns": ", ".join(missing)})
                select = ", ".join(_quote_identifier(c) for c in columns)
            sql = f"SELECT {select} FROM {table} ORDER BY rowid"
            if limit is not None:
                return con.execute(sql + " LIMIT ?", [int(limit)]).df()
            return con.execute(sql).df()

    def column_names(self, key: str) -> list[str]:
        with self.connect() as con:
            ds = self._get(con, key)
            return _column_names(con, ds.table_name)

    def delete_dataset(self, key: str) -> None:
        with self.connect() as con:
            ds = self._get(con, key)
            tables = {t for (t,) in con.execute("SELECT table_name FROM dataset_versions WHERE dataset_id = ?",
                                                 [ds.dataset_id]).fetchall()}
            con.execute("BEGIN TRANSACTION")
            for t in sorted(tables):
                con.execute(f"DROP TABLE IF EXISTS {_table_name(*_split_table(t))}")
            for meta in ("dataset_versions", "version_details", "column_types", "dataset_drafts"):
                con.execute(f"DELETE FROM {meta} WHERE dataset_id = ?", [ds.dataset_id])
            con.execute("DELETE FROM datasets WHERE dataset_id = ?", [ds.dataset_id])
            _log(con, "delete", f"dataset '{ds.name}'")
            con.execute("COMMIT")

    def rename_dataset(self, key: str, new_name: str) -> Dataset:
        """Give a dataset another name (names are unique per user, ignoring case)."""
        new_name = _clean_name(new_name)
        with self.connect() as con:
            ds = self._get(con, key)
            if self._unique_name(con, new_name, exclude=ds.dataset_id) != new_name:
                raise UserError(f"You already have a dataset called '{new_name}': choose another name.",
                                key="data.error.name_taken", params={"name": new_name})
            con.execute("UPDATE datasets SET name = ? WHERE dataset_id = ?", [new_name, ds.dataset_id])
            _log(con, "edit", f"renamed '{ds.name}' to '{new_name}'")
            return self._get(con, ds.dataset_id)

    # -- versions -------------------------------------------------------------------------------

    def _version_table(self, con, ds: Dataset, version: int | None) -> str:
        if version is None or int(version) == ds.version:
            return ds.table_name
        row = con.execute("SELECT table_name FROM dataset_versions WHERE dataset_id = ? AND version = ?",
                          [ds.dataset_id, int(version)]).fetchone()
        if row is None:
            raise UserError(f"Dataset '{ds.name}' has no version {version}. Its history lists the versions.",
                            key="data.error.no_version", params={"name": ds.name, "version": version})
        return _table_name(*_split_table(row[0]))

    def versions(self, key: str) -> list[Version]:
        """Every version of the dataset, newest first, each with what changed."""
        with self.connect() as con:
            ds = self._get(con, key)
            rows = con.execute(
                "SELECT v.version, v.rows, v.columns, v.note, coalesce(i.change, '{}'), i.size_bytes, v.created "
                "FROM dataset_versions v LEFT JOIN version_details i "
                "ON i.dataset_id = v.dataset_id AND i.version = v.version "
                "WHERE v.dataset_id = ? ORDER BY v.version DESC", [ds.dataset_id]).fetchall()
        return [Version(version, rows_, columns, note, json.loads(change), size, created, version == ds.version)
                for version, rows_, columns, note, change, size, created in rows]

    def _new_version(self, con, ds: Dataset, change: dict, *, select: str | None = None, args: list | None = None,
                     reuse: str | None = None, renames: dict[str, str] | None = None,
                     types: dict[str, str] | None = None, base_version: int | None = None) -> Dataset:
        """Add version n+1: a new table from ``select`` (rows in ``ORDER BY`` order), or ``reuse`` an
        existing version's table. Column types carry over from ``base_version`` (renamed per ``renames``)."""
        version = con.execute("SELECT max(version) FROM dataset_versions WHERE dataset_id = ?",
                              [ds.dataset_id]).fetchone()[0] + 1
        if reuse is not None:
            table = reuse
        else:
            table = _table_name(ds.dataset_id, version)
            con.execute(f"CREATE TABLE {table} AS {select}", args or [])
        rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        names = _column_names(con, table)
        if not names:
            raise UserError("A dataset needs at least one column: keep one.", key="data.error.no_columns")
        con.execute("INSERT INTO dataset_versions (dataset_id, version, table_name, rows, columns, note) "
                    "VALUES (?, ?, ?, ?, ?, ?)", [ds.dataset_id, version, table, rows, len(names), describe_change(change)])
        con.execute("INSERT INTO version_details (dataset_id, version, size_bytes, change) VALUES (?, ?, ?, ?)",
                    [ds.dataset_id, version, _estimated_size(con, table, rows),
                     json.dumps(change, ensure_ascii=False, default=str)])
        con.execute("UPDATE datasets SET current_version = ? WHERE dataset_id = ?", [version, ds.dataset_id])
        _log(con, "edit", f"'{ds.name}' version {version}: {describe_change(change)}")
        carried = self._type_overrides(con, ds.dataset_id, base_version or ds.version)
        renames = renames or {}
        carried = {renames.get(c, c): t for c, t in carried.items() if renames.get(c, c) in names}
        carried.update({c: t for c, t in (types or {}).items() if c in names})
        if carried:
            con.executemany("INSERT INTO column_types VALUES (?, ?, ?, ?)",
                            [(ds.dataset_id, version, c, t) for c, t in carried.items()])
        return self._get(con, ds.dataset_id)

    @contextmanager
    def _changing(self, key: str, *, allow_draft: bool = False) -> Iterator[tuple]:
        """A connection in a transaction, and the dataset as it is now; refuses while a draft is pending."""
        with self.connect() as con:
            ds = self._get(con, key)
            if not allow_draft and self._draft_info(con, ds.dataset_id) is not None:
                raise DraftPending("You have unsaved edits in the grid. Save them as a version or discard "
                                   "them first.", key="data.error.draft_pending")
            con.execute("BEGIN TRANSACTION")
            try:
                yield con, ds
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise

    def restore_version(self, key: str, version: int) -> Dataset:
        """Make an earlier version current again, as a new version (nothing is overwritten)."""
        with self._changing(key) as (con, ds):
            table = self._version_table(con, ds, version)
            return self._new_version(con, ds, {"code": "restored", "version": int(version)}, reuse=table,
                                     base_version=int(version))

    def branch_version(self, key: str, version: int, name: str) -> Dataset:
        """Save one version of a dataset as a new dataset of its own."""
        name = _clean_name(name)
        with self.connect() as con:
            ds = self._get(con, key)
            source_table = self._version_table(con, ds, version)
            overrides = self._type_overrides(con, ds.dataset_id, int(version))
            dataset_id = _new_id()
            table = _table_name(dataset_id, 1)
            con.execute("BEGIN TRANSACTION")
            try:
                con.execute(f"CREATE TABLE {table} AS SELECT * FROM {source_table} ORDER BY rowid")
                change = {"code": "branched", "dataset": ds.name, "version": int(version)}
                new = self._register(con, dataset_id, name, f"{ds.name} v{int(version)}", table, "branched",
                                     change=change)
                self._store_types(con, dataset_id, 1, overrides, table)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return new

    def save_view(self, key: str, name: str, *, columns: list[str] | None = None,
                  filters: Iterable[Filter] = (), version: int | None = None) -> Dataset:
        """Save the chosen columns of the rows that pass ``filters`` as a new dataset (a "view")."""
        name = _clean_name(name)
        with self.connect() as con:
            ds = self._get(con, key)
            source_table = self._version_table(con, ds, version)
            described = _describe(con, source_table)
            chosen = list(columns) if columns else [c for c, _ in described]
            _check_columns(chosen, described, ds.name)
            if not chosen:
                raise UserError("A view needs at least one column: choose some.", key="data.error.no_columns")
            where, args = _filter_sql(con, list(filters), dict(described), "t")
            select = ", ".join(f"t.{_quote_identifier(c)}" for c in chosen)
            dataset_id = _new_id()
            table = _table_name(dataset_id, 1)
            con.execute("BEGIN TRANSACTION")
            try:
                con.execute(f"CREATE TABLE {table} AS SELECT {select} FROM {source_table} t {where} "
                            "ORDER BY t.rowid", args)
                if con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0:
                    raise UserError("No rows pass these filters, so the view would be empty. Change the filters.",
                                    key="data.error.view_empty")
                change = {"code": "view", "dataset": ds.name, "columns": len(chosen),
                          "filters": len(list(filters))}
                new = self._register(con, dataset_id, name, f"{ds.name} (view)", table, "view", change=change)
                overrides = self._type_overrides(con, ds.dataset_id, version or ds.version)
                self._store_types(con, dataset_id, 1, {c: t for c, t in overrides.items() if c in chosen}, table)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return new

    # -- column types ---------------------------------------------------------------------------

    def _type_overrides(self, con, dataset_id: str, version: int) -> dict[str, str]:
        rows = con.execute("SELECT column_name, type FROM column_types WHERE dataset_id = ? AND version = ?",
                           [dataset_id, int(version)]).fetchall()
        return dict(rows)

    def _store_types(self, con, dataset_id: str, version: int, types: dict[str, str], table: str) -> None:
        names = set(_column_names(con, table))
        rows = [(dataset_id, version, c, str(t)) for c, t in types.items() if c in names]
        if rows:
            con.executemany("INSERT OR REPLACE INTO column_types VALUES (?, ?, ?, ?)", rows)

    def column_type_overrides(self, key: str, version: int | None = None) -> dict[str, str]:
        """The column types the user chose (``{column: type}``) for a version; inferred types are not stored."""
        with self.connect() as con:
            ds = self._get(con, key)
            return self._type_overrides(con, ds.dataset_id, version or ds.version)

    def column_profiles(self, key: str, version: int | None = None) -> list[ColumnProfile]:
        """Per-column facts (computed in DuckDB) from which `core.types` infers each column's type."""
        with self.connect() as con:
            ds = self._get(con, key)
            return profile_table(con, self._version_table(con, ds, version))

    def set_column_types(self, key: str, types: dict[str, str], casts: dict[str, str] | None = None, *,
                         strict: bool = True) -> Dataset:
        """Record the user's column types, converting the columns in ``casts`` ({column: kind}), as a new
        version. With ``strict``, a value that does not fit its new type stops the change; otherwise it
        becomes missing."""
        with self._changing(key) as (con, ds):
            described = _describe(con, ds.table_name)
            _check_columns(list(types) + list(casts or {}), described, ds.name)
            change = {"code": "types", "columns": {c: t for c, t in types.items()}}
            if not casts:
                return self._new_version(con, ds, change, reuse=ds.table_name, types=types)
            select = _converted_select(con, ds.table_name, described, casts, strict)
            return self._new_version(con, ds, change, select=select, types=types)

    # -- paging and the draft of unsaved edits ----------------------------------------------------

    def _draft_info(self, con, dataset_id: str) -> Draft | None:
        row = con.execute(
            "SELECT min(base_version), count(*) FILTER (WHERE kind = 'cell' AND row_id < ?), "
            "count(*) FILTER (WHERE kind = 'delete'), count(*) FILTER (WHERE kind = 'add'), max(updated) "
            "FROM dataset_drafts WHERE dataset_id = ?", [ADDED_ROW_BASE, dataset_id]).fetchone()
        if row[0] is None:
            return None
        return Draft(*row)

    def draft(self, key: str) -> Draft | None:
        """The unsaved edits of a dataset (kept across pages, sessions and restarts), or None."""
        with self.connect() as con:
            return self._draft_info(con, self._get(con, key).dataset_id)

    def page(self, key: str, *, offset: int = 0, limit: int = 50, sort: str | None = None,
             descending: bool = False, filters: Iterable[Filter] = ()) -> Page:
        """One page of the dataset as it would be with the draft saved: ``LIMIT ? OFFSET ?`` over the row
        id (or over the sort column, then the row id). Sorting and filtering run in DuckDB."""
        with self.connect() as con:
            ds = self._get(con, key)
            draft = self._draft_info(con, ds.dataset_id)
            base_version = draft.base_version if draft else ds.version
            table = self._version_table(con, ds, base_version)
            view, args, described = self._view(con, ds.dataset_id, table, draft is not None)
            where, where_args = _filter_sql(con, list(filters), dict(described), "v")
            total = con.execute(f"SELECT count(*) FROM ({view}) v {where}", args + where_args).fetchone()[0]
            order = f"v.{_quote_identifier(ROW_ID)}"
            if sort:
                _check_columns([sort], described, ds.name)
                direction = "DESC" if descending else "ASC"
                order = f"v.{_quote_identifier(sort)} {direction} NULLS LAST, " + order
            frame = con.execute(f"SELECT * FROM ({view}) v {where} ORDER BY {order} LIMIT ? OFFSET ?",
                                args + where_args + [max(int(limit), 1), max(int(offset), 0)]).df()
        frame = frame.set_index(ROW_ID)
        return Page(frame, int(total), max(int(offset), 0), int(limit), base_version, described, draft)

    def _view(self, con, dataset_id: str, table: str, with_draft: bool) -> tuple[str, list, list[tuple[str, str]]]:
        """SQL for the rows of ``table`` with the draft applied: deleted rows left out, added rows after the
        others, edited cells replaced (cast to their column's type). Its first column is the row id."""
        described = _describe(con, table)
        row = _quote_identifier(ROW_ID)
        if not with_draft:
            return f"SELECT rowid AS {row}, * FROM {table}", [], described
        edited = {c for (c,) in con.execute("SELECT DISTINCT column_name FROM dataset_drafts "
                                            "WHERE dataset_id = ? AND kind = 'cell'", [dataset_id]).fetchall()}
        source = (f"(SELECT rowid AS {row}, * FROM {table} WHERE rowid NOT IN "
                  f"(SELECT row_id FROM dataset_drafts WHERE dataset_id = ? AND kind = 'delete') "
                  f"UNION ALL BY NAME SELECT row_id AS {row} FROM dataset_drafts WHERE dataset_id = ? "
                  f"AND kind = 'add')")
        args: list = [dataset_id, dataset_id]
        select, joins = [f"s.{row}"], []
        for i, (c, sql_type) in enumerate(described):
            q = _quote_identifier(c)
            if c in edited:
                joins.append(f"LEFT JOIN (SELECT row_id, value FROM dataset_drafts WHERE dataset_id = ? AND "
                             f"kind = 'cell' AND column_name = ?) e{i} ON e{i}.row_id = s.{row}")
                args += [dataset_id, c]
                select.append(f"CASE WHEN e{i}.row_id IS NULL THEN s.{q} "
                              f"ELSE CAST(e{i}.value AS {_safe_type(sql_type)}) END AS {q}")
            else:
                select.append(f"s.{q}")
        return f"SELECT {', '.join(select)} FROM {source} s {' '.join(joins)}", args, described

    def record_edits(self, key: str, base_version: int, *, cells: dict[tuple[int, str], object] | None = None,
                     deleted: Iterable[int] = (), added: Iterable[dict] = ()) -> Draft | None:
        """Keep grid edits in the dataset's draft until they are saved or discarded.

        ``cells`` maps (row id, column) to the new value, ``deleted`` lists row ids, ``added`` holds new
        rows ({column: value}). Values are checked against their column's type and stored as text.
        """
        with self.connect() as con:
            ds = self._get(con, key)
            draft = self._draft_info(con, ds.dataset_id)
            expected = draft.base_version if draft else ds.version
            if int(base_version) != expected:
                raise UserError("This dataset changed since the grid was shown (another tab or session saved it). "
                                "Reload the page and make the edit again.", key="data.error.stale_grid")
            table = self._version_table(con, ds, expected)
            types = dict(_describe(con, table))
            rows_in_table = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            added_ids = {r for (r,) in con.execute("SELECT row_id FROM dataset_drafts WHERE dataset_id = ? "
                                                   "AND kind = 'add'", [ds.dataset_id]).fetchall()}
            con.execute("BEGIN TRANSACTION")
            try:
                for (row_id, column), value in (cells or {}).items():
                    row_id = int(row_id)
                    if column not in types:
                        raise UserError(f"Dataset '{ds.name}' has no column '{column}'.",
                                        key="data.error.no_column", params={"name": ds.name, "columns": column})
                    if not (0 <= row_id < rows_in_table or row_id in added_ids):
                        raise UserError("That row is no longer in the dataset. Reload the page.",
                                        key="data.error.stale_grid")
                    text = _canonical_value(con, value, types[column], column)
                    con.execute("INSERT OR REPLACE INTO dataset_drafts (dataset_id, base_version, kind, row_id, "
                                "column_name, value, updated) VALUES (?, ?, 'cell', ?, ?, ?, current_timestamp)",
                                [ds.dataset_id, expected, row_id, column, text])
                for row_id in deleted:
                    row_id = int(row_id)
                    con.execute("DELETE FROM dataset_drafts WHERE dataset_id = ? AND row_id = ? AND kind <> 'delete'",
                                [ds.dataset_id, row_id])
                    if row_id < ADDED_ROW_BASE and 0 <= row_id < rows_in_table:
                        con.execute("INSERT OR REPLACE INTO dataset_drafts (dataset_id, base_version, kind, row_id, "
                                    "column_name, value, updated) VALUES (?, ?, 'delete', ?, '', NULL, "
                                    "current_timestamp)", [ds.dataset_id, expected, row_id])
                next_id = max(added_ids | {ADDED_ROW_BASE}) + 1
                for new_row in added:
                    unknown = [c for c in new_row if c not in types]
                    if unknown:
                        raise UserError(f"Dataset '{ds.name}' has no column '{unknown[0]}'.",
                                        key="data.error.no_column", params={"name": ds.name, "columns": unknown[0]})
                    con.execute("INSERT INTO dataset_drafts (dataset_id, base_version, kind, row_id, column_name, "
                                "value, updated) VALUES (?, ?, 'add', ?, '', NULL, current_timestamp)",
                                [ds.dataset_id, expected, next_id])
                    for column, value in new_row.items():
                        text = _canonical_value(con, value, types[column], column)
                        if text is not None:
                            con.execute("INSERT INTO dataset_drafts (dataset_id, base_version, kind, row_id, "
                                        "column_name, value, updated) VALUES (?, ?, 'cell', ?, ?, ?, "
                                        "current_timestamp)", [ds.dataset_id, expected, next_id, column, text])
                    next_id += 1
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            return self._draft_info(con, ds.dataset_id)

    def discard_draft(self, key: str) -> None:
        """Forget the unsaved edits of a dataset."""
        with self.connect() as con:
            con.execute("DELETE FROM dataset_drafts WHERE dataset_id = ?", [self._get(con, key).dataset_id])

    def save_draft(self, key: str) -> Dataset:
        """Save the draft as a new version of the dataset (from the version the edits were made on)."""
        with self._changing(key, allow_draft=True) as (con, ds):
            draft = self._draft_info(con, ds.dataset_id)
            if draft is None:
                raise UserError("There are no unsaved edits to save.", key="data.error.no_draft")
            table = self._version_table(con, ds, draft.base_version)
            view, args, described = self._view(con, ds.dataset_id, table, True)
            columns = ", ".join(_quote_identifier(c) for c, _ in described)
            change = {"code": "edited", "cells": draft.cells, "deleted": draft.deleted, "added": draft.added}
            if draft.base_version != ds.version:
                change["base_version"] = draft.base_version
            new = self._new_version(con, ds, change, base_version=draft.base_version,
                                    select=f"SELECT {columns} FROM ({view}) v ORDER BY v.{_quote_identifier(ROW_ID)}",
                                    args=args)
            con.execute("DELETE FROM dataset_drafts WHERE dataset_id = ?", [ds.dataset_id])
            return new

    # -- column tools (each one saves a new version) ---------------------------------------------------

    def add_column(self, key: str, name: str, value: object = None, kind: str = "text") -> Dataset:
        """Add a column holding ``value`` in every row (missing when None)."""
        name = _clean_column_name(name)
        with self._changing(key) as (con, ds):
            described = _describe(con, ds.table_name)
            _check_new_name(name, described)
            sql_type = KIND_TYPES.get(kind)
            if sql_type is None:
                raise UserError(f"Unknown column kind '{kind}'.", key="data.error.bad_kind", params={"kind": kind})
            text = _canonical_value(con, value, sql_type, name)
            select = (f"SELECT *, CAST(? AS {sql_type}) AS {_quote_identifier(name)} FROM {ds.table_name} "
                      "ORDER BY rowid")
            return self._new_version(con, ds, {"code": "add_column", "column": name}, select=select, args=[text])

    def rename_column(self, key: str, old: str, new: str) -> Dataset:
        new = _clean_column_name(new)
        with self._changing(key) as (con, ds):
            described = _describe(con, ds.table_name)
            _check_columns([old], described, ds.name)
            if new.lower() != old.lower():
                _check_new_name(new, described)
            select = ", ".join(f"{_quote_identifier(c)} AS {_quote_identifier(new if c == old else c)}"
                               for c, _ in described)
            return self._new_version(con, ds, {"code": "rename_column", "old": old, "new": new},
                                     select=f"SELECT {select} FROM {ds.table_name} ORDER BY rowid",
                                     renames={old: new})

    def drop_columns(self, key: str, columns: list[str]) -> Dataset:
        with self._changing(key) as (con, ds):
            described = _describe(con, ds.table_name)
            _check_columns(columns, described, ds.name)
            kept = [c for c, _ in described if c not in set(columns)]
            if not kept:
                raise UserError("A dataset needs at least one column: keep one.", key="data.error.no_columns")
            select = ", ".join(_quote_identifier(c) for c in kept)
            return self._new_version(con, ds, {"code": "drop_columns", "columns": list(columns)},
                                     select=f"SELECT {select} FROM {ds.table_name} ORDER BY rowid")

    def fill_missing(self, key: str, column: str, method: str, value: object = None) -> Dataset:
        """Fill the missing values of ``column`` with a constant, or its mean, median or most common value."""
        with self._changing(key) as (con, ds):
            described = _describe(con, ds.table_name)
            _check_columns([column], described, ds.name)
            sql_type = dict(described)[column]
            q = _quote_identifier(column)
            missing = con.execute(f"SELECT count(*) FILTER (WHERE {q} IS NULL) FROM {ds.table_name}").fetchone()[0]
            if missing == 0:
                raise UserError(f"Column '{column}' has no missing values.", key="data.error.nothing_missing",
                                params={"column": column})
            args: list = []
            if method == "constant":
                text = _canonical_value(con, value, sql_type, column)
                if text is None:
                    raise UserError("Type the value to fill in.", key="data.error.need_value")
                fill, args = f"CAST(? AS {_safe_type(sql_type)})", [text]
            elif method in {"mean", "median"}:
                if _family(sql_type) not in {"integer", "float"}:
                    raise UserError(f"The {method} needs numbers, and '{column}' is not a number column. "
                                    "Use the most common value or a constant.", key="data.error.fill_needs_numbers",
                                    params={"column": column})
                fill = f"(SELECT {'avg' if method == 'mean' else 'median'}({q}) FROM {ds.table_name})"
                if _family(sql_type) == "integer":
                    # Keep whole numbers whole: a mean of 2.5 in a count column is filled as 3 (rounded).
                    fill = f"CAST(round({fill}) AS {_safe_type(sql_type)})"
            elif method == "mode":
                fill = f"(SELECT mode({q}) FROM {ds.table_name})"
            else:
                raise UserError(f"Unknown way to fill '{method}': use constant, mean, median or mode.",
                                key="data.error.bad_fill", params={"method": method})
            select = f"SELECT * REPLACE (coalesce({q}, {fill}) AS {q}) FROM {ds.table_name} ORDER BY rowid"
            change = {"code": "fill_missing", "column": column, "method": method, "count": int(missing)}
            return self._new_version(con, ds, change, select=select, args=args)

    def find_replace(self, key: str, find: str, replace_with: str | None, *, columns: list[str] | None = None,
                     whole_cell: bool = False) -> tuple[Dataset, int]:
        """Replace ``find`` by ``replace_with`` in text columns (or the chosen ones); with ``whole_cell`` only
        cells equal to ``find`` change (in any column type), and an empty replacement makes them missing.
        Returns the new version and how many cells changed."""
        if find is None or find == "":
            raise UserError("Type the text to find.", key="data.error.need_find")
        replace_with = replace_with or ""
        with self._changing(key) as (con, ds):
            described = _describe(con, ds.table_name)
            types = dict(described)
            if columns:
                _check_columns(columns, described, ds.name)
                chosen = list(columns)
            else:
                chosen = [c for c, t in described if _family(t) == "text" or whole_cell]
            expressions, counts, args, count_args = {}, [], [], []
            for c in chosen:
                q = _quote_identifier(c)
                family = _family(types[c])
                if whole_cell:
                    new_value = None if replace_with == "" else _canonical_value(con, replace_with, types[c], c)
                    match = f"CAST({q} AS VARCHAR) = ?"
                    expressions[c] = (f"CASE WHEN {match} THEN CAST(? AS {_safe_type(types[c])}) ELSE {q} END", [find, new_value])
                    counts.append(f"count(*) FILTER (WHERE {match})")
                    count_args.append(find)
                elif family == "text":
                    expressions[c] = (f"replace({q}, ?, ?)", [find, replace_with])
                    counts.append(f"count(*) FILTER (WHERE contains({q}, ?))")
                    count_args.append(find)
                else:
                    raise UserError(f"Column '{c}' is not text: tick 'whole cell' to replace its values.",
                                    key="data.error.replace_not_text", params={"column": c})
            changed = sum(con.execute(f"SELECT {', '.join(counts)} FROM {ds.table_name}", count_args).fetchone()) \
                if counts else 0
            if not changed:
                raise UserError(f"'{find}' was not found, so nothing changed.", key="data.error.not_found",
                                params={"find": find})
            replaces = []
            for c, (expr, expr_args) in expressions.items():
                replaces.append(f"{expr} AS {_quote_identifier(c)}")
                args += expr_args
            select = f"SELECT * REPLACE ({', '.join(replaces)}) FROM {ds.table_name} ORDER BY rowid"
            change = {"code": "find_replace", "find": find, "replace": replace_with, "count": int(changed)}
            return self._new_version(con, ds, change, select=select, args=args), int(changed)

    def derive_date_parts(self, key: str, column: str, parts: list[str]) -> Dataset:
        """Add columns with the year, month, day, weekday (Monday = 1) or hour of a date column."""
        with self._changing(key) as (con, ds):
            described = _describe(con, ds.table_name)
            _check_columns([column], described, ds.name)
            if _family(dict(described)[column]) != "datetime":
                raise UserError(f"Column '{column}' does not hold dates. Change its type to date/time first.",
                                key="data.error.not_dates", params={"column": column})
            unknown = [p for p in parts if p not in DATE_PART_SQL]
            if unknown or not parts:
                raise UserError("Choose date parts among year, month, day, weekday and hour.",
                                key="data.error.bad_parts")
            q = _quote_identifier(column)
            taken = [c for c, _ in described]
            extra = []
            for part in parts:
                name = _free_name(f"{column}_{part}", taken)
                taken.append(name)
                extra.append(f"{DATE_PART_SQL[part].format(c=q)} AS {_quote_identifier(name)}")
            select = f"SELECT *, {', '.join(extra)} FROM {ds.table_name} ORDER BY rowid"
            return self._new_version(con, ds, {"code": "date_parts", "column": column, "parts": list(parts)},
                                     select=select)

    def drop_duplicates(self, key: str, columns: list[str] | None = None) -> tuple[Dataset, int]:
        """Keep the first of each group of identical rows (identical in ``columns``, or in all columns)."""
        with self._changing(key) as (con, ds):
            described = _describe(con, ds.table_name)
            chosen = list(columns) if columns else [c for c, _ in described]
            _check_columns(chosen, described, ds.name)
            group = ", ".join(_quote_identifier(c) for c in chosen)
            firsts = f"SELECT min(rowid) FROM {ds.table_name} GROUP BY {group}"
            duplicates = con.execute(f"SELECT (SELECT count(*) FROM {ds.table_name}) - (SELECT count(*) FROM "
                                     f"({firsts}))").fetchone()[0]
            if duplicates == 0:
                raise UserError("There are no duplicate rows.", key="data.error.no_duplicates")
            # GROUP BY, not a window with QUALIFY: DuckDB 2.0 fails internally on the window form in a CTAS.
            select = f"SELECT * FROM {ds.table_name} WHERE rowid IN ({firsts}) ORDER BY rowid"
            new = self._new_version(con, ds, {"code": "drop_duplicates", "count": int(duplicates)}, select=select)
            return new, int(duplicates)

    # -- export ----------------------------------------------------------------------------------

    def export(self, key: str, fmt: str, version: int | None = None, target: Path | None = None) -> Path:
        """Write the dataset to a file: ``csv`` (UTF-8 with a BOM, so Excel shows Korean text), ``xlsx`` or
        ``parquet``. Rows stream from DuckDB, never all in memory. The file goes to ``target`` (the CLI's
        ``--out``) or to a generated name in this user's ``exports`` directory."""
        if fmt not in EXPORT_FORMATS:
            raise UserError(f"Unknown export format '{fmt}': use csv, xlsx or parquet.",
                            key="data.error.bad_format", params={"format": fmt})
        out_dir = paths.user_dir(self.username, self.root) / "exports"
        out_dir.mkdir(parents=True, exist_ok=True)
        if target is None:
            target = out_dir / f"export_{_new_id()}.{fmt}"
        else:
            target = Path(target)
            target.parent.mkdir(parents=True, exist_ok=True)
        with self.connect() as con:
            ds = self._get(con, key)
            table = self._version_table(con, ds, version)
            rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            query = f"SELECT * FROM {table} ORDER BY rowid"
            try:
                if fmt == "parquet":
                    con.execute(f"COPY ({query}) TO ? (FORMAT parquet)", [str(target)])
                elif fmt == "csv":
                    body = out_dir / f"export_{_new_id()}.body"
                    try:
                        con.execute(f"COPY ({query}) TO ? (FORMAT csv, HEADER true, DELIMITER ',')", [str(body)])
                        with open(target, "wb") as out, open(body, "rb") as src:
                            out.write(codecs.BOM_UTF8)
                            shutil.copyfileobj(src, out, STAGE_CHUNK_BYTES)
                    finally:
                        body.unlink(missing_ok=True)
                else:
                    if rows > EXCEL_MAX_ROWS:
                        raise UserError(f"Excel holds at most {EXCEL_MAX_ROWS:,} rows and this dataset has "
                                        f"{rows:,}. Download it as CSV or Parquet instead.",
                                        key="data.error.too_many_for_excel",
                                        params={"max": EXCEL_MAX_ROWS, "rows": rows})
                    _write_xlsx(con.execute(query), target, ds.name)
            except BaseException:
                target.unlink(missing_ok=True)
                raise
        return target

    def open_export(self, key: str, fmt: str, version: int | None = None) -> BinaryIO:
        """`export` as an open file whose directory entry is already gone (it vanishes once read)."""
        path = self.export(key, fmt, version)
        handle = open(path, "rb")
        path.unlink(missing_ok=True)
        return handle

    # -- runs -----------------------------------------------------------------------------------

    def add_run(self, *, run_id: str, dataset: Dataset, target: str, task: str, model: str, status: str,
                metric: str | None, metrics: dict, settings: dict, fit_seconds: float | None,
                fold_metrics: list[tuple[int, str, str, float]] = (), error: str | None = None) -> None:
        """Record a run, replacing the pending row of the same id if the job runner created one."""
        with self.connect() as con:
            con.execute("BEGIN TRANSACTION")
            con.execute("DELETE FROM fold_metrics WHERE run_id = ?", [run_id])
            con.execute(
                "INSERT OR REPLACE INTO runs (run_id, dataset_id, dataset_version, target, task, model, status, "
                "metric, metrics, settings, fit_seconds, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [run_id, dataset.dataset_id, dataset.version, target, task, model, status, metric,
                 json.dumps(metrics), json.dumps(settings, default=str), fit_seconds, error])
            if fold_metrics:
                con.executemany("INSERT INTO fold_metrics VALUES (?, ?, ?, ?, ?)",
                                [(run_id, int(f), s, m, _float_or_none(v)) for f, s, m, v in fold_metrics])
            con.execute("COMMIT")

    def add_pending_runs(self, run_ids: dict[str, str], *, dataset: Dataset, target: str, task: str,
                         settings: dict) -> None:
        """Rows for the runs a queued job will produce (``run_ids`` maps model key to run id)."""
        with self.connect() as con:
            con.executemany(
                "INSERT INTO runs (run_id, dataset_id, dataset_version, target, task, model, status, settings) "
                "VALUES (?, ?, ?, ?, ?, ?, 'queued', ?)",
                [(run_id, dataset.dataset_id, dataset.version, target, task, model,
                  json.dumps(dict(settings, model=model), default=str)) for model, run_id in run_ids.items()])

    def set_runs_status(self, run_ids: list[str], status: str, error: str | None = None) -> None:
        """Move unfinished runs to ``status`` (running, cancelled, failed...); finished runs are left alone."""
        with self.connect() as con:
            con.executemany("UPDATE runs SET status = ?, error = coalesce(?, error) WHERE run_id = ? "
                            "AND status IN ('queued', 'running')", [(status, error, r) for r in run_ids])

    def mark_unfinished_runs(self, status: str = "interrupted") -> int:
        """After a server restart: every run still queued or running can no longer finish."""
        with self.connect() as con:
            n = con.execute("SELECT count(*) FROM runs WHERE status IN ('queued', 'running')").fetchone()[0]
            if n:
                con.execute("UPDATE runs SET status = ?, error = 'the server restarted before it finished' "
                            "WHERE status IN ('queued', 'running')", [status])
        return int(n)

    def log_event(self, kind: str, detail: str, outcome: str = "ok") -> None:
        """One line of the user's history: what they did (upload, edit, train, predict, delete) and how it went."""
        with self.connect() as con:
            _log(con, kind, detail, outcome)

    def events(self, limit: int = 200) -> pd.DataFrame:
        with self.connect() as con:
            return con.execute("SELECT logged_at, kind, detail, outcome FROM events ORDER BY logged_at DESC LIMIT ?",
                               [int(limit)]).df()

    def add_run_details(self, run_id: str, *, importance: list[dict] = (), learning_curve: dict | None = None,
                        oof: pd.DataFrame | None = None) -> None:
        """Store what explains a run: importance per column, the learning curve, out-of-fold predictions."""
        with self.connect() as con:
            con.execute("BEGIN TRANSACTION")
            if importance:
                con.executemany("INSERT INTO run_importance VALUES (?, ?, ?, ?, ?)",
                                [(run_id, r["feature"], _float_or_none(r.get("model_importance")),
                                  _float_or_none(r.get("permutation_mean")), _float_or_none(r.get("permutation_std")))
                                 for r in importance])
            if learning_curve:
                rows = [(run_id, i, split, learning_curve.get("metric"), _float_or_none(v))
                        for split in ("train", "valid") for i, v in enumerate(learning_curve.get(split) or [])]
                if rows:
                    con.executemany("INSERT INTO learning_curves VALUES (?, ?, ?, ?, ?)", rows)
            if oof is not None and len(oof):
                table = _oof_table(run_id)
                con.register("incoming_oof", oof)
                con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM incoming_oof")
                con.unregister("incoming_oof")
            con.execute("COMMIT")

    def importance(self, run_id: str) -> pd.DataFrame:
        with self.connect() as con:
            return con.execute("SELECT feature, model_importance, permutation_mean, permutation_std "
                               "FROM run_importance WHERE run_id = ? ORDER BY permutation_mean DESC NULLS LAST, "
                               "model_importance DESC NULLS LAST", [run_id]).df()

    def learning_curve(self, run_id: str) -> pd.DataFrame:
        with self.connect() as con:
            return con.execute("SELECT step, split, metric, value FROM learning_curves WHERE run_id = ? "
                               "ORDER BY split, step", [run_id]).df()

    def oof_predictions(self, run_id: str) -> pd.DataFrame:
        """Each training row's validation prediction (row, fold, y_true, y_pred, proba_<code>...)."""
        table = _oof_table(run_id)
        with self.connect() as con:
            if not con.execute("SELECT 1 FROM information_schema.tables WHERE table_name = ?", [table]).fetchone():
                return pd.DataFrame()
            return con.execute(f"SELECT * FROM {table} ORDER BY row").df()

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

    def fold_metrics_of(self, run_ids: list[str]) -> pd.DataFrame:
        """Per-fold metrics of many runs in one query (run_id, fold, split, metric, value)."""
        with self.connect() as con:
            return con.execute("SELECT run_id, fold, split, metric, value FROM fold_metrics "
                               "WHERE list_contains(?, run_id) ORDER BY run_id, fold, split, metric",
                               [list(run_ids)]).df()

    def delete_run(self, run_id: str) -> None:
        """Remove a run for good: its rows, its out-of-fold predictions and its model bundle."""
        table = _oof_table(run_id)
        with self.connect() as con:
            if not con.execute("SELECT 1 FROM runs WHERE run_id = ?", [run_id]).fetchone():
                raise RunNotFound(f"There is no run '{run_id}'. List your runs to find its id.",
                                  key="runs.error.no_run", params={"run": run_id})
            con.execute("BEGIN TRANSACTION")
            try:
                for meta in ("fold_metrics", "run_importance", "learning_curves", "active_runs", "runs"):
                    con.execute(f"DELETE FROM {meta} WHERE run_id = ?", [run_id])
                con.execute(f"DROP TABLE IF EXISTS {table}")
                _log(con, "delete", f"run {run_id}")
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        bundles.delete_bundle(self.username, run_id, self.root)

    def add_prediction(self, *, run_id: str, source: str | None, rows: int,
                       output_dataset_id: str | None) -> str:
        prediction_id = _new_id()
        with self.connect() as con:
            con.execute("INSERT INTO predictions (prediction_id, run_id, source, rows, output_dataset_id) "
                        "VALUES (?, ?, ?, ?, ?)", [prediction_id, run_id, source, rows, output_dataset_id])
            _log(con, "predict", f"{rows:,} row(s){f' of {source}' if source else ''} with run {run_id}")
        return prediction_id

    def predictions(self) -> pd.DataFrame:
        with self.connect() as con:
            return con.execute("SELECT prediction_id, run_id, source, rows, output_dataset_id, created "
                               "FROM predictions ORDER BY created DESC").df()

    def set_active_run(self, dataset_id: str, run_id: str) -> None:
        """Make ``run_id`` the model used by default to predict for its dataset (one per dataset)."""
        with self.connect() as con:
            ds = self._get(con, dataset_id)
            row = con.execute("SELECT dataset_id, status FROM runs WHERE run_id = ?", [run_id]).fetchone()
            if row is None:
                raise RunNotFound(f"There is no run '{run_id}'. List your runs to find its id.",
                                  key="runs.error.no_run", params={"run": run_id})
            if row[0] != ds.dataset_id or row[1] != "finished":
                raise UserError(f"Run '{run_id}' is not a finished run of dataset '{ds.name}', so it cannot be its "
                                "active model. Pick a finished run trained on this dataset.",
                                key="predict.error.not_activatable", params={"run": run_id, "name": ds.name})
            con.execute("INSERT OR REPLACE INTO active_runs (dataset_id, run_id, updated) "
                        "VALUES (?, ?, current_timestamp)", [ds.dataset_id, run_id])

    def active_run(self, dataset_id: str) -> str | None:
        """The run marked active for the dataset, if it is still there and finished; else None."""
        with self.connect() as con:
            ds = self._get(con, dataset_id)
            row = con.execute("SELECT a.run_id FROM active_runs a JOIN runs r ON r.run_id = a.run_id "
                              "WHERE a.dataset_id = ? AND r.status = 'finished'", [ds.dataset_id]).fetchone()
        return row[0] if row else None


def _log(con, kind: str, detail: str, outcome: str = "ok") -> None:
    """A line of the user's history, written in the same transaction as the change it describes."""
    con.execute("INSERT INTO events (kind, detail, outcome) VALUES (?, ?, ?)", [kind, detail, outcome])


def _oof_table(run_id: str) -> str:
    if not run_id.isalnum():
        raise RunNotFound(f"'{run_id}' is not a run id.")
    return f"oof_{run_id}"


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


# -- datasets: constants, records and SQL helpers ---------------------------------------------------------

#: Row ids of rows added in a draft start here, so they sort after every stored row (rowids are < 2**62).
ADDED_ROW_BASE = 1 << 62
STAGED_MAX_AGE_SECONDS = 24 * 3600
STAGE_CHUNK_BYTES = 8 << 20
PREVIEW_READ_ROWS = 1000
PROFILE_SAMPLE_ROWS = 10_000
EXCEL_MAX_ROWS = 1_048_575
EXPORT_FORMATS = ("csv", "xlsx", "parquet")
#: The storage type of each kind of conversion (see `convert_expression`).
KIND_TYPES = {"text": "VARCHAR", "float": "DOUBLE", "integer": "BIGINT", "boolean": "BOOLEAN",
              "datetime": "TIMESTAMP"}
DATE_PART_SQL = {"year": "year({c})", "month": "month({c})", "day": "day({c})", "weekday": "isodow({c})",
                 "hour": "hour(CAST({c} AS TIMESTAMP))"}
#: Words read as yes / no (lower case), in English and Korean, including the O/X of Korean forms.
TRUE_WORDS = ("yes", "y", "true", "t", "1", "예", "네", "o", "ㅇ")
FALSE_WORDS = ("no", "n", "false", "f", "0", "아니오", "아니요", "x")
_SAFE_TYPE = re.compile(r"^[A-Z][A-Z0-9_ ]*(\(\d+(, ?\d+)?\))?$")
_DATASET_SELECT = (
    "SELECT d.dataset_id, d.name, v.version, v.rows, v.columns, d.source, d.created, v.table_name, i.size_bytes "
    "FROM datasets d JOIN dataset_versions v ON v.dataset_id = d.dataset_id AND v.version = d.current_version "
    "LEFT JOIN version_details i ON i.dataset_id = d.dataset_id AND i.version = d.current_version")


class DraftPending(UserError):
    """A change to a whole dataset was asked for while grid edits are still unsaved."""


@dataclass(frozen=True)
class Version:
    """One saved version of a dataset; ``change`` says what it changed ({"code": ..., params})."""

    version: int
    rows: int
    columns: int
    note: str | None
    change: dict
    size_bytes: int | None
    created: datetime
    current: bool


@dataclass(frozen=True)
class Draft:
    """Unsaved grid edits of a dataset: how many cells, deleted and added rows, made on ``base_version``."""

    base_version: int
    cells: int
    deleted: int
    added: int
    updated: datetime

    @property
    def changes(self) -> int:
        return self.cells + self.deleted + self.added


@dataclass(frozen=True)
class Filter:
    """A row filter: ``column`` ``op`` ``value``; op is one of `FILTER_OPS`."""

    column: str
    op: str
    value: object = None


FILTER_OPS = ("eq", "ne", "lt", "le", "gt", "ge", "contains", "starts", "missing", "present")
_COMPARE_SQL = {"eq": "=", "ne": "<>", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}


@dataclass(frozen=True)
class Page:
    """One page of a dataset: ``frame`` is indexed by row id; ``total`` counts the rows that pass the filters."""

    frame: pd.DataFrame
    total: int
    offset: int
    limit: int
    base_version: int
    columns: list[tuple[str, str]]
    draft: Draft | None


@dataclass(frozen=True)
class ColumnProfile:
    """Facts about one column, from which its type is inferred (see `core.types`).

    Counts are over all rows; the ``*_share`` facts and lengths are over the first
    `PROFILE_SAMPLE_ROWS` rows' present values. ``distinct`` is exact when it matters (near-unique columns).
    """

    name: str
    sql_type: str
    family: str
    rows: int
    present: int
    distinct: int
    minimum: str | None
    maximum: str | None
    mean_length: float | None
    mean_words: float | None
    token_share: float
    multi_token_share: float
    yes_no_share: float
    whole_numbers: bool | None


@dataclass(frozen=True)
class FilePreview:
    frame: pd.DataFrame
    report: files.FileReport
    profiles: list[ColumnProfile]


def describe_change(change: dict) -> str:
    """What a version changed, in English (pages translate ``change`` themselves)."""
    code = change.get("code")
    p = change
    texts = {
        "uploaded": lambda: f"uploaded {p.get('file', '')}".strip(),
        "created": lambda: "created",
        "branched": lambda: f"copied from {p.get('dataset')} version {p.get('version')}",
        "view": lambda: f"view of {p.get('dataset')}",
        "edited": lambda: f"edited {p.get('cells', 0)} cell(s), deleted {p.get('deleted', 0)} row(s), "
                          f"added {p.get('added', 0)} row(s)",
        "restored": lambda: f"restored version {p.get('version')}",
        "types": lambda: "column types: " + ", ".join(f"{c} → {t}" for c, t in p.get("columns", {}).items()),
        "add_column": lambda: f"added column '{p.get('column')}'",
        "rename_column": lambda: f"renamed column '{p.get('old')}' to '{p.get('new')}'",
        "drop_columns": lambda: "dropped column(s) " + ", ".join(f"'{c}'" for c in p.get("columns", [])),
        "fill_missing": lambda: f"filled {p.get('count')} missing value(s) in '{p.get('column')}' ({p.get('method')})",
        "find_replace": lambda: f"replaced '{p.get('find')}' with '{p.get('replace')}' in {p.get('count')} cell(s)",
        "date_parts": lambda: f"added {', '.join(p.get('parts', []))} of '{p.get('column')}'",
        "drop_duplicates": lambda: f"removed {p.get('count')} duplicate row(s)",
    }
    return texts[code]() if code in texts else str(code or "")


def _family(sql_type: str) -> str:
    """integer, float, boolean, datetime, text or other, for a DuckDB type name."""
    t = sql_type.upper()
    if t in {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
             "UBIGINT", "UHUGEINT"}:
        return "integer"
    if t in {"FLOAT", "DOUBLE", "REAL"} or t.startswith("DECIMAL"):
        return "float"
    if t == "BOOLEAN":
        return "boolean"
    if t == "DATE" or t.startswith("TIMESTAMP") or t == "TIME" or t == "DATETIME":
        return "datetime"
    if t == "VARCHAR":
        return "text"
    return "other"


def _safe_type(sql_type: str) -> str:
    # Type names come from DuckDB's DESCRIBE of our own tables; this keeps anything else out of the SQL.
    if not _SAFE_TYPE.fullmatch(sql_type.upper()):
        raise UserError(f"Columns of type {sql_type} cannot be edited here.", key="data.error.type_not_editable",
                        params={"type": sql_type})
    return sql_type.upper()


def _describe(con, table: str) -> list[tuple[str, str]]:
    return [(c, t) for c, t, *_ in con.execute(f"DESCRIBE {table}").fetchall()]


def _column_names(con, table: str) -> list[str]:
    return [c for c, _ in _describe(con, table)]


def _check_columns(columns: Iterable[str], described: list[tuple[str, str]], dataset_name: str) -> None:
    known = {c for c, _ in described}
    missing = [c for c in columns if c not in known]
    if missing:
        raise UserError(f"Dataset '{dataset_name}' has no column {', '.join(map(repr, missing))}.",
                        key="data.error.no_column", params={"name": dataset_name, "columns": ", ".join(missing)})


def _clean_column_name(name: str) -> str:
    name = " ".join(str(name or "").split())
    if not name:
        raise UserError("A column needs a name: type one.", key="data.error.column_name_blank")
    if name.lower() == files.ROW_ID or len(name) > 120:
        raise UserError(f"'{name[:40]}' cannot be a column name: choose another.",
                        key="data.error.column_name_reserved", params={"name": name[:40]})
    return name


def _check_new_name(name: str, described: list[tuple[str, str]]) -> None:
    if name.lower() in {c.lower() for c, _ in described}:
        raise UserError(f"There is already a column called '{name}': choose another name.",
                        key="data.error.column_exists", params={"column": name})


def _free_name(base: str, taken: list[str]) -> str:
    lower = {t.lower() for t in taken}
    name, n = base, 2
    while name.lower() in lower:
        name, n = f"{base}_{n}", n + 1
    return name


def _value_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def _canonical_value(con, value, sql_type: str, column: str) -> str | None:
    """``value`` as the text DuckDB casts back to ``sql_type`` exactly; a value that does not fit is an error."""
    text = _value_text(value)
    family = _family(sql_type)
    if text is None or family == "text":
        return text
    text = text.strip()
    if text == "":
        return None
    safe = _safe_type(sql_type)
    result = None
    if family == "integer":
        whole = con.execute("SELECT TRY_CAST(? AS DOUBLE)", [text.replace(",", "")]).fetchone()[0]
        if whole is not None and whole == round(whole):
            result = con.execute(f"SELECT CAST(TRY_CAST(? AS {safe}) AS VARCHAR)", [str(int(whole))]).fetchone()[0]
    elif family == "boolean":
        word = text.lower()
        result = "true" if word in TRUE_WORDS else "false" if word in FALSE_WORDS else None
    elif family == "datetime":
        result = con.execute(f"SELECT CAST(coalesce(TRY_CAST(? AS {safe}), TRY_CAST(TRY_CAST(? AS TIMESTAMP) AS "
                             f"{safe}), TRY_CAST(try_strptime(?, ?) AS {safe})) AS VARCHAR)",
                             [text, text.replace("Z", ""), text, list(files.DATE_FORMATS)]).fetchone()[0]
    else:
        result = con.execute(f"SELECT CAST(TRY_CAST(? AS {safe}) AS VARCHAR)", [text.replace(",", "")
                                                                                 if family == "float" else text]
                             ).fetchone()[0]
    if result is None:
        words = {"integer": "a whole number", "float": "a number", "boolean": "yes or no",
                 "datetime": "a date"}.get(family, sql_type)
        family = family if family in {"integer", "float", "boolean", "datetime"} else "other"
        raise UserError(f"'{text}' does not fit column '{column}', which holds {words}.",
                        key=f"data.error.bad_value_{family}", params={"value": text, "column": column})
    return result


def _filter_sql(con, filters: list[Filter], types: dict[str, str], alias: str) -> tuple[str, list]:
    clauses, args = [], []
    for f in filters:
        if f.column not in types:
            raise UserError(f"There is no column '{f.column}' to filter on.", key="data.error.no_column",
                            params={"name": "", "columns": f.column})
        q = f"{alias}.{_quote_identifier(f.column)}"
        if f.op == "missing":
            clauses.append(f"{q} IS NULL")
        elif f.op == "present":
            clauses.append(f"{q} IS NOT NULL")
        elif f.op in {"contains", "starts"}:
            text = _value_text(f.value)
            if not text:
                raise UserError(f"Type a value for the filter on '{f.column}'.", key="data.error.filter_value",
                                params={"column": f.column})
            function = "contains" if f.op == "contains" else "starts_with"
            clauses.append(f"{function}(lower(CAST({q} AS VARCHAR)), lower(?))")
            args.append(text)
        elif f.op in _COMPARE_SQL:
            sql_type = types[f.column]
            text = _value_text(f.value)
            if _family(sql_type) != "text":
                text = _canonical_value(con, f.value, sql_type, f.column)
            if text is None:
                raise UserError(f"Type a value for the filter on '{f.column}'.", key="data.error.filter_value",
                                params={"column": f.column})
            cast = "?" if _family(sql_type) == "text" else f"CAST(? AS {_safe_type(sql_type)})"
            clauses.append(f"{q} {_COMPARE_SQL[f.op]} {cast}")
            args.append(text)
        else:
            raise UserError(f"Unknown filter '{f.op}'.", key="data.error.bad_filter", params={"op": f.op})
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", args


def convert_expression(column: str, sql_type: str, kind: str) -> str:
    """SQL that converts ``column`` (of ``sql_type``) to ``kind`` (a key of `KIND_TYPES`); values that do
    not fit become NULL, so callers count them first. Raises `UserError` for conversions that make no sense."""
    q = _quote_identifier(column)
    family = _family(sql_type)
    trimmed = f"trim(CAST({q} AS VARCHAR))"
    formats = "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in files.DATE_FORMATS) + "]"
    true_words = ", ".join(f"'{w}'" for w in TRUE_WORDS)
    false_words = ", ".join(f"'{w}'" for w in FALSE_WORDS)
    if kind == "text":
        return q if family == "text" else f"CAST({q} AS VARCHAR)"
    if kind == "float":
        if family == "float":
            return q
        if family in {"integer", "boolean"}:
            return f"CAST(CAST({q} AS INTEGER) AS DOUBLE)" if family == "boolean" else f"CAST({q} AS DOUBLE)"
        if family == "text":
            return f"TRY_CAST({trimmed} AS DOUBLE)"
    if kind == "integer":
        if family == "integer":
            return q
        if family == "boolean":
            return f"CAST({q} AS BIGINT)"
        if family in {"float", "text"}:
            number = f"TRY_CAST({trimmed} AS DOUBLE)" if family == "text" else q
            return f"CASE WHEN {number} = round({number}) THEN CAST({number} AS BIGINT) END"
    if kind == "boolean":
        if family == "boolean":
            return q
        if family in {"integer", "float", "text"}:
            word = f"lower({trimmed})"
            return f"CASE WHEN {word} IN ({true_words}) THEN true WHEN {word} IN ({false_words}) THEN false END"
    if kind == "datetime":
        if family == "datetime":
            return q
        if family == "text":
            return f"coalesce(TRY_CAST({trimmed} AS TIMESTAMP), try_strptime({trimmed}, {formats}))"
    words = {"float": "numbers", "integer": "whole numbers", "boolean": "yes/no values", "datetime": "dates",
             "text": "text"}.get(kind, kind)
    raise UserError(f"Column '{column}' cannot be turned into {words}.", key="data.error.cannot_convert",
                    params={"column": column})


def _converted_select(con, table: str, described: list[tuple[str, str]], casts: dict[str, str],
                      strict: bool) -> str:
    types = dict(described)
    replacements = []
    for column, kind in casts.items():
        if kind not in KIND_TYPES:
            raise UserError(f"Unknown column kind '{kind}'.", key="data.error.bad_kind", params={"kind": kind})
        expr = convert_expression(column, types[column], kind)
        q = _quote_identifier(column)
        if expr == q:
            continue
        misfit = f"{q} IS NOT NULL AND ({expr}) IS NULL"
        count = con.execute(f"SELECT count(*) FILTER (WHERE {misfit}) FROM {table}").fetchone()[0]
        if count and strict:
            examples = [v for (v,) in con.execute(f"SELECT DISTINCT CAST({q} AS VARCHAR) FROM {table} "
                                                  f"WHERE {misfit} LIMIT 3").fetchall()]
            shown = ", ".join(f"'{v}'" for v in examples)
            raise UserError(f"{count:,} value(s) of '{column}' do not fit the new type (for example {shown}). "
                            "Fix them with Find and replace, or let them become missing, and try again.",
                            key="data.error.values_do_not_fit",
                            params={"count": count, "column": column, "examples": shown})
        replacements.append(f"{expr} AS {q}")
    if not replacements:
        return f"SELECT * FROM {table} ORDER BY rowid"
    return f"SELECT * REPLACE ({', '.join(replacements)}) FROM {table} ORDER BY rowid"


def _convert_in_place(con, table: str, casts: dict[str, str], strict: bool) -> None:
    """Rebuild a table that is being created (inside the caller's transaction) with converted columns."""
    described = _describe(con, table)
    _check_columns(casts, described, "")
    select = _converted_select(con, table, described, casts, strict)
    con.execute(f"CREATE TABLE {table}_converted AS {select}")
    con.execute(f"DROP TABLE {table}")
    con.execute(f"ALTER TABLE {table}_converted RENAME TO {table}")


def _estimated_size(con, table: str, rows: int) -> int:
    """About how many bytes the rows take as CSV text (from the first thousand rows)."""
    if not rows:
        return 0
    columns = _column_names(con, table)
    parts = ", ".join(f"CAST({_quote_identifier(c)} AS VARCHAR)" for c in columns)
    # LIMIT, not a rowid range: inside a transaction, rows not yet committed have rowids from 2**62 up.
    mean = con.execute(f"SELECT avg(length(concat_ws(',', {parts})) + 1) FROM (SELECT * FROM {table} "
                       "LIMIT 1000)").fetchone()[0]
    return int((mean or 0) * rows)


def profile_table(con, table: str) -> list[ColumnProfile]:
    """A `ColumnProfile` of every column of ``table``, from a few aggregate queries in DuckDB."""
    described = _describe(con, table)
    if not described:
        return []
    overall = []
    for c, _ in described:
        q = _quote_identifier(c)
        overall += [f"count({q})", f"approx_count_distinct({q})", f"CAST(min({q}) AS VARCHAR)",
                    f"CAST(max({q}) AS VARCHAR)"]
    totals = con.execute(f"SELECT count(*), {', '.join(overall)} FROM {table}").fetchone()
    rows = totals[0]
    tokens = r"'^\s*-?\d+(\.\d+)?(\s+-?\d+(\.\d+)?)*\s*$'"
    multi = r"'^\s*-?\d+(\.\d+)?(\s+-?\d+(\.\d+)?)+\s*$'"
    words = ", ".join(f"'{w}'" for w in TRUE_WORDS + FALSE_WORDS)
    sampled = []
    for c, t in described:
        q = _quote_identifier(c)
        text = f"CAST({q} AS VARCHAR)"
        family = _family(t)
        sampled += [f"count({q})",
                    f"avg(length({text}))" if family == "text" else "NULL",
                    f"avg(length({text}) - length(replace({text}, ' ', '')) + 1)" if family == "text" else "NULL",
                    f"count(*) FILTER (WHERE regexp_matches({text}, {tokens}))" if family == "text" else "0",
                    f"count(*) FILTER (WHERE regexp_matches({text}, {multi}))" if family == "text" else "0",
                    f"count(*) FILTER (WHERE lower(trim({text})) IN ({words}))",
                    f"bool_and({q} = round({q}))" if family == "float" else "NULL"]
    facts = con.execute(f"SELECT {', '.join(sampled)} FROM (SELECT * FROM {table} "
                        f"LIMIT {PROFILE_SAMPLE_ROWS})").fetchone()
    profiles = []
    near_unique = []
    for i, (c, t) in enumerate(described):
        present, distinct, low, high = totals[1 + 4 * i: 5 + 4 * i]
        s_present, mean_length, mean_words, token, multi_token, yes_no, whole = facts[7 * i: 7 * i + 7]
        share = (lambda n: n / s_present if s_present else 0.0)
        profiles.append(ColumnProfile(c, t, _family(t), rows, present, min(distinct, present), low, high,
                                      mean_length, mean_words, share(token), share(multi_token), share(yes_no),
                                      whole))
        if present and distinct >= 0.9 * present:
            near_unique.append(i)
    if near_unique:
        exact = con.execute("SELECT " + ", ".join(f"count(DISTINCT {_quote_identifier(described[i][0])})"
                                                  for i in near_unique) + f" FROM {table}").fetchone()
        for i, n in zip(near_unique, exact):
            profiles[i] = replace(profiles[i], distinct=int(n))
    return profiles


def _sheet_title(name: str) -> str:
    title = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:31]
    return title or "data"


def _write_xlsx(cursor, target: Path, name: str) -> None:
    """Stream the rows of ``cursor`` into a write-only workbook (one sheet)."""
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(name))
    sheet.append([d[0] for d in cursor.description])

    def cell(value):
        if isinstance(value, float) and math.isnan(value):
            return None
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)
        if isinstance(value, str):
            return ILLEGAL_CHARACTERS_RE.sub("", value)
        if value is None or isinstance(value, (int, float, bool, date, datetime)):
            return value
        return str(value)

    while batch := cursor.fetchmany(10_000):
        for row in batch:
            sheet.append([cell(v) for v in row])
    workbook.save(target)
