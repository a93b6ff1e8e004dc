"""The operations of the app and the CLI: ingest, train and record runs, predict with a bundle."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from core.data import samples

from core.train import train as training

from core.data import types
from core.predict.contract import InputCheck, check_columns, empty_check
from core.errors import UserError
from core.predict.prediction import (PREVIEW_ROWS, Prediction, bundle_readme, kept_columns, predict_chunks, predict_frame,
                             record_frame)
from core.train.train import Progress, TrainResult, TrainSettings
from core.versions import library_versions
from storage import batches, bundles
from storage import ingest as files
from storage.users import ensure_storage_room
from storage.workspace import Dataset, Run, Workspace


# -- data in: inspect, ingest, types, samples, blank tables, export ------------------------------------

@dataclass(frozen=True)
class Inspection:
    """A file as it would be saved: what was detected (and the notes), its first rows, the inferred types."""

    report: files.FileReport
    preview: pd.DataFrame
    types: dict[str, str]
    profiles: list = field(default_factory=list, repr=False)


@dataclass(frozen=True)
class Ingested:
    """A saved upload: the dataset, how the file was read, and each column's type."""

    dataset: Dataset
    report: files.FileReport
    types: dict[str, str]

    def to_json(self) -> dict:
        r = self.report
        return {"dataset": self.dataset.name, "dataset_id": self.dataset.dataset_id, "rows": self.dataset.rows,
                "columns": self.dataset.columns, "format": r.format, "encoding": r.encoding,
                "delimiter": r.delimiter, "header_row": r.header_row, "sheet": r.sheet, "types": self.types,
                "notes": [str(n) for n in r.notes]}


def _check_upload(ws: Workspace, path: Path, shown: str) -> None:
    size = Path(path).stat().st_size
    if size == 0:
        raise UserError(f"'{shown}' is empty. Choose a file with a header row and data.",
                        key="data.error.empty_file", params={"name": shown})
    ensure_storage_room(ws.username, size, ws.root)


def inspect_file(ws: Workspace, path: Path, original_name: str | None = None,
                 options: files.ReadOptions | None = None, rows: int | None = None) -> Inspection:
    """Read the first rows of a file the way `ingest` would, without saving anything."""
    shown = original_name or Path(path).name
    if Path(path).stat().st_size == 0:
        raise UserError(f"'{shown}' is empty. Choose a file with a header row and data.",
                        key="data.error.empty_file", params={"name": shown})
    preview = ws.preview_file(Path(path), options, name=shown, rows=rows)
    return Inspection(preview.report, preview.frame, types.infer_types(preview.profiles), preview.profiles)


def ingest(ws: Workspace, path: Path, name: str | None = None, original_name: str | None = None,
           options: files.ReadOptions | None = None, column_types: dict[str, str] | None = None,
           progress: files.Progress | None = None) -> Ingested:
    """Store the file at ``path`` as a new dataset; ``original_name`` is what the user's file was called.

    ``column_types`` ({column: type}) are the user's choices over the inferred types; columns that need
    it are converted, and a value that does not fit stops the save (nothing is stored).
    """
    shown = original_name or Path(path).name
    _check_upload(ws, Path(path), shown)
    casts, chosen = {}, {}
    if column_types:
        profiles = inspect_file(ws, path, shown, options).profiles
        chosen, casts = types.plan_type_changes(profiles, column_types)
    dataset, report = ws.ingest(Path(path), name or Path(shown).stem, source=shown, options=options,
                                casts=casts, types=chosen, progress=progress)
    return Ingested(dataset, report, dataset_types(ws, dataset.dataset_id))


def ingest_file(ws: Workspace, path: Path, name: str | None = None, original_name: str | None = None,
                options: files.ReadOptions | None = None) -> Dataset:
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
    title = samples.SAMPLES.get(key, (key,))[0]
    return ws.save_frame(samples.sample_frame(key), name or title, source=f"sample:{key}")


