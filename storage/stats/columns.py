"""What kind of column each one is: the column profile from which a column's type is inferred."""
from __future__ import annotations

from dataclasses import dataclass, replace

from storage.sql import FALSE_WORDS, TIME_TYPE, TRUE_WORDS, column_family, describe_table, quote_identifier

#: The explorer's coarser names for the families of `storage.sql.column_family`.
EXPLORE_FAMILIES = {"integer": "number", "float": "number", "datetime": "date"}
#: The sampled facts of `ColumnSummary` are over this many first rows.
PROFILE_SAMPLE_ROWS = 10_000


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


def profile_table(con, table: str) -> list[ColumnSummary]:
    """A `ColumnSummary` of every column of ``table``, from a few aggregate queries in DuckDB."""
    described = describe_table(con, table)
    if not described:
        return []
    overall = []
    for c, _ in described:
        q = quote_identifier(c)
        overall += [f"count({q})", f"approx_count_distinct({q})", f"CAST(min({q}) AS VARCHAR)",
                    f"CAST(max({q}) AS VARCHAR)"]
    totals = con.execute(f"SELECT count(*), {', '.join(overall)} FROM {table}").fetchone()
    rows = totals[0]
    tokens = r"'^\s*-?\d+(\.\d+)?(\s+-?\d+(\.\d+)?)*\s*$'"
    multi = r"'^\s*-?\d+(\.\d+)?(\s+-?\d+(\.\d+)?)+\s*$'"
    words = ", ".join(f"'{w}'" for w in TRUE_WORDS + FALSE_WORDS)
    sampled = []
    for c, t in described:
        q = quote_identifier(c)
        text = f"CAST({q} AS VARCHAR)"
        family = column_family(t)
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
        profiles.append(ColumnSummary(c, t, column_family(t), rows, present, min(distinct, present), low, high,
                                      mean_length, mean_words, share(token), share(multi_token), share(yes_no),
                                      whole))
        if present and distinct >= 0.9 * present:
            near_unique.append(i)
    if near_unique:
        exact = con.execute("SELECT " + ", ".join(f"count(DISTINCT {quote_identifier(described[i][0])})"
                                                  for i in near_unique) + f" FROM {table}").fetchone()
        for i, n in zip(near_unique, exact):
            profiles[i] = replace(profiles[i], distinct=int(n))
    return profiles
