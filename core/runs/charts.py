"""Plotly figures that explain runs, built by pure functions from what a run stores.

Out-of-fold predictions (``oof``: one row per validated row with ``y_true``, ``y_pred`` and, for
classifiers, ``proba_<code>``) give the confusion matrix, ROC and precision-recall curves with their
areas (one-vs-rest for more than two classes), calibration, and for regression the predicted-vs-actual
and residual plots. Importance, learning curves and several runs overlaid come from their own tables.

Words come from ``text(key, **values)`` (the app's catalogue in the reader's language), so every
figure can be drawn in Korean or English and tests can check its data.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots
from sklearn.calibration import calibration_curve
from sklearn.metrics import auc, average_precision_score, precision_recall_curve, roc_curve

from core.explore.charts import MAIN, MUTED, PALETTE, SECOND
from core.runs.decision import calibrated_oof
from core.runs.learning import learning_curve_figure
from core.runs.words import classes_in_words

Text = Callable[..., str]

HEIGHT = 380
#: Points kept of a curve or a scatter (the areas are computed on every point first).
MAX_CURVE_POINTS = 500
MAX_SCATTER_POINTS = 3000
TOP_FEATURES = 20
#: Classes a confusion matrix shows one by one; the rarer ones are summed as "other".
TOP_CLASSES = 20
CALIBRATION_BINS = 10


@dataclass(frozen=True)
class Curve:
    """One line of a ROC, precision-recall or calibration chart.

    ``label`` names the class (or run) it belongs to; ``score`` is its area under the ROC curve, its
    average precision, or its Brier score (calibration), depending on the chart.
    """

    label: str
    x: np.ndarray
    y: np.ndarray
    score: float


def _layout(fig: go.Figure, *, title: str | None = None, height: int = HEIGHT, legend: bool = True) -> go.Figure:
    fig.update_layout(title=dict(text=title) if title else None, height=height, showlegend=legend,
                      margin=dict(l=10, r=10, t=50 if title else 10, b=10), template="plotly_white",
                      legend=dict(orientation="h", yanchor="top", y=-0.18, x=0))
    return fig


def _thin(x: np.ndarray, y: np.ndarray, limit: int = MAX_CURVE_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """At most ``limit`` points of a curve, always keeping its two ends."""
    if len(x) <= limit:
        return x, y
    keep = np.unique(np.linspace(0, len(x) - 1, limit).round().astype(int))
    return x[keep], y[keep]


# -- numbers behind the charts ---------------------------------------------------------------------


def class_labels(classes: Sequence | None, n_classes: int) -> list[str]:
    """The label of each class code as text (the code itself when the labels were not stored)."""
    classes = list(classes or [])
    return [str(classes[i]) if i < len(classes) else str(i) for i in range(n_classes)]


def n_classes_of(oof: pd.DataFrame, classes: Sequence | None = None) -> int:
    probas = [c for c in oof.columns if str(c).startswith("proba_")]
    if probas:
        return len(probas)
    if classes:
        return len(classes)
    codes = pd.concat([oof["y_true"], oof["y_pred"]]).astype(int)
    return int(codes.max()) + 1 if len(codes) else 0


def probabilities(oof: pd.DataFrame, n_classes: int) -> np.ndarray | None:
    """The ``proba_<code>`` columns as an (n_rows, n_classes) array, or None when they were not stored."""
    columns = [f"proba_{j}" for j in range(n_classes)]
    if not all(c in oof.columns for c in columns):
        return None
    return oof[columns].to_numpy(dtype=float)


def confusion_counts(oof: pd.DataFrame, n_classes: int) -> np.ndarray:
    """Counts of (actual, predicted) class codes: rows are the actual class, columns the predicted one.

    Returns an (n_classes, n_classes) integer array; with repeated k-fold a row counts once per repeat.
    """
    y_true = oof["y_true"].to_numpy(dtype=int)
    y_pred = oof["y_pred"].to_numpy(dtype=int)
    counts = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(counts, (y_true, y_pred), 1)
    return counts


def normalise_rows(counts: np.ndarray) -> np.ndarray:
    """Each row divided by its total: the share of each actual class given each prediction (rows sum to 1)."""
    totals = counts.sum(axis=1, keepdims=True)
    return np.divide(counts, totals, out=np.zeros(counts.shape, dtype=float), where=totals > 0)


def _one_vs_rest(oof: pd.DataFrame, n_classes: int) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """(class code, is-this-class 0/1, probability of this class) per class; only the positive class
    (code 1) for two classes. Classes that never occur, or always do, are left out (no curve exists)."""
    proba = probabilities(oof, n_classes)
    if proba is None:
        return []
    y = oof["y_true"].to_numpy(dtype=int)
    codes = [1] if n_classes == 2 else range(n_classes)
    out = []
    for code in codes:
        hit = (y == code).astype(int)
        if 0 < hit.sum() < len(hit):
            out.append((code, hit, proba[:, code]))
    return out


def roc_curves(oof: pd.DataFrame, classes: Sequence | None = None) -> list[Curve]:
    """ROC curve (false positive rate → true positive rate) and its area, for the positive class of a
    binary problem or one-vs-rest for each class of a multiclass one."""
    n = n_classes_of(oof, classes)
    labels = class_labels(classes, n)
    curves = []
    for code, hit, score in _one_vs_rest(oof, n):
        fpr, tpr, _ = roc_curve(hit, score)
        x, y = _thin(fpr, tpr)
        curves.append(Curve(labels[code], x, y, float(auc(fpr, tpr))))
    return curves


def pr_curves(oof: pd.DataFrame, classes: Sequence | None = None) -> list[Curve]:
    """Precision-recall curve (recall → precision) and its average precision, as for `roc_curves`."""
    n = n_classes_of(oof, classes)
    labels = class_labels(classes, n)
    curves = []
    for code, hit, score in _one_vs_rest(oof, n):
        precision, recall, _ = precision_recall_curve(hit, score)
        x, y = _thin(recall[::-1], precision[::-1])
        curves.append(Curve(labels[code], x, y, float(average_precision_score(hit, score))))
    return curves


def calibration_curves(oof: pd.DataFrame, classes: Sequence | None = None,
                       bins: int = CALIBRATION_BINS) -> list[Curve]:
    """Mean predicted probability → observed share of the class, per probability bin, with the Brier
    score (mean squared error of the probabilities, lower is better); as for `roc_curves`."""
    n = n_classes_of(oof, classes)
    labels = class_labels(classes, n)
    curves = []
    for code, hit, score in _one_vs_rest(oof, n):
        observed, predicted = calibration_curve(hit, np.clip(score, 0, 1), n_bins=bins, strategy="uniform")
        curves.append(Curve(labels[code], predicted, observed, float(np.mean((score - hit) ** 2))))
    return curves


def _pooled(oof: pd.DataFrame, classes: Sequence | None) -> tuple[np.ndarray, np.ndarray] | None:
    """(is-this-class, score) pairs: the positive class's for two classes, every row × class pair for more."""
    n = n_classes_of(oof, classes)
    proba = probabilities(oof, n)
    if proba is None or n < 2:
        return None
    y = oof["y_true"].to_numpy(dtype=int)
    if n == 2:
        hit, score = (y == 1).astype(int), proba[:, 1]
    else:
        hit, score = np.eye(n, dtype=int)[y].ravel(), proba.ravel()
    if not 0 < hit.sum() < len(hit):
        return None
    return hit, score


