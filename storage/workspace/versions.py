"""Versions of a dataset: adding one, restoring and branching, views, and the column types of each version."""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from storage.errors import UserError
from storage.sql import describe_table, new_id, quote_identifier, split_table_name, table_name, transaction
from storage.stats import ColumnSummary, profile_table
from storage.workspace.columns import check_columns, converted_select, estimated_size, filter_sql, table_columns
from storage.workspace.datasets import clean_dataset_name
from storage.workspace.history import log_change
from storage.workspace.records import Dataset, DraftPending, Filter, Version


class VersionsMixin:
    """Versions of the datasets of a workspace, and the column types the user chose for each."""

    def _version_table(self, con, ds: Dataset, version: int | None) -> str:
        if version is None or int(version) == ds.version:
            return ds.table_name
        row = con.execute("SELECT table_name FROM dataset_versions WHERE dataset_id = ? AND version = ?",
                          [ds.dataset_id, int(version)]).fetchone()
        if row is None:
            raise UserError(f"Dataset '{ds.name}' has no version {version}. Its history lists the versions.",
                            key="data.error.no_version", params={"name": ds.name, "version": version})
        return table_name(*split_table_name(row[0]))

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
            table = table_name(ds.dataset_id, version)
            con.execute(f"CREATE TABLE {table} AS {select}", args or [])
        rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        # A version that reuses a table adds no rows to the file; a new table must fit the user's quota.
        size = estimated_size(con, table, rows) if reuse is not None else self._ensure_room(con, table, rows)
        names = table_columns(con, table)
        if not names:
            raise UserError("A dataset needs at least one column: keep one.", key="data.error.no_columns")
        con.execute("INSERT INTO dataset_versions (dataset_id, version, table_name, rows, columns, note) "
                    "VALUES (?, ?, ?, ?, ?, ?)", [ds.dataset_id, version, table, rows, len(names), change.get("code")])
        con.execute("INSERT INTO version_details (dataset_id, version, size_bytes, change) VALUES (?, ?, ?, ?)",
                    [ds.dataset_id, version, size,
                     json.dumps(change, ensure_ascii=False, default=str)])
        con.execute("UPDATE datasets SET current_version = ? WHERE dataset_id = ?", [version, ds.dataset_id])
        log_change(con, ds.name, version, change)
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
            with transaction(con):
                yield con, ds

    def restore_version(self, key: str, version: int) -> Dataset:
        """Make an earlier version current again, as a new version (nothing is overwritten)."""
        with self._changing(key) as (con, ds):
            table = self._version_table(con, ds, version)
            return self._new_version(con, ds, {"code": "restored", "version": int(version)}, reuse=table,
                                     base_version=int(version))

    def branch_version(self, key: str, version: int, name: str) -> Dataset:
        """Save one version of a dataset as a new dataset of its own."""
        name = clean_dataset_name(name)
        with self.connect() as con:
            ds = self._get(con, key)
            source_table = self._version_table(con, ds, version)
            overrides = self._type_overrides(con, ds.dataset_id, int(version))
            dataset_id = new_id()
            table = table_name(dataset_id, 1)
            with transaction(con):
                con.execute(f"CREATE TABLE {table} AS SELECT * FROM {source_table} ORDER BY rowid")
                change = {"code": "branched", "dataset": ds.name, "version": int(version)}
                new = self.register_table(con, dataset_id, name, f"{ds.name} v{int(version)}", table, "branched",
                                          change=change)
                self._store_types(con, dataset_id, 1, overrides, table)
        return new

    def save_view(self, key: str, name: str, *, columns: list[str] | None = None,
                  filters: Iterable[Filter] = (), version: int | None = None) -> Dataset:
        """Save the chosen columns of the rows that pass ``filters`` as a new dataset (a "view")."""
        name = clean_dataset_name(name)
        with self.connect() as con:
            ds = self._get(con, key)
            source_table = self._version_table(con, ds, version)
            described = describe_table(con, source_table)
            chosen = list(columns) if columns else [c for c, _ in described]
            check_columns(chosen, described, ds.name)
            if not chosen:
                raise UserError("A view needs at least one column: choose some.", key="data.error.no_columns")
            where, args = filter_sql(con, list(filters), dict(described), "t")
            select = ", ".join(f"t.{quote_identifier(c)}" for c in chosen)
            dataset_id = new_id()
            table = table_name(dataset_id, 1)
            with transaction(con):
                con.execute(f"CREATE TABLE {table} AS SELECT {select} FROM {source_table} t {where} "
                            "ORDER BY t.rowid", args)
                if con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0:
                    raise UserError("No rows pass these filters, so the view would be empty. Change the filters.",
                                    key="data.error.view_empty")
                change = {"code": "view", "dataset": ds.name, "columns": len(chosen),
                          "filters": len(list(filters))}
                new = self.register_table(con, dataset_id, name, f"{ds.name} (view)", table, "view", change=change)
                overrides = self._type_overrides(con, ds.dataset_id, version or ds.version)
                self._store_types(con, dataset_id, 1, {c: t for c, t in overrides.items() if c in chosen}, table)
        return new

    # -- column types ---------------------------------------------------------------------------

    def _type_overrides(self, con, dataset_id: str, version: int) -> dict[str, str]:
        rows = con.execute("SELECT column_name, type FROM column_types WHERE dataset_id = ? AND version = ?",
                           [dataset_id, int(version)]).fetchall()
        return dict(rows)

    def _store_types(self, con, dataset_id: str, version: int, types: dict[str, str], table: str) -> None:
        names = set(table_columns(con, table))
        rows = [(dataset_id, version, c, str(t)) for c, t in types.items() if c in names]
        if rows:
            con.executemany("INSERT OR REPLACE INTO column_types VALUES (?, ?, ?, ?)", rows)

    def column_type_overrides(self, key: str, version: int | None = None) -> dict[str, str]:
        """The column types the user chose (``{column: type}``) for a version; inferred types are not stored."""
        with self.connect() as con:
            ds = self._get(con, key)
            return self._type_overrides(con, ds.dataset_id, version or ds.version)

    def column_profiles(self, key: str, version: int | None = None) -> list[ColumnSummary]:
        """Per-column facts (computed in DuckDB) from which `core.data.types` infers each column's type."""
        with self.connect() as con:
            ds = self._get(con, key)
            return profile_table(con, self._version_table(con, ds, version))

    def set_column_types(self, key: str, types: dict[str, str], casts: dict[str, str] | None = None, *,
                         strict: bool = True) -> Dataset:
        """Record the user's column types, converting the columns in ``casts`` ({column: kind}), as a new
        version. With ``strict``, a value that does not fit its new type stops the change; otherwise it
        becomes missing."""
        with self._changing(key) as (con, ds):
            described = describe_table(con, ds.table_name)
            check_columns(list(types) + list(casts or {}), described, ds.name)
            change = {"code": "types", "columns": {c: t for c, t in types.items()}}
            if not casts:
                return self._new_version(con, ds, change, reuse=ds.table_name, types=types)
            select = converted_select(con, ds.table_name, described, casts, strict)
            return self._new_version(con, ds, change, select=select, types=types)
