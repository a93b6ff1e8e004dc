"""Runs as the CLI's ``runs --json`` lists them, built without pandas or NumPy so the command starts fast."""
from __future__ import annotations

import math

from storage.workspace import Run


def _finite(values: dict | None) -> dict:
    """Scores with NaN and infinities as None (JSON has no NaN)."""
    return {k: (None if v is None or (isinstance(v, float) and not math.isfinite(v)) else v)
            for k, v in (values or {}).items()}


def run_json(run: Run, folds: list[tuple] | None = None) -> dict:
    """A run with its scores, status, per-fold metrics and timings.

    ``folds`` are the run's rows of `Workspace.fold_metric_rows`: (run_id, fold, split, metric, value).
    """
    s = run.settings
    entry = {"run_id": run.run_id, "dataset": run.dataset_name, "dataset_id": run.dataset_id,
             "dataset_version": run.dataset_version, "target": run.target, "task": run.task, "model": run.model,
             "status": run.status, "metric": run.metric, "metrics": _finite(run.metrics),
             "metrics_std": _finite(s.get("metrics_std")), "train_metrics": _finite(s.get("train_metrics")),
             "fit_seconds": run.fit_seconds, "created": run.created.isoformat(),
             "timings": {"fit_seconds": run.fit_seconds, "created": run.created.isoformat()}}
    if s.get("test_metrics"):
        entry["test_metrics"] = _finite(s["test_metrics"])
    by_metric: dict[str, dict[str, list]] = {}
    for _, fold, split, metric, value in sorted(folds or (), key=lambda r: (r[3], r[2], r[1])):
        number = None if value is None or not math.isfinite(value) else float(value)
        by_metric.setdefault(metric, {}).setdefault(split, []).append(number)
    entry["fold_metrics"] = by_metric
    if run.error:
        entry["error"] = run.error
    return entry
