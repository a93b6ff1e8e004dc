"""The plain-language finding rules of Explore: column warnings, the target's balance, and leak detection.

A finding is a catalogue key with values, so the app can say it in Korean or English.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from core.explore.statistics import goodman_kruskal_lambda, numeric_frame

if TYPE_CHECKING:  # the rules read these results; the modules that make them import this one
    from core.explore.profile import ColumnProfile
    from core.explore.target import FeatureTest

#: A column of categories with more levels than this is flagged "high_cardinality".
HIGH_CARDINALITY = 50
#: A numeric column whose skew is at least this (either way) is flagged "skewed".
SKEW_LIMIT = 2.0
#: A column missing at least this share of its values is flagged "mostly_missing".
MOSTLY_MISSING = 0.5
#: A feature leaks when, alone, it removes this share of the errors of always guessing the
#: commonest class (Goodman and Kruskal's lambda), or explains this share of a numeric target.
LEAK_LAMBDA = 0.95
LEAK_R = 0.95
LEAK_ETA2 = 0.9
#: A level needs this many rows on average before a perfect split by it means anything.
ROWS_PER_LEVEL_FOR_LEAK = 10


@dataclass
class Finding:
    """One thing to tell the user: catalogue key ``explore.finding.<code>`` filled with ``values``."""

    code: str
    column: str | None = None
    values: dict = field(default_factory=dict)
    severity: str = "warning"  # "warning" or "info"

    @property
    def key(self) -> str:
        return f"explore.finding.{self.code}"


# -- the dataset and its columns ------------------------------------------------------------------


def looks_like_identifier(c: ColumnProfile, rows: int) -> bool:
    """A different value in nearly every row: a name, a code, a row number. Text of many words is not."""
    if c.count < 20 or c.unique is None or c.kind not in ("number", "category"):
        return False
    if c.kind == "category":
        # The same rule Train uses to leave a text column out (core.train.preprocessing.column_roles).
        return c.unique >= 0.9 * c.count
    n = c.number
    if n is None or not n.all_integer or c.unique < 0.99 * c.count:
        return False
    # Whole numbers, all different: an identifier when they run in sequence or the name says so.
    dense = n.max is not None and (n.max - n.min + 1) <= 1.1 * c.unique
    lowered = c.name.lower()
    named = lowered in ("id", "no", "key") or lowered.endswith(("_id", " id", "id", "번호", "코드"))
    return dense or named


def column_flags(c: ColumnProfile, rows: int, chosen_identifier: bool = False) -> list[str]:
    """What is worth a warning about a column: constant, empty, identifier, high_cardinality, skewed,
    mostly_missing."""
    flags = []
    if c.count == 0:
        return ["empty"]
    if c.unique is not None and c.unique <= 1:
        flags.append("constant")
    elif chosen_identifier or looks_like_identifier(c, rows):
        flags.append("identifier")
    elif c.kind == "category" and (c.unique or 0) > HIGH_CARDINALITY:
        flags.append("high_cardinality")
    if (c.kind == "number" and c.number and c.number.skew is not None and abs(c.number.skew) >= SKEW_LIMIT
            and (c.unique or 0) > 10 and "identifier" not in flags):
        flags.append("skewed")
    if c.missing_share >= MOSTLY_MISSING:
        flags.append("mostly_missing")
    return flags


def column_findings(c: ColumnProfile) -> list[Finding]:
    """One finding per flag of the column."""
    out = []
    for flag in c.flags:
        values = {"column": c.name}
        if flag == "high_cardinality":
            values["n"] = c.unique
        elif flag == "skewed":
            values["skew"] = c.number.skew
        elif flag == "mostly_missing":
            values["share"] = c.missing_share
        elif flag == "constant":
            values["value"] = c.top[0][0] if c.top else (_fmt(c.number.min) if c.number else "")
        out.append(Finding(flag, c.name, values))
    return out


def dataset_findings(columns: list[ColumnProfile], duplicates: int, rows: int) -> list[Finding]:
    """The findings of a profile: duplicate rows first, then each column's."""
    findings = [f for c in columns for f in column_findings(c)]
    if duplicates:
        findings.insert(0, Finding("duplicates", None, {"n": duplicates, "share": duplicates / rows}))
    return findings


# -- the target -----------------------------------------------------------------------------------


