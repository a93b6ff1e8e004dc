"""Predicting new rows with a model bundle, after checking them against its input contract."""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.contract import InputCheck, check_input
from core.errors import UserError


@dataclass
class Prediction:
    """The input rows plus ``prediction``, ``proba_<class>`` columns and per-row ``warnings``."""

    frame: pd.DataFrame
    check: InputCheck


def predict_frame(pipeline, sidecar: dict, frame: pd.DataFrame) -> Prediction:
    """Check ``frame`` against the bundle's contract, then predict every row.

    Raises `ColumnError` when required columns are missing (nothing is predicted).
    """
    if len(frame) == 0:
        raise UserError("The file has no rows to predict. Add rows and try again.")
    check = check_input(frame, sidecar["contract"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = frame.copy()
        if sidecar["task"] == "regression":
            out["prediction"] = pipeline.predict(check.frame)
        else:
            classes = np.asarray(sidecar["classes"], dtype=object)
            proba = np.zeros((len(frame), len(classes)))
            proba[:, np.asarray(pipeline.classes_, dtype=int)] = pipeline.predict_proba(check.frame)
            out["prediction"] = classes[proba.argmax(axis=1)]
            for j, cls in enumerate(classes):
                out[f"proba_{cls}"] = proba[:, j]
    out["warnings"] = check.row_warnings.to_numpy()
    return Prediction(out, check)
