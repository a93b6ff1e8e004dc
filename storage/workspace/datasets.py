"""Datasets: registering a new table, finding, listing, loading, renaming and deleting datasets."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from storage.db import compact
from storage.errors import UserError
from storage.sql import describe_table, new_id, quote_identifier, split_table_name, table_name, transaction
from storage.users import ensure_storage_room
from storage.workspace.columns import check_columns, estimated_size, table_columns, unshadow_row_id
from storage.workspace.history import write_event
from storage.workspace.records import Dataset, DatasetNotFound

if TYPE_CHECKING:
    import pandas as pd

_DATASET_SELECT = (
    "SELECT d.dataset_id, d.name, v.version, v.rows, v.columns, d.source, d.created, v.table_name, i.size_bytes "
    "FROM datasets d JOIN dataset_versions v ON v.dataset_id = d.dataset_id AND v.version = d.current_version "
    "LEFT JOIN version_details i ON i.dataset_id = d.dataset_id AND i.version = d.current_version")


def clean_dataset_name(name: str) -> str:
    """A dataset name with its spaces tidied; a blank or overlong one is an error."""
    name = " ".join(str(name).split())
    if not name:
        raise UserError("A dataset needs a name: type one and try again.")
    if len(name) > 120:
        raise UserError("That dataset name is too long: use at most 120 characters.")
    return name


class DatasetsMixin:
    """The datasets of a workspace.

    A dataset is a list of versions; each version is a table written once (``ds_<id>_v<n>``) and never
    changed, so its DuckDB ``rowid`` is a stable row id for paging and for draft edits. A version that
    only changes metadata (restore, column types) points at an earlier version's table.
    """

    def _unique_name(self, con, name: str, exclude: str | None = None) -> str:
        base, n = name, 1
        while con.execute("SELECT 1 FROM datasets WHERE lower(name) = lower(?) AND dataset_id IS DISTINCT FROM ?",
                          [name, exclude]).fetchone():
            n += 1
            name = f"{base} ({n})"
        return name

    def _ensure_room(self, con, table: str, rows: int) -> int:
        """The size of a table just made in the caller's transaction; raises `QuotaExceeded` (so the
        transaction rolls back and nothing is kept) when keeping it would pass the user's storage quota."""
        size = estimated_size(con, table, rows)
        ensure_storage_room(self.username, size, self.root)
        return size

    def register_table(self, con, dataset_id: str, name: str, source: str | None, table: str, note: str,
                       *, change: dict | None = None, size: int | None = None) -> Dataset:
        """Make ``table`` (named by `storage.sql.table_name` for version 1) a new dataset, in the caller's
        transaction; ``name`` is made unique. A column named like the row id is renamed (`unshadow_row_id`).
        Without ``size`` (an upload's, checked before reading the file), the table must fit the user's storage
        quota (else `QuotaExceeded`)."""
        unshadow_row_id(con, table)
        rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        size = self._ensure_room(con, table, rows) if size is None else size
        columns = len(table_columns(con, table))
        name = self._unique_name(con, name)
        con.execute("INSERT INTO datasets (dataset_id, name, current_version, source) VALUES (?, ?, 1, ?)",
                    [dataset_id, name, source])
        con.execute("INSERT INTO dataset_versions (dataset_id, version, table_name, rows, columns, note) "
                    "VALUES (?, 1, ?, ?, ?, ?)", [dataset_id, table, rows, columns, note])
        con.execute("INSERT INTO version_details (dataset_id, version, size_bytes, change) VALUES (?, 1, ?, ?)",
                    [dataset_id, size,
                     json.dumps(change or {"code": note}, ensure_ascii=False, default=str)])
        write_event(con, "upload" if note == "uploaded" else "edit",
                    f"'{name}' ({rows:,} × {columns}){f' from {source}' if source else ''}")
        return self._get(con, dataset_id)

    def save_frame(self, frame: pd.DataFrame, name: str, source: str | None = None, *,
                   note: str = "created") -> Dataset:
        """Store a pandas frame as a new dataset (samples, predictions, small edits, blank tables)."""
        name = clean_dataset_name(name)
        if frame.shape[1] == 0:
            raise UserError("The table has no columns: add at least one column.", key="data.error.no_columns")
        dataset_id = new_id()
        table = table_name(dataset_id, 1)
        with self.connect() as con:
            con.register("incoming_frame", frame)
            try:
                with transaction(con):
                    con.execute(f"CREATE TABLE {table} AS SELECT * FROM incoming_frame")
                    dataset = self.register_table(con, dataset_id, name, source, table, note)
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
                check_columns(columns, describe_table(con, table), ds.name)
                select = ", ".join(quote_identifier(c) for c in columns)
            sql = f"SELECT {select} FROM {table} ORDER BY rowid"
            if limit is not None:
                return con.execute(sql + " LIMIT ?", [int(limit)]).df()
            return con.execute(sql).df()

    def column_names(self, key: str) -> list[str]:
        with self.connect() as con:
            ds = self._get(con, key)
            return table_columns(con, ds.table_name)

    def delete_dataset(self, key: str) -> None:
        """Drop every version of a dataset, then give the space back to the disk (`storage.db.compact`)."""
        with self.connect() as con:
            ds = self._get(con, key)
            tables = {t for (t,) in con.execute("SELECT table_name FROM dataset_versions WHERE dataset_id = ?",
                                                 [ds.dataset_id]).fetchall()}
            with transaction(con):
                for t in sorted(tables):
                    con.execute(f"DROP TABLE IF EXISTS {table_name(*split_table_name(t))}")
                for meta in ("dataset_versions", "version_details", "column_types", "dataset_drafts"):
                    con.execute(f"DELETE FROM {meta} WHERE dataset_id = ?", [ds.dataset_id])
                con.execute("DELETE FROM datasets WHERE dataset_id = ?", [ds.dataset_id])
                write_event(con, "delete", f"dataset '{ds.name}'")
        compact(self.path)

    def rename_dataset(self, key: str, new_name: str) -> Dataset:
        """Give a dataset another name (names are unique per user, ignoring case)."""
        new_name = clean_dataset_name(new_name)
        with self.connect() as con:
            ds = self._get(con, key)
            if self._unique_name(con, new_name, exclude=ds.dataset_id) != new_name:
                raise UserError(f"You already have a dataset called '{new_name}': choose another name.",
                                key="data.error.name_taken", params={"name": new_name})
            con.execute("UPDATE datasets SET name = ? WHERE dataset_id = ?", [new_name, ds.dataset_id])
            write_event(con, "edit", f"renamed '{ds.name}' to '{new_name}'")
            return self._get(con, ds.dataset_id)
