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
#: Tables up to this many rows count distinct values in long form (see `_exact_distinct`), this many
#: columns at a time.
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


def profile_table(con, table: str) -> list[ColumnSummary]:
    """A `ColumnSummary` of every column of ``table``, from a few aggregate queries in DuckDB.

    The aggregates go in batches of `PROFILE_BATCH_COLUMNS` columns: one SELECT over thousands of
    columns costs DuckDB time and memory that grow with the square of the column count.
    """
    described = describe_table(con, table)
    if not described:
        return []
    rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    totals: list = []
    facts: list = []
    tokens = r"'^\s*-?\d+(\.\d+)?(\s+-?\d+(\.\d+)?)*\s*$'"
    multi = r"'^\s*-?\d+(\.\d+)?(\s+-?\d+(\.\d+)?)+\s*$'"
    words = ", ".join(f"'{w}'" for w in TRUE_WORDS + FALSE_WORDS)
    for batch in _batches(described, PROFILE_BATCH_COLUMNS):
        overall = []
        sampled = []
        for c, t in batch:
            q = quote_identifier(c)
            overall += [f"count({q})", f"approx_count_distinct({q})", f"CAST(min({q}) AS VARCHAR)",
                        f"CAST(max({q}) AS VARCHAR)"]
            text = f"CAST({q} AS VARCHAR)"
            family = column_family(t)
            sampled += [f"count({q})",
                        f"avg(length({text}))" if family == "text" else "NULL",
                        f"avg(length({text}) - length(replace({text}, ' ', '')) + 1)" if family == "text" else "NULL",
                        f"count(*) FILTER (WHERE regexp_matches({text}, {tokens}))" if family == "text" else "0",
                        f"count(*) FILTER (WHERE regexp_matches({text}, {multi}))" if family == "text" else "0",
                        f"count(*) FILTER (WHERE lower(trim({text})) IN ({words}))",
                        f"bool_and({q} = round({q}))" if family == "float" else "NULL"]
        columns = ", ".join(quote_identifier(c) for c, _ in batch)
        totals += con.execute(f"SELECT {', '.join(overall)} FROM {table}").fetchone()
        facts += con.execute(f"SELECT {', '.join(sampled)} FROM (SELECT {columns} FROM {table} "
                             f"LIMIT {PROFILE_SAMPLE_ROWS})").fetchone()
    profiles = []
    near_unique = []
    for i, (c, t) in enumerate(described):
        present, distinct, low, high = totals[4 * i: 4 * i + 4]
        s_present, mean_length, mean_words, token, multi_token, yes_no, whole = facts[7 * i: 7 * i + 7]
        share = (lambda n: n / s_present if s_present else 0.0)
        profiles.append(ColumnSummary(c, t, column_family(t), rows, present, min(distinct, present), low, high,
                                      mean_length, mean_words, share(token), share(multi_token), share(yes_no),
                                      whole))
        if present and distinct >= 0.9 * present:
            near_unique.append(i)
    exact = _exact_distinct(con, table, [described[i] for i in near_unique], rows)
    for i in near_unique:
        profiles[i] = replace(profiles[i], distinct=exact[described[i][0]])
    return profiles


def _exact_distinct(con, table: str, columns: list[tuple[str, str]], rows: int) -> dict[str, int]:
    """``{column: number of distinct values}``. Over a short table, the columns of one type are turned
    into (name, value) rows and counted in one grouped query (``count(DISTINCT ...)`` per column costs a
    hash table each); over a long one, a column's own ``count(DISTINCT ...)`` is faster."""
    counts: dict[str, int] = {}
    if rows <= LONG_FORM_MAX_ROWS:
        by_type: dict[str, list[str]] = {}
        for c, t in columns:
            by_type.setdefault(t, []).append(c)
        for names in by_type.values():
            for batch in _batches(names, LONG_FORM_BATCH_COLUMNS):
                select = ", ".join(f"{quote_identifier(c)} AS c{j}" for j, c in enumerate(batch))
                found = con.execute(f"SELECT name, count(DISTINCT value) FROM (UNPIVOT (SELECT {select} FROM {table}) "
                                    "ON COLUMNS(*) INTO NAME name VALUE value) GROUP BY name").fetchall()
                seen = dict(found)
                counts.update({c: int(seen.get(f"c{j}", 0)) for j, c in enumerate(batch)})
        return counts
    for batch in _batches([c for c, _ in columns], PROFILE_BATCH_COLUMNS):
        found = con.execute("SELECT " + ", ".join(f"count(DISTINCT {quote_identifier(c)})" for c in batch)
                            + f" FROM {table}").fetchone()
        counts.update({c: int(n) for c, n in zip(batch, found)})
    return counts
