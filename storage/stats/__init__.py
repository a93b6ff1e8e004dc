"""Aggregate statistics of a stored dataset, computed inside DuckDB so a table of any size never passes
through pandas: counts, distinct values, moments, quantiles, histograms, top values, date parts, text
lengths, correlations, contingency tables, group moments and seeded samples.

Every column name is checked against the table's schema and quoted; every value is a bound parameter.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from storage.stats.columns import PROFILE_SAMPLE_ROWS, ColumnSummary, profile_table, type_family
from storage.stats.expressions import UnknownColumn
from storage.stats.figures import FiguresMixin
from storage.stats.levels import LevelsMixin

if TYPE_CHECKING:
    from storage.workspace import Workspace

__all__ = ["DatasetStats", "open_stats", "type_family", "UnknownColumn", "ColumnSummary", "profile_table",
           "PROFILE_SAMPLE_ROWS"]


class DatasetStats(FiguresMixin, LevelsMixin):
    """Aggregate queries over one stored dataset version, on one open connection.

    Get one with ``with open_stats(ws, key) as stats:``. Methods take column names as the user sees
    them; each is checked to exist before it is placed (quoted) in SQL.
    """


@contextmanager
def open_stats(ws: Workspace, key: str) -> Iterator[DatasetStats]:
    """Aggregate queries over the current version of dataset ``key`` (id or name) of ``ws``."""
    dataset = ws.dataset(key)
    with ws.connect() as con:
        yield DatasetStats(con, dataset)