def create_blank(ws: Workspace, name: str, columns: list[str], rows: pd.DataFrame | None = None) -> Dataset:
    """A new dataset from typed column names and (optionally) typed rows; empty rows are left out.

    Cells are text as typed; a column whose every value is a number (or a date) is stored as one.
    """
    names, _ = files.clean_column_names([c for c in columns if str(c).strip()])
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


def _typed(values: pd.Series) -> pd.Series:
    present = values.dropna()
    if present.empty:
        return values.astype("string")
    numbers = pd.to_numeric(present.astype(str).str.replace(",", "", regex=False), errors="coerce")
    if numbers.notna().all():
        converted = pd.to_numeric(values.astype("string").str.replace(",", "", regex=False), errors="coerce")
        return converted.astype("Int64") if (numbers == numbers.round()).all() else converted
    return values.astype("string")


def export_dataset(ws: Workspace, key: str, out: Path, version: int | None = None) -> Path:
    """Write a dataset to ``out``; the format follows its ending (.csv, .xlsx or .parquet)."""
    fmt = Path(out).suffix.lower().lstrip(".")
    fmt = {"xls": "xlsx", "pq": "parquet"}.get(fmt, fmt)
    return ws.export(key, fmt, version, target=Path(out))


@dataclass
class TrainingOutcome:
    """A finished comparison: the results and the run id given to each model."""

    dataset: Dataset
    result: TrainResult
    run_ids: dict[str, str] = field(default_factory=dict)

    def ranked_runs(self) -> list[tuple[str, training.ModelResult]]:
        return [(self.run_ids[r.model], r) for r in self.result.ranked()]

    def to_json(self) -> dict:
        """The CLI's ``train`` JSON: runs best first, each with its folds, importance and the baseline."""
        best, baseline = self.result.best, self.result.baseline
        metric = self.result.metric
        runs = []
        for run_id, r in self.ranked_runs():
            entry = {"run_id": run_id, "model": r.model, "status": r.status, "metrics": _finite(r.metrics),
                     "metrics_std": _finite(r.metrics_std), "train_metrics": _finite(r.train_metrics),
                     "fit_seconds": round(r.fit_seconds, 4), "params": r.params,
                     "fold_metrics": [{"fold": f, "split": s, "metric": m, "value": _finite_value(v)}
                                      for f, s, m, v in r.fold_metrics],
                     "importance": r.importance,
                     "baseline": {"model": baseline.model, metric: _finite_value(baseline.metrics.get(metric))}
                     if baseline else None,
                     "notes": r.notes}
            if r.test_metrics:
                entry["test_metrics"] = _finite(r.test_metrics)
            if r.features_kept or r.features_dropped:
                entry["features_kept"], entry["features_dropped"] = r.features_kept, r.features_dropped
            if r.error:
                entry["error"] = r.error
            runs.append(entry)
        return {"task": self.result.task, "metric": metric, "runs": runs,
                "best_run_id": self.run_ids[best.model] if best else None, "notes": self.result.notes}


def _finite_value(v):
    return None if v is None or v != v else float(v)


def _finite(values: dict) -> dict:
    return {k: _finite_value(v) for k, v in values.items()}


def train_dataset(ws: Workspace, dataset_key: str, settings: TrainSettings,
                  progress: Progress | None = None) -> TrainingOutcome:
    """Train every model of ``settings`` on the dataset now, and record each as a run with its bundle."""
    dataset = ws.dataset(dataset_key)
    frame = ws.load(dataset.dataset_id)
    try:
        result = training.train(frame, settings, progress)
    except Exception as err:
        ws.log_event("train", f"on '{dataset.name}' → {settings.target}", f"failed: {err}")
        raise
    outcome = record_training(ws, dataset, settings, result)
    ws.log_event("train", f"{', '.join(r.model for r in result.results)} on '{dataset.name}' → {settings.target}",
                 "finished")
    return outcome


