"""Why this prediction: how much each input column pushed each row's prediction up or down, and in words.

Contributions are given per ORIGINAL column (the user's), in the target's units for regression and
in percentage points of the probability of the predicted class for classification, so that for each
row ``base + sum(contributions) = prediction`` (``base``: what the model predicts on average).

Exact (LightGBM, XGBoost)
    The boosters' own TreeSHAP (LightGBM ``predict(..., pred_contrib=True)``, XGBoost
    ``Booster.predict(..., pred_contribs=True)``) on the features the booster sees; the features
    that come from one input column (one-hot levels, date parts, missing-value flags, target
    encodings) are summed back into it. For classifiers these are contributions to the raw score
    (log-odds; for several classes the predicted class's score minus the mean of all scores), scaled
    by one factor per row so that they add up to the change of the probability from ``base``: signs
    and ranking are the booster's own.
Measured (every other model: linear, trees, forests, KNN, SVM, networks, HistGB, ensembles)
    An interventional Shapley estimate against a background of training rows (the `SAMPLE_ROWS`
    the input contract keeps; for older models one row of training medians and most common levels).
    For column ``j`` and background row ``b`` two differences are measured: *removing* ``j`` from the
    row, ``f(x) - f(x with x_j := b_j)``, and *adding* it to the background row,
    ``f(b with b_j := x_j) - f(b)``; the Shapley value of ``j`` is their mean, exactly so when the model
    has no interaction of three or more columns (the first and last positions of every ordering,
    which carry all of ``j``'s main effect and half of each pairwise interaction). Averaged over the
    background rows, the remainder from higher interactions is shared among the columns in
    proportion to their size, so the parts add up. Each (column, background row, row) is one row of
    a batched call: 1,000 rows cost 2 model calls per column (`EVALUATIONS_PER_CALL` rows each), with
    fewer background rows for bigger batches (`background_rows`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from core.predict.contract import check_input, fmt_date, fmt_value, required_columns, sample_frame
from core.train.preprocessing import model_input_names, source_column
from texts.korean import fix_particles

#: How many columns each row's reasons name.
TOP = 3
#: Background rows for one row; fewer for big batches, never fewer than `MIN_BACKGROUND`.
MAX_BACKGROUND, MIN_BACKGROUND = 50, 10
#: Row evaluations per column (per half of the estimate) a batch may spend before its background shrinks.
BUDGET_PER_COLUMN = 20_000
#: Rows given to the model in one call.
EVALUATIONS_PER_CALL = 50_000


@dataclass
class Contributions:
    """Per-row contributions of each input column.

    ``values``: (n_rows, n_columns) frame, columns in training order; ``base`` and ``output``: (n_rows,)
    the average and the explained prediction (``output = base + values.sum(axis=1)``), in the target's
    units or in percent; ``classes``: the class code explained per row (None for regression);
    ``method``: ``"tree"`` (exact) or ``"sampled"`` (measured); ``background``: rows it was measured on.
    """

    values: pd.DataFrame
    base: np.ndarray
    output: np.ndarray
    classes: np.ndarray | None
    method: str
    background: int = 0


# -- what the model outputs ----------------------------------------------------------------------------------

def _probabilities(pipeline, frame: pd.DataFrame, n_classes: int) -> np.ndarray:
    proba = np.zeros((len(frame), n_classes))
    proba[:, np.asarray(pipeline.classes_, dtype=int)] = pipeline.predict_proba(frame)
    return proba


def _outputs(pipeline, sidecar: dict, frame: pd.DataFrame, classes: np.ndarray | None) -> np.ndarray:
    """The explained output of each row: the prediction, or 100 × the probability of ``classes[i]``."""
    if sidecar["task"] == "regression":
        return np.asarray(pipeline.predict(frame), dtype="float64")
    proba = _probabilities(pipeline, frame, len(sidecar["classes"]))
    return 100 * proba[np.arange(len(frame)), classes]


def _explained(pipeline, sidecar: dict, frame: pd.DataFrame) -> tuple[np.ndarray | None, np.ndarray]:
    """(the predicted class code of each row or None, the output explained) in one call of the model."""
    if sidecar["task"] == "regression":
        return None, np.asarray(pipeline.predict(frame), dtype="float64")
    proba = _probabilities(pipeline, frame, len(sidecar["classes"]))
    classes = proba.argmax(axis=1)
    return classes, 100 * proba[np.arange(len(frame)), classes]


# -- exact: the boosters' own TreeSHAP -----------------------------------------------------------------------

def booster_kind(pipeline) -> str | None:
    """``"lightgbm"`` or ``"xgboost"`` when the pipeline's model is one of AnyML's boosters, else None (also for
    an ensemble, which has no steps: its reasons are measured)."""
    steps = getattr(pipeline, "steps", None)
    if not steps:
        return None
    inner = getattr(steps[-1][1], "estimator_", None)
    kind = type(inner).__module__.split(".")[0] if inner is not None else None
    return kind if kind in ("lightgbm", "xgboost") else None


def model_matrix(pipeline, frame: pd.DataFrame) -> pd.DataFrame:
    """The features the estimator sees for ``frame`` (every step but resampling and the model)."""
    X = frame
    for name, step in pipeline.steps[:-1]:
        if name == "balance" or step is None or step == "passthrough":
            continue
        X = step.transform(X)
    return X if isinstance(X, pd.DataFrame) else pd.DataFrame(X, columns=model_input_names(pipeline))


def raw_tree_contributions(pipeline, frame: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """The booster's own contributions to its raw score, per feature it sees.

    Returns (array of shape (n_rows, n_outputs, n_features + 1), feature names): ``n_outputs`` is 1
    for regression and two classes, the number of classes otherwise; the last entry is the base
    value, and each row's entries add up to the booster's raw score (log-odds for classifiers).
    """
    kind = booster_kind(pipeline)
    if kind is None:
        raise ValueError("not a LightGBM or XGBoost pipeline")
    wrapper = pipeline.steps[-1][1]
    est = wrapper.estimator_
    X = model_matrix(pipeline, frame)
    names = [str(c) for c in X.columns]
    if getattr(wrapper, "positional_names_", False):
        X = X.set_axis([f"f{i}" for i in range(X.shape[1])], axis=1)
    if kind == "lightgbm":
        flat = np.asarray(est.predict(X, pred_contrib=True), dtype="float64")
    else:
        import xgboost

        booster = est.get_booster()
        best = getattr(est, "best_iteration", None)
        ranges = (0, int(best) + 1) if best is not None else (0, 0)
        flat = np.asarray(booster.predict(xgboost.DMatrix(X), pred_contribs=True, iteration_range=ranges),
                          dtype="float64")
    return flat.reshape(len(X), -1, len(names) + 1), names


def _tree_contributions(pipeline, sidecar: dict, frame: pd.DataFrame) -> Contributions:
    raw, names = raw_tree_contributions(pipeline, frame)
    columns = required_columns(sidecar["contract"])
    owner = np.array([columns.index(source_column(n, columns)) if source_column(n, columns) in columns else -1
                      for n in names])
    classes, output = _explained(pipeline, sidecar, frame)
    if sidecar["task"] == "regression":
        parts, base = raw[:, 0, :-1], raw[:, 0, -1]
    else:
        if raw.shape[1] == 1:  # two classes: the score is the log-odds of class code 1
            sign = np.where(classes == 1, 1.0, -1.0)[:, None]
            score, bias = sign * raw[:, 0, :-1], sign[:, 0] * raw[:, 0, -1]
            base_p = 1 / (1 + np.exp(-bias))
        else:
            rows = np.arange(len(frame))
            centred = raw - raw.mean(axis=1, keepdims=True)
            score, bias = centred[rows, classes, :-1], centred[rows, classes, -1]
            logits = raw[:, :, -1]
            base_p = np.exp(logits - logits.max(axis=1, keepdims=True))
            base_p = (base_p / base_p.sum(axis=1, keepdims=True))[rows, classes]
        base = 100 * base_p
        moved = score.sum(axis=1)
        p = output / 100
        slope = np.where(np.abs(moved) > 1e-9, (output - base) / np.where(moved == 0, 1, moved), 100 * p * (1 - p))
        parts = score * slope[:, None]
    values = np.zeros((len(frame), len(columns)))
    for j in range(len(columns)):
        values[:, j] = parts[:, owner == j].sum(axis=1)
    return Contributions(pd.DataFrame(values, columns=columns, index=frame.index), base, output, classes, "tree")


# -- measured: interventional Shapley against background rows ------------------------------------------------

def background_frame(contract: dict) -> pd.DataFrame:
    """The training rows kept in the contract, or one typical row (medians, most common levels) for older ones."""
    sample = sample_frame(contract)
    if sample is not None and len(sample):
        return sample.reset_index(drop=True)
    row = {}
    for entry in contract["columns"]:
        if entry["kind"] in ("number", "date"):
            row[entry["name"]] = entry.get("median")
        elif entry["kind"] == "category":
            row[entry["name"]] = (entry.get("levels") or [None])[0]
        else:
            row[entry["name"]] = None
    return check_input(pd.DataFrame([row]), contract).frame.reset_index(drop=True)


def background_rows(n_rows: int, available: int) -> int:
    """Background rows used for a batch of ``n_rows``: `MAX_BACKGROUND` for one row, fewer for many."""
    wanted = max(MIN_BACKGROUND, min(MAX_BACKGROUND, BUDGET_PER_COLUMN // max(n_rows, 1)))
    return max(1, min(available, wanted))


def _mean_outputs(pipeline, sidecar: dict, rows: pd.DataFrame, classes: np.ndarray | None, n: int, b: int):
    """Outputs of ``rows`` (n × b of them, row i's b rows together), averaged per i; in calls of bounded size."""
    out = np.empty(len(rows))
    for start in range(0, len(rows), EVALUATIONS_PER_CALL):
        part = rows.iloc[start:start + EVALUATIONS_PER_CALL]
        out[start:start + len(part)] = _outputs(pipeline, sidecar, part,
                                                None if classes is None else classes[start:start + len(part)])
    return out.reshape(n, b).mean(axis=1)


def _sampled_contributions(pipeline, sidecar: dict, frame: pd.DataFrame, background: pd.DataFrame) -> Contributions:
    columns = required_columns(sidecar["contract"])
    frame = frame[columns].reset_index(drop=True)
    n, b = len(frame), background_rows(len(frame), len(background))
    background = background[columns].iloc[:b].reset_index(drop=True)
    classes, output = _explained(pipeline, sidecar, frame)
    repeated_classes = None if classes is None else np.repeat(classes, b)
    base = _mean_outputs(pipeline, sidecar, background.iloc[np.tile(np.arange(b), n)], repeated_classes, n, b)
    values = np.zeros((n, len(columns)))
    rows_per_call = max(1, EVALUATIONS_PER_CALL // b)
    for start in range(0, n, rows_per_call):
        part = frame.iloc[start:start + rows_per_call]
        m = len(part)
        mine = part.iloc[np.repeat(np.arange(m), b)].reset_index(drop=True)
        theirs = background.iloc[np.tile(np.arange(b), m)].reset_index(drop=True)
        cls = None if classes is None else np.repeat(classes[start:start + m], b)
        for j, col in enumerate(columns):
            removed, added = mine.copy(), theirs.copy()
            removed[col] = theirs[col].to_numpy()
            added[col] = mine[col].to_numpy()
            without_j = _mean_outputs(pipeline, sidecar, removed, cls, m, b)
            with_j = _mean_outputs(pipeline, sidecar, added, cls, m, b)
            values[start:start + m, j] = 0.5 * ((output[start:start + m] - without_j)
                                                + (with_j - base[start:start + m]))
    size = np.abs(values).sum(axis=1)
    rest = (output - base) - values.sum(axis=1)
    values += np.abs(values) * np.where(size > 0, rest / np.where(size == 0, 1, size), 0)[:, None]
    return Contributions(pd.DataFrame(values, columns=columns), base, output, classes, "sampled", b)


def contributions(pipeline, sidecar: dict, frame: pd.DataFrame, background: pd.DataFrame | None = None
                  ) -> Contributions:
    """How much each input column moved each row's prediction (see the module's docstring for the methods).

    Parameters
    ----------
    pipeline : the bundle's fitted pipeline
    sidecar : dict
        The bundle's sidecar (``task``, ``classes``, ``contract``).
    frame : DataFrame of shape (n_rows, n_columns)
        Rows as `core.predict.contract.check_input` makes them (its ``frame``).
    background : DataFrame, optional
        Rows to measure against (default: `background_frame` of the contract); unused for boosters.
    """
    if booster_kind(pipeline) is not None:
        found = _tree_contributions(pipeline, sidecar, frame.reset_index(drop=True))
    else:
        if background is None:
            background = background_frame(sidecar["contract"])
        # Many calls in a row: OpenMP's spinning threads (HistGB) cost 20x more than they give on a busy server.
        with threadpool_limits(limits=1):
            found = _sampled_contributions(pipeline, sidecar, frame, background)
    found.values.index = frame.index
    return found


# -- in words ------------------------------------------------------------------------------------------------

def top_reasons(found: Contributions, frame: pd.DataFrame, k: int = TOP) -> list[list[dict]]:
    """For each row, the ``k`` columns with the largest contributions whichever way: ``column``, ``value``
    (the row's value of it) and ``effect`` (the signed contribution), largest first."""
    values = found.values.to_numpy()
    order = np.argsort(-np.abs(values), axis=1, kind="stable")[:, :k]
    columns = list(found.values.columns)
    out = []
    for i, picks in enumerate(order):
        row = frame.iloc[i]
        out.append([{"column": columns[j], "value": row[columns[j]], "effect": float(values[i, j])}
                    for j in picks if values[i, j] != 0])
    return out


def amount_text(effect: float, task: str, text: Callable[..., str]) -> str:
    """A contribution with its sign: ``+6.2`` (target units), ``−4.1%p`` / ``−4.1 pp`` (probability)."""
    size = abs(effect)
    shown = f"{size:,.0f}" if size >= 100 else f"{size:.1f}" if size >= 1 else f"{size:.2g}"
    unit = "" if task == "regression" else text("reasons.unit.points")
    return f"{'+' if effect >= 0 else '−'}{shown}{unit}"


def value_text(value, entry: dict) -> str:
    if entry.get("kind") == "number":
        number = float(value)
        digits = 2 - int(np.floor(np.log10(abs(number)))) if number else 0
        return fmt_value(round(number, max(0, digits)))  # three significant digits, every whole digit kept
    if entry.get("kind") == "date":
        return fmt_date(value)
    return str(value)


def reason_sentence(reason: dict, entry: dict, task: str, text: Callable[..., str]) -> str:
    """``"모의고사 점수가 92로 높아서 +6.2"`` / ``"mock exam score is high (92): +6.2"``."""
    value, amount = reason["value"], amount_text(reason["effect"], task, text)
    column = reason["column"]
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return fix_particles(text("reasons.missing", column=column, amount=amount))
    shown = value_text(value, entry)
    if entry.get("kind") == "number" and "median" in entry:
        key = "reasons.high" if float(value) > entry["median"] else \
            "reasons.low" if float(value) < entry["median"] else "reasons.typical"
    else:
        key = "reasons.typical" if entry.get("kind") == "date" else "reasons.level"
    return fix_particles(text(key, column=column, value=shown, amount=amount))


def reason_table(found: Contributions, frame: pd.DataFrame, sidecar: dict, text: Callable[..., str],
                 row: int = 0) -> pd.DataFrame:
    """The reasons of one row as a table: column, value, effect and the sentence, largest first."""
    entries = {c["name"]: c for c in sidecar["contract"]["columns"]}
    reasons = top_reasons(found, frame.iloc[[row]])[0]
    return pd.DataFrame(
        [[r["column"], value_text(r["value"], entries[r["column"]]) if not pd.isna(r["value"]) else "",
          amount_text(r["effect"], sidecar["task"], text),
          reason_sentence(r, entries[r["column"]], sidecar["task"], text)] for r in reasons],
        columns=[text(f"reasons.col.{k}") for k in ("column", "value", "effect", "reason")])


def reason_columns(pipeline, sidecar: dict, frame: pd.DataFrame, text: Callable[..., str],
                   taken: list[str] | None = None) -> pd.DataFrame:
    """``reason 1`` … ``reason 3`` (``이유 1`` … in Korean) for every row of ``frame`` (checked rows), named
    apart from the ``taken`` column names."""
    found = contributions(pipeline, sidecar, frame)
    entries = {c["name"]: c for c in sidecar["contract"]["columns"]}
    reasons = top_reasons(found, frame)
    used = {str(c).lower() for c in taken or []}
    names = []
    for n in range(1, TOP + 1):
        name, extra = text("reasons.column", n=n), 2
        while name.lower() in used:
            name, extra = f"{text('reasons.column', n=n)}_{extra}", extra + 1
        used.add(name.lower())
        names.append(name)
    cells = [[reason_sentence(r, entries[r["column"]], sidecar["task"], text) for r in row]
             + [""] * (TOP - len(row)) for row in reasons]
    return pd.DataFrame(cells, columns=names, index=frame.index, dtype="str")


def global_reasons(pipeline, sidecar: dict) -> pd.DataFrame | None:
    """The mean size of each column's contribution over the training rows kept in the contract, largest first
    (columns ``column``, ``mean_effect``, ``rows``), or None when the contract keeps no training rows."""
    sample = sample_frame(sidecar["contract"])
    if sample is None or len(sample) == 0:
        return None
    found = contributions(pipeline, sidecar, sample, background=sample)
    mean = found.values.abs().mean(axis=0)
    table = pd.DataFrame({"column": mean.index, "mean_effect": mean.to_numpy(), "rows": len(sample)})
    return table.sort_values("mean_effect", ascending=False, kind="stable").reset_index(drop=True)
