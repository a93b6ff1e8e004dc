"""One user's workspace: datasets and their versions, grid drafts, runs, per-fold metrics and predictions.

`Workspace` is one object per user over ``users/<username>/workspace.duckdb``; each family of its
methods lives in its own module (uploads, datasets, versions, drafts, column tools, export, runs,
history) and is mixed in here.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from storage import paths
from storage.db import connect
from storage.sql import transaction
from storage.sql import DATE_PART_SQL, FALSE_WORDS, KIND_TYPES, TRUE_WORDS
from storage.workspace.column_tools import ColumnToolsMixin
from storage.workspace.columns import convert_expression, repair_row_id_columns
from storage.workspace.datasets import DatasetsMixin
from storage.workspace.drafts import DraftsMixin
from storage.workspace.export import EXCEL_MAX_ROWS, EXPORT_FORMATS, ExportMixin, write_xlsx_rows
from storage.workspace.history import HistoryMixin, change_values
from storage.workspace.records import (ADDED_ROW_BASE, FILTER_OPS, Dataset, DatasetNotFound, Draft, DraftPending,
                                       EditConflict, FilePreview, Filter, Page, Run, RunNotFound, Version)
from storage.workspace.runs import RunsMixin
from storage.workspace.safe_cells import csv_bytes, csv_header, safe_cell, safe_frame, safe_select
from storage.workspace.schema import SCHEMA
from storage.workspace.uploads import PREVIEW_READ_ROWS, UploadsMixin
from storage.workspace.versions import VersionsMixin

__all__ = [
    "Workspace", "Dataset", "Version", "Draft", "Filter", "Page", "FilePreview", "Run",
    "DatasetNotFound", "RunNotFound", "DraftPending", "EditConflict",
    "ADDED_ROW_BASE", "FILTER_OPS", "DATE_PART_SQL", "KIND_TYPES", "TRUE_WORDS", "FALSE_WORDS",
    "EXCEL_MAX_ROWS", "EXPORT_FORMATS", "PREVIEW_READ_ROWS", "SCHEMA",
    "change_values", "convert_expression", "write_xlsx_rows",
    "csv_bytes", "csv_header", "safe_cell", "safe_frame", "safe_select",
]


class Workspace(UploadsMixin, DatasetsMixin, VersionsMixin, DraftsMixin, ColumnToolsMixin, ExportMixin, RunsMixin,
                HistoryMixin):
    """Everything of one user in ``users/<username>/workspace.duckdb``."""

    def __init__(self, username: str, root: Path | None = None):
        self.username = paths.check_username(username)
        self.root = root or paths.data_dir()
        self.path = paths.workspace_db_path(username, self.root)

    @contextmanager
    def connect(self) -> Iterator:
        """A cursor on this user's workspace file (created, with its tables, on first use; checked once per
        process for columns stored under a reserved name, see `repair_row_id_columns`)."""
        with connect(self.path, SCHEMA) as con:
            key = self.path.resolve()
            if key not in _checked:
                with _checking:
                    if key not in _checked:
                        with transaction(con):
                            repair_row_id_columns(con)
                        _checked.add(key)
            yield con


#: Workspace files checked by `repair_row_id_columns` in this process.
_checked: set[Path] = set()
_checking = threading.Lock()