def record_training(ws: Workspace, dataset: Dataset, settings: TrainSettings, result: TrainResult,
                    run_ids: dict[str, str] | None = None) -> TrainingOutcome:
    """Store each model of ``result`` as a run (under ``run_ids`` when the job runner chose them)."""
    outcome = TrainingOutcome(dataset, result)
    versions = library_versions()
    for r in result.results:
        run_id = (run_ids or {}).get(r.model) or uuid.uuid4().hex[:12]
        outcome.run_ids[r.model] = run_id
        run_settings = dict(settings.to_dict(), model=r.model, params=r.params, n_folds=result.n_folds)
        if r.pipeline is not None:
            bundles.save_bundle(ws.username, run_id, r.pipeline, {
                "run_id": run_id, "model": r.model, "task": result.task, "target": result.target,
                "classes": result.classes, "contract": result.contract, "metric": result.metric,
                "metrics": _finite(r.metrics), "settings": run_settings, "library_versions": versions,
                "dataset": {"id": dataset.dataset_id, "name": dataset.name, "version": dataset.version},
            }, ws.root)
        ws.add_run(run_id=run_id, dataset=dataset, target=result.target, task=result.task, model=r.model,
                   status=r.status, metric=result.metric, metrics=_finite(r.metrics),
                   settings=dict(run_settings, library_versions=versions, notes=result.notes + r.notes,
                                 metrics_std=_finite(r.metrics_std), train_metrics=_finite(r.train_metrics),
                                 test_metrics=_finite(r.test_metrics), classes=result.classes,
                                 features_kept=r.features_kept, features_dropped=r.features_dropped),
                   fit_seconds=r.fit_seconds, fold_metrics=r.fold_metrics, error=r.error)
        if r.status == "finished":
            ws.add_run_details(run_id, importance=r.importance, learning_curve=r.learning_curve, oof=r.oof)
    return outcome


# -- predict: new rows checked against a model's input contract, the active model, the bundle --------------

DEFAULT_CHUNK_ROWS = batches.DEFAULT_BATCH_ROWS


def run_sidecar(ws: Workspace, run_id: str) -> dict:
    """The sidecar of a run's model bundle (contract, classes, metrics, versions) without loading the model."""
    return bundles.read_sidecar(ws.username, run_id, ws.root)


def model_stamp(ws: Workspace, run_id: str) -> str:
    """What identifies the stored model of a run as it is on disk now (checksum, size, time), for caching."""
    sidecar = run_sidecar(ws, run_id)
    path = bundles.bundle_dir(ws.username, run_id, ws.root) / sidecar.get("pipeline_file", bundles.PIPELINE_FILE)
    stat = path.stat() if path.exists() else None
    return f"{sidecar.get('sha256')}:{stat.st_size if stat else 0}:{stat.st_mtime_ns if stat else 0}"


def load_model(ws: Workspace, run_id: str) -> tuple[Any, dict]:
    """The fitted pipeline and sidecar of a finished run, after checking its checksum and library versions."""
    run = ws.run(run_id)
    if run.status != "finished":
        raise UserError(f"Run '{run_id}' did not finish, so it has no model to predict with. Pick another run.",
                        key="predict.error.not_finished", params={"run": run_id})
    return bundles.load_bundle(ws.username, run_id, ws.root, current_versions=library_versions())


def predict_with(pipeline, sidecar: dict, frame: pd.DataFrame, *, keep: list[str] | None = None,
                 texts: dict[str, str] | None = None) -> Prediction:
    """Check ``frame`` against the contract of an already loaded model, then predict it (nothing recorded)."""
    return predict_frame(pipeline, sidecar, frame, keep=keep, texts=texts)


