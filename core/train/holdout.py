"""Honest scores: the test part of a table, set aside before anything is fitted or chosen, scored once at the end.

When the user asks for a test share (``test_size``), that share is held out. Otherwise, once a table
has `MIN_ROWS` rows or more, `AUTO_SHARE` of them is held out by itself (stratified by class; the
latest period under time-ordered validation). Smaller tables are judged by cross-validation alone,
and the job says so. Only the winner of the comparison, the ensemble and tuned runs are scored on
the test part, once, after every choice has been made.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from core.train.splits import set_aside_test, time_order

#: From this many rows (with a target) up, a test part is held out even when the user did not ask.
MIN_ROWS = 2000
#: The share of rows held out then.
AUTO_SHARE = 0.2


def held_out_share(n_rows: int, test_size: float, auto: bool) -> float:
    """The share of rows to hold out: the user's, else `AUTO_SHARE` for tables of `MIN_ROWS` rows or more."""
    if test_size:
        return float(test_size)
    return AUTO_SHARE if auto and n_rows >= MIN_ROWS else 0.0


def hold_out(frame: pd.DataFrame, y: np.ndarray, task: str, share: float, seed: int, validation: str,
             time_column: str | None, classes: list | None = None, target: str = "") -> tuple[np.ndarray, np.ndarray]:
    """Row positions ``(pool, test)`` of ``frame``: the test part is the latest ``share`` of the rows by
    ``time_column`` under time validation, else a random (stratified for classes) share.

    A class too rare to give rows to the test part is refused in words (`set_aside_test`, naming it
    from ``classes`` and the ``target`` column)."""
    if not share:
        return np.arange(len(y)), np.array([], dtype=int)
    if validation == "time" and time_column is not None:
        order = time_order(frame, time_column, np.arange(len(y)))
        cut = len(order) - max(1, int(round(share * len(order))))
        return np.sort(order[:cut]), np.sort(order[cut:])
    return set_aside_test(y, task, share, seed, classes, target)


def models_to_test(results, metric: str, lower_is_better: bool, baseline: str, ensemble: str) -> list:
    """The results scored on the test part: the cross-validated winner, the ensemble, and every tuned run."""
    finished = [r for r in results if r.status == "finished" and r.model not in (baseline, ensemble)
                and r.pipeline is not None and np.isfinite(r.metrics.get(metric, np.nan))]
    chosen = []
    if finished:
        sign = 1 if lower_is_better else -1
        chosen.append(min(finished, key=lambda r: sign * r.metrics[metric]))
    for r in results:
        if r.status == "finished" and r.pipeline is not None and r not in chosen and \
                (r.model == ensemble or r.extras.get("tuned")):
            chosen.append(r)
    return chosen
