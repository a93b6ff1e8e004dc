"""How a prediction reads to its user: column names in their words, values at the target's precision, their labels.

The names of the added columns come from the catalogue (``predict.column.*``) in the user's language:
"최종성적 예측", "'예'일 확률 (%)", "최종성적 예측 범위 (±)", "확인할 점". Numbers are rounded to the
decimals the training target had; the ± range is the 80th percentile of the model's out-of-fold
absolute errors, both measured at training time and kept in the contract (``contract["target"]``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from texts import text_for

#: Decimals shown when a bundle was saved before the target's precision was kept.
OLD_BUNDLE_DECIMALS = 2
#: The most decimals a target's precision is taken to have.
MAX_DECIMALS = 6
#: The share of out-of-fold errors the ± range covers.
RANGE_QUANTILE = 0.8


@dataclass(frozen=True)
class OutputColumns:
    """The names of the columns a prediction adds, made distinct from the input columns kept."""

    prediction: str
    probabilities: tuple[str, ...]
    warnings: str
    range: str | None = None

    @property
    def added(self) -> list[str]:
        return [self.prediction, *([self.range] if self.range else []), *self.probabilities, self.warnings]


def decimals_of(values) -> int:
    """The fewest decimals (0 to `MAX_DECIMALS`) that write every value of ``values`` exactly."""
    values = np.asarray(pd.to_numeric(pd.Series(values), errors="coerce").dropna(), dtype="float64")
    for d in range(MAX_DECIMALS + 1):
        if np.allclose(np.round(values, d), values, rtol=0, atol=1e-9 * max(1.0, float(np.abs(values).max(initial=0)))):
            return d
    return MAX_DECIMALS


def target_summary(task: str, oof: pd.DataFrame | None) -> dict:
    """What predictions need of the training target, from a model's out-of-fold predictions.

    Parameters
    ----------
    task : str
    oof : DataFrame with ``y_true`` and ``y_pred`` (one row per validated training row), or None

    Returns
    -------
    dict
        For regression ``{"decimals": int, "error_q80": float}`` (the target's precision and the 80th
        percentile of the absolute out-of-fold error, in the target's units); else ``{}``.
    """
    if task != "regression" or oof is None or not len(oof) or "y_true" not in oof:
        return {}
    decimals = decimals_of(oof["y_true"])
    errors = (oof["y_true"].astype("float64") - oof["y_pred"].astype("float64")).abs().dropna()
    summary = {"decimals": decimals}
    if len(errors):
        summary["error_q80"] = float(errors.quantile(RANGE_QUANTILE))
    return summary


def shown_label(value, lang: str = "en"):
    """A class label as the user wrote it; a yes/no label (stored as true/false) in words ("예"/"아니오")."""
    if isinstance(value, (bool, np.bool_)):
        return text_for(lang)("predict.label.yes" if value else "predict.label.no")
    return value


def output_columns(kept: list[str], sidecar: dict, lang: str = "en") -> OutputColumns:
    """The added columns' names in ``lang``, renamed ``... (2)`` when the input already has one of them."""
    text = text_for(lang)
    taken = {str(c).lower() for c in kept}

    def free(base: str) -> str:
        name, n = base, 2
        while name.lower() in taken:
            name, n = f"{base} ({n})", n + 1
        taken.add(name.lower())
        return name

    target = sidecar.get("target") or text("predict.column.value")
    prediction = free(text("predict.column.prediction", target=target))
    has_range = sidecar["task"] == "regression" and "error_q80" in (sidecar["contract"].get("target") or {})
    spread = free(text("predict.column.range", target=target)) if has_range else None
    probabilities = tuple(free(text("predict.column.probability", label=shown_label(c, lang)))
                          for c in sidecar.get("classes") or []) if sidecar["task"] != "regression" else ()
    return OutputColumns(prediction, probabilities, free(text("predict.column.warnings")), spread)


def round_predictions(values: np.ndarray, sidecar: dict) -> np.ndarray:
    """Predicted numbers rounded to the training target's precision (2 decimals for an older bundle)."""
    decimals = (sidecar["contract"].get("target") or {}).get("decimals", OLD_BUNDLE_DECIMALS)
    return np.round(np.asarray(values, dtype="float64"), int(decimals))


def error_range(sidecar: dict, rows: int) -> np.ndarray | None:
    """The ± range of each predicted number (the same for every row), at the target's precision plus one."""
    target = sidecar["contract"].get("target") or {}
    if "error_q80" not in target:
        return None
    return np.full(rows, round(float(target["error_q80"]), int(target.get("decimals", OLD_BUNDLE_DECIMALS)) + 1))


def percent(proba: np.ndarray) -> np.ndarray:
    """Probabilities (0-1) as percentages with one decimal."""
    return np.round(np.asarray(proba, dtype="float64") * 100, 1)