def predict(ws: Workspace, run_id: str, frame: pd.DataFrame, source: str | None = None, *,
            keep: list[str] | None = None, texts: dict[str, str] | None = None) -> Prediction:
    """Predict ``frame`` (in memory) with the model of ``run_id`` and record the prediction in the workspace."""
    pipeline, sidecar = load_model(ws, run_id)
    prediction = predict_frame(pipeline, sidecar, frame, keep=keep, texts=texts)
    ws.add_prediction(run_id=run_id, source=source, rows=len(prediction.frame), output_dataset_id=None)
    return prediction


def predict_record(pipeline, sidecar: dict, values: dict, texts: dict[str, str] | None = None) -> Prediction:
    """One record (``{column: value}``, e.g. from a form) predicted by a loaded model, with its checks."""
    return predict_frame(pipeline, sidecar, record_frame(values, sidecar["contract"]), texts=texts)


@dataclass
class BatchPrediction:
    """Rows predicted in chunks: the output file and dataset, the merged report, and a preview."""

    run_id: str
    source: str
    rows: int
    out: Path
    dataset: Dataset
    check: InputCheck
    preview: pd.DataFrame
    prediction_id: str

    def to_json(self) -> dict:
        """The CLI's ``predict`` JSON."""
        return {"rows": self.rows, "out": str(self.out), "warnings": self.check.messages(),
                "report": self.check.report, "extra_columns": self.check.extra_columns,
                "examples": {c: {k: [{"row": r, "value": v} for r, v in ex] for k, ex in kinds.items()}
                             for c, kinds in self.check.examples.items()},
                "dataset": self.dataset.name, "dataset_id": self.dataset.dataset_id, "run_id": self.run_id}


def predict_rows(ws: Workspace, run_id: str, *, path: Path | None = None, original_name: str | None = None,
                 options: files.ReadOptions | None = None, dataset: str | None = None, out: Path | None = None,
                 keep: list[str] | None = None, chunk_rows: int = DEFAULT_CHUNK_ROWS, name: str | None = None,
                 texts: dict[str, str] | None = None, progress: Progress | None = None) -> BatchPrediction:
    """Predict a file (any format the Data step reads) or a stored dataset, ``chunk_rows`` rows at a time.

    The rows are checked against the model's input contract first (missing columns stop everything
    before anything is written), then each chunk is predicted and streamed to the output CSV (UTF-8
    with a BOM; ``out``, or a new file in the user's directory) and appended to a new dataset.
    ``progress(fraction, message)`` is called after each chunk.
    """
    if int(chunk_rows) < 1:
        raise UserError("The chunk size is a number of rows, at least 1.", key="predict.error.chunk_size")
    pipeline, sidecar = load_model(ws, run_id)
    model = ws.run(run_id).model
    progress = progress or (lambda fraction, message: None)
    if path is not None:
        shown = original_name or Path(path).name
        size = Path(path).stat().st_size
        if size == 0:
            raise UserError(f"'{shown}' is empty. Choose a file with a header row and data.",
                            key="data.error.empty_file", params={"name": shown})
    else:
        shown = ws.dataset(dataset).name
        size = ws.dataset(dataset).size_bytes or 0
    ensure_storage_room(ws.username, 2 * size, ws.root)
    csv_path = Path(out) if out is not None else batches.output_path(ws)
    with batches.open_rows(ws, path=path, original_name=original_name, options=options, dataset=dataset) as source:
        extra = check_columns(source.columns, sidecar["contract"])
        kept = kept_columns(source.columns, keep)
        if source.rows == 0:
            raise UserError("The file has no rows to predict. Add rows and try again.", key="predict.error.no_rows")
        report, previews, done = empty_check(sidecar["contract"], extra), [], 0
        with batches.BatchWriter(ws, csv_path, types={c: source.types[c] for c in kept}) as writer:
            chunks = predict_chunks(pipeline, sidecar, source.batches(chunk_rows), keep=kept, texts=texts)
            for chunk in chunks:
                writer.append(chunk.frame)
                report = report.merge(chunk.check)
                if done < PREVIEW_ROWS:
                    previews.append(chunk.frame.head(PREVIEW_ROWS - done))
                done += len(chunk.frame)
                progress(done / source.rows, f"{done:,} / {source.rows:,}")
            saved = writer.finish(name or f"{Path(shown).stem} predicted by {model}", f"prediction:{run_id}",
                                  {"code": "created", "run": run_id, "source": shown})
    prediction_id = ws.add_prediction(run_id=run_id, source=shown, rows=done, output_dataset_id=saved.dataset_id)
    return BatchPrediction(run_id, shown, done, csv_path, saved, report, pd.concat(previews, ignore_index=True),
                           prediction_id)


