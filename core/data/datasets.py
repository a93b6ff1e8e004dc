"""Datasets in: a file inspected and ingested, column types chosen, samples and blank tables made, a dataset exported."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from core.data import samples, types
from core.errors import UserError
from storage.ingest import FileReport, Progress, ReadOptions, clean_column_names
from storage.users import ensure_storage_room
from storage.workspace import Dataset, Workspace


@dataclass(frozen=True)
class Inspection:
    """A file as it would be saved: what was detected (and the notes), its first rows, the inferred types."""

    report: FileReport
    preview: pd.DataFrame
    types: dict[str, str]
    profiles: list = field(default_factory=list, repr=False)


@dataclass(frozen=True)
class Ingested:
    """A saved upload: the dataset, how the file was read, and each column's type."""

    dataset: Dataset
    report: FileReport
    types: dict[str, str]

    def to_json(self) -> dict:
        r = self.report
        return {"dataset": self.dataset.name, "dataset_id": self.dataset.dataset_id, "rows": self.dataset.rows,
                "columns": self.dataset.columns, "format": r.format, "encoding": r.encoding,
                "delimiter": r.delimiter, "header_row": r.header_row, "sheet": r.sheet, "types": self.types,
                "notes": [str(n) for n in r.notes]}


def upload_size(path: Path, shown: str) -> int:
    """The size in bytes of a file the user gave (called ``shown``), refusing an empty one with a message."""
    size = Path(path).stat().st_size
    if size == 0:
        raise UserError(f"'{shown}' is empty. Choose a file with a header row and data.",
                        key="data.error.empty_file", params={"name": shown})
    return size


def inspect_file(ws: Workspace, path: Path, original_name: str | None = None,
                 options: ReadOptions | None = None, rows: int | None = None) -> Inspection:
    """Read the first rows of a file the way `ingest` would, without saving anything."""
    shown = original_name or Path(path).name
    upload_size(path, shown)
    preview = ws.preview_file(Path(path), options, name=shown, rows=rows)
    return Inspection(preview.report, preview.frame, types.infer_types(preview.profiles), preview.profiles)


def ingest(ws: Workspace, path: Path, name: str | None = None, original_name: str | None = None,
           options: ReadOptions | None = None, column_types: dict[str, str] | None = None,
           progress: Progress | None = None) -> Ingested:
    """Store the file at ``path`` as a new dataset; ``original_name`` is what the user's file was called.

    ``column_types`` ({column: type}) are the user's choices over the inferred types; columns that need
    it are converted, and a value that does not fit stops the save (nothing is stored).
    """
    shown = original_name or Path(path).name
    ensure_storage_room(ws.username, upload_size(path, shown), ws.root)
    casts, chosen = {}, {}
    if column_types:
        profiles = inspect_file(ws, path, shown, options).profiles
        chosen, casts = types.plan_type_changes(profiles, column_types)
    dataset, report = ws.ingest(Path(path), name or Path(shown).stem, source=shown, options=options,
                                casts=casts, types=chosen, progress=progress)
    return Ingested(dataset, report, dataset_types(ws, dataset.dataset_id))


def ingest_file(ws: Workspace, path: Path, name: str | None = None, original_name: str | None = None,
                options: ReadOptions | None = None) -> Dataset:
    """`ingest`, returning only the new dataset."""
    return ingest(ws, path, name, original_name, options).dataset


def dataset_types(ws: Workspace, key: str, version: int | None = None) -> dict[str, str]:
    """``{column: type}`` of a dataset version: the user's choices, else the inferred type."""
    return types.infer_types(ws.column_profiles(key, version), ws.column_type_overrides(key, version))


def change_column_types(ws: Workspace, key: str, changes: dict[str, str], *, strict: bool = True) -> Dataset:
    """Give columns new types (converting them where needed) as a new version of the dataset."""
    current = dataset_types(ws, key)
    changes = {c: t for c, t in changes.items() if types.check_type(t) != current.get(c)}
    if not changes:
        raise UserError("Nothing to change: every column already has the type you chose.",
                        key="data.error.types_unchanged")
    chosen, casts = types.plan_type_changes(ws.column_profiles(key), changes)
    return ws.set_column_types(key, chosen, casts, strict=strict)


def load_sample(ws: Workspace, key: str, name: str | None = None) -> Dataset:
    """Save one of the built-in sample tables (`core.data.samples.SAMPLES`) as a new dataset."""
    title = samples.SAMPLES.get(key, (key,))[0]
    return ws.save_frame(samples.sample_frame(key), name or title, source=f"sample:{key}")


def _typed(values: pd.Series) -> pd.Series:
    present = values.dropna()
    if present.empty:
        return values.astype("string")
    numbers = pd.to_numeric(present.astype(str).str.replace(",", "", regex=False), errors="coerce")
    if numbers.notna().all():
        converted = pd.to_numeric(values.astype("string").str.replace(",", "", regex=False), errors="coerce")
        return converted.astype("Int64") if (numbers == numbers.round()).all() else converted
    return values.astype("string")


def create_blank(ws: Workspace, name: str, columns: list[str], rows: pd.DataFrame | None = None) -> Dataset:
    """A new dataset from typed column names and (optionally) typed rows; empty rows are left out.

    Cells are text as typed; a column whose every value is a number (or a date) is stored as one.
    """
    names, _ = clean_column_names([c for c in columns if str(c).strip()])
    if not names:
        raise UserError("Type at least one column name.", key="data.error.no_columns")
    frame = pd.DataFrame(columns=names, dtype="object") if rows is None else rows.copy()
    frame = frame.reindex(columns=list(frame.columns)[: len(names)])
    frame.columns = names[: frame.shape[1]]
    for missing in names[frame.shape[1]:]:
        frame[missing] = None
    frame = frame.astype("object").where(frame.notna(), None)
    frame = frame.map(lambda v: None if isinstance(v, str) and not v.strip() else v)
    frame = frame.dropna(how="all").reset_index(drop=True)
    for column in frame.columns:
        frame[column] = _typed(frame[column])
    return ws.save_frame(frame, name, source="blank")


def export_dataset(ws: Workspace, key: str, out: Path, version: int | None = None) -> Path:
    """Write a dataset to ``out``; the format follows its ending (.csv, .xlsx or .parquet)."""
    fmt = Path(out).suffix.lower().lstrip(".")
    fmt = {"xls": "xlsx", "pq": "parquet"}.get(fmt, fmt)
    return ws.export(key, fmt, version, target=Path(out))