def micro_roc(oof: pd.DataFrame, classes: Sequence | None = None) -> Curve | None:
    """One ROC curve per run for overlaying runs: the positive class's for two classes, the micro-average
    over all classes (every row × class pair pooled) for more."""
    pooled = _pooled(oof, classes)
    if pooled is None:
        return None
    hit, score = pooled
    fpr, tpr, _ = roc_curve(hit, score)
    x, y_ = _thin(fpr, tpr)
    return Curve("", x, y_, float(auc(fpr, tpr)))


def micro_pr(oof: pd.DataFrame, classes: Sequence | None = None) -> Curve | None:
    """As `micro_roc`, for the precision-recall curve and average precision."""
    pooled = _pooled(oof, classes)
    if pooled is None:
        return None
    hit, score = pooled
    precision, recall, _ = precision_recall_curve(hit, score)
    x, y_ = _thin(recall[::-1], precision[::-1])
    return Curve("", x, y_, float(average_precision_score(hit, score)))


def _sample(oof: pd.DataFrame, limit: int = MAX_SCATTER_POINTS, seed: int = 0) -> pd.DataFrame:
    return oof if len(oof) <= limit else oof.sample(limit, random_state=seed).sort_index()


# -- one run's figures -----------------------------------------------------------------------------------


def fold_rare_classes(counts: np.ndarray, labels: Sequence[str], other_label: str,
                      top: int = TOP_CLASSES) -> tuple[np.ndarray, list[str]]:
    """A confusion matrix of many classes cut to the ``top`` most frequent actual classes, the rest summed
    into one ``other_label`` row and column (so a target of 300 values is not 300 hair-thin cells)."""
    labels = list(labels)
    if len(labels) <= top + 1:
        return counts, labels
    keep = np.sort(np.argsort(-counts.sum(axis=1), kind="stable")[:top])
    rest = np.setdiff1d(np.arange(len(labels)), keep)
    order = np.concatenate([keep, rest])
    groups = np.concatenate([np.arange(len(keep)), np.full(len(rest), len(keep))])
    folded = np.zeros((len(keep) + 1, len(keep) + 1), dtype=counts.dtype)
    reordered = counts[np.ix_(order, order)]
    np.add.at(folded, (groups[:, None], groups[None, :]), reordered)
    return folded, [labels[i] for i in keep] + [other_label]