def predictions_xlsx(ws: Workspace, dataset: str, target: Path) -> tuple[int, int]:
    """Write a predictions dataset to an Excel file, cut at Excel's row limit; (rows written, rows in all)."""
    return batches.write_xlsx(ws, dataset, target)


def read_rows(path: Path, original_name: str | None = None, options: files.ReadOptions | None = None) -> pd.DataFrame:
    """Rows to predict from a file in any format the Data step reads, as one frame (small inputs)."""
    return files.read_frame(Path(path), options, name=original_name or Path(path).name)[0]


def predictions_csv(prediction: Prediction) -> bytes:
    """The predictions of an in-memory prediction as CSV bytes, UTF-8 with a BOM so Excel shows Korean text."""
    return prediction.frame.to_csv(index=False).encode("utf-8-sig")


def default_run(ws: Workspace, runs: list[Run], dataset: str | None = None) -> str | None:
    """The run to predict with unless the user picks another: the active run of ``dataset`` (or of the
    dataset trained on last), else that dataset's best finished run for its latest target."""
    finished = [r for r in runs if r.status == "finished"]
    if not finished:
        return None
    ids = {r.run_id for r in finished}
    dataset_ids = [r.dataset_id for r in finished]
    chosen = dataset if dataset in dataset_ids else dataset_ids[0]
    try:
        active = ws.active_run(chosen)
    except UserError:  # the dataset itself was deleted; its runs remain
        active = None
    if active in ids:
        return active
    own = [r for r in finished if r.dataset_id == chosen]
    latest = max(own, key=lambda r: r.created)
    rivals = [r for r in own if r.target == latest.target and r.metric == latest.metric
              and (r.metrics or {}).get(r.metric) is not None]
    models = [r for r in rivals if r.model != training.BASELINE] or rivals
    if not models:
        return latest.run_id
    sign = 1 if latest.metric in training.LOWER_IS_BETTER else -1
    return min(models, key=lambda r: (sign * r.metrics[r.metric], -r.created.timestamp())).run_id


def set_active_run(ws: Workspace, run_id: str) -> Run:
    """Make ``run_id`` the model used by default for the dataset it was trained on; takes effect at once."""
    run = ws.run(run_id)
    ws.set_active_run(run.dataset_id, run_id)
    return run


def export_bundle(ws: Workspace, run_id: str, out: Path | None = None) -> Path:
    """The run's model bundle as a zip (pipeline, sidecar, README), at ``out`` or a new file of the user's."""
    load_model(ws, run_id)  # a damaged bundle or one saved with other versions is refused, not exported
    sidecar = run_sidecar(ws, run_id)
    target = Path(out) if out is not None else batches.output_path(ws, ".zip")
    if target.suffix.lower() != ".zip":
        raise UserError("Name the bundle file with .zip at the end, e.g. model.zip.", key="predict.error.zip_name")
    return bundles.write_zip(bundles.bundle_dir(ws.username, run_id, ws.root), target, bundle_readme(sidecar))


def open_bundle_zip(path: Path) -> tuple[Any, dict]:
    """Load an exported model bundle, refusing it if its checksum or library versions do not match."""
    return bundles.read_zip(Path(path), current_versions=library_versions())
