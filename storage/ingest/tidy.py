"""Tidying what was read: unique column names, and numbers, dates and nested values written as text."""
from __future__ import annotations

import re
from dataclasses import replace

from storage.ingest.options import FileReport, Note, ReadOptions
from storage.sql import quote_identifier

#: The name of the row id column in frames handed out for paging; user columns may not take it.
ROW_ID = "__row_id"
#: Names no stored column may have (compared ignoring case): ``rowid`` is DuckDB's row id, which orders
#: every stored table and keys grid edits, and a column of that name would be bound in its place.
RESERVED_NAMES = frozenset({ROW_ID, "rowid"})
#: Date formats tried on text columns, most specific first; a column is converted when every value parses.
DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
    "%Y.%m.%d %H:%M:%S", "%Y.%m.%d %H:%M", "%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y. %m. %d", "%Y.%m.%d.",
    "%Y. %m. %d.", "%Y년 %m월 %d일", "%m/%d/%Y %H:%M", "%d/%m/%Y %H:%M", "%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y",
)
NESTED_TYPE = re.compile(r"STRUCT|MAP|UNION|\[\]|\[\d+\]|BLOB|BIT|JSON|VARIANT", re.IGNORECASE)


def clean_column_names(names: list[str]) -> tuple[list[str], list[Note]]:
    """Give every column a non-blank name that no other column has (ignoring case, as DuckDB does).

    Blank names become ``column_<position>``; a repeat gets a suffix ``_2``, ``_3``…; a reserved name
    (`RESERVED_NAMES`) becomes ``<name>_data``; each change is a note. Linear in the number of names: a
    header of 20,000 copies of one name takes milliseconds.
    """
    stripped = [" ".join(str(n if n is not None else "").split()) for n in names]
    # Every name as given is reserved, so a made-up name never takes one a later column holds.
    reserved = {name.lower() for name in stripped}
    taken: set[str] = set()
    next_suffix: dict[str, int] = {}
    cleaned: list[str] = []
    notes: list[Note] = []

    def unused(base: str) -> str:
        key = base.lower()
        if key not in reserved and key not in taken:
            return base
        # Resume where the last search for this base stopped, so n repeats cost n steps, not n².
        n = next_suffix.get(key, 2)
        while f"{key}_{n}" in reserved or f"{key}_{n}" in taken:
            n += 1
        next_suffix[key] = n + 1
        return f"{base}_{n}"

    for position, name in enumerate(stripped, start=1):
        if not name:
            new = unused(f"column_{position}")
            notes.append(Note("blank_column", {"position": position, "new_name": new}))
        elif name.lower() in RESERVED_NAMES:
            new = unused(f"{name}_data")
            notes.append(Note("reserved_column", {"name": name, "new_name": new}))
        elif name.lower() in taken:
            new = unused(name)
            notes.append(Note("duplicate_column", {"name": name, "new_name": new}))
        else:
            new = name
        taken.add(new.lower())
        cleaned.append(new)
    return cleaned, notes


def _number_pattern(thousands: str, decimal: str) -> str:
    dec = re.escape(decimal)
    if thousands:
        sep = re.escape(thousands)
        return rf"[+-]?(\d{{1,3}}({sep}\d{{3}})+|\d+)({dec}\d+)?"
    return rf"[+-]?\d+({dec}\d+)?"