def confusion_figure(counts: np.ndarray, labels: Sequence[str], text: Text, *, normalised: bool = False) -> go.Figure:
    """The confusion matrix as a heat map, actual classes down, predicted across, values in the cells
    (at most `TOP_CLASSES` classes, the rest as one "other")."""
    counts, labels = fold_rare_classes(counts, labels, text("runs.chart.other"))
    z = normalise_rows(counts) if normalised else counts
    cells = [[f"{v:.1%}" if normalised else f"{int(v):,}" for v in row] for row in z]
    fig = go.Figure(go.Heatmap(z=z, x=list(labels), y=list(labels), colorscale="Blues", showscale=False,
                               zmin=0, zmax=1 if normalised else None, text=cells,
                               texttemplate="%{text}" if len(labels) <= 15 else None,
                               hovertemplate=f"{text('runs.chart.actual')}: %{{y}}<br>"
                                             f"{text('runs.chart.predicted')}: %{{x}}<br>%{{text}}<extra></extra>"))
    fig.update_xaxes(title_text=text("runs.chart.predicted"), type="category", side="bottom")
    fig.update_yaxes(title_text=text("runs.chart.actual"), type="category", autorange="reversed")
    title = text("runs.chart.confusion_normalised" if normalised else "runs.chart.confusion_counts")
    size = max(320, min(700, 45 * len(labels) + 160))
    return _layout(fig, title=title, height=size, legend=False)


