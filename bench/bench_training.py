"""Model comparison: our `train` (5-fold CV, train/valid metrics, importance, refit) beside scikit-learn's
plain `cross_validate` of the same pipelines on the same folds, per model and in total."""
from __future__ import annotations

import time

import numpy as np
import pandas as pd
from joblib import parallel_config
from sklearn.model_selection import cross_validate

from core.train.models import DEFAULT_MODELS
from core.train.preprocessing import column_roles
from core.train import TrainSettings, build_pipeline, make_splits, train

SCORING = {"binary": ["roc_auc", "accuracy", "balanced_accuracy", "f1_macro", "neg_log_loss"],
           "regression": ["neg_root_mean_squared_error", "neg_mean_absolute_error", "r2"]}


def table_binary_rare(n=10_000, seed=0) -> pd.DataFrame:
    """10 numeric columns, 3% positives."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 10))
    logit = X[:, 0] * 1.5 + X[:, 1] - 0.8 * X[:, 2] ** 2 - 4.5
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(10)])
    frame["target"] = np.where(rng.random(n) < 1 / (1 + np.exp(-logit)), "yes", "no")
    return frame


def table_regression(n=50_000, seed=1) -> pd.DataFrame:
    """7 numeric and 3 categorical columns; a numeric target."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(rng.normal(size=(n, 7)), columns=[f"x{i}" for i in range(7)])
    for j, levels in enumerate((5, 12, 40)):
        frame[f"c{j}"] = rng.choice([f"L{k}" for k in range(levels)], n)
    effect = frame["c0"].str[1:].astype(int) * 0.7 + (frame["c1"] == "L3") * 2.0
    frame["target"] = 3 * frame["x0"] + np.sin(frame["x1"] * 2) * 2 + frame["x2"] * frame["x3"] + effect \
        + rng.normal(scale=0.5, size=n)
    return frame


def table_mixed(n=100_000, seed=2) -> pd.DataFrame:
    """40 numeric columns (some with gaps) and 10 categorical ones; binary target."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(rng.normal(size=(n, 40)), columns=[f"x{i}" for i in range(40)])
    frame.loc[rng.random(n) < 0.05, "x5"] = np.nan
    for j in range(10):
        frame[f"c{j}"] = rng.choice([f"L{k}" for k in range(3 + 3 * j)], n)
    logit = frame["x0"] - frame["x1"] + 0.5 * frame["x2"] * frame["x3"] + (frame["c0"] == "L1") - 0.5
    frame["target"] = np.where(rng.random(n) < 1 / (1 + np.exp(-logit.fillna(0))), 1, 0)
    return frame


def _baseline(frame: pd.DataFrame, task: str, models, seed: int) -> dict[str, float]:
    """scikit-learn's cross_validate of the same pipelines on the same folds, train scores included."""
    X = frame.drop(columns="target")
    roles = column_roles(X)
    X = X[list(roles.used)]
    if task == "regression":
        y = frame["target"].to_numpy(float)
    else:
        y = pd.factorize(frame["target"], sort=True)[0]
    splits, _ = make_splits(y, task, "kfold", 5, 0.2, seed)
    smallest = int(min(np.bincount(y[tr]).min() for tr, _ in splits)) if task != "regression" else 0
    seconds = {}
    for model in models:
        pipeline = build_pipeline(model, roles, task, seed, smallest_class=smallest)
        start = time.perf_counter()
        with parallel_config(backend="threading"):  # as ours: threads, the data is shared, not copied
            cross_validate(pipeline, X, y, cv=splits, scoring=SCORING["regression" if task == "regression" else "binary"],
                           return_train_score=True, n_jobs=2)
        seconds[model] = time.perf_counter() - start
    return seconds


def run(quick: bool = False) -> list[dict]:
    scale = 0.1 if quick else 1.0
    cases = [("binary, 3% positives", table_binary_rare(int(10_000 * scale)), "binary", 20),
             ("regression, categories", table_regression(int(50_000 * scale)), "regression", 60),
             ("mixed binary", table_mixed(int(100_000 * scale)), "binary", 150)]
    rows = []
    for kind, frame, task, budget in cases:
        label = f"{len(frame) // 1000}k×{frame.shape[1] - 1} {kind}"
        models = DEFAULT_MODELS
        start = time.perf_counter()
        result = train(frame, TrainSettings(target="target", models=models, folds=5, seed=0))
        ours_total = time.perf_counter() - start
        theirs = _baseline(frame, task, models, 0)
        for r in result.results:
            rows.append({"figure": f"{label}: {r.model} seconds", "ours": r.fit_seconds,
                         "baseline_label": "sklearn cross_validate", "baseline": theirs[r.model], "unit": "s",
                         "target": "≤ 1.2×"})
        rows.append({"figure": f"{label}: total seconds (best {result.best.model}, "
                               f"{result.metric} {result.best.metrics[result.metric]:.4f})",
                     "ours": ours_total, "baseline_label": "sklearn cross_validate", "baseline": sum(theirs.values()),
                     "unit": "s", "target": f"≤ 1.2× and < {budget} s"})
    return rows


if __name__ == "__main__":
    import sys

    for row in run(quick="--quick" in sys.argv):
        print(row)
