"""What a run keeps beyond its scores: the ensemble's weights, calibration, threshold, search trials, notes in words."""
from __future__ import annotations

from typing import Callable

#: Extras stored in a model bundle's sidecar (what prediction needs) and in the run's settings (what the page shows).
BUNDLE_KEYS = ("calibration", "decision", "ensemble")
RUN_KEYS = ("calibration", "decision", "ensemble", "trials", "tuned")


def add_worded_notes(result, text: Callable[..., str]) -> None:
    """Put the notes kept as catalogue keys (on the comparison and on each model) into words, once."""
    for key, values in result.note_keys:
        result.notes.append(text(key, **values))
    result.note_keys = []
    for r in result.results:
        for key, values in r.extras.pop("note_keys", []):
            r.notes.append(text(key, **values))


def bundle_extras(r) -> dict:
    """The extras of a model result that prediction reads from the bundle's sidecar."""
    return {k: r.extras[k] for k in BUNDLE_KEYS if k in r.extras}


def run_extras(r, n_test_rows: int) -> dict:
    """The extras of a model result stored with its run (and how many rows its test score used)."""
    out = {k: r.extras[k] for k in RUN_KEYS if k in r.extras}
    if r.test_metrics:
        out["test_rows"] = int(n_test_rows)
    return out
