"""Column SQL of the workspace: checking names, values as their column's type, filters and conversions."""
from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, datetime

from storage.ingest import DATE_FORMATS, RESERVED_NAMES
from storage.errors import UserError
from storage.sql import (FALSE_WORDS, KIND_TYPES, TRUE_WORDS, column_family, describe_table, quote_identifier,
                         safe_type, split_table_name, table_name)
from storage.workspace.records import Filter

_COMPARE_SQL = {"eq": "=", "ne": "<>", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}


def table_columns(con, table: str) -> list[str]:
    """The column names of ``table``, in order."""
    return [c for c, _ in describe_table(con, table)]


def check_columns(columns: Iterable[str], described: list[tuple[str, str]], dataset_name: str) -> None:
    """Raise a `UserError` naming the ``columns`` that are not in ``described``."""
    known = {c for c, _ in described}
    missing = [c for c in columns if c not in known]
    if missing:
        raise UserError(f"Dataset '{dataset_name}' has no column {', '.join(map(repr, missing))}.",
                        key="data.error.no_column", params={"name": dataset_name, "columns": ", ".join(missing)})


def clean_column_name(name: str) -> str:
    """A new column name with its spaces tidied; a blank, reserved or overlong one is an error."""
    name = " ".join(str(name or "").split())
    if not name:
        raise UserError("A column needs a name: type one.", key="data.error.column_name_blank")
    if name.lower() in RESERVED_NAMES or len(name) > 120:
        raise UserError(f"'{name[:40]}' cannot be a column name: choose another.",
                        key="data.error.column_name_reserved", params={"name": name[:40]})
    return name


def unshadow_row_id(con, table: str) -> None:
    """Rename a column of ``table`` that has a reserved name (`RESERVED_NAMES`: DuckDB would bind a column
    called ``rowid`` instead of the row id every stored table is ordered and edited by) to ``<name>_data``.
    Ingest renames such columns already; this keeps any other way in (a frame, a legacy table) as safe."""
    names = table_columns(con, table)
    for old in [n for n in names if n.lower() in RESERVED_NAMES]:
        new = free_column_name(f"{old}_data", names)
        con.execute(f"ALTER TABLE {table} RENAME COLUMN {quote_identifier(old)} TO {quote_identifier(new)}")
        names.append(new)


def repair_row_id_columns(con) -> int:
    """Rename reserved-name columns in the dataset tables of a workspace stored before such names were
    refused (their rows and grid edits followed the user's values); returns how many were renamed.

    The chosen column types follow the new name, in the caller's transaction.
    """
    found = con.execute("SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'main' "
                        "AND database_name = current_database() AND starts_with(table_name, 'ds_') "
                        "AND list_contains(?, lower(column_name))", [sorted(RESERVED_NAMES)]).fetchall()
    for stored, old in found:
        table = table_name(*split_table_name(stored))
        new = free_column_name(f"{old}_data", table_columns(con, table))
        con.execute(f"ALTER TABLE {table} RENAME COLUMN {quote_identifier(old)} TO {quote_identifier(new)}")
        con.execute("UPDATE column_types SET column_name = ? WHERE column_name = ? AND (dataset_id, version) IN "
                    "(SELECT dataset_id, version FROM dataset_versions WHERE table_name = ?)", [new, old, stored])
    return len(found)


def check_new_column_name(name: str, described: list[tuple[str, str]]) -> None:
    """Raise a `UserError` if a column called ``name`` exists already (ignoring case)."""
    if name.lower() in {c.lower() for c, _ in described}:
        raise UserError(f"There is already a column called '{name}': choose another name.",
                        key="data.error.column_exists", params={"column": name})


def free_column_name(base: str, taken: list[str]) -> str:
    """``base``, or ``base_2``, ``base_3``... whichever is not ``taken`` (ignoring case)."""
    lower = {t.lower() for t in taken}
    name, n = base, 2
    while name.lower() in lower:
        name, n = f"{base}_{n}", n + 1
    return name


def value_text(value) -> str | None:
    """A cell value as text (None for missing), the form in which drafts keep values."""
    import pandas as pd
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


