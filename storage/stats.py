"""Aggregate statistics of a stored dataset, computed inside DuckDB so a table of any size never passes
through pandas: counts, distinct values, moments, quantiles, histograms, top values, date parts, text
lengths, correlations, contingency tables, group moments and seeded samples.

Every column name is checked against the table's schema and quoted; every value is a bound parameter.
"""
from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import pandas as pd

from storage.errors import UserError
from storage.sql import (DATE_PART_SQL, FALSE_WORDS, FLOAT_TYPES, TIME_TYPE, TRUE_WORDS, column_family,
                         describe_table, quote_identifier)

if TYPE_CHECKING:
    from storage.workspace import Dataset, Workspace

#: Width in bytes of one value of a fixed-width type, for the in-memory size estimate.
TYPE_BYTES = {"BOOLEAN": 1, "TINYINT": 1, "UTINYINT": 1, "SMALLINT": 2, "USMALLINT": 2, "INTEGER": 4,
              "UINTEGER": 4, "FLOAT": 4, "REAL": 4, "DATE": 4, "BIGINT": 8, "UBIGINT": 8, "DOUBLE": 8,
              "TIMESTAMP": 8, "TIMESTAMP WITH TIME ZONE": 8, "TIMESTAMP_S": 8, "TIMESTAMP_MS": 8,
              "TIMESTAMP_NS": 8, "TIME": 8, "HUGEINT": 16, "UHUGEINT": 16, "UUID": 16, "INTERVAL": 16}
#: DuckDB keeps a string as a 16-byte header plus its bytes.
STRING_HEADER_BYTES = 16
HASH_SPACE = 2**64
#: The explorer's coarser names for the families of `storage.sql.column_family`.
EXPLORE_FAMILIES = {"integer": "number", "float": "number", "datetime": "date"}
#: The sampled facts of `ColumnSummary` are over this many first rows.
PROFILE_SAMPLE_ROWS = 10_000


class UnknownColumn(UserError):
    """A column that was named does not exist in the dataset."""


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