def target_findings(column: ColumnProfile, task: str, classes: list[tuple[str, int]] | None, other: int,
                    ratio: float | None, leaks: list[str]) -> list[Finding]:
    """What the target's distribution means for training (missing values, skew, class balance), then
    one finding per feature that leaks it (from ``find_leaks``)."""
    out = _distribution_findings(column, task, classes, other, ratio)
    return out + [Finding("leak", name, {"column": name, "target": column.name}) for name in leaks]


def _distribution_findings(column: ColumnProfile, task: str, classes, other: int, ratio) -> list[Finding]:
    out = []
    name = column.name
    if column.missing:
        out.append(Finding("target_missing", name, {"target": name, "n": column.missing}))
    if column.unique is not None and column.unique < 2:
        out.append(Finding("target_single", name, {"target": name}))
        return out
    if task == "regression":
        skew = column.number.skew if column.number else None
        if skew is not None and abs(skew) >= 1:
            out.append(Finding("target_skewed", name, {"target": name, "skew": skew}, "info"))
        else:
            out.append(Finding("target_numeric", name, {"target": name}, "info"))
        return out
    counts = [n for _, n in classes or []]
    if other:
        out.append(Finding("target_many_classes", name, {"target": name, "n": column.unique,
                                                         "shown": len(counts)}))
    if ratio is not None:
        values = {"target": name, "ratio": ratio, "largest": classes[0][0],
                  "smallest": min(classes, key=lambda c: c[1])[0]}
        if ratio < 1.5:
            out.append(Finding("balanced", name, values, "info"))
        elif ratio < 4:
            out.append(Finding("mild_imbalance", name, values, "info"))
        elif ratio < 20:
            out.append(Finding("imbalance", name, values))
        else:
            out.append(Finding("severe_imbalance", name, values))
    small = [(level, n) for level, n in classes or [] if n < 10]
    if small:
        out.append(Finding("tiny_classes", name, {"target": name, "classes": ", ".join(l for l, _ in small[:5]),
                                                  "n": len(small)}))
    return out


# -- features that leak the target ---------------------------------------------------------------


def find_leaks(target: ColumnProfile, task: str, features: list[ColumnProfile], tests: list[FeatureTest],
               sample: pd.DataFrame) -> list[str]:
    """Features that on their own almost perfectly predict the target: ``tests`` are their tests against
    it, ``sample`` a sample of rows with the target known."""
    by_feature: dict[str, list[FeatureTest]] = {}
    for t in tests:
        if t.part is None:
            by_feature.setdefault(t.feature, []).append(t)
    leaks = []
    class_codes = None
    for c in features:
        found = by_feature.get(c.name, [])
        # With few rows per level, any category "predicts" perfectly: that is chance, not a leak.
        enough_rows = (c.unique or 0) * ROWS_PER_LEVEL_FOR_LEAK <= c.count
        if task == "regression":
            leak = any(t.effect_name == "r" and abs(t.effect_size) >= LEAK_R for t in found) or (
                c.kind == "category" and enough_rows
                and any(t.test == "anova" and t.effect_size >= LEAK_ETA2 for t in found))
        elif c.kind == "category":
            leak = enough_rows and any((t.predictive_power or 0) >= LEAK_LAMBDA for t in found)
        elif c.kind == "number":
            if class_codes is None:
                class_codes = pd.factorize(sample[target.name])[0]
            leak = _numeric_lambda(sample, c.name, class_codes) >= LEAK_LAMBDA
        else:
            leak = False
        if leak:
            leaks.append(c.name)
    return leaks


def _numeric_lambda(sample: pd.DataFrame, feature: str, class_codes: np.ndarray) -> float:
    """Lambda of the target (``class_codes``, -1 for missing) against the feature cut into up to 20
    equal-count bins of the sample."""
    x = numeric_frame(sample[[feature]])[feature].to_numpy()
    keep = ~np.isnan(x) & (class_codes >= 0)
    x, y = x[keep], class_codes[keep]
    bins = min(20, len(x) // ROWS_PER_LEVEL_FOR_LEAK)
    if bins < 2:
        return 0.0
    edges = np.unique(np.quantile(x, np.linspace(0, 1, bins + 1)[1:-1]))
    codes = np.searchsorted(edges, x, side="right")
    table = np.zeros((len(edges) + 1, int(y.max()) + 1))
    np.add.at(table, (codes, y), 1)
    return goodman_kruskal_lambda(table)


def _fmt(value) -> str:
    return "" if value is None else f"{value:g}"
