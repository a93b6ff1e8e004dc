"""Runs as tables: the leaderboard, the side-by-side comparison, per-fold scores and a run's details.

Everything here works on what the workspace stores (``storage.workspace.Run`` and its detail frames),
without Streamlit, and returns language-free values (metric keys, settings as data); the pages and
the report put them into words.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import pandas as pd

from core.errors import UserError
from core.train.settings import ENSEMBLE
from core.train.models import REGISTRY
from core.train import CLASSIFICATION_METRICS, DEFAULT_METRIC, LOWER_IS_BETTER, REGRESSION_METRICS, TrainSettings
from storage.workspace import Run, Workspace

#: A score (accuracy, AUC, F1, R²…) this much higher on the training folds than on validation is over-fitting.
OVERFIT_GAP = 0.10
#: An error (RMSE, MAE, log loss…) this many times larger on validation than on training is over-fitting.
OVERFIT_RATIO = 1.5
#: Statuses of a run that is still going (nothing to delete or compare yet).
ACTIVE_STATUSES = frozenset({"queued", "running"})

#: The comparison table's columns: (split, metric) per task, then the training time.
COMPARE_COLUMNS = {
    "classification": [("train", "accuracy"), ("valid", "accuracy"), ("valid", "precision_macro"),
                       ("valid", "recall_macro"), ("valid", "f1_macro"), ("valid", "roc_auc")],
    "regression": [("train", "rmse"), ("valid", "rmse"), ("valid", "mae"), ("valid", "r2")],
}


def task_metrics(task: str) -> tuple[str, ...]:
    """The metrics recorded for ``task``."""
    return REGRESSION_METRICS if task == "regression" else CLASSIFICATION_METRICS


def default_metric(runs: list[Run], task: str) -> str:
    """The metric the runs were ranked by when trained (the most recent run's), else the task's default."""
    for run in runs:
        if run.metric in task_metrics(task):
            return run.metric
    return DEFAULT_METRIC.get(task, task_metrics(task)[0])


def problems(runs: list[Run]) -> list[tuple[str, str]]:
    """The distinct (target, task) pairs of ``runs``, most recently trained first."""
    return list(dict.fromkeys((r.target, r.task) for r in sorted(runs, key=lambda r: r.created, reverse=True)))


def _number(value) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return math.nan
    return value


def is_overfit(metric: str, train: float | None, valid: float | None) -> bool:
    """True when the training score is much better than the validation score.

    A score (higher is better) is flagged when it is more than `OVERFIT_GAP` higher on the training
    folds; an error (lower is better) when it is more than `OVERFIT_RATIO` times larger on validation
    (squared for the mean squared error, which grows as the square of the others).
    """
    train, valid = _number(train), _number(valid)
    if math.isnan(train) or math.isnan(valid):
        return False
    if metric in LOWER_IS_BETTER:
        ratio = OVERFIT_RATIO ** 2 if metric == "mse" else OVERFIT_RATIO
        return valid > ratio * max(train, 0.0) and valid - train > 1e-12
    return train - valid > OVERFIT_GAP


def changed_params(run: Run) -> dict:
    """The hyperparameters of ``run`` that differ from its model's defaults."""
    spec = REGISTRY.get(run.model)
    params = run.settings.get("params") or {}
    if spec is None or not isinstance(params, dict):
        return {}
    if isinstance(params.get(run.model), dict):  # a run still queued keeps the whole job's {model: params}
        params = params[run.model]
    defaults = {h.name: h.default for h in spec.hyperparameters}
    return {k: v for k, v in params.items() if k in defaults and v != defaults[k]}


def key_settings(run: Run) -> dict:
    """What sets this run apart at a glance: validation, seed, imbalance handling, tuning, changed settings."""
    s = run.settings
    pre = s.get("preprocessing") or {}
    return {"validation": s.get("validation", "kfold"), "folds": s.get("n_folds") or s.get("folds"),
            "repeats": s.get("repeats"), "holdout_size": s.get("holdout_size"), "seed": s.get("seed"),
            "balance": pre.get("balance", "none"), "selection": pre.get("selection", "none"),
            "tune": bool(s.get("tune")), "test_size": s.get("test_size") or 0.0, "params": changed_params(run)}


LEADERBOARD_COLUMNS = ["run_id", "active", "model", "settings", "valid", "std", "train", "overfit", "test",
                       "fit_seconds", "status", "created", "dataset_version", "error"]


def leaderboard(runs: list[Run], metric: str, active_run_id: str | None = None) -> pd.DataFrame:
    """One row per run with ``metric``'s validation mean and spread over folds, its training score,
    the over-fitting flag, time, status and when; in the order of ``runs``.

    Everything comes from the runs' own row (metrics, settings), so the table costs one query however
    many runs there are.
    """
    rows = []
    for r in runs:
        s = r.settings
        train = (s.get("train_metrics") or {}).get(metric)
        valid = r.metrics.get(metric)
        rows.append({"run_id": r.run_id, "active": r.run_id == active_run_id, "model": r.model,
                     "settings": key_settings(r), "valid": _number(valid),
                     "std": _number((s.get("metrics_std") or {}).get(metric)), "train": _number(train),
                     "overfit": is_overfit(metric, train, valid),
                     "test": _number((s.get("test_metrics") or {}).get(metric)),
                     "fit_seconds": _number(r.fit_seconds), "status": r.status, "created": r.created,
                     "dataset_version": r.dataset_version, "error": r.error})
    return pd.DataFrame(rows, columns=LEADERBOARD_COLUMNS)


SORTS = ("best", "newest", "fastest")


def sort_leaderboard(table: pd.DataFrame, metric: str, by: str = "best") -> pd.DataFrame:
    """``table`` best first by ``metric`` (runs without a score last), newest first, or fastest first."""
    if by == "newest":
        return table.sort_values(["created", "run_id"], ascending=[False, True], kind="stable")
    if by == "fastest":
        return table.sort_values(["fit_seconds", "run_id"], na_position="last", kind="stable")
    if by != "best":
        raise UserError(f"Unknown order '{by}': choose one of {', '.join(SORTS)}.")
    return table.sort_values("valid", ascending=metric in LOWER_IS_BETTER, na_position="last", kind="stable")


def filter_leaderboard(table: pd.DataFrame, models: list[str] | None = None,
                       statuses: list[str] | None = None) -> pd.DataFrame:
    """Only the rows whose model is in ``models`` and status in ``statuses`` (None or empty: all)."""
    keep = pd.Series(True, index=table.index)
    if models:
        keep &= table["model"].isin(models)
    if statuses:
        keep &= table["status"].isin(statuses)
    return table[keep]


def compare_kind(task: str) -> str:
    return "regression" if task == "regression" else "classification"


def comparison(runs: list[Run]) -> pd.DataFrame:
    """Runs side by side: one row per run, one column per (split, metric) of `COMPARE_COLUMNS`
    named ``<split>_<metric>``, plus ``run_id``, ``model`` and ``fit_seconds``."""
    if not runs:
        return pd.DataFrame()
    tasks = {r.task for r in runs}
    if len(tasks) > 1:
        raise UserError("These runs solve different problems (classification and regression), so their "
                        "scores cannot be compared. Choose runs of one target and task.",
                        key="runs.error.mixed_tasks")
    columns = COMPARE_COLUMNS[compare_kind(tasks.pop())]
    rows = []
    for r in runs:
        row = {"run_id": r.run_id, "model": r.model}
        for split, metric in columns:
            source = r.metrics if split == "valid" else (r.settings.get("train_metrics") or {})
            row[f"{split}_{metric}"] = _number(source.get(metric))
            if split == "valid":
                row[f"std_{metric}"] = _number((r.settings.get("metrics_std") or {}).get(metric))
        row["fit_seconds"] = _number(r.fit_seconds)
        rows.append(row)
    return pd.DataFrame(rows)


def fold_table(folds: pd.DataFrame, split: str = "valid") -> pd.DataFrame:
    """Per-fold metrics of one split as a table: one row per fold (numbered from 1), one column per
    metric, followed by a ``mean`` and a ``std`` row (spread over folds, population std)."""
    part = folds[folds["split"] == split] if len(folds) else folds
    if part is None or not len(part):
        return pd.DataFrame()
    wide = part.pivot_table(index="fold", columns="metric", values="value", aggfunc="first", dropna=False)
    order = [m for m in (*CLASSIFICATION_METRICS, *REGRESSION_METRICS) if m in wide.columns]
    wide = wide[order + [c for c in wide.columns if c not in order]]
    wide.index = [str(int(i) + 1) for i in wide.index]
    summary = pd.DataFrame([wide.mean(), wide.std(ddof=0)], index=["mean", "std"])
    out = pd.concat([wide, summary])
    out.columns.name = None
    return out


def fold_values(folds: pd.DataFrame, metric: str, split: str = "valid") -> list[float]:
    """``metric``'s value in each fold of ``split``, in fold order."""
    if not len(folds):
        return []
    part = folds[(folds["split"] == split) & (folds["metric"] == metric)].sort_values("fold")
    return [float(v) for v in part["value"]]


def metric_rows(run: Run) -> list[dict]:
    """For each metric of the run's task: training mean, validation mean and spread, and test score."""
    s = run.settings
    train, std, test = s.get("train_metrics") or {}, s.get("metrics_std") or {}, s.get("test_metrics") or {}
    return [{"metric": m, "train": _number(train.get(m)), "valid": _number(run.metrics.get(m)),
             "std": _number(std.get(m)), "test": _number(test.get(m)),
             "overfit": is_overfit(m, train.get(m), run.metrics.get(m))}
            for m in task_metrics(run.task) if m in run.metrics or m in train]


@dataclass
class RunDetails:
    """What explains one run, loaded on demand: per-fold metrics, importance, learning curve, OOF predictions."""

    run: Run
    folds: pd.DataFrame = field(default_factory=pd.DataFrame)
    importance: pd.DataFrame = field(default_factory=pd.DataFrame)
    learning_curve: pd.DataFrame = field(default_factory=pd.DataFrame)
    oof: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def classes(self) -> list:
        """Class labels in code order (``oof``'s ``y_true`` / ``proba_<code>`` refer to these positions)."""
        return list(self.run.settings.get("classes") or [])


def load_details(ws: Workspace, run_id: str) -> RunDetails:
    """A run and everything stored to explain it (a few queries, one run)."""
    run = ws.run(run_id)
    return RunDetails(run, ws.fold_metrics(run_id), ws.importance(run_id), ws.learning_curve(run_id),
                      ws.oof_predictions(run_id))


def settings_for_rerun(run: Run) -> dict:
    """The run's training settings, for the Train page to prefill: this run's model with its hyperparameters.

    Returns ``TrainSettings.to_dict()`` (read back with ``TrainSettings.from_dict``, which ignores the
    extra ``dataset_id`` and ``run_id`` saying where the settings came from).
    """
    stored = dict(run.settings)
    params = stored.get("params") if isinstance(stored.get("params"), dict) else {}
    if isinstance(params.get(run.model), dict):  # a run still queued keeps the whole job's {model: params}
        params = params[run.model]
    if run.model == ENSEMBLE:  # the ensemble is re-made from the models of its training
        stored.update(models=[m for m in stored.get("models") or [] if m in REGISTRY], params={})
    else:
        stored.update(models=[run.model], params={run.model: dict(params)} if params else {})
    settings = TrainSettings.from_dict(stored)
    return dict(replace(settings, target=run.target).to_dict(), dataset_id=run.dataset_id, run_id=run.run_id)


def check_deletable(run: Run) -> None:
    """Refuse to delete a run that is still training."""
    if run.status in ACTIVE_STATUSES:
        raise UserError(f"Run '{run.run_id}' is still training: cancel it on the Train page first, then delete it.",
                        key="runs.error.still_running", params={"run": run.run_id})