def _curve_figure(curves: Sequence[Curve], *, title: str, x_title: str, y_title: str, score_key: str,
                  text: Text, diagonal: bool) -> go.Figure:
    fig = go.Figure()
    if diagonal:
        fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", line=dict(color=MUTED, dash="dash"),
                                 name=text("runs.chart.chance" if score_key != "runs.chart.brier"
                                           else "runs.chart.perfect"), hoverinfo="skip"))
    for i, c in enumerate(curves):
        name = f"{c.label} ({text(score_key, value=f'{c.score:.3f}')})" if c.label else text(
            score_key, value=f"{c.score:.3f}")
        fig.add_trace(go.Scatter(x=c.x, y=c.y, mode="lines+markers" if score_key == "runs.chart.brier" else "lines",
                                 name=name, line=dict(color=PALETTE[i % len(PALETTE)], width=2),
                                 hovertemplate="%{x:.3f}, %{y:.3f}<extra>" + (c.label or "") + "</extra>"))
    fig.update_xaxes(title_text=x_title, range=[-0.01, 1.01])
    fig.update_yaxes(title_text=y_title, range=[-0.01, 1.01])
    return _layout(fig, title=title)


def roc_figure(curves: Sequence[Curve], text: Text) -> go.Figure:
    """ROC curves with their areas in the legend, over the chance diagonal."""
    return _curve_figure(curves, title=text("runs.chart.roc"), x_title=text("runs.chart.fpr"),
                         y_title=text("runs.chart.tpr"), score_key="runs.chart.auc", text=text, diagonal=True)


def pr_figure(curves: Sequence[Curve], text: Text) -> go.Figure:
    """Precision-recall curves with their average precision in the legend."""
    return _curve_figure(curves, title=text("runs.chart.pr"), x_title=text("runs.chart.recall"),
                         y_title=text("runs.chart.precision"), score_key="runs.chart.ap", text=text, diagonal=False)


def calibration_figure(curves: Sequence[Curve], text: Text) -> go.Figure:
    """Predicted probability against the observed share, over the diagonal of perfect calibration."""
    return _curve_figure(curves, title=text("runs.chart.calibration"), x_title=text("runs.chart.mean_predicted"),
                         y_title=text("runs.chart.observed"), score_key="runs.chart.brier", text=text, diagonal=True)


def predicted_actual_figure(oof: pd.DataFrame, text: Text, *, target: str = "") -> go.Figure:
    """Each validated row's prediction against its actual value, over the line of perfect predictions."""
    points = _sample(oof)
    actual, predicted = points["y_true"].to_numpy(float), points["y_pred"].to_numpy(float)
    low = float(np.nanmin([actual.min(), predicted.min()])) if len(points) else 0.0
    high = float(np.nanmax([actual.max(), predicted.max()])) if len(points) else 1.0
    fig = go.Figure([
        go.Scatter(x=[low, high], y=[low, high], mode="lines", line=dict(color=MUTED, dash="dash"),
                   name=text("runs.chart.perfect"), hoverinfo="skip"),
        go.Scattergl(x=actual, y=predicted, mode="markers", marker=dict(color=MAIN, size=5, opacity=0.5),
                     name=text("runs.chart.rows"), hovertemplate="%{x:.4g} → %{y:.4g}<extra></extra>")])
    fig.update_xaxes(title_text=text("runs.chart.actual_value", target=target))
    fig.update_yaxes(title_text=text("runs.chart.predicted_value"))
    title = text("runs.chart.predicted_vs_actual")
    if len(points) < len(oof):
        title += " · " + text("runs.chart.sampled", n=f"{len(points):,}", total=f"{len(oof):,}")
    return _layout(fig, title=title)


def residuals_figure(oof: pd.DataFrame, text: Text) -> go.Figure:
    """Residuals (actual − predicted) against the prediction, beside their distribution."""
    residual_all = oof["y_true"].to_numpy(float) - oof["y_pred"].to_numpy(float)
    points = _sample(oof)
    predicted = points["y_pred"].to_numpy(float)
    residual = points["y_true"].to_numpy(float) - predicted
    fig = make_subplots(rows=1, cols=2, column_widths=[0.65, 0.35], horizontal_spacing=0.08,
                        subplot_titles=[text("runs.chart.residual_vs_predicted"), text("runs.chart.residual_spread")])
    fig.add_trace(go.Scattergl(x=predicted, y=residual, mode="markers", name=text("runs.chart.rows"),
                               marker=dict(color=MAIN, size=5, opacity=0.5),
                               hovertemplate="%{x:.4g}: %{y:.4g}<extra></extra>"), row=1, col=1)
    fig.add_hline(y=0, line=dict(color=SECOND, dash="dash"), row=1, col=1)
    fig.add_trace(go.Histogram(y=residual_all, nbinsy=40, marker_color=MAIN, name=text("runs.chart.rows"),
                               showlegend=False, hovertemplate="%{y}: %{x:,}<extra></extra>"), row=1, col=2)
    fig.update_xaxes(title_text=text("runs.chart.predicted_value"), row=1, col=1)
    fig.update_yaxes(title_text=text("runs.chart.residual"), row=1, col=1)
    fig.update_xaxes(title_text=text("runs.chart.count"), row=1, col=2)
    return _layout(fig, title=text("runs.chart.residuals"), legend=False)


