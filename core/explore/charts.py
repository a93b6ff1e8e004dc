"""Plotly figures for the Explore step, built by pure functions from profile results.

Every function takes the numbers it draws and the words it shows (``text(key, **values)``, the
app's catalogue lookup), so tests can check a figure's data and the app can draw it in any language.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.explore.profile import Box, ColumnProfile, Histogram, NumberStats
from core.explore.relations import Relation
from core.explore.target import OTHER_LEVEL

Text = Callable[..., str]

MAIN = "#3b6fd8"
SECOND = "#e4572e"
MUTED = "#9aa5b1"
PALETTE = ["#3b6fd8", "#e4572e", "#29a36a", "#f2a541", "#8e6cc2", "#17a2b8", "#c44569", "#6c757d",
           "#2d6a4f", "#b5838d"]
HEIGHT = 280


def _layout(fig: go.Figure, *, title: str | None = None, height: int = HEIGHT, legend: bool = False) -> go.Figure:
    fig.update_layout(title=dict(text=title) if title else None, height=height, showlegend=legend,
                      margin=dict(l=10, r=10, t=40 if title else 10, b=10), bargap=0.05,
                      template="plotly_white")
    return fig


def histogram(hist: Histogram, *, name: str, count_label: str) -> go.Figure:
    """Bars over the histogram's bins (one bar per whole number when ``integer_bars``)."""
    edges = hist.edges
    centers = [(a + b) / 2 for a, b in zip(edges[:-1], edges[1:])]
    widths = [b - a for a, b in zip(edges[:-1], edges[1:])]
    fig = go.Figure(go.Bar(x=centers, y=hist.counts, width=widths, marker_color=MAIN, name=name,
                           customdata=list(zip(edges[:-1], edges[1:])),
                           hovertemplate="[%{customdata[0]:.4g}, %{customdata[1]:.4g}): %{y:,}<extra></extra>"))
    fig.update_xaxes(title_text=name)
    fig.update_yaxes(title_text=count_label)
    return _layout(fig)


def box(b: Box, *, name: str, smallest: float | None = None, largest: float | None = None,
        outlier_label: str = "outliers") -> go.Figure:
    """A horizontal box plot drawn from quartiles and whiskers computed over every row.

    The outliers it counts (values beyond the whiskers) are drawn as points at the most extreme values
    (``smallest``, ``largest``), and the axis reaches them, so a chart never hides what it counts.
    """
    fig = go.Figure(go.Box(q1=[b.q1], median=[b.median], q3=[b.q3], lowerfence=[b.low], upperfence=[b.high],
                           mean=[b.mean] if b.mean is not None else None, y=[name], orientation="h",
                           marker_color=MAIN, name=name, boxpoints=False))
    beyond = [v for v in (smallest, largest) if v is not None and (v < b.low or v > b.high)]
    if b.outliers and beyond:
        fig.add_trace(go.Scatter(x=beyond, y=[name] * len(beyond), mode="markers", name=outlier_label,
                                 marker=dict(color=MAIN, symbol="circle-open", size=9),
                                 hovertemplate=f"{outlier_label}: %{{x:.4g}}<extra></extra>"))
        low, high = min([b.low, *beyond]), max([b.high, *beyond])
        pad = (high - low) * 0.05 or 1.0
        fig.update_xaxes(range=[low - pad, high + pad])
    return _layout(fig, height=160)


