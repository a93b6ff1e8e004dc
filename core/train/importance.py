"""Which columns a model leans on: permutation importance on validation rows and the model's own importance."""
from __future__ import annotations

from itertools import pairwise

import numpy as np
import pandas as pd

from core.train.metrics import class_probabilities, compute_metrics, fast_metric
from core.train.preprocessing import model_input_names, source_column
from core.train.settings import LOWER_IS_BETTER

PERMUTATION_ROWS = 250  # per validation fold; over 5 folds that is 1,250 rows × 2 shuffles per column
#: Shuffles per column, when the budget allows.
REPEATS = 2
#: At most about this many shuffled rows are predicted per fold: a wide table (64 columns × 2 shuffles ×
#: 250 rows is 32,000 rows, through a booster of thousands of trees) shuffles each column once, on fewer rows.
PERMUTATION_BUDGET = 8_000
#: ...but never fewer rows than this per shuffled block.
MIN_PERMUTATION_ROWS = 60
#: A fold's training, validation and shuffled rows are predicted in one call up to this many rows in all.
ONE_CALL_ROWS = 20_000


def permutation_plan(n_rows: int, n_columns: int, repeats: int | None = None) -> tuple[int, int]:
    """``(rows per block, shuffles per column)`` for a fold of ``n_rows`` validation rows and ``n_columns``
    columns: `PERMUTATION_ROWS` rows and `REPEATS` shuffles while that stays within `PERMUTATION_BUDGET`
    predicted rows, else one shuffle per column on as many rows as the budget allows (at least
    `MIN_PERMUTATION_ROWS`). ``repeats`` forces the number of shuffles."""
    size = min(PERMUTATION_ROWS, n_rows)
    if repeats is None:
        repeats = REPEATS if (1 + REPEATS * n_columns) * size <= PERMUTATION_BUDGET else 1
    fits = PERMUTATION_BUDGET // (1 + repeats * n_columns)
    return min(size, max(MIN_PERMUTATION_ROWS, fits)), repeats


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


class Shuffles:
    """The rows permutation importance scores: the unshuffled sample, then each column shuffled ``repeats`` times.

    ``frame`` stacks ``1 + n_columns × repeats`` blocks of ``n`` rows (block 0 unshuffled, block
    ``1 + j × repeats + r`` with column ``j`` shuffled), so one ``predict`` call scores them all.
    """

    def __init__(self, X: pd.DataFrame, y: np.ndarray, task: str, seed: int, repeats: int | None = None):
        rng = np.random.default_rng(seed)
        size, repeats = permutation_plan(len(y), X.shape[1], repeats)
        rows = scoring_rows(y, task, size, rng)
        base_X, self.y = X.iloc[rows].reset_index(drop=True), y[rows]
        self.n, self.n_columns, self.repeats = len(base_X), X.shape[1], repeats
        n_blocks = 1 + self.n_columns * repeats
        stacked = {}
        for j, col in enumerate(X.columns):
            values = base_X[col].to_numpy()
            tiled = np.tile(values, n_blocks)
            for r in range(repeats):
                start = (1 + j * repeats + r) * self.n
                tiled[start:start + self.n] = values[rng.permutation(self.n)]
            stacked[col] = tiled
        self.frame = pd.DataFrame(stacked).astype(base_X.dtypes.to_dict())

    def drops(self, pred_all: np.ndarray, proba_all: np.ndarray | None, metric: str) -> np.ndarray:
        """How much ``metric`` worsens when each column is shuffled (mean over repeats), from the
        predictions (and probabilities) of `frame`."""
        n, repeats = self.n, self.repeats

        def score(i):
            part = slice(i * n, (i + 1) * n)
            return fast_metric(metric, self.y, pred_all[part], None if proba_all is None else proba_all[part])

        sign = -1 if metric in LOWER_IS_BETTER else 1
        baseline = score(0)
        drops = np.array([[sign * (baseline - score(1 + j * repeats + r)) for r in range(repeats)]
                          for j in range(self.n_columns)])
        return np.nan_to_num(drops.mean(axis=1))


def _shuffles(X: pd.DataFrame, y: np.ndarray, task: str, seed: int, repeats: int | None) -> Shuffles | None:
    plan = Shuffles(X, y, task, seed, repeats)
    if task != "regression" and len(np.unique(plan.y)) < 2:
        return None
    return plan


def _predict(fitted, X: pd.DataFrame, task: str, n_classes: int) -> tuple[np.ndarray, np.ndarray | None]:
    if task == "regression":
        return np.asarray(fitted.predict(X)), None
    proba = class_probabilities(fitted, X, n_classes)
    return proba.argmax(axis=1), proba


def permutation_importance(fitted, X: pd.DataFrame, y: np.ndarray, task: str, metric: str, seed: int,
                           n_classes: int, repeats: int | None = None) -> np.ndarray | None:
    """Permutation importance per original column: how much ``metric`` worsens when the column is shuffled.

    All shuffled copies go through the pipeline in one ``predict`` call (columns × repeats blocks
    of at most PERMUTATION_ROWS rows, see `permutation_plan`), which costs far less than one call per
    column. Returns an
    array of shape (n_columns,), or None when the rows hold a single class.
    """
    plan = _shuffles(X, y, task, seed, repeats)
    if plan is None:
        return None
    return plan.drops(*_predict(fitted, plan.frame, task, n_classes), metric)


def score_fold(fitted, X: pd.DataFrame, y: np.ndarray, train_idx, valid_idx, task: str, n_classes: int,
               metric: str, seed: int, importance: bool, repeats: int | None = None):
    """A fitted fold's metrics on its training and validation rows, and its permutation importance.

    Returns ``(train metrics, valid metrics, valid predictions, valid probabilities or None, importance
    or None)``, the same numbers as `core.train.metrics.score_pipeline` on each side and
    `permutation_importance`. While the rows are few (`ONE_CALL_ROWS`) they go through the pipeline in
    one ``predict`` call: on a small table each call's fixed cost (checks, column transforms) is most of
    the scoring.
    """
    X_train, X_valid, y_train, y_valid = X.iloc[train_idx], X.iloc[valid_idx], y[train_idx], y[valid_idx]
    plan = _shuffles(X_valid, y_valid, task, seed, repeats) if importance else None
    parts = [X_train, X_valid] + ([plan.frame] if plan is not None else [])
    if sum(len(p) for p in parts) <= ONE_CALL_ROWS:
        pred_all, proba_all = _predict(fitted, pd.concat(parts, ignore_index=True), task, n_classes)
        bounds = np.cumsum([0] + [len(p) for p in parts])
        outcomes = [(pred_all[a:b], None if proba_all is None else proba_all[a:b])
                    for a, b in pairwise(bounds)]
    else:
        outcomes = [_predict(fitted, p, task, n_classes) for p in parts]
    (pred_train, proba_train), (pred_valid, proba_valid) = outcomes[:2]
    perm = plan.drops(*outcomes[2], metric) if plan is not None else None
    return (compute_metrics(task, y_train, pred_train, proba_train),
            compute_metrics(task, y_valid, pred_valid, proba_valid), pred_valid, proba_valid, perm)


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
