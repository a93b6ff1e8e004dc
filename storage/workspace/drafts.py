"""The grid: pages of a dataset with its draft of unsaved edits applied, recording edits, saving the draft."""
from __future__ import annotations

from collections.abc import Iterable

from storage.errors import UserError
from storage.ingest import ROW_ID
from storage.sql import describe_table, new_id, quote_identifier, safe_type, table_name, transaction
from storage.workspace.columns import canonical_value, check_columns, filter_sql
from storage.workspace.datasets import clean_dataset_name
from storage.workspace.records import ADDED_ROW_BASE, Dataset, Draft, EditConflict, Filter, Page


class DraftsMixin:
    """Paging and grid drafts of the datasets of a workspace."""

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
            where, where_args = filter_sql(con, list(filters), dict(described), "v")
            total = con.execute(f"SELECT count(*) FROM ({view}) v {where}", args + where_args).fetchone()[0]
            order = f"v.{quote_identifier(ROW_ID)}"
            if sort:
                check_columns([sort], described, ds.name)
                direction = "DESC" if descending else "ASC"
                order = f"v.{quote_identifier(sort)} {direction} NULLS LAST, " + order
            frame = con.execute(f"SELECT * FROM ({view}) v {where} ORDER BY {order} LIMIT ? OFFSET ?",
                                args + where_args + [max(int(limit), 1), max(int(offset), 0)]).df()
        frame = frame.set_index(ROW_ID)
        return Page(frame, int(total), max(int(offset), 0), int(limit), base_version, described, draft)

    def _view(self, con, dataset_id: str, table: str, with_draft: bool) -> tuple[str, list, list[tuple[str, str]]]:
        """SQL for the rows of ``table`` with the draft applied: deleted rows left out, added rows after the
        others, edited cells replaced (cast to their column's type). Its first column is the row id."""
        described = describe_table(con, table)
        row = quote_identifier(ROW_ID)
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
            q = quote_identifier(c)
            if c in edited:
                joins.append(f"LEFT JOIN (SELECT row_id, value FROM dataset_drafts WHERE dataset_id = ? AND "
                             f"kind = 'cell' AND column_name = ?) e{i} ON e{i}.row_id = s.{row}")
                args += [dataset_id, c]
                select.append(f"CASE WHEN e{i}.row_id IS NULL THEN s.{q} "
                              f"ELSE CAST(e{i}.value AS {safe_type(sql_type)}) END AS {q}")
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
            # Edits start a draft on the version the grid showed, even if another tab has saved a newer one
            # since: the row ids belong to that version, and `save_draft` asks what to do about the newer one.
            expected = draft.base_version if draft else int(base_version)
            if int(base_version) != expected:
                raise UserError("This dataset changed since the grid was shown (another tab or session saved it). "
                                "Reload the page and make the edit again.", key="data.error.stale_grid")
            table = self._version_table(con, ds, expected)
            types = dict(describe_table(con, table))
            rows_in_table = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            added_ids = {r for (r,) in con.execute("SELECT row_id FROM dataset_drafts WHERE dataset_id = ? "
                                                   "AND kind = 'add'", [ds.dataset_id]).fetchall()}
            with transaction(con):
                for (row_id, column), value in (cells or {}).items():
                    row_id = int(row_id)
                    if column not in types:
                        raise UserError(f"Dataset '{ds.name}' has no column '{column}'.",
                                        key="data.error.no_column", params={"name": ds.name, "columns": column})
                    if not (0 <= row_id < rows_in_table or row_id in added_ids):
                        raise UserError("That row is no longer in the dataset. Reload the page.",
                                        key="data.error.stale_grid")
                    text = canonical_value(con, value, types[column], column)
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
                        text = canonical_value(con, value, types[column], column)
                        if text is not None:
                            con.execute("INSERT INTO dataset_drafts (dataset_id, base_version, kind, row_id, "
                                        "column_name, value, updated) VALUES (?, ?, 'cell', ?, ?, ?, "
                                        "current_timestamp)", [ds.dataset_id, expected, next_id, column, text])
                    next_id += 1
            return self._draft_info(con, ds.dataset_id)

    def discard_draft(self, key: str) -> None:
        """Forget the unsaved edits of a dataset."""
        with self.connect() as con:
            con.execute("DELETE FROM dataset_drafts WHERE dataset_id = ?", [self._get(con, key).dataset_id])

    def _pending_draft(self, con, ds: Dataset) -> Draft:
        draft = self._draft_info(con, ds.dataset_id)
        if draft is None:
            raise UserError("There are no unsaved edits to save.", key="data.error.no_draft")
        return draft

    def _edited_rows(self, con, ds: Dataset, draft: Draft) -> tuple[str, list]:
        """SQL (and its values) for the rows of the draft's base version with the draft applied, in order."""
        view, args, described = self._view(con, ds.dataset_id, self._version_table(con, ds, draft.base_version), True)
        columns = ", ".join(quote_identifier(c) for c, _ in described)
        return f"SELECT {columns} FROM ({view}) v ORDER BY v.{quote_identifier(ROW_ID)}", args

    def save_draft(self, key: str, *, replace_latest: bool = False) -> Dataset:
        """Save the draft as a new version of the dataset (the version the edits were made on, edited).

        When a later version was saved since the edits began (another tab or session), this raises
        `EditConflict` unless ``replace_latest``: then the edited version becomes the latest anyway, and its
        change says which version it replaces (that one stays in the history).
        """
        with self._changing(key, allow_draft=True) as (con, ds):
            draft = self._pending_draft(con, ds)
            change = {"code": "edited", "cells": draft.cells, "deleted": draft.deleted, "added": draft.added}
            if draft.base_version != ds.version:
                if not replace_latest:
                    raise EditConflict(
                        f"These edits were made on version {draft.base_version} of '{ds.name}', but version "
                        f"{ds.version} was saved since (in another tab or session). Save them over it, save "
                        "them as a new dataset, or discard them.", key="data.error.edit_conflict",
                        params={"name": ds.name, "base": draft.base_version, "latest": ds.version})
                change.update(code="edited_over", base_version=draft.base_version, replaces=ds.version)
            select, args = self._edited_rows(con, ds, draft)
            new = self._new_version(con, ds, change, base_version=draft.base_version, select=select, args=args)
            con.execute("DELETE FROM dataset_drafts WHERE dataset_id = ?", [ds.dataset_id])
            return new

    def branch_draft(self, key: str, name: str) -> Dataset:
        """Save the draft (its base version, edited) as a new dataset, and clear it from this one."""
        name = clean_dataset_name(name)
        with self._changing(key, allow_draft=True) as (con, ds):
            draft = self._pending_draft(con, ds)
            select, args = self._edited_rows(con, ds, draft)
            dataset_id = new_id()
            table = table_name(dataset_id, 1)
            con.execute(f"CREATE TABLE {table} AS {select}", args)
            change = {"code": "edited_branch", "dataset": ds.name, "version": draft.base_version,
                      "cells": draft.cells, "deleted": draft.deleted, "added": draft.added}
            new = self.register_table(con, dataset_id, name, f"{ds.name} v{draft.base_version}", table, "branched",
                                      change=change)
            self._store_types(con, dataset_id, 1, self._type_overrides(con, ds.dataset_id, draft.base_version), table)
            con.execute("DELETE FROM dataset_drafts WHERE dataset_id = ?", [ds.dataset_id])
        return new
