"""Whole-table and numeric figures of a dataset: counts, duplicates, size, moments, histograms, correlations."""
from __future__ import annotations

import math
from collections.abc import Sequence

from storage.stats.columns import type_family
from storage.stats.expressions import StatsBase, finite

#: Width in bytes of one value of a fixed-width type, for the in-memory size estimate.
TYPE_BYTES = {"BOOLEAN": 1, "TINYINT": 1, "UTINYINT": 1, "SMALLINT": 2, "USMALLINT": 2, "INTEGER": 4,
              "UINTEGER": 4, "FLOAT": 4, "REAL": 4, "DATE": 4, "BIGINT": 8, "UBIGINT": 8, "DOUBLE": 8,
              "TIMESTAMP": 8, "TIMESTAMP WITH TIME ZONE": 8, "TIMESTAMP_S": 8, "TIMESTAMP_MS": 8,
              "TIMESTAMP_NS": 8, "TIME": 8, "HUGEINT": 16, "UHUGEINT": 16, "UUID": 16, "INTERVAL": 16}
#: DuckDB keeps a string as a 16-byte header plus its bytes.
STRING_HEADER_BYTES = 16


class FiguresMixin(StatsBase):
    """Figures of the whole table and of its numeric columns."""

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
            out[name] = {"count": int(count), "min": finite(lo), "max": finite(hi), "mean": finite(mean),
                         "q1": finite(q1), "median": finite(median), "q3": finite(q3),
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
            out[name] = {"m2": finite(m2), "m3": finite(m3), "counts": counts, "whisker_low": finite(whisker_low),
                         "whisker_high": finite(whisker_high), "outliers": int(outliers or 0)}
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
