"""A comparison kept: each model of a training stored as a run with its model bundle, and the CLI's JSON of it."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace

from core.predict.output import target_summary
from core.train.preprocessing import dropped_notes
from core.train.room import ensure_training_room
from core.train.extras import add_worded_notes, bundle_extras, json_extras, run_extras
from core.train.settings import TrainSettings
from core.train.train import ModelResult, Progress, TrainResult, train
from core.versions import library_versions
from storage import bundles
from storage.users import QuotaExceeded, UserStore
from storage.workspace import Dataset, Workspace
from texts import text_for


def _text(ws: Workspace):
    """The catalogue in the account's language (notes are stored as text and shown as they are)."""
    try:
        user = UserStore(ws.root).get(ws.username)
    except Exception:  # the account store is held by another process (the CLI beside the server)
        user = None
    return text_for(getattr(user, "language", None) or "")


def _model_name(text, model: str) -> str:
    try:
        return text(f"model.{model}.name")
    except KeyError:
        return model


def _finite_value(v):
    return None if v is None or v != v else float(v)


def _finite(values: dict) -> dict:
    return {k: _finite_value(v) for k, v in values.items()}


@dataclass
class TrainingOutcome:
    """A finished comparison: the results and the run id given to each model."""

    dataset: Dataset
    result: TrainResult
    run_ids: dict[str, str] = field(default_factory=dict)
    #: Models whose bundle did not fit the storage quota: their runs are kept, without a model to use.
    unsaved: list[str] = field(default_factory=list)

    def ranked_runs(self) -> list[tuple[str, ModelResult]]:
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
            entry.update(json_extras(r, self.result.n_test_rows))
            if r.model in self.unsaved:
                entry["model_saved"] = False
            runs.append(entry)
        return {"task": self.result.task, "metric": metric, "runs": runs,
                "best_run_id": self.run_ids[best.model] if best else None, "notes": self.result.notes}


def with_column_types(ws: Workspace, dataset: Dataset, settings: TrainSettings) -> TrainSettings:
    """``settings`` with the dataset's column types now (detected or chosen on the Data and Edit pages)."""
    from core.data import dataset_types

    return replace(settings, column_types=dataset_types(ws, dataset.dataset_id))


def train_dataset(ws: Workspace, dataset_key: str, settings: TrainSettings,
                  progress: Progress | None = None, lang: str | None = None) -> TrainingOutcome:
    """Train every model of ``settings`` on the dataset now, and record each as a run with its bundle (its
    notes in ``lang``, by default the account's language)."""
    dataset = ws.dataset(dataset_key)
    ensure_training_room(ws)
    settings = with_column_types(ws, dataset, settings)
    frame = ws.load(dataset.dataset_id)
    try:
        result = train(frame, settings, progress)
    except Exception as err:
        ws.log_event("train", f"on '{dataset.name}' → {settings.target}", f"failed: {err}")
        raise
    outcome = record_training(ws, dataset, settings, result, lang=lang)
    ws.log_event("train", f"{', '.join(r.model for r in result.results)} on '{dataset.name}' → {settings.target}",
                 "finished")
    return outcome


def record_training(ws: Workspace, dataset: Dataset, settings: TrainSettings, result: TrainResult,
                    run_ids: dict[str, str] | None = None, lang: str | None = None) -> TrainingOutcome:
    """Store each model of ``result`` as a run (under ``run_ids`` when the job runner chose them), its notes
    in ``lang`` (by default the account's language)."""
    outcome = TrainingOutcome(dataset, result)
    versions = library_versions()
    text = text_for(lang) if lang else _text(ws)
    for english, local in zip(dropped_notes(result.roles, text_for("en")), dropped_notes(result.roles, text)):
        result.notes = [local if note == english else note for note in result.notes]
    add_worded_notes(result, text)
    for r in result.results:
        run_id = (run_ids or {}).get(r.model) or uuid.uuid4().hex[:12]
        outcome.run_ids[r.model] = run_id
        run_settings = dict(settings.to_dict(), model=r.model, params=r.params, n_folds=result.n_folds)
        model_saved = r.pipeline is not None
        if r.pipeline is not None:
            try:
                bundles.save_bundle(ws.username, run_id, r.pipeline, {
                    "run_id": run_id, "model": r.model, "task": result.task, "target": result.target,
                    "classes": result.classes, "metric": result.metric,
                    "contract": dict(result.contract, target=target_summary(result.task, r.oof)),
                    "metrics": _finite(r.metrics), "settings": run_settings, "library_versions": versions,
                    "dataset": {"id": dataset.dataset_id, "name": dataset.name, "version": dataset.version},
                    **bundle_extras(r),
                }, ws.root)
            except QuotaExceeded as err:
                # The scores are worth keeping (they are small); the model is not saved, and the note says
                # so where the user reads about the training and the run.
                model_saved = False
                note = text("train.note.model_not_saved", model=_model_name(text, r.model), **err.params)
                r.notes.append(note)
                result.notes.append(note)
                outcome.unsaved.append(r.model)
        ws.add_run(run_id=run_id, dataset=dataset, target=result.target, task=result.task, model=r.model,
                   status=r.status, metric=result.metric, metrics=_finite(r.metrics),
                   settings=dict(run_settings, library_versions=versions, notes=result.notes + r.notes,
                                 metrics_std=_finite(r.metrics_std), train_metrics=_finite(r.train_metrics),
                                 test_metrics=_finite(r.test_metrics), classes=result.classes,
                                 features_kept=r.features_kept, features_dropped=r.features_dropped,
                                 model_saved=model_saved, **run_extras(r, result.n_test_rows)),
                   fit_seconds=r.fit_seconds, fold_metrics=r.fold_metrics, error=r.error)
        if r.status == "finished":
            ws.add_run_details(run_id, importance=r.importance, learning_curve=r.learning_curve, oof=r.oof)
    return outcome
