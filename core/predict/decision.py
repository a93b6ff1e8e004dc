"""How a classifier's bundle turns probabilities into answers: its calibration, its threshold, and saving a new one."""
from __future__ import annotations

import math

import numpy as np

from core.errors import UserError
from core.train.calibration import apply_calibration
from core.train.threshold import decide, stored_threshold
from storage import bundles
from storage.workspace import Workspace


def check_threshold(value) -> float:
    """``value`` as a threshold strictly between 0 and 1, or a `UserError` saying what to give."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not 0.0 < number < 1.0:
        raise UserError("The threshold must be a number between 0 and 1, e.g. 0.3.", key="runs.decision.bad_value")
    return number


def with_threshold(sidecar: dict, threshold: float | None) -> dict:
    """The sidecar with ``threshold`` in place of its own (unchanged when None); only two-class models have one."""
    if threshold is None:
        return sidecar
    value = check_threshold(threshold)
    if sidecar.get("task") != "binary":
        raise UserError("A threshold only applies to a model with two classes; this model has more, or predicts "
                        "numbers. Leave out the threshold.", key="predict.error.threshold_binary")
    return dict(sidecar, decision=dict(sidecar.get("decision") or {}, threshold=value))


def probabilities_and_codes(proba: np.ndarray, sidecar: dict) -> tuple[np.ndarray, np.ndarray]:
    """The bundle's calibration applied to ``proba`` (shape (n, k)) and the class code of each row: for two
    classes from the stored threshold (0.5 for bundles saved without one), else the most likely class."""
    proba = apply_calibration(proba, sidecar.get("calibration"))
    threshold = stored_threshold(sidecar) if proba.shape[1] == 2 else None
    return proba, decide(proba, threshold)


def save_threshold(ws: Workspace, run_id: str, threshold: float) -> dict:
    """Store ``threshold`` in the run's model bundle, so Predict uses it from now on; returns the new sidecar."""
    sidecar = bundles.read_sidecar(ws.username, run_id, ws.root)
    changed = with_threshold(sidecar, threshold)
    bundles.update_sidecar(ws.username, run_id, {"decision": changed["decision"]}, ws.root)
    return changed
