"""What kind of column each one is: the column profile from which a column's type is inferred."""
from __future__ import annotations

from dataclasses import dataclass, replace

from storage.sql import FALSE_WORDS, TIME_TYPE, TRUE_WORDS, column_family, describe_table, quote_identifier

#: The explorer's coarser names for the families of `storage.sql.column_family`.
EXPLORE_FAMILIES = {"integer": "number", "float": "number", "datetime": "date"}
#: The sampled facts of `ColumnSummary` are over this many first rows.
PROFILE_SAMPLE_ROWS = 10_000
#: Columns per aggregate query of the profile.
PROFILE_BATCH_COLUMNS = 64
#: Tables up to this many rows are profiled in long form (see `_aggregate`), this many columns at a time.
LONG_FORM_MAX_ROWS = 100_000
LONG_FORM_BATCH_COLUMNS = 1_000


@dataclass(frozen=True)
class ColumnSummary:
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


def type_family(sql_type: str) -> str:
    """'number', 'boolean', 'date', 'text', 'list' or 'other' for a DuckDB type name."""
    if sql_type.upper() == TIME_TYPE:
        return "other"  # a time of day has no date parts to count by
    family = column_family(sql_type)
    return EXPLORE_FAMILIES.get(family, family)


def _batches(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def _aggregate(con, source: str, columns: list[tuple[str, str]], rows: int, templates) -> dict[str, tuple]:
    """``{column: (aggregate, ...)}``: each of ``templates(sql_type)`` (SQL with ``{v}`` for the column)
    over ``source`` (a table, or a subquery with a name), for every column.

    Never one SELECT over thousands of columns, whose cost in DuckDB grows with the square of their
    number: over a short table, the columns of one type are turned into (name, value) rows and
    aggregated in one grouped query (NULLs dropped, which no aggregate here counts); over a long one,
    `PROFILE_BATCH_COLUMNS` columns go in each wide query, which is faster there.
    """
    out: dict[str, tuple] = {}
    by_type: dict[str, list[str]] = {}
    for c, t in columns:
        by_type.setdefault(t, []).append(c)
    for sql_type, names in by_type.items():
        exprs = templates(sql_type)
        if rows <= LONG_FORM_MAX_ROWS:
            for batch in _batches(names, LONG_FORM_BATCH_COLUMNS):
                select = ", ".join(f"{quote_identifier(c)} AS c{j}" for j, c in enumerate(batch))
                aggregates = ", ".join(e.format(v="value") for e in exprs)
                found = {name: values for name, *values in con.execute(
                    f"SELECT name, {aggregates} FROM (UNPIVOT (SELECT {select} FROM {source}) "
                    "ON COLUMNS(*) INTO NAME name VALUE value) GROUP BY name").fetchall()}
                # A column with no value at all has no (name, value) row: its aggregates over nothing.
                empty = None
                for j, c in enumerate(batch):
                    if f"c{j}" not in found and empty is None:
                        empty = con.execute(f"SELECT {', '.join(e.format(v='x') for e in exprs)} "
                                            f"FROM (SELECT CAST(NULL AS {sql_type}) AS x) WHERE false").fetchone()
                    out[c] = tuple(found.get(f"c{j}", empty))
        else:
            for batch in _batches(names, PROFILE_BATCH_COLUMNS):
                values = con.execute("SELECT " + ", ".join(e.format(v=quote_identifier(c)) for c in batch for e in exprs)
                                     + f" FROM {source}").fetchone()
                for j, c in enumerate(batch):
                    out[c] = tuple(values[j * len(exprs): (j + 1) * len(exprs)])
    return out


def profile_table(con, table: str) -> list[ColumnSummary]:
    """A `ColumnSummary` of every column of ``table``, from a few aggregate queries in DuckDB (see `_aggregate`)."""
    described = describe_table(con, table)
    if not described:
        return []
    rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    tokens = r"'^\s*-?\d+(\.\d+)?(\s+-?\d+(\.\d+)?)*\s*$'"
    multi = r"'^\s*-?\d+(\.\d+)?(\s+-?\d+(\.\d+)?)+\s*$'"
    words = ", ".join(f"'{w}'" for w in TRUE_WORDS + FALSE_WORDS)

    def overall(sql_type):
        return ["count({v})", "approx_count_distinct({v})", "CAST(min({v}) AS VARCHAR)", "CAST(max({v}) AS VARCHAR)"]

    def sampled(sql_type):
        family = column_family(sql_type)
        text = "CAST({v} AS VARCHAR)"
        return ["count({v})",
                f"avg(length({text}))" if family == "text" else "NULL",
                f"avg(length({text}) - length(replace({text}, ' ', '')) + 1)" if family == "text" else "NULL",
                f"count(*) FILTER (WHERE regexp_matches({text}, {tokens}))" if family == "text" else "0",
                f"count(*) FILTER (WHERE regexp_matches({text}, {multi}))" if family == "text" else "0",
                f"count(*) FILTER (WHERE lower(trim({text})) IN ({words}))",
                "bool_and({v} = round({v}))" if family == "float" else "NULL"]

    totals = _aggregate(con, table, described, rows, overall)
    sample = f"(SELECT * FROM {table} LIMIT {PROFILE_SAMPLE_ROWS}) AS sample"
    facts = _aggregate(con, sample, described, min(rows, PROFILE_SAMPLE_ROWS), sampled)
    profiles = []
    near_unique = []
    for c, t in described:
        present, distinct, low, high = totals[c]
        s_present, mean_length, mean_words, token, multi_token, yes_no, whole = facts[c]
        s_present = s_present or 0
        share = (lambda n: (n or 0) / s_present if s_present else 0.0)
        profiles.append(ColumnSummary(c, t, column_family(t), rows, present or 0, min(distinct or 0, present or 0),
                                      low, high, mean_length, mean_words, share(token), share(multi_token),
                                      share(yes_no), whole))
        if present and distinct >= 0.9 * present:
            near_unique.append(len(profiles) - 1)
    exact = _aggregate(con, table, [described[i] for i in near_unique], rows, lambda t: ["count(DISTINCT {v})"])
    for i in near_unique:
        profiles[i] = replace(profiles[i], distinct=int(exact[described[i][0]][0]))
    return profiles