class DatasetStats:
    """Aggregate queries over one stored dataset version, on one open connection.

    Get one with ``with open_stats(ws, key) as stats:``. Methods take column names as the user sees
    them; each is checked to exist before it is placed (quoted) in SQL.
    """

    def __init__(self, con, dataset: Dataset):
        self._con = con
        self.dataset = dataset
        self._table = dataset.table_name  # a generated identifier, never user text
        self.schema: dict[str, str] = dict(describe_table(con, self._table))
        self.rows: int = con.execute(f"SELECT count(*) FROM {self._table}").fetchone()[0]

    # -- expressions ----------------------------------------------------------------------------

    def _column(self, name: str) -> str:
        if name not in self.schema:
            raise UnknownColumn(f"Dataset '{self.dataset.name}' has no column '{name}'. Pick one of its columns.",
                                key="explore.error.unknown_column", params={"name": self.dataset.name, "column": name})
        return quote_identifier(name)

    def _value(self, name: str) -> str:
        """The column as DOUBLE for numbers (NaN and infinities as missing), as is otherwise."""
        q = self._column(name)
        sql_type = self.schema[name].upper()
        if sql_type in FLOAT_TYPES:
            return f"(CASE WHEN isfinite({q}) THEN CAST({q} AS DOUBLE) END)"
        if type_family(sql_type) in ("number", "boolean"):
            return f"CAST({q} AS DOUBLE)"
        return q

    def _values_from(self, columns: Sequence[str]) -> str:
        """A subquery with each column's value as ``x0``, ``x1``, ...: every expression is computed
        once per row, however many aggregates then use it."""
        select = ", ".join(f"{self._value(name)} AS x{i}" for i, name in enumerate(columns))
        return f"(SELECT {select} FROM {self._table})"

    def _fetchable(self, name: str) -> str:
        """The column as pandas can take it: time-zone-aware times as local times (no pytz needed)."""
        q = self._column(name)
        if self.schema[name].upper() == "TIMESTAMP WITH TIME ZONE":
            return f"CAST({q} AS TIMESTAMP) AS {q}"
        return q

    def _level(self, name: str, part: str | None = None) -> str:
        """A column (or one part of a date column) as text levels for counting and grouping."""
        q = self._column(name)
        if part is None:
            if self.schema[name].upper() in FLOAT_TYPES:
                return f"CAST({self._value(name)} AS VARCHAR)"
            return f"CAST({q} AS VARCHAR)"
        if part not in DATE_PART_SQL:
            raise ValueError(f"unknown date part {part!r}")
        return f"CAST({DATE_PART_SQL[part].format(c=q)} AS VARCHAR)"

    # -- whole-table figures --------------------------------------------------------------------

    def column_counts(self, exact_distinct_up_to: int = 10_000, exact_rows: int = 200_000) -> dict[str, dict]:
        """Per column: non-missing count, distinct values (exact, or approximate when huge) and, for
        text, the average length, the share of values with a space and their total bytes.

        Distinct counts are exact for tables of up to ``exact_rows`` rows and for columns whose
        HyperLogLog estimate is at most ``exact_distinct_up_to``; otherwise ``distinct_exact`` is False.
        """
        names = list(self.schema)
        if not names:
            return {}
        parts = []
        for name in names:
            family = type_family(self.schema[name])
            value = self._value(name)
            parts.append(f"count({value})")
            parts.append(f"approx_count_distinct({self._column(name)})" if family != "other" else "NULL")
            if family == "text":
                q = self._column(name)
                parts += [f"avg(length({q}))", f"avg(CAST(contains(trim({q}), ' ') AS INTEGER))", f"sum(strlen({q}))"]
            else:
                parts += ["NULL", "NULL", "NULL"]
        row = self._con.execute(f"SELECT {', '.join(parts)} FROM {self._table}").fetchone()
        out = {}
        for i, name in enumerate(names):
            count, approx, avg_length, space_share, text_bytes = row[5 * i: 5 * i + 5]
            out[name] = {"count": int(count), "distinct": None if approx is None else int(approx),
                         "distinct_exact": approx is None, "avg_length": avg_length,
                         "space_share": space_share, "text_bytes": int(text_bytes or 0)}
        exact = [n for n in names if out[n]["distinct"] is not None
                 and (self.rows <= exact_rows or out[n]["distinct"] <= exact_distinct_up_to)]
        if exact:
            values = self._con.execute("SELECT " + ", ".join(f"count(DISTINCT {self._value(n)})" for n in exact)
                                       + f" FROM {self._table}").fetchone()
            for name, value in zip(exact, values):
                out[name].update(distinct=int(value), distinct_exact=True)
        return out

    def duplicate_rows(self) -> int:
        """How many rows repeat an earlier row exactly (all columns equal).

        Rows are grouped by a hash of all their values first (one cheap pass); only rows whose hash
        repeats are compared value by value, so a hash collision can never count as a duplicate.
        """
        if not self.schema or self.rows == 0:
            return 0
        columns = ", ".join(self._column(c) for c in self.schema)
        return int(self._con.execute(
            f"WITH hashed AS (SELECT hash({columns}) AS row_hash FROM {self._table}), "
            "repeated AS (SELECT row_hash FROM hashed GROUP BY row_hash HAVING count(*) > 1), "
            f"candidates AS (SELECT {columns} FROM {self._table} WHERE hash({columns}) IN "
            "(SELECT row_hash FROM repeated)) "
            "SELECT (SELECT count(*) FROM candidates) - (SELECT count(*) FROM (SELECT DISTINCT * FROM candidates))"
        ).fetchone()[0])

    def memory_bytes(self, text_bytes: dict[str, int] | None = None) -> int:
        """An estimate of the table's size in memory, uncompressed: fixed widths plus string bytes."""
        total = 0
        for name, sql_type in self.schema.items():
            base = sql_type.upper()
            if type_family(base) == "text":
                total += self.rows * STRING_HEADER_BYTES + (text_bytes or {}).get(name, 0)
            elif base.startswith("DECIMAL"):
                total += self.rows * 16
            else:
                total += self.rows * TYPE_BYTES.get(base, 16)
        return int(total)

    # -- numbers --------------------------------------------------------------------------------

    def numeric_summary(self, columns: Sequence[str]) -> dict[str, dict]:
        """count, min, max, mean, quartiles (interpolated, as pandas) and whether every value is a whole
        number, for each numeric column, in one scan."""
        if not columns:
            return {}
        parts = []
        for i in range(len(columns)):
            v = f"x{i}"
            parts += [f"count({v})", f"min({v})", f"max({v})", f"avg({v})",
                      f"quantile_cont({v}, [0.25, 0.5, 0.75])", f"bool_and({v} = round({v}))"]
        row = self._con.execute(f"SELECT {', '.join(parts)} FROM {self._values_from(columns)}").fetchone()
        out = {}
        for i, name in enumerate(columns):
            count, lo, hi, mean, quartiles, whole = row[6 * i: 6 * i + 6]
            q1, median, q3 = quartiles if quartiles else (None, None, None)
            out[name] = {"count": int(count), "min": _f(lo), "max": _f(hi), "mean": _f(mean),
                         "q1": _f(q1), "median": _f(median), "q3": _f(q3),
                         "all_integer": bool(whole) if whole is not None else False}
        return out

    def distributions(self, specs: dict[str, tuple[float, float, float, int, float, float]]) -> dict[str, dict]:
        """Central moments, histogram counts and box-plot whiskers of numeric columns, in one scan.

        ``specs[column] = (center, low, width, bins, low_fence, high_fence)``. ``m2`` and ``m3`` are the
        sums of squared and cubed deviations from ``center`` (the mean, for the standard deviation and
        skew). Bar ``i`` holds values in ``[low + i*width, low + (i+1)*width)``, the last one also its
        upper edge. The whiskers are the most extreme values inside the fences; ``outliers`` counts the
        values outside them.
        """
        if not specs:
            return {}
        parts, args = [], []
        for i, (center, low, width, bins, low_fence, high_fence) in enumerate(specs.values()):
            v = f"x{i}"
            # CASE rather than FILTER: DuckDB evaluates it faster inside one wide aggregate.
            parts += [f"sum(({v} - ?) * ({v} - ?))", f"sum(({v} - ?) * ({v} - ?) * ({v} - ?))",
                      # greatest/least skip NULLs, so a missing value must not reach them.
                      f"histogram(CASE WHEN {v} IS NOT NULL THEN "
                      f"CAST(least(greatest(floor(({v} - ?) / ?), 0), ?) AS INTEGER) END)",
                      f"min(CASE WHEN {v} >= ? THEN {v} END)", f"max(CASE WHEN {v} <= ? THEN {v} END)",
                      f"count(CASE WHEN {v} < ? OR {v} > ? THEN 1 END)"]
            c = float(center)
            args += [c, c, c, c, c, float(low), float(width) if width > 0 else 1.0, int(bins) - 1,
                     float(low_fence), float(high_fence), float(low_fence), float(high_fence)]
        row = self._con.execute(f"SELECT {', '.join(parts)} FROM {self._values_from(list(specs))}", args).fetchone()
        out = {}
        for i, (name, spec) in enumerate(specs.items()):
            m2, m3, hist, whisker_low, whisker_high, outliers = row[6 * i: 6 * i + 6]
            counts = [0] * int(spec[3])
            for index, count in (hist or {}).items():
                if index is not None:
                    counts[int(index)] += int(count)
            out[name] = {"m2": _f(m2), "m3": _f(m3), "counts": counts, "whisker_low": _f(whisker_low),
                         "whisker_high": _f(whisker_high), "outliers": int(outliers or 0)}
        return out

    def correlations(self, columns: Sequence[str], centers: Sequence[float] | None = None,
                     counts: Sequence[int] | None = None) -> tuple[list[list[float | None]], list[list[int]]]:
        """The Pearson correlation of every pair of numeric columns over the rows where both are known,
        and the number of such rows; the diagonal is 1 (or None for a column without spread).

        Computed from sums of products of deviations from ``centers`` (each column's mean), which
        DuckDB adds up far faster than its ``corr`` aggregate. ``centers`` and ``counts`` (each
        column's known values) come from ``numeric_summary``; they are found first when not given.
        """
        k = len(columns)
        matrix: list[list[float | None]] = [[None] * k for _ in range(k)]
        pair_counts = [[0] * k for _ in range(k)]
        if k == 0:
            return matrix, pair_counts
        if centers is None or counts is None:
            row = self._con.execute("SELECT " + ", ".join(f"avg(x{i}), count(x{i})" for i in range(k))
                                    + f" FROM {self._values_from(columns)}").fetchone()
            centers, counts = row[0::2], row[1::2]
        complete = [int(n) == self.rows for n in counts]
        centered = ", ".join(f"x{i} - ? AS d{i}" for i in range(k))
        args = [float(c or 0.0) for c in centers]
        parts, slots = [], {}
        for i in range(k):
            if complete[i]:
                slots[i] = len(parts)
                parts += [f"sum(d{i})", f"sum(d{i} * d{i})"]
        pairs = [(i, j) for i in range(k) for j in range(i + 1, k)]
        for i, j in pairs:
            slots[i, j] = len(parts)
            if complete[i] and complete[j]:
                parts.append(f"sum(d{i} * d{j})")
            else:
                # x + 0 * y is missing whenever y is: sums over the rows where both are known.
                parts += [f"sum(d{i} * d{j})", f"count(d{i} * d{j})", f"sum(d{i} + 0 * d{j})",
                          f"sum(d{j} + 0 * d{i})", f"sum(d{i} * d{i} + 0 * d{j})", f"sum(d{j} * d{j} + 0 * d{i})"]
        for i in range(k):
            if not complete[i]:
                slots[i] = len(parts)
                parts += [f"sum(d{i})", f"sum(d{i} * d{i})"]
        row = self._con.execute(f"SELECT {', '.join(parts)} FROM (SELECT {centered} FROM "
                                f"{self._values_from(columns)})", args).fetchone()

        def single(i):
            return int(counts[i]), row[slots[i]] or 0.0, row[slots[i] + 1] or 0.0

        for i in range(k):
            n, sx, sxx = single(i)
            pair_counts[i][i] = n
            if n >= 2 and sxx - sx * sx / n > 0:
                matrix[i][i] = 1.0
        for i, j in pairs:
            at = slots[i, j]
            if complete[i] and complete[j]:
                (n, sx, sxx), (_, sy, syy), sxy = single(i), single(j), row[at] or 0.0
            else:
                sxy, n, sx, sy, sxx, syy = (v or 0 for v in row[at: at + 6])
            n = int(n)
            pair_counts[i][j] = pair_counts[j][i] = n
            vx, vy = sxx - sx * sx / n if n else 0, syy - sy * sy / n if n else 0
            if n >= 2 and vx > 0 and vy > 0:
                matrix[i][j] = matrix[j][i] = max(-1.0, min(1.0, (sxy - sx * sy / n) / math.sqrt(vx * vy)))
        return matrix, pair_counts

    # -- categories, dates, text ----------------------------------------------------------------

    def value_counts(self, column: str, limit: int) -> list[tuple[str, int]]:
        """The ``limit`` most frequent non-missing values as text with their counts, most frequent first."""
        level = self._level(column)
        rows = self._con.execute(
            f"SELECT {level}, count(*) FROM {self._table} WHERE {level} IS NOT NULL "
            "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?", [int(limit)]).fetchall()
        return [(str(level), int(n)) for level, n in rows]

    def date_summary(self, column: str, parts: Sequence[str]) -> dict:
        """count, first and last date, and the number of rows per value of each date part, in one scan."""
        q = self._column(column)
        parts = list(parts)
        select = ", ".join(f"{DATE_PART_SQL[p].format(c=q)} AS p{i}" for i, p in enumerate(parts))
        names = [f"p{i}" for i in range(len(parts))]
        sets = ", ".join([f"({n})" for n in names] + ["()"])
        flags = "".join(f", GROUPING({n})" for n in names)
        rows = self._con.execute(
            # As text: a time-zone-aware value would need pytz to become a Python object.
            f"SELECT {', '.join(names) + ', ' if names else ''}count(*), CAST(min(d) AS VARCHAR), "
            f"CAST(max(d) AS VARCHAR){flags} "
            f"FROM (SELECT {q} AS d{', ' + select if select else ''} FROM {self._table} WHERE {q} IS NOT NULL) "
            f"GROUP BY GROUPING SETS ({sets})").fetchall()
        out = {"count": 0, "min": None, "max": None, "parts": {p: [] for p in parts}}
        k = len(parts)
        for row in rows:
            grouped = row[k + 3:]
            if all(grouped):  # the () set: every row
                out.update(count=int(row[k]), min=row[k + 1], max=row[k + 2])
                continue
            i = list(grouped).index(0)
            out["parts"][parts[i]].append((int(row[i]), int(row[k])))
        for p in parts:
            out["parts"][p].sort()
        return out

    def text_lengths(self, column: str) -> dict[str, dict]:
        """Summaries of the length in characters and the number of words (or of list items)."""
        q = self._column(column)
        if type_family(self.schema[column]) == "list":
            measures = {"items": f"CAST(len({q}) AS DOUBLE)"}
        else:
            measures = {"characters": f"CAST(length({q}) AS DOUBLE)",
                        "words": f"CAST(len(string_split_regex(trim({q}), '\\s+')) AS DOUBLE)"}
        parts = []
        for expr in measures.values():
            parts += [f"count({expr})", f"min({expr})", f"max({expr})", f"avg({expr})", f"stddev_samp({expr})",
                      f"quantile_cont({expr}, [0.25, 0.5, 0.75])"]
        row = self._con.execute(f"SELECT {', '.join(parts)} FROM {self._table}").fetchone()
        out = {}
        for i, measure in enumerate(measures):
            count, lo, hi, mean, std, quartiles = row[6 * i: 6 * i + 6]
            q1, median, q3 = quartiles if quartiles else (None, None, None)
            out[measure] = {"count": int(count), "min": _f(lo), "max": _f(hi), "mean": _f(mean), "std": _f(std),
                            "q1": _f(q1), "median": _f(median), "q3": _f(q3)}
        return out

    def list_item_counts(self, column: str, limit: int) -> list[tuple[str, int]]:
        """The most frequent items of a list column (tokens), with how many times each occurs."""
        q = self._column(column)
        rows = self._con.execute(
            f"SELECT CAST(item AS VARCHAR), count(*) FROM "
            f"(SELECT unnest({q}) AS item FROM {self._table}) WHERE item IS NOT NULL "
            "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?", [int(limit)]).fetchall()
        return [(str(item), int(n)) for item, n in rows]

    # -- relations to a target ------------------------------------------------------------------

    def crosstab(self, feature: str, target: str, *, part: str | None = None) -> pd.DataFrame:
        """Rows counted by (feature level, target level) where both are known, as text.

        ``part`` counts a date column by that date part. Columns: ``level``, ``target``, ``n``.
        """
        level, tlevel = self._level(feature, part), self._level(target)
        return self._con.execute(
            f"SELECT {level} AS level, {tlevel} AS target, count(*) AS n FROM {self._table} "
            f"WHERE {level} IS NOT NULL AND {tlevel} IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2").df()

    def date_part_crosstabs(self, column: str, target: str, parts: Sequence[str]) -> dict[str, pd.DataFrame]:
        """``crosstab(column, target, part=p)`` for each date part ``p``, all in one scan."""
        q, tlevel = self._column(column), self._level(target)
        parts = list(parts)
        if not parts:
            return {}
        select = ", ".join(f"{self._level(column, p)} AS p{i}" for i, p in enumerate(parts))
        names = [f"p{i}" for i in range(len(parts))]
        sets = ", ".join(f"({n}, target)" for n in names)
        flags = ", ".join(f"GROUPING({n}) AS g{i}" for i, n in enumerate(names))
        frame = self._con.execute(
            f"SELECT {', '.join(names)}, target, count(*) AS n, {flags} FROM (SELECT {select}, {tlevel} AS target "
            f"FROM {self._table} WHERE {q} IS NOT NULL AND {tlevel} IS NOT NULL) GROUP BY GROUPING SETS ({sets})"
        ).df()
        out = {}
        for i, part in enumerate(parts):
            rows = frame[frame[f"g{i}"] == 0]
            out[part] = pd.DataFrame({"level": rows[f"p{i}"].to_numpy(), "target": rows["target"].to_numpy(),
                                      "n": rows["n"].to_numpy()}).sort_values(["level", "target"],
                                                                              ignore_index=True)
        return out

    def group_moments(self, values: Sequence[str], by: str, *, part: str | None = None) -> pd.DataFrame:
        """Count, mean and population variance of each numeric column in ``values`` per level of ``by``.

        Rows with ``by`` missing are left out; each value column ignores its own missing values.
        Columns: ``level``, then ``n_i``, ``mean_i``, ``var_i`` for the i-th value column.
        """
        level = self._level(by, part)
        select = "".join(f", {self._value(v)} AS x{i}" for i, v in enumerate(values))
        aggs = "".join(f", count(x{i}) AS n_{i}, avg(x{i}) AS mean_{i}, var_pop(x{i}) AS var_{i}"
                       for i in range(len(values)))
        return self._con.execute(
            f"SELECT level{aggs} FROM (SELECT {level} AS level{select} FROM {self._table} "
            f"WHERE {level} IS NOT NULL) GROUP BY 1 ORDER BY 1").df()

    def group_quantiles(self, value: str, by: str, *, part: str | None = None,
                        max_levels: int = 30) -> pd.DataFrame:
        """Box-plot figures of a numeric column for the ``max_levels`` most frequent levels of ``by``:
        count, mean, quartiles and whiskers (the most extreme values within 1.5 interquartile
        ranges of the box). Columns: ``level``, ``n``, ``mean``, ``q1``, ``median``, ``q3``,
        ``whisker_low``, ``whisker_high``.
        """
        level, v = self._level(by, part), self._value(value)
        return self._con.execute(
            f"WITH r AS (SELECT {level} AS level, {v} AS x FROM {self._table} "
            f"WHERE {level} IS NOT NULL AND {v} IS NOT NULL), "
            # Positional GROUP BY / ORDER BY throughout: a user column may itself be called "level".
            "top AS (SELECT level FROM r GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT ?), "
            "v AS (SELECT level, x FROM r WHERE level IN (SELECT level FROM top)), "
            "g AS (SELECT level, count(*) AS n, avg(x) AS mean, quantile_cont(x, [0.25, 0.5, 0.75]) AS q "
            "FROM v GROUP BY 1) "
            "SELECT g.level, any_value(g.n) AS n, any_value(g.mean) AS mean, any_value(g.q[1]) AS q1, "
            "any_value(g.q[2]) AS median, any_value(g.q[3]) AS q3, "
            "min(CASE WHEN x >= g.q[1] - 1.5 * (g.q[3] - g.q[1]) THEN x END) AS whisker_low, "
            "max(CASE WHEN x <= g.q[3] + 1.5 * (g.q[3] - g.q[1]) THEN x END) AS whisker_high "
            "FROM v JOIN g ON v.level = g.level GROUP BY g.level ORDER BY g.level", [int(max_levels)]).df()

    # -- rows -----------------------------------------------------------------------------------

    def sample(self, columns: Sequence[str], size: int, seed: int = 0) -> pd.DataFrame:
        """A seeded random sample of at most ``size`` rows, in stored row order.

        The sample is the ``size`` rows with the smallest ``hash(rowid + seed)``: the same rows for
        the same table and seed, whatever the number of threads. All rows when the table is smaller.
        """
        select = ", ".join(self._fetchable(c) for c in columns) or "NULL AS none"
        if self.rows <= size:
            return self._con.execute(f"SELECT {select} FROM {self._table} ORDER BY rowid").df()
        # Pre-filter on the hash (a cheap scan) with a margin, then keep the exact smallest ``size``.
        fraction = min(1.0, 1.2 * size / self.rows + 1e-3)
        threshold = min(HASH_SPACE - 1, int(fraction * HASH_SPACE))
        # The row ids are picked first and joined back: cheap, and it sidesteps late materialization.
        return self._con.execute(
            f"WITH picked AS MATERIALIZED (SELECT rowid AS picked_row FROM {self._table} "
            "WHERE hash(rowid + ?) <= ? ORDER BY hash(rowid + ?) LIMIT ?) "
            f"SELECT {select} FROM {self._table} SEMI JOIN picked ON {self._table}.rowid = picked.picked_row "
            f"ORDER BY {self._table}.rowid", [int(seed), threshold, int(seed), int(size)]).df()


@contextmanager
def open_stats(ws: Workspace, key: str) -> Iterator[DatasetStats]:
    """Aggregate queries over the current version of dataset ``key`` (id or name) of ``ws``."""
    dataset = ws.dataset(key)
    with ws.connect() as con:
        yield DatasetStats(con, dataset)


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


def _f(value) -> float | None:
    """A finite float, or None for missing / NaN / infinite."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None
