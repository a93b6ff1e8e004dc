"""Learning curves in words: one chart per kind of measure, never a loss and a negative score on one axis.

Boosters record their loss under their own names (``binary_logloss``, ``l2``, ``mlogloss``), neural
networks a ``loss``, and scikit-learn's histogram boosting a ``score`` that is a loss with its sign
turned (always ≤ 0). Each is mapped to a kind with a name in words; a turned score is turned back, so
every curve drawn is a positive error where lower is better.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.explore.charts import MAIN, PALETTE, SECOND

Text = Callable[..., str]

#: The kind of measure each curve name a library records stands for.
CURVE_KINDS = {
    "binary_logloss": "logloss", "multi_logloss": "logloss", "logloss": "logloss", "mlogloss": "logloss",
    "l2": "squared", "mse": "squared", "rmse": "rmse", "l2_root": "rmse", "l1": "absolute", "mae": "absolute",
    "binary_error": "error", "multi_error": "error", "error": "error", "merror": "error",
    "auc": "auc", "loss": "loss", "score": "loss",
}
CHART_HEIGHT = 340


def curve_kind(metric: str | None) -> str:
    """The kind (``logloss``, ``squared``, ``rmse``, ``absolute``, ``error``, ``auc``, ``loss``) of a recorded
    curve name; ``loss`` when the name is unknown."""
    return CURVE_KINDS.get(str(metric or "").lower(), "loss")


def in_words(curve: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The curve with its values as a positive measure (a sign-turned score turned back), and its kind."""
    metric = str(curve["metric"].dropna().iloc[0]) if "metric" in curve and curve["metric"].notna().any() else ""
    curve = curve.copy()
    values = pd.to_numeric(curve["value"], errors="coerce")
    if np.nanmax(values.to_numpy(dtype=float), initial=0.0) <= 0 and values.notna().any():
        values = -values  # scikit-learn's "score" is a loss with its sign turned
    curve["value"] = values
    return curve, curve_kind(metric)


def _layout(fig: go.Figure, title: str, height: int = CHART_HEIGHT) -> go.Figure:
    fig.update_layout(title=dict(text=title), height=height, template="plotly_white",
                      margin=dict(l=10, r=10, t=60, b=10), legend=dict(orientation="h", yanchor="top", y=-0.2, x=0))
    return fig


def learning_curve_figure(curve: pd.DataFrame, text: Text) -> go.Figure:
    """Training and validation error per boosting round or epoch of the final model (positive, lower is better)."""
    fig = go.Figure()
    kind = "loss"
    if len(curve):
        curve, kind = in_words(curve)
    for i, split in enumerate(("train", "valid")):
        part = curve[curve["split"] == split].sort_values("step") if len(curve) else curve
        if not len(part):
            continue
        fig.add_trace(go.Scatter(x=part["step"] + 1, y=part["value"], mode="lines",
                                 name=text(f"runs.split.{split}"), line=dict(color=(MAIN, SECOND)[i], width=2)))
    fig.update_xaxes(title_text=text("runs.chart.step"))
    fig.update_yaxes(title_text=text(f"runs.curve.{kind}"))
    return _layout(fig, text("runs.chart.learning_curve"))


def compare_learning_figure(curves: Mapping[str, pd.DataFrame], text: Text) -> go.Figure:
    """The validation learning curves of several runs: one panel per kind of measure, each with its own axis."""
    by_kind: dict[str, list[tuple[int, str, pd.DataFrame]]] = {}
    for i, (label, curve) in enumerate(curves.items()):
        part = curve[curve["split"] == "valid"] if len(curve) else curve
        if not len(part):
            part = curve[curve["split"] == "train"] if len(curve) else curve
        if not len(part):
            continue
        part, kind = in_words(part.sort_values("step"))
        by_kind.setdefault(kind, []).append((i, label, part))
    kinds = list(by_kind) or ["loss"]
    fig = make_subplots(rows=1, cols=len(kinds), subplot_titles=[text(f"runs.curve.{k}") for k in kinds])
    for column, kind in enumerate(kinds, start=1):
        for i, label, part in by_kind.get(kind, []):
            fig.add_trace(go.Scatter(x=part["step"] + 1, y=part["value"], mode="lines", name=label,
                                     line=dict(color=PALETTE[i % len(PALETTE)], width=2)), row=1, col=column)
        fig.update_xaxes(title_text=text("runs.chart.step"), row=1, col=column)
        fig.update_yaxes(title_text=text(f"runs.curve.{kind}"), row=1, col=column)
    return _layout(fig, text("runs.chart.compare_learning"))


__all__ = ["CURVE_KINDS", "compare_learning_figure", "curve_kind", "in_words", "learning_curve_figure"]
