"""Column tools of the Edit step: each one saves a new version of the dataset."""
from __future__ import annotations

from storage.errors import UserError
from storage.sql import DATE_PART_SQL, KIND_TYPES, column_family, describe_table, quote_identifier, safe_type
from storage.workspace.columns import (canonical_value, check_columns, check_new_column_name, clean_column_name,
                                       free_column_name)
from storage.workspace.records import Dataset


class ColumnToolsMixin:
    """Add, rename, drop, fill, find and replace, derive date parts, drop duplicates."""

    def add_column(self, key: str, name: str, value: object = None, kind: str = "text") -> Dataset:
        """Add a column holding ``value`` in every row (missing when None)."""
        name = clean_column_name(name)
        with self._changing(key) as (con, ds):
            described = describe_table(con, ds.table_name)
            check_new_column_name(name, described)
            sql_type = KIND_TYPES.get(kind)
            if sql_type is None:
                raise UserError(f"Unknown column kind '{kind}'.", key="data.error.bad_kind", params={"kind": kind})
            text = canonical_value(con, value, sql_type, name)
            select = (f"SELECT *, CAST(? AS {sql_type}) AS {quote_identifier(name)} FROM {ds.table_name} "
                      "ORDER BY rowid")
            return self._new_version(con, ds, {"code": "add_column", "column": name}, select=select, args=[text])

    def rename_column(self, key: str, old: str, new: str) -> Dataset:
        new = clean_column_name(new)
        with self._changing(key) as (con, ds):
            described = describe_table(con, ds.table_name)
            check_columns([old], described, ds.name)
            if new.lower() != old.lower():
                check_new_column_name(new, described)
            select = ", ".join(f"{quote_identifier(c)} AS {quote_identifier(new if c == old else c)}"
                               for c, _ in described)
            return self._new_version(con, ds, {"code": "rename_column", "old": old, "new": new},
                                     select=f"SELECT {select} FROM {ds.table_name} ORDER BY rowid",
                                     renames={old: new})

    def drop_columns(self, key: str, columns: list[str]) -> Dataset:
        with self._changing(key) as (con, ds):
            described = describe_table(con, ds.table_name)
            check_columns(columns, described, ds.name)
            kept = [c for c, _ in described if c not in set(columns)]
            if not kept:
                raise UserError("A dataset needs at least one column: keep one.", key="data.error.no_columns")
            select = ", ".join(quote_identifier(c) for c in kept)
            return self._new_version(con, ds, {"code": "drop_columns", "columns": list(columns)},
                                     select=f"SELECT {select} FROM {ds.table_name} ORDER BY rowid")

    def fill_missing(self, key: str, column: str, method: str, value: object = None) -> Dataset:
        """Fill the missing values of ``column`` with a constant, or its mean, median or most common value."""
        with self._changing(key) as (con, ds):
            described = describe_table(con, ds.table_name)
            check_columns([column], described, ds.name)
            sql_type = dict(described)[column]
            q = quote_identifier(column)
            missing = con.execute(f"SELECT count(*) FILTER (WHERE {q} IS NULL) FROM {ds.table_name}").fetchone()[0]
            if missing == 0:
                raise UserError(f"Column '{column}' has no missing values.", key="data.error.nothing_missing",
                                params={"column": column})
            args: list = []
            if method == "constant":
                text = canonical_value(con, value, sql_type, column)
                if text is None:
                    raise UserError("Type the value to fill in.", key="data.error.need_value")
                fill, args = f"CAST(? AS {safe_type(sql_type)})", [text]
            elif method in {"mean", "median"}:
                if column_family(sql_type) not in {"integer", "float"}:
                    raise UserError(f"The {method} needs numbers, and '{column}' is not a number column. "
                                    "Use the most common value or a constant.", key="data.error.fill_needs_numbers",
                                    params={"column": column})
                fill = f"(SELECT {'avg' if method == 'mean' else 'median'}({q}) FROM {ds.table_name})"
                if column_family(sql_type) == "integer":
                    # Keep whole numbers whole: a mean of 2.5 in a count column is filled as 3 (rounded).
                    fill = f"CAST(round({fill}) AS {safe_type(sql_type)})"
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
            described = describe_table(con, ds.table_name)
            types = dict(described)
            if columns:
                check_columns(columns, described, ds.name)
                chosen = list(columns)
            else:
                chosen = [c for c, t in described if column_family(t) == "text" or whole_cell]
            expressions, counts, args, count_args = {}, [], [], []
            for c in chosen:
                q = quote_identifier(c)
                family = column_family(types[c])
                if whole_cell:
                    new_value = None if replace_with == "" else canonical_value(con, replace_with, types[c], c)
                    match = f"CAST({q} AS VARCHAR) = ?"
                    expressions[c] = (f"CASE WHEN {match} THEN CAST(? AS {safe_type(types[c])}) ELSE {q} END",
                                      [find, new_value])
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
                replaces.append(f"{expr} AS {quote_identifier(c)}")
                args += expr_args
            select = f"SELECT * REPLACE ({', '.join(replaces)}) FROM {ds.table_name} ORDER BY rowid"
            change = {"code": "find_replace", "find": find, "replace": replace_with, "count": int(changed)}
            return self._new_version(con, ds, change, select=select, args=args), int(changed)

    def derive_date_parts(self, key: str, column: str, parts: list[str]) -> Dataset:
        """Add columns with the year, month, day, weekday (Monday = 1) or hour of a date column."""
        with self._changing(key) as (con, ds):
            described = describe_table(con, ds.table_name)
            check_columns([column], described, ds.name)
            if column_family(dict(described)[column]) != "datetime":
                raise UserError(f"Column '{column}' does not hold dates. Change its type to date/time first.",
                                key="data.error.not_dates", params={"column": column})
            unknown = [p for p in parts if p not in DATE_PART_SQL]
            if unknown or not parts:
                raise UserError("Choose date parts among year, month, day, weekday and hour.",
                                key="data.error.bad_parts")
            q = quote_identifier(column)
            taken = [c for c, _ in described]
            extra = []
            for part in parts:
                name = free_column_name(f"{column}_{part}", taken)
                taken.append(name)
                extra.append(f"{DATE_PART_SQL[part].format(c=q)} AS {quote_identifier(name)}")
            select = f"SELECT *, {', '.join(extra)} FROM {ds.table_name} ORDER BY rowid"
            return self._new_version(con, ds, {"code": "date_parts", "column": column, "parts": list(parts)},
                                     select=select)

    def drop_duplicates(self, key: str, columns: list[str] | None = None) -> tuple[Dataset, int]:
        """Keep the first of each group of identical rows (identical in ``columns``, or in all columns)."""
        with self._changing(key) as (con, ds):
            described = describe_table(con, ds.table_name)
            chosen = list(columns) if columns else [c for c, _ in described]
            check_columns(chosen, described, ds.name)
            group = ", ".join(quote_identifier(c) for c in chosen)
            firsts = f"SELECT min(rowid) FROM {ds.table_name} GROUP BY {group}"
            duplicates = con.execute(f"SELECT (SELECT count(*) FROM {ds.table_name}) - (SELECT count(*) FROM "
                                     f"({firsts}))").fetchone()[0]
            if duplicates == 0:
                raise UserError("There are no duplicate rows.", key="data.error.no_duplicates")
            # GROUP BY, not a window with QUALIFY: DuckDB 2.0 fails internally on the window form in a CTAS.
            select = f"SELECT * FROM {ds.table_name} WHERE rowid IN ({firsts}) ORDER BY rowid"
            new = self._new_version(con, ds, {"code": "drop_duplicates", "count": int(duplicates)}, select=select)
            return new, int(duplicates)
