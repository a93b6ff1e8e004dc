"""The columns prepared once per fold for every model of a comparison that prepares them the same way.

A model's pipeline starts with the step ``prepare`` (dates into parts, token lists into counts, categories
into codes, see `core.train.preprocessing.build_pipeline`); it depends on the columns and the settings, not
on the model. On the 100k-row table of issue 12 it took about a third of every fit, and every model
redid it on every fold. `PreparedFolds` fits it once per fold (and once on all rows for the refits) for
each distinct unfitted step, and hands the same fitted step and prepared rows to every model: the
results are the same as when each model prepares its own, only sooner.
"""
from __future__ import annotations

import threading

import joblib
import numpy as np
import pandas as pd
from sklearn.base import clone

#: Prepared rows kept at most (bytes) during one comparison; beyond it a fold is prepared again per model.
MAX_BYTES = 2_000_000_000


class PreparedFolds:
    """Per (unfitted ``prepare`` step, fold): the fitted step and the prepared training and validation rows.

    Safe to use from the threads that fit the folds of a comparison; not meant to cross processes.
    """

    def __init__(self, max_bytes: int = MAX_BYTES):
        self.max_bytes = max_bytes
        self.kept_bytes = 0
        self._lock = threading.Lock()
        self._slots: dict[tuple, dict] = {}

    @staticmethod
    def key(pipeline) -> str | None:
        """What identifies ``pipeline``'s first step (None when it does not start with a ``prepare`` step)."""
        steps = getattr(pipeline, "steps", None)
        if not steps or len(steps) < 2 or steps[0][0] != "prepare":
            return None
        return joblib.hash(clone(steps[0][1]))

    def get(self, pipeline, X: pd.DataFrame, y: np.ndarray, train_idx: np.ndarray, valid_idx: np.ndarray | None,
            fold) -> tuple | None:
        """``(fitted prepare step, prepared training rows, prepared validation rows or None)``, or None when
        ``pipeline`` has no ``prepare`` step to share."""
        key = self.key(pipeline)
        if key is None:
            return None
        with self._lock:
            slot = self._slots.setdefault((key, fold), {"lock": threading.Lock(), "value": None})
        with slot["lock"]:
            if slot["value"] is not None:
                return slot["value"]
            step = clone(pipeline.steps[0][1])
            train_rows = step.fit_transform(X.iloc[train_idx], y[train_idx])
            valid_rows = step.transform(X.iloc[valid_idx]) if valid_idx is not None else None
            value = (step, train_rows, valid_rows)
            size = _bytes(train_rows) + _bytes(valid_rows)
            with self._lock:
                if self.kept_bytes + size <= self.max_bytes:
                    self.kept_bytes += size
                    slot["value"] = value
            return value


def _bytes(frame) -> int:
    if frame is None:
        return 0
    if isinstance(frame, pd.DataFrame):
        return int(frame.memory_usage(index=False).sum())
    return int(getattr(frame, "nbytes", 0))


__all__ = ["MAX_BYTES", "PreparedFolds"]