def top_importance(importance: pd.DataFrame, column: str, top: int = TOP_FEATURES) -> pd.DataFrame:
    """The ``top`` features by ``column`` (largest first), without features that have no value."""
    if importance is None or column not in importance.columns:
        return pd.DataFrame(columns=["feature", column])
    part = importance[importance[column].notna()]
    return part.sort_values(column, ascending=False, kind="stable").head(top).reset_index(drop=True)


def importance_figure(importance: pd.DataFrame, column: str, text: Text, *, top: int = TOP_FEATURES,
                      std_column: str | None = None) -> go.Figure:
    """Horizontal bars of the ``top`` features by ``column``, the most important at the top
    (with ± ``std_column`` over folds as error bars when given)."""
    part = top_importance(importance, column, top)
    error = None
    if std_column and std_column in part.columns and part[std_column].notna().any():
        error = dict(type="data", array=part[std_column].fillna(0).tolist(), color=MUTED)
    fig = go.Figure(go.Bar(x=part[column], y=part["feature"].astype(str), orientation="h", marker_color=MAIN,
                           error_x=error, hovertemplate="%{y}: %{x:.4g}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", type="category")
    key = "runs.chart.permutation" if column == "permutation_mean" else "runs.chart.model_importance"
    fig.update_xaxes(title_text=text(key + "_axis"))
    return _layout(fig, title=text(key, n=len(part)), height=max(260, 24 * len(part) + 110), legend=False)


def fold_figure(values: Mapping[str, Sequence[float]], metric_label: str, text: Text) -> go.Figure:
    """One box (with every fold's value as a dot) per run: how much a score moves from fold to fold."""
    fig = go.Figure()
    for i, (label, vals) in enumerate(values.items()):
        fig.add_trace(go.Box(y=list(vals), name=label, boxpoints="all", jitter=0.3, pointpos=0,
                             marker_color=PALETTE[i % len(PALETTE)], hovertemplate="%{y:.4f}<extra></extra>"))
    fig.update_yaxes(title_text=metric_label)
    return _layout(fig, title=text("runs.chart.folds", metric=metric_label), legend=False)


# -- several runs overlaid -------------------------------------------------------------------------------


def compare_metrics_figure(table: pd.DataFrame, metrics: Sequence[str], metric_labels: Mapping[str, str],
                           run_labels: Mapping[str, str], text: Text) -> go.Figure:
    """Grouped bars: each validation metric across, one bar per run, its spread over folds as error bars.

    ``table`` is `core.runs.comparison`'s (columns ``valid_<metric>`` and ``std_<metric>``).
    """
    fig = go.Figure()
    for i, row in enumerate(table.itertuples(index=False)):
        row = row._asdict()
        values = [row.get(f"valid_{m}") for m in metrics]
        spread = [row.get(f"std_{m}") for m in metrics]
        fig.add_trace(go.Bar(x=[metric_labels.get(m, m) for m in metrics], y=values,
                             name=run_labels.get(row["run_id"], row["run_id"]),
                             marker_color=PALETTE[i % len(PALETTE)],
                             error_y=dict(type="data", array=[0 if s != s or s is None else s for s in spread],
                                          color=MUTED),
                             hovertemplate="%{x}: %{y:.4f}<extra>%{fullData.name}</extra>"))
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text=text("runs.chart.valid_score"))
    return _layout(fig, title=text("runs.chart.compare_metrics"))


