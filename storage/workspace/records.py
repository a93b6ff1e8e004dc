"""The records a workspace hands out (datasets, versions, drafts, pages, runs) and the errors it raises."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from storage.ingest import FileReport
from storage.errors import UserError
from storage.stats import ColumnSummary

if TYPE_CHECKING:
    import pandas as pd

#: Row ids of rows added in a draft start here, so they sort after every stored row (rowids are < 2**62).
ADDED_ROW_BASE = 1 << 62
#: How a row filter compares a column with its value (see `Filter`).
FILTER_OPS = ("eq", "ne", "lt", "le", "gt", "ge", "contains", "starts", "missing", "present")


@dataclass(frozen=True)
class Dataset:
    """One version of a dataset (the current one unless asked otherwise) and the table that holds it."""

    dataset_id: str
    name: str
    version: int
    rows: int
    columns: int
    source: str | None
    created: datetime
    table_name: str
    size_bytes: int | None = None


@dataclass(frozen=True)
class Run:
    """One model trained on one version of a dataset: its settings, status and scores."""

    run_id: str
    dataset_id: str
    dataset_name: str
    dataset_version: int
    target: str
    task: str
    model: str
    status: str
    metric: str | None
    metrics: dict
    settings: dict
    fit_seconds: float | None
    error: str | None
    created: datetime


class DatasetNotFound(UserError):
    """No dataset of this user has that id or name."""


class RunNotFound(UserError):
    """No run of this user has that id."""


class DraftPending(UserError):
    """A change to a whole dataset was asked for while grid edits are still unsaved."""


class EditConflict(UserError):
    """Grid edits made on one version were to be saved while a later version is the latest (another tab or
    session saved in between): the user chooses to save them over the latest, as a new dataset, or not."""


@dataclass(frozen=True)
class Version:
    """One saved version of a dataset; ``change`` says what it changed ({"code": ..., params}) and
    ``note`` is its code (the catalogue's ``data.change.<code>`` says it in words)."""

    version: int
    rows: int
    columns: int
    note: str | None
    change: dict
    size_bytes: int | None
    created: datetime
    current: bool


@dataclass(frozen=True)
class Draft:
    """Unsaved grid edits of a dataset: how many cells, deleted and added rows, made on ``base_version``."""

    base_version: int
    cells: int
    deleted: int
    added: int
    updated: datetime

    @property
    def changes(self) -> int:
        return self.cells + self.deleted + self.added


@dataclass(frozen=True)
class Filter:
    """A row filter: ``column`` ``op`` ``value``; op is one of `FILTER_OPS`."""

    column: str
    op: str
    value: object = None


@dataclass(frozen=True)
class Page:
    """One page of a dataset: ``frame`` is indexed by row id; ``total`` counts the rows that pass the filters."""

    frame: pd.DataFrame
    total: int
    offset: int
    limit: int
    base_version: int
    columns: list[tuple[str, str]]
    draft: Draft | None


@dataclass(frozen=True)
class FilePreview:
    """The first rows of a file as they would be saved, how it was read, and its column summaries."""

    frame: pd.DataFrame
    report: FileReport
    profiles: list[ColumnSummary]
