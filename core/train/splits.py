"""The rows a training learns from: the target made ready (task settled, unlearnable targets refused) and the folds."""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.model_selection import (KFold, RepeatedKFold, RepeatedStratifiedKFold, StratifiedKFold, TimeSeriesSplit,
                                     train_test_split)

from core.errors import ColumnError, TargetError, UserError
from core.train.settings import TASKS, VALIDATIONS, infer_task


def prepare_target(frame: pd.DataFrame, target: str, task: str | None) -> tuple[pd.DataFrame, str, list[str]]:
    """Drop rows whose target is missing, settle the task, and refuse targets that cannot be learned."""
    if target not in frame.columns:
        raise ColumnError(f"There is no column '{target}'. Choose the target from the table's columns.")
    if len(frame) == 0:
        raise TargetError("The table has no rows. Add data before training.")
    notes = []
    missing = int(frame[target].isna().sum())
    if missing == len(frame):
        raise TargetError(f"Every value of the target '{target}' is missing: choose another target.")
    if missing:
        frame = frame[frame[target].notna()]
        notes.append(f"{missing} row(s) without a value in '{target}' were left out.")
    task = task or infer_task(frame[target])
    if task not in TASKS:
        raise TargetError(f"Unknown task '{task}': choose binary, multiclass or regression.")
    distinct = frame[target].nunique()
    if distinct < 2:
        raise TargetError(f"The target '{target}' has a single value, so there is nothing to predict. "
                          "Choose a column whose values differ.")
    if task == "regression" and not pd.api.types.is_numeric_dtype(frame[target]):
        raise TargetError(f"'{target}' is not numeric, so it cannot be a regression target. "
                          "Choose classification instead.")
    if task == "binary" and distinct > 2:
        raise TargetError(f"'{target}' has {distinct} values, not 2: choose multiclass instead.")
    if task != "regression":
        counts = frame[target].value_counts()
        lonely = counts[counts < 2]
        if len(lonely):
            raise TargetError(f"Class(es) {', '.join(map(str, lonely.index))} of '{target}' have a single row: "
                              "a model cannot learn and be checked on one example. Remove or merge those rows.")
    return frame, task, notes


def make_splits(y: np.ndarray, task: str, validation: str, folds: int, holdout_size: float, seed: int,
                repeats: int = 2, order: np.ndarray | None = None) -> tuple[list[tuple[np.ndarray, np.ndarray]], list[str]]:
    """The train/validation index pairs every model of a comparison shares.

    ``order`` (for the time-ordered split) gives the row positions sorted by time.
    """
    notes = []
    index = np.arange(len(y))
    classify = task != "regression"
    if validation not in VALIDATIONS:
        raise UserError(f"Unknown validation '{validation}': choose one of {', '.join(VALIDATIONS)}.")
    if validation == "holdout":
        train_idx, valid_idx = train_test_split(index, test_size=holdout_size, random_state=seed,
                                                stratify=y if classify else None)
        return [(np.sort(train_idx), np.sort(valid_idx))], notes
    folds = max(2, int(folds))
    if validation == "time":
        if order is None:
            raise UserError("A time-ordered split needs a date column: choose one.")
        folds = min(folds, len(y) - 1)
        return [(order[tr], order[va]) for tr, va in TimeSeriesSplit(n_splits=folds).split(order)], notes
    if classify:
        smallest = int(np.bincount(y).min())
        if smallest < folds:
            notes.append(f"The smallest class has only {smallest} rows, so {smallest}-fold validation "
                         f"was used instead of {folds}-fold.")
            folds = smallest
        splitter = (RepeatedStratifiedKFold(n_splits=folds, n_repeats=repeats, random_state=seed)
                    if validation == "repeated" else StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed))
    else:
        folds = min(folds, len(y))
        splitter = (RepeatedKFold(n_splits=folds, n_repeats=repeats, random_state=seed)
                    if validation == "repeated" else KFold(n_splits=folds, shuffle=True, random_state=seed))
    return list(splitter.split(index, y)), notes


def set_aside_test(y: np.ndarray, task: str, test_size: float, seed: int, classes: list | None = None,
                   target: str = "") -> tuple[np.ndarray, np.ndarray]:
    """Row positions ``(pool, test)``: a share ``test_size`` held out (stratified for classes), none when 0.

    A class too small to give rows to the test part and keep two for validation is refused with a
    message naming it (``classes`` names the codes of ``y``; ``target`` is the column).
    """
    pool = np.arange(len(y))
    if not test_size:
        return pool, np.array([], dtype=int)
    classify = task != "regression"
    if classify:
        counts = np.bincount(y)
        # stratified: a class of c rows gives about c * test_size to the test part and keeps the rest
        kept = counts - np.ceil(counts * test_size)
        smallest = int(np.argmin(np.where(counts > 0, kept, np.inf)))
        if kept[smallest] < 2 or round(len(y) * test_size) < (counts > 0).sum():
            _refuse_rare_class(classes[smallest] if classes else smallest, int(counts[smallest]), target)
    try:
        pool, test = train_test_split(pool, test_size=test_size, random_state=seed, stratify=y if classify else None)
    except ValueError:
        counts = np.bincount(y) if classify else np.array([len(y)])
        smallest = int(np.argmin(counts))
        _refuse_rare_class(classes[smallest] if classes else smallest, int(counts[smallest]), target)
    return np.sort(pool), np.sort(test)


def _refuse_rare_class(cls, count: int, target: str):
    raise TargetError(f"Class '{cls}' of '{target}' has only {count} row(s): too few to set some aside for the final "
                      "test and still check the model on the rest. Set the test part to 0, or add rows of that "
                      "class, or merge it with another class.",
                      key="train.error.rare_class_test", params={"cls": str(cls), "count": count, "target": target})


def time_order(frame: pd.DataFrame, time_column: str | None, rows: np.ndarray) -> np.ndarray:
    """Positions within ``rows`` sorted by the date in ``time_column`` (unreadable dates last), for a time split."""
    if time_column not in frame.columns:
        raise ColumnError("Choose the date column that orders the rows for a time-ordered split.")
    when = pd.to_datetime(frame[time_column].iloc[rows], errors="coerce")
    return np.argsort(when.to_numpy(), kind="stable")