def canonical_value(con, value, sql_type: str, column: str) -> str | None:
    """``value`` as the text DuckDB casts back to ``sql_type`` exactly; a value that does not fit is an error."""
    text = value_text(value)
    family = column_family(sql_type)
    if text is None or family == "text":
        return text
    text = text.strip()
    if text == "":
        return None
    safe = safe_type(sql_type)
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
                             [text, text.replace("Z", ""), text, list(DATE_FORMATS)]).fetchone()[0]
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


def filter_sql(con, filters: list[Filter], types: dict[str, str], alias: str) -> tuple[str, list]:
    clauses, args = [], []
    for f in filters:
        if f.column not in types:
            raise UserError(f"There is no column '{f.column}' to filter on.", key="data.error.no_column",
                            params={"name": "", "columns": f.column})
        q = f"{alias}.{quote_identifier(f.column)}"
        if f.op == "missing":
            clauses.append(f"{q} IS NULL")
        elif f.op == "present":
            clauses.append(f"{q} IS NOT NULL")
        elif f.op in {"contains", "starts"}:
            text = value_text(f.value)
            if not text:
                raise UserError(f"Type a value for the filter on '{f.column}'.", key="data.error.filter_value",
                                params={"column": f.column})
            function = "contains" if f.op == "contains" else "starts_with"
            clauses.append(f"{function}(lower(CAST({q} AS VARCHAR)), lower(?))")
            args.append(text)
        elif f.op in _COMPARE_SQL:
            sql_type = types[f.column]
            text = value_text(f.value)
            if column_family(sql_type) != "text":
                text = canonical_value(con, f.value, sql_type, f.column)
            if text is None:
                raise UserError(f"Type a value for the filter on '{f.column}'.", key="data.error.filter_value",
                                params={"column": f.column})
            cast = "?" if column_family(sql_type) == "text" else f"CAST(? AS {safe_type(sql_type)})"
            clauses.append(f"{q} {_COMPARE_SQL[f.op]} {cast}")
            args.append(text)
        else:
            raise UserError(f"Unknown filter '{f.op}'.", key="data.error.bad_filter", params={"op": f.op})
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", args


def convert_expression(column: str, sql_type: str, kind: str) -> str:
    """SQL that converts ``column`` (of ``sql_type``) to ``kind`` (a key of `KIND_TYPES`); values that do
    not fit become NULL, so callers count them first. Raises `UserError` for conversions that make no sense."""
    q = quote_identifier(column)
    family = column_family(sql_type)
    trimmed = f"trim(CAST({q} AS VARCHAR))"
    formats = "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in DATE_FORMATS) + "]"
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


def converted_select(con, table: str, described: list[tuple[str, str]], casts: dict[str, str],
                      strict: bool) -> str:
    """A SELECT of ``table`` with the columns in ``casts`` converted ({column: kind}); with ``strict``, a
    value that does not fit is an error, otherwise it becomes missing."""
    types = dict(described)
    replacements = []
    for column, kind in casts.items():
        if kind not in KIND_TYPES:
            raise UserError(f"Unknown column kind '{kind}'.", key="data.error.bad_kind", params={"kind": kind})
        expr = convert_expression(column, types[column], kind)
        q = quote_identifier(column)
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


def convert_in_place(con, table: str, casts: dict[str, str], strict: bool) -> None:
    """Rebuild a table that is being created (inside the caller's transaction) with converted columns."""
    described = describe_table(con, table)
    check_columns(casts, described, "")
    select = converted_select(con, table, described, casts, strict)
    con.execute(f"CREATE TABLE {table}_converted AS {select}")
    con.execute(f"DROP TABLE {table}")
    con.execute(f"ALTER TABLE {table}_converted RENAME TO {table}")


def estimated_size(con, table: str, rows: int) -> int:
    """About how many bytes the rows take as CSV text (from the first thousand rows)."""
    if not rows:
        return 0
    columns = table_columns(con, table)
    parts = ", ".join(f"CAST({quote_identifier(c)} AS VARCHAR)" for c in columns)
    # LIMIT, not a rowid range: inside a transaction, rows not yet committed have rowids from 2**62 up.
    mean = con.execute(f"SELECT avg(length(concat_ws(',', {parts})) + 1) FROM (SELECT * FROM {table} "
                       "LIMIT 1000)").fetchone()[0]
    return int((mean or 0) * rows)
