"""Levels of a dataset's columns: top values, dates, text lengths, crosstabs and group figures, and samples."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from storage.sql import DATE_PART_SQL
from storage.stats.columns import type_family
from storage.stats.expressions import StatsBase, finite

if TYPE_CHECKING:
    import pandas as pd

#: Values of DuckDB's 64-bit ``hash``, which orders the rows of a seeded sample.
HASH_SPACE = 2**64


class LevelsMixin(StatsBase):
    """Counts by level, date parts, text, relations to a target, and seeded samples."""

    def value_counts(self, column: str, limit: int) -> list[tuple[str, int]]:
        """The ``limit`` most frequent non-missing values as text with their counts, most frequent first."""
        level = self._level(column)
        rows = self._con.execute(
            f"SELECT {level}, count(*) FROM {self._table} WHERE {level} IS NOT NULL "
            "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?", [int(limit)]).fetchall()
        return [(str(level), int(n)) for level, n in rows]

    def target_facts(self, column: str) -> dict:
        """What decides a target's task, over every row: ``present`` values, exact ``distinct`` values, the
        column's ``family`` and, for numbers, ``minimum``, ``maximum`` and whether all are ``whole`` numbers."""
        q = self._column(column)
        family = type_family(self.schema[column])
        numbers = f"CAST(min({q}) AS DOUBLE), CAST(max({q}) AS DOUBLE), bool_and({q} = round({q}))" \
            if family == "number" else "NULL, NULL, NULL"
        present, distinct, low, high, whole = self._con.execute(
            f"SELECT count({q}), count(DISTINCT {q}), {numbers} FROM {self._table}").fetchone()
        return {"present": int(present), "distinct": int(distinct), "family": family, "minimum": low,
                "maximum": high, "whole": bool(whole) if whole is not None else None}

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
            out[measure] = {"count": int(count), "min": finite(lo), "max": finite(hi), "mean": finite(mean),
                            "std": finite(std), "q1": finite(q1), "median": finite(median), "q3": finite(q3)}
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
        import pandas as pd
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