def compare_curves_figure(curves: Mapping[str, Curve | None], kind: str, text: Text) -> go.Figure:
    """Several runs' ROC (``kind="roc"``) or precision-recall (``"pr"``) curves on one chart, each
    named by its run with its area."""
    named = [Curve(label, c.x, c.y, c.score) for label, c in curves.items() if c is not None]
    return roc_figure(named, text) if kind == "roc" else pr_figure(named, text)


def compare_residuals_figure(residuals: Mapping[str, np.ndarray], text: Text) -> go.Figure:
    """Several runs' residuals (actual − predicted) as overlaid distributions: narrower is better."""
    fig = go.Figure()
    for i, (label, values) in enumerate(residuals.items()):
        fig.add_trace(go.Histogram(x=np.asarray(values, dtype=float), name=label, opacity=0.55, nbinsx=40,
                                   marker_color=PALETTE[i % len(PALETTE)]))
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(title_text=text("runs.chart.residual"))
    fig.update_yaxes(title_text=text("runs.chart.count"))
    return _layout(fig, title=text("runs.chart.compare_residuals"))


def before_and_after(details, text: Text, classes: Sequence | None = None) -> list[Curve]:
    """The calibration curves of a run's out-of-fold probabilities, and after its calibration when it has one
    (the classes named by ``classes``, by default the run's own labels)."""
    classes = details.classes if classes is None else classes
    before = calibration_curves(details.oof, classes)
    after_oof = calibrated_oof(details)
    if after_oof is None:
        return before
    after = calibration_curves(after_oof, classes)
    tag = {"before": text("runs.calibration.before"), "after": text("runs.calibration.after")}
    return [replace(c, label=f"{c.label} · {tag['before']}") for c in before] + \
        [replace(c, label=f"{c.label} · {tag['after']}") for c in after]


# -- everything for one run ---------------------------------------------------------------------------------


def run_figures(details, text: Text) -> dict[str, go.Figure]:
    """Every chart that applies to one run (a `core.runs.RunDetails`), by name, in reading order:
    ``confusion_counts``, ``confusion_normalised``, ``roc``, ``pr``, ``calibration`` for classifiers;
    ``predicted_actual``, ``residuals`` for regression; then ``importance_model``,
    ``importance_permutation`` and ``learning_curve`` when the run has them."""
    run, oof = details.run, details.oof
    classes = classes_in_words(details.classes, text)
    figures: dict[str, go.Figure] = {}
    if oof is not None and len(oof):
        if run.task == "regression":
            figures["predicted_actual"] = predicted_actual_figure(oof, text, target=run.target)
            figures["residuals"] = residuals_figure(oof, text)
        else:
            n = n_classes_of(oof, classes)
            labels = class_labels(classes, n)
            counts = confusion_counts(oof, n)
            figures["confusion_counts"] = confusion_figure(counts, labels, text)
            figures["confusion_normalised"] = confusion_figure(counts, labels, text, normalised=True)
            roc = roc_curves(oof, classes)
            if roc:
                figures["roc"] = roc_figure(roc, text)
                figures["pr"] = pr_figure(pr_curves(oof, classes), text)
                figures["calibration"] = calibration_figure(before_and_after(details, text, classes), text)
    importance = details.importance
    if importance is not None and len(importance):
        if importance["model_importance"].notna().any():
            figures["importance_model"] = importance_figure(importance, "model_importance", text)
        if importance["permutation_mean"].notna().any():
            figures["importance_permutation"] = importance_figure(importance, "permutation_mean", text,
                                                                  std_column="permutation_std")
    if details.learning_curve is not None and len(details.learning_curve):
        figures["learning_curve"] = learning_curve_figure(details.learning_curve, text)
    return figures
