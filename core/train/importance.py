"""Which columns a model leans on: permutation importance on validation rows and the model's own importance."""
from __future__ import annotations

import numpy as np
import pandas as pd

from core.train.metrics import class_probabilities, fast_metric
from core.train.preprocessing import model_input_names, source_column
from core.train.settings import LOWER_IS_BETTER

PERMUTATION_ROWS = 250  # per validation fold; over 5 folds that is 1,250 rows × 2 shuffles per column


def scoring_rows(y: np.ndarray, task: str, size: int, rng: np.random.Generator) -> np.ndarray:
    """Sorted positions of at most about ``size`` rows of ``y`` to score on: for classes, a sample stratified
    by class that keeps at least one row of every class present (a sample without the rare class would
    leave its AUC undefined and every importance at zero)."""
    if len(y) <= size:
        return np.arange(len(y))
    if task == "regression":
        return np.sort(rng.choice(len(y), size=size, replace=False))
    classes, counts = np.unique(y, return_counts=True)
    quota = np.minimum(counts, np.maximum(1, np.round(counts * size / len(y)).astype(int)))
    parts = [rng.choice(np.flatnonzero(y == c), size=int(q), replace=False) for c, q in zip(classes, quota)]
    return np.sort(np.concatenate(parts))


def permutation_importance(fitted, X: pd.DataFrame, y: np.ndarray, task: str, metric: str, seed: int,
                           n_classes: int, repeats: int = 2) -> np.ndarray | None:
    """Permutation importance per original column: how much ``metric`` worsens when the column is shuffled.

    All shuffled copies go through the pipeline in one ``predict`` call (columns × repeats blocks
    of at most PERMUTATION_ROWS rows), which costs far less than one call per column. Returns an
    array of shape (n_columns,), or None when the rows hold a single class.
    """
    rng = np.random.default_rng(seed)
    rows = scoring_rows(y, task, PERMUTATION_ROWS, rng)
    base_X, base_y = X.iloc[rows].reset_index(drop=True), y[rows]
    if task != "regression" and len(np.unique(base_y)) < 2:
        return None
    n, columns = len(base_X), list(X.columns)
    n_blocks = 1 + len(columns) * repeats
    stacked = {}
    for j, col in enumerate(columns):
        values = base_X[col].to_numpy()
        tiled = np.tile(values, n_blocks)
        for r in range(repeats):
            start = (1 + j * repeats + r) * n
            tiled[start:start + n] = values[rng.permutation(n)]
        stacked[col] = tiled
    stacked = pd.DataFrame(stacked).astype(base_X.dtypes.to_dict())
    if task == "regression":
        pred_all, proba_all = fitted.predict(stacked), None
    else:
        proba_all = class_probabilities(fitted, stacked, n_classes)
        pred_all = proba_all.argmax(axis=1)

    def score(i):
        part = slice(i * n, (i + 1) * n)
        return fast_metric(metric, base_y, pred_all[part], None if proba_all is None else proba_all[part])

    sign = -1 if metric in LOWER_IS_BETTER else 1
    baseline = score(0)
    drops = np.array([[sign * (baseline - score(1 + j * repeats + r)) for r in range(repeats)]
                      for j in range(X.shape[1])])
    return np.nan_to_num(drops.mean(axis=1))


def model_importance(pipeline, columns: list[str]) -> dict[str, float]:
    """The estimator's own importance (trees) or absolute coefficients (linear), summed per original column."""
    model = pipeline.steps[-1][1]
    try:
        values = np.asarray(model.feature_importances_, dtype=float)
    except (AttributeError, ValueError):
        try:
            coef = np.asarray(model.coef_, dtype=float)
        except (AttributeError, ValueError):
            return {}
        values = np.abs(coef).mean(axis=0) if coef.ndim > 1 else np.abs(coef)
    names = model_input_names(pipeline)
    if len(names) != len(values):
        return {}
    total = {}
    for name, value in zip(names, values):
        col = source_column(name, columns)
        total[col] = total.get(col, 0.0) + float(value)
    norm = sum(total.values()) or 1.0
    return {k: v / norm for k, v in total.items()}


def importance_table(columns: list[str], own: dict[str, float], perms: list[np.ndarray]) -> list[dict]:
    """One row per column (model importance, permutation mean and spread over folds), most important first."""
    perm_mean = np.mean(perms, axis=0) if perms else None
    perm_std = np.std(perms, axis=0) if len(perms) > 1 else None
    return sorted(
        [{"feature": col, "model_importance": own.get(col),
          "permutation_mean": None if perm_mean is None else float(perm_mean[j]),
          "permutation_std": None if perm_std is None else float(perm_std[j])}
         for j, col in enumerate(columns)],
        key=lambda r: -(r["permutation_mean"] if r["permutation_mean"] is not None else r["model_importance"] or 0))
