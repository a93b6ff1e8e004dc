"""The live learning-curve chart of a running training job (a pure function of the job's curve points)."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go


def live_curve_figure(points: list[dict], model: str, labels: dict[str, str] | None = None) -> go.Figure | None:
    """Training and validation loss per epoch / round of ``model``, one line pair per fold.

    Parameters
    ----------
    points : list of dict
        ``{"model", "fold", "step", "train", "valid", "metric"}`` as the job runner collects them.
    labels : dict, optional
        Display names for "train", "valid" and "step" in the user's language, and "measure": the y axis's
        title (the recorded metric's code name when not given).
    Returns None when ``model`` has no points (it does not report per step).
    """
    labels = labels or {"train": "train", "valid": "valid", "step": "step"}
    frame = pd.DataFrame([p for p in points if p.get("model") == model])
    if frame.empty:
        return None
    fig = go.Figure()
    for fold, part in frame.groupby(frame["fold"].astype(str), sort=False):
        for split, dash in (("train", "dot"), ("valid", "solid")):
            fig.add_trace(go.Scatter(x=part["step"], y=part[split], mode="lines", line={"dash": dash},
                                     name=f"{labels[split]} · {fold}", legendgroup=str(fold)))
    fig.update_layout(height=280, margin={"l": 10, "r": 10, "t": 10, "b": 10}, xaxis_title=labels["step"],
                      yaxis_title=labels.get("measure") or str(frame["metric"].iloc[-1]), legend={"orientation": "h"})
    return fig