def top_values(top: Sequence[tuple[str, int]], other_count: int, *, other_label: str,
               count_label: str) -> go.Figure:
    """Horizontal bars of the most frequent values, with the rest as one grey "other" bar."""
    labels = [str(v) for v, _ in top]
    counts = [n for _, n in top]
    colors = [MAIN] * len(labels)
    if other_count:
        labels.append(other_label)
        counts.append(other_count)
        colors.append(MUTED)
    fig = go.Figure(go.Bar(x=counts, y=labels, orientation="h", marker_color=colors,
                           hovertemplate="%{y}: %{x:,}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(title_text=count_label)
    return _layout(fig, height=max(160, 28 * len(labels) + 60))


def date_parts(parts: dict[str, Sequence[tuple[int, int]]], *, part_titles: dict[str, str],
               weekday_names: Sequence[str], count_label: str) -> go.Figure:
    """Rows per year, month, weekday (1 = Monday) and hour, side by side."""
    names = [p for p in ("year", "month", "weekday", "hour") if p in parts]
    fig = make_subplots(rows=1, cols=max(len(names), 1), subplot_titles=[part_titles[p] for p in names])
    for i, part in enumerate(names, start=1):
        values = [v for v, _ in parts[part]]
        labels = [weekday_names[v - 1] if part == "weekday" else str(v) for v in values]
        fig.add_trace(go.Bar(x=labels, y=[n for _, n in parts[part]], marker_color=MAIN, name=part_titles[part],
                             hovertemplate="%{x}: %{y:,}<extra></extra>"), row=1, col=i)
        fig.update_xaxes(type="category", row=1, col=i)
    fig.update_yaxes(title_text=count_label, row=1, col=1)
    return _layout(fig, height=HEIGHT)


def lengths(measures: dict[str, NumberStats], *, titles: dict[str, str]) -> go.Figure:
    """One box per measure (characters, words, items) from its quartiles, min and max."""
    fig = go.Figure()
    for measure, s in measures.items():
        if s.count == 0:
            continue
        fig.add_trace(go.Box(q1=[s.q1], median=[s.median], q3=[s.q3], lowerfence=[s.min], upperfence=[s.max],
                             mean=[s.mean], y=[titles[measure]], orientation="h", name=titles[measure],
                             marker_color=MAIN, boxpoints=False))
    return _layout(fig, height=120 + 50 * len(measures))


def heatmap(columns: Sequence[str], matrix: Sequence[Sequence[float | None]], *, title: str) -> go.Figure:
    """A correlation matrix from -1 (blue) through 0 (white) to 1 (red), values written in the cells."""
    z = [[None if v is None else round(v, 3) for v in row] for row in matrix]
    text = [["" if v is None else f"{v:.2f}" for v in row] for row in z]
    fig = go.Figure(go.Heatmap(z=z, x=list(columns), y=list(columns), zmin=-1, zmax=1, colorscale="RdBu",
                               reversescale=True, text=text, texttemplate="%{text}" if len(columns) <= 15 else None,
                               hovertemplate="%{y} · %{x}: %{z:.3f}<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    size = max(320, min(900, 40 * len(columns) + 160))
    return _layout(fig, title=title, height=size)


def class_distribution(classes: Sequence[tuple[str, int]], other: int, *, other_label: str,
                       count_label: str) -> go.Figure:
    """Rows per class of the target, most frequent first; rarer classes as one grey bar."""
    labels = [str(c) for c, _ in classes]
    counts = [n for _, n in classes]
    colors = [PALETTE[i % len(PALETTE)] for i in range(len(labels))]
    if other:
        labels.append(other_label)
        counts.append(other)
        colors.append(MUTED)
    total = sum(counts) or 1
    fig = go.Figure(go.Bar(x=labels, y=counts, marker_color=colors, text=[f"{n / total:.1%}" for n in counts],
                           textposition="outside", hovertemplate="%{x}: %{y:,}<extra></extra>"))
    fig.update_xaxes(type="category")
    fig.update_yaxes(title_text=count_label)
    return _layout(fig, height=320)


def relation(rel: Relation, *, share_label: str, other_label: str, sample_note: str | None = None,
             part_label: str | None = None) -> go.Figure:
    """A box per group, grouped bars of class shares per level, or a scatter of sampled rows (a date part's
    axis named ``part_label``)."""
    if rel.kind == "box":
        groups = rel.groups
        value = rel.target if rel.by == rel.feature else rel.feature
        fig = go.Figure()
        for i, row in enumerate(groups.itertuples(index=False)):
            fig.add_trace(go.Box(q1=[row.q1], median=[row.median], q3=[row.q3], lowerfence=[row.whisker_low],
                                 upperfence=[row.whisker_high], mean=[row.mean], x=[str(row.level)],
                                 name=str(row.level), marker_color=PALETTE[i % len(PALETTE)], boxpoints=False))
        fig.update_xaxes(title_text=rel.by, type="category")
        fig.update_yaxes(title_text=value)
        return _layout(fig, height=380)
    if rel.kind == "bars":
        table = rel.table.copy()
        table["level"] = table["level"].map(lambda v: other_label if v == OTHER_LEVEL else str(v))
        totals = table.groupby("level")["n"].transform("sum")
        table["share"] = table["n"] / totals
        order = table.groupby("level", sort=False)["n"].sum().sort_values(ascending=False).index.tolist()
        if rel.part is not None:
            order = sorted(order, key=_number_first)
        fig = go.Figure()
        for i, (cls, part) in enumerate(table.groupby("target", sort=True)):
            part = part.set_index("level").reindex(order)
            fig.add_trace(go.Bar(x=order, y=part["share"].fillna(0), name=str(cls),
                                 marker_color=PALETTE[i % len(PALETTE)], customdata=part["n"].fillna(0),
                                 hovertemplate="%{x}: %{y:.1%} (%{customdata:,})<extra>" + str(cls) + "</extra>"))
        label = f"{rel.feature} ({part_label or rel.part})" if rel.part else rel.feature
        fig.update_xaxes(title_text=label, type="category")
        fig.update_yaxes(title_text=share_label, tickformat=".0%")
        fig.update_layout(barmode="group", legend_title_text=rel.target)
        return _layout(fig, height=380, legend=True)
    points = rel.points
    fig = go.Figure(go.Scattergl(x=points[rel.feature], y=points[rel.target], mode="markers",
                                 marker=dict(color=MAIN, size=5, opacity=0.5),
                                 hovertemplate="%{x}, %{y}<extra></extra>"))
    fig.update_xaxes(title_text=rel.feature)
    fig.update_yaxes(title_text=rel.target)
    return _layout(fig, title=sample_note, height=380)


def _number_first(value: str):
    try:
        return (0, float(value), "")
    except ValueError:
        return (1, 0.0, value)


#: How the database writes the values of a yes/no column; charts show them in the reader's words (예/아니오).
YES_NO = {"true": "predict.label.yes", "false": "predict.label.no"}


def level_words(value, text: Text):
    """A level as the reader says it: a yes/no column's ``true``/``false`` in words, anything else as it is."""
    key = YES_NO.get(value) if isinstance(value, str) else None
    return text(key) if key else value


def _levels_in_words(frame: pd.DataFrame | None, columns: Sequence[str], text: Text) -> pd.DataFrame | None:
    if frame is None:
        return None
    frame = frame.copy()
    for column in columns:
        if column in frame:
            frame[column] = frame[column].map(lambda v: level_words(v, text))
    return frame


def column_figures(c: ColumnProfile, text: Text) -> list[go.Figure]:
    """The charts of one column's card: histogram and box for numbers, top values for categories
    and tokens, counts per date part for dates, lengths for text and token lists."""
    rows = text("explore.chart.rows")
    if c.kind == "number" and c.histogram is not None:
        figures = [histogram(c.histogram, name=c.name, count_label=rows)]
        if c.box is not None and c.box.low is not None:
            figures.append(box(c.box, name=c.name, smallest=c.number.min, largest=c.number.max,
                               outlier_label=text("explore.chart.outliers", n=f"{c.box.outliers:,}")))
        return figures
    figures = []
    if c.top:
        other = text("explore.chart.other", n=c.other_levels) if c.kind == "category" else text("explore.chart.rest")
        figures.append(top_values([(level_words(v, text), n) for v, n in c.top], c.other_count if c.kind == "category" else 0, other_label=other,
                                  count_label=rows))
    if c.date_parts:
        titles = {p: text(f"explore.part.{p}") for p in c.date_parts}
        figures.append(date_parts(c.date_parts, part_titles=titles,
                                  weekday_names=text("explore.weekdays").split(","), count_label=rows))
    if c.lengths:
        figures.append(lengths(c.lengths, titles={m: text(f"explore.length.{m}") for m in c.lengths}))
    return figures


def relation_figure(rel: Relation, text: Text) -> go.Figure:
    note = text("explore.chart.scatter_sample", n=f"{rel.sample_rows:,}") if rel.kind == "scatter" else None
    rel = replace(rel, groups=_levels_in_words(rel.groups, ["level"], text),
                  table=_levels_in_words(rel.table, ["level", "target"], text))
    return relation(rel, share_label=text("explore.chart.share"), other_label=text("explore.chart.other_short"),
                    sample_note=note, part_label=text(f"explore.part.{rel.part}") if rel.part else None)


def class_figure(classes, other: int, text: Text) -> go.Figure:
    return class_distribution([(level_words(c, text), n) for c, n in classes or []], other, other_label=text("explore.chart.other_short"),
                              count_label=text("explore.chart.rows"))
