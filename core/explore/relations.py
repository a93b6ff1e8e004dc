"""The data for a plot of one feature against the target: a scatter, boxes by level, or grouped bars."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core.errors import TargetError
from core.explore.profile import SEED, Profile
from core.explore.target import TargetAnalysis, keep_top_levels
from storage.stats import open_stats
from storage.workspace import Workspace

#: A scatter plot shows at most this many sampled rows.
SCATTER_POINTS = 5_000
#: Boxes and bars show at most this many levels, the most frequent.
RELATION_LEVELS = 20


@dataclass
class Relation:
    """What a plot of one feature against the target needs: its kind and its figures.

    kind ``box`` (``groups``: one row per level with quartiles and whiskers), ``bars`` (``table``:
    counts by feature level and class) or ``scatter`` (``points``: sampled x and y).
    """

    feature: str
    target: str
    kind: str
    by: str  # the column whose levels make the groups / bars
    part: str | None = None
    groups: pd.DataFrame | None = None
    table: pd.DataFrame | None = None
    points: pd.DataFrame | None = None
    sample_rows: int = 0


def relation(ws: Workspace, key: str, profile: Profile, analysis: TargetAnalysis, feature: str,
             *, seed: int = SEED) -> Relation:
    """The data for a scatter, box or grouped-bar plot of ``feature`` against the target."""
    target = analysis.target
    if feature not in profile.names or feature == target:
        raise TargetError(f"Choose a feature other than the target '{target}'.", key="explore.error.bad_feature",
                          params={"target": target})
    c = profile.column(feature)
    numeric_target = analysis.task == "regression"
    with open_stats(ws, key) as stats:
        if c.kind == "number" and not numeric_target:
            return Relation(feature, target, "box", by=target,
                            groups=stats.group_quantiles(feature, target, max_levels=RELATION_LEVELS))
        if c.kind == "category" and numeric_target:
            return Relation(feature, target, "box", by=feature,
                            groups=stats.group_quantiles(target, feature, max_levels=RELATION_LEVELS))
        if c.kind == "category" or (c.kind == "date" and not numeric_target):
            part = None
            if c.kind == "date":
                parts = c.date_parts or {}
                part = "year" if len(parts.get("year", [])) > 1 else "month"
            table = stats.crosstab(feature, target, part=part)
            levels, _ = keep_top_levels(table["level"].astype("object"), table["n"], RELATION_LEVELS)
            table = table.assign(level=levels).groupby(["level", "target"], as_index=False, sort=False)["n"].sum()
            return Relation(feature, target, "bars", by=feature, part=part, table=table)
        if c.kind in ("number", "date"):
            points = stats.sample([feature, target], SCATTER_POINTS, seed).dropna()
            return Relation(feature, target, "scatter", by=feature, points=points, sample_rows=len(points))
    raise TargetError(f"'{feature}' cannot be plotted against the target: choose a column of numbers, "
                      "categories or dates.", key="explore.error.cannot_plot", params={"column": feature})