def tidy_values(con, table: str, report: FileReport, options: ReadOptions) -> FileReport:
    """Drop empty rows, turn numbers and dates written as text into numbers and dates, and nested values
    into text: one rebuild of the table, only when something needs it."""
    columns = [(c, t) for c, t, *_ in con.execute(f"DESCRIBE {table}").fetchall()]
    notes = list(report.notes)
    decimal = report.decimal or options.decimal or "."
    thousands = report.thousands if report.thousands is not None else ("." if decimal == "," else ",")
    number = _sql_literal(_number_pattern(thousands, decimal))
    dates = "[" + ", ".join(_sql_literal(f) for f in DATE_FORMATS) + "]"
    text_columns = [c for c, t in columns if t == "VARCHAR"]
    # A cheap look at the first values of each text column; only a column that passes is checked in full.
    candidates: dict[str, str] = {}
    for c in text_columns:
        q = quote_identifier(c)
        present, numeric, leading_zero, dated = con.execute(
            f"SELECT count(v), count(*) FILTER (WHERE regexp_full_match(v, {number})), "
            f"count(*) FILTER (WHERE regexp_matches(v, '^[+-]?0[0-9]')), count(try_strptime(v, {dates})) "
            f"FROM (SELECT trim({q}) AS v FROM {table} WHERE {q} IS NOT NULL LIMIT 1000)").fetchone()
        if present and numeric == present and not leading_zero:
            candidates[c] = "number"
        elif present and dated == present:
            candidates[c] = "date"
    all_null = " AND ".join(f"{quote_identifier(c)} IS NULL" for c, _ in columns)
    checks = []
    for c, kind in candidates.items():
        q = quote_identifier(c)
        if kind == "number":
            checks.append(f"count(*) FILTER (WHERE {q} IS NOT NULL AND NOT (regexp_full_match(trim({q}), {number}) "
                          f"AND NOT regexp_matches(trim({q}), '^[+-]?0[0-9]')))")
        else:
            checks.append(f"count(*) FILTER (WHERE {q} IS NOT NULL AND try_strptime(trim({q}), {dates}) IS NULL)")
    stats = con.execute(f"SELECT count(*) FILTER (WHERE {all_null}){''.join(', ' + c for c in checks)} "
                        f"FROM {table}").fetchone()
    blank_rows = stats[0]
    expressions = {c: quote_identifier(c) for c, _ in columns}
    changed = blank_rows > 0
    for (c, kind), misfits in zip(candidates.items(), stats[1:]):
        if misfits:
            continue
        if kind == "number":
            expressions[c] = _number_expression(con, table, c, thousands, decimal)
            notes.append(Note("numbers_converted", {"column": c}))
        else:
            expressions[c] = _date_expression(con, table, c)
            notes.append(Note("dates_converted", {"column": c}))
        changed = True
    for c, t in columns:
        if NESTED_TYPE.search(t):
            q = quote_identifier(c)
            binary = "BLOB" in t.upper() or t.upper().startswith("BIT")
            expressions[c] = f"CAST({q} AS VARCHAR)" if binary else f"CAST(to_json({q}) AS VARCHAR)"
            notes.append(Note("nested_as_text", {"column": c}))
            changed = True
    if blank_rows:
        notes.append(Note("blank_rows", {"count": int(blank_rows)}))
    if changed:
        select = ", ".join(f"{expr} AS {quote_identifier(c)}" for c, expr in expressions.items())
        where = f"WHERE NOT ({all_null})" if blank_rows else ""
        tidy = f"{table}_tidy"
        con.execute(f"CREATE TABLE {tidy} AS SELECT {select} FROM {table} {where} ORDER BY rowid")
        con.execute(f"DROP TABLE {table}")
        con.execute(f"ALTER TABLE {tidy} RENAME TO {table}")
    return replace(report, notes=tuple(notes))


def _number_expression(con, table: str, column: str, thousands: str, decimal: str) -> str:
    q = quote_identifier(column)
    cleaned = f"trim({q})"
    if thousands:
        cleaned = f"replace({cleaned}, {_sql_literal(thousands)}, '')"
    if decimal != ".":
        cleaned = f"replace({cleaned}, {_sql_literal(decimal)}, '.')"
    has_fraction = con.execute(f"SELECT bool_or(contains({cleaned}, '.')) FROM {table}").fetchone()[0]
    longest = con.execute(f"SELECT max(length({cleaned})) FROM {table}").fetchone()[0] or 0
    sql_type = "DOUBLE" if has_fraction or longest > 18 else "BIGINT"
    return f"CAST({cleaned} AS {sql_type})"


def _date_expression(con, table: str, column: str) -> str:
    """One format for the whole column when one fits every value (so 03/04 is read the same way in
    every row), else each value's first matching format; DATE when no value has a time."""
    q = quote_identifier(column)
    counts = con.execute(
        f"SELECT count({q}), " + ", ".join(f"count(try_strptime(trim({q}), {_sql_literal(f)}))" for f in DATE_FORMATS)
        + f" FROM {table}").fetchone()
    present = counts[0]
    fits = [fmt for fmt, n in zip(DATE_FORMATS, counts[1:]) if n == present]
    formats = [fits[0]] if fits else list(DATE_FORMATS)
    literal = "[" + ", ".join(_sql_literal(f) for f in formats) + "]"
    parsed = f"try_strptime(trim({q}), {literal})"
    has_time = con.execute(f"SELECT bool_or(CAST({parsed} AS TIME) <> TIME '00:00:00') FROM {table}").fetchone()[0]
    return parsed if has_time else f"CAST({parsed} AS DATE)"


def _sql_literal(text: str) -> str:
    # Only for our own constants (date formats, separators), never for user text.
    return "'" + text.replace("'", "''") + "'"
