"""The operations of the app and the CLI: ingest, train and record runs, predict with a bundle."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from core import samples, training
from core.errors import UserError
from core.prediction import Prediction, predict_frame
from core.training import Progress, TrainResult, TrainSettings
from core.versions import library_versions
from storage import bundles, files
from storage.workspace import Dataset, Workspace


def ingest_file(ws: Workspace, path: Path, name: str | None = None, original_name: str | None = None) -> Dataset:
    """Store the file at ``path`` as a new dataset; ``original_name`` is what the user's file was called."""
    shown = original_name or Path(path).name
    delimiter = files.delimiter_for(Path(shown))
    if Path(path).stat().st_size == 0:
        raise UserError(f"'{shown}' is empty. Choose a file with a header row and data.")
    return ws.ingest_csv(Path(path), name or Path(shown).stem, source=shown, delimiter=delimiter)


def load_sample(ws: Workspace, key: str) -> Dataset:
    title = samples.SAMPLES.get(key, (key,))[0]
    return ws.save_frame(samples.sample_frame(key), title, source=f"sample:{key}")


@dataclass
class TrainingOutcome:
    """A finished comparison: the results and the run id given to each model, best first."""

    dataset: Dataset
    result: TrainResult
    run_ids: dict[str, str] = field(default_factory=dict)

    def ranked_runs(self) -> list[tuple[str, training.ModelResult]]:
        return [(self.run_ids[r.model], r) for r in self.result.ranked()]

    def to_json(self) -> dict:
        best = self.result.best
        return {
            "task": self.result.task,
            "metric": self.result.metric,
            "runs": [{"run_id": run_id, "model": r.model, "metrics": _finite(r.metrics),
                      "fit_seconds": round(r.fit_seconds, 4), **({"error": r.error} if r.error else {})}
                     for run_id, r in self.ranked_runs()],
            "best_run_id": self.run_ids[best.model] if best else None,
            "notes": self.result.notes,
        }


def _finite(values: dict) -> dict:
    return {k: (None if v != v else float(v)) for k, v in values.items()}


def train_dataset(ws: Workspace, dataset_key: str, settings: TrainSettings,
                  progress: Progress | None = None) -> TrainingOutcome:
    """Train every model of ``settings`` on the dataset, and record each as a run with its bundle."""
    dataset = ws.dataset(dataset_key)
    frame = ws.load(dataset.dataset_id)
    result = training.train(frame, settings, progress)
    outcome = TrainingOutcome(dataset, result)
    versions = library_versions()
    for r in result.results:
        run_id = uuid.uuid4().hex[:12]
        outcome.run_ids[r.model] = run_id
        run_settings = dict(settings.to_dict(), model=r.model, n_folds=result.n_folds)
        if r.pipeline is not None:
            bundles.save_bundle(ws.username, run_id, r.pipeline, {
                "run_id": run_id, "model": r.model, "task": result.task, "target": result.target,
                "classes": result.classes, "contract": result.contract, "metric": result.metric,
                "metrics": _finite(r.metrics), "settings": run_settings, "library_versions": versions,
                "dataset": {"id": dataset.dataset_id, "name": dataset.name, "version": dataset.version},
            }, ws.root)
        ws.add_run(run_id=run_id, dataset=dataset, target=result.target, task=result.task, model=r.model,
                   status="failed" if r.error else "finished", metric=result.metric, metrics=_finite(r.metrics),
                   settings=dict(run_settings, library_versions=versions, notes=result.notes),
                   fit_seconds=r.fit_seconds, fold_metrics=r.fold_metrics, error=r.error)
    return outcome


def predict(ws: Workspace, run_id: str, frame: pd.DataFrame, source: str | None = None) -> Prediction:
    """Predict ``frame`` with the bundle of ``run_id`` and record the prediction in the workspace."""
    run = ws.run(run_id)
    if run.status != "finished":
        raise UserError(f"Run '{run_id}' did not finish, so it has no model to predict with. Pick another run.")
    pipeline, sidecar = bundles.load_bundle(ws.username, run_id, ws.root)
    prediction = predict_frame(pipeline, sidecar, frame)
    ws.add_prediction(run_id=run_id, source=source, rows=len(prediction.frame), output_dataset_id=None)
    return prediction


def read_rows(path: Path, original_name: str | None = None) -> pd.DataFrame:
    """Rows to predict from a CSV / TSV file."""
    return files.read_delimited(Path(path), files.delimiter_for(Path(original_name or path)))


def predictions_csv(prediction: Prediction) -> bytes:
    """The predictions as CSV bytes, UTF-8 with a BOM so Excel shows Korean text correctly."""
    return prediction.frame.to_csv(index=False).encode("utf-8-sig")
