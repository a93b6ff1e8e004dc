"""The base of `DatasetStats`: checked, quoted column expressions over one stored table."""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from storage.errors import UserError
from storage.sql import DATE_PART_SQL, FLOAT_TYPES, describe_table, quote_identifier
from storage.stats.columns import type_family

if TYPE_CHECKING:
    from storage.workspace import Dataset


class UnknownColumn(UserError):
    """A column that was named does not exist in the dataset."""


def finite(value) -> float | None:
    """A finite float, or None for missing / NaN / infinite."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


class StatsBase:
    """One stored dataset version on one open connection, and the SQL expressions of its columns."""

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
