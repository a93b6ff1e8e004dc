"""A target's analysis: its distribution, and every usable feature tested against it.

The tests are chi-square, ANOVA, Kruskal-Wallis, Pearson and Spearman, chosen by the kinds of the
feature and the target; the findings they lead to come from ``core.explore.findings``.

Counts and group moments come from DuckDB aggregates over every row; the rank-based tests (Spearman,
Kruskal-Wallis) and the leakage check of numeric features use a seeded sample whose size is recorded.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.train.settings import task_from_summary
from core.errors import TargetError
from core.explore.findings import Finding, find_leaks, target_findings
from core.explore.profile import SAMPLE_ROWS, SEED, ColumnProfile, Histogram, NumberStats, Profile
from core.explore.statistics import (STRENGTHS, anova, chi_square, correlation_p_value, effect_levels,
                                     goodman_kruskal_lambda, kruskal_wallis, numeric_frame, small_expected_share,
                                     spearman, strength)
from storage.stats import DatasetStats, open_stats
from storage.workspace import Workspace

#: Category levels beyond this many (most frequent first) are tested together as one "other" level.
MAX_TEST_LEVELS = 50
#: The name of that pooled level (charts show it in words); no stored value starts with a NUL.
OTHER_LEVEL = "\x00other"


@dataclass
class FeatureTest:
    """One test of a feature (or a part of a date feature) against the target."""

    feature: str
    test: str  # chi2, anova, kruskal, pearson, spearman
    statistic: float
    p_value: float
    effect_size: float
    effect_name: str  # cramers_v, eta_squared, epsilon_squared, r
    n: int
    dof: str
    strength: str
    part: str | None = None
    on_sample: bool = False
    notes: list[str] = field(default_factory=list)  # small_expected, grouped_levels
    effect_dof: int = 1  # min(levels, classes) - 1, for the thresholds of Cramér's V
    predictive_power: float | None = None  # Goodman and Kruskal's lambda, for chi-square tests

    @property
    def label(self) -> str:
        return f"{self.feature} ({self.part})" if self.part else self.feature

    @property
    def score(self) -> float:
        """The effect relative to a "large" one, so different tests can be ranked together."""
        if self.effect_size is None or math.isnan(self.effect_size):
            return 0.0
        return abs(self.effect_size) / effect_levels(self.effect_name, self.effect_dof)[2]


@dataclass
class TargetAnalysis:
    """The target's distribution, each usable feature's tests against it (strongest first), and findings."""

    target: str
    task: str
    rows: int
    missing: int
    classes: list[tuple[str, int]] | None
    other_classes: int
    imbalance_ratio: float | None
    number: NumberStats | None
    histogram: Histogram | None
    tests: list[FeatureTest]
    findings: list[Finding]
    leaks: list[str]
    sample_rows: int

    def suggested_features(self) -> list[str]:
        """Features with evidence of a relation (p < 5%) that do not leak the target, strongest first."""
        out = []
        for test in self.tests:
            if test.strength != "none" and test.feature not in self.leaks and test.feature not in out:
                out.append(test.feature)
        return out


def infer_task(column: ColumnProfile) -> str:
    """'binary', 'multiclass' or 'regression', by the rule training uses (`core.train.settings.infer_task`)."""
    number = column.number
    whole = number is not None and number.all_integer
    return task_from_summary(column.unique or 0, column.kind == "number", bool(whole), column.count,
                             number.min if number else None, number.max if number else None)


def analyse_target(ws: Workspace, key: str, profile: Profile, target: str, *, sample_rows: int = SAMPLE_ROWS,
                   seed: int = SEED) -> TargetAnalysis:
    """The target's distribution, what it means for validation, and every usable feature tested against it.

    ``profile`` must be the profile of the same dataset version.
    """
    if target not in profile.names:
        raise TargetError(f"There is no column '{target}'. Choose the target from the table's columns.",
                          key="explore.error.no_column", params={"column": target})
    column = profile.column(target)
    if column.kind not in ("number", "category"):
        raise TargetError(f"'{target}' is not a column of categories or numbers, so it cannot be predicted. "
                          "Choose a column of categories or numbers as the target.",
                          key="explore.error.target_kind", params={"column": target})
    if column.count == 0:
        raise TargetError(f"Every value of the target '{target}' is missing: choose another target.",
                          key="explore.error.target_empty", params={"column": target})
    task = infer_task(column)
    features = [c for c in profile.columns if c.name != target and c.usable and c.count]
    with open_stats(ws, key) as stats:
        if task == "regression":
            classes, other, ratio = None, 0, None
        else:
            classes = stats.value_counts(target, MAX_TEST_LEVELS)
            other = column.count - sum(n for _, n in classes)
            counts = [n for _, n in classes]
            ratio = max(counts) / min(counts) if counts and other == 0 else None
        sample_columns = [target] + [c.name for c in features if c.kind == "number"
                                     or (task == "regression" and c.kind == "category")]
        sample = stats.sample(sample_columns, sample_rows, seed)
        sampled = len(sample) < stats.rows  # rank tests on every row when the table fits the sample
        sample = sample[sample[target].notna()]
        if column.unique is not None and column.unique < 2:
            tests = []
        elif task == "regression":
            tests = _regression_tests(stats, column, features, sample, sampled)
        else:
            tests = _classification_tests(stats, column, features, sample, sampled)
    tests.sort(key=lambda t: (STRENGTHS.index(t.strength), -t.score, t.p_value if not math.isnan(t.p_value) else 2))
    leaks = find_leaks(column, task, features, tests, sample)
    findings = target_findings(column, task, classes, other, ratio, leaks)
    return TargetAnalysis(target, task, profile.rows, column.missing, classes, other, ratio,
                          column.number if task == "regression" else None,
                          column.histogram if task == "regression" else None,
                          tests, findings, leaks, len(sample))


def _test(feature: str, test: str, statistic: float, p: float, effect: float, effect_name: str, n: int,
          dof: str, *, effect_dof: int = 1, part: str | None = None, on_sample: bool = False, notes=(),
          predictive_power: float | None = None) -> FeatureTest:
    return FeatureTest(feature, test, float(statistic), float(p), float(effect), effect_name, int(n), str(dof),
                       strength(effect_name, effect, p, effect_dof), part, on_sample, list(notes), effect_dof,
                       predictive_power)


def keep_top_levels(levels: pd.Series, sizes: pd.Series, max_levels: int) -> tuple[pd.Series, bool]:
    """``levels`` with all but the ``max_levels`` largest (by total ``sizes``) renamed to one "other"."""
    totals = sizes.groupby(levels).sum()
    if len(totals) <= max_levels:
        return levels, False
    kept = set(totals.sort_values(ascending=False, kind="stable").index[:max_levels])
    return levels.where(levels.isin(kept), OTHER_LEVEL), True


def _chi_square_test(table: pd.DataFrame, feature: str, part: str | None) -> FeatureTest | None:
    """Chi-square of a crosstab from ``DatasetStats.crosstab``, rare levels beyond the first
    ``MAX_TEST_LEVELS`` counted together."""
    levels, grouped = keep_top_levels(table["level"].astype("object"), table["n"], MAX_TEST_LEVELS)
    counts = pd.crosstab(levels, table["target"], values=table["n"], aggfunc="sum").fillna(0).to_numpy()
    chi2, p, dof, v = chi_square(counts)
    if math.isnan(chi2):
        return None
    notes = []
    if small_expected_share(counts) > 0.2:
        notes.append("small_expected")
    if grouped:
        notes.append("grouped_levels")
    r, k = counts.shape
    return _test(feature, "chi2", chi2, p, v, "cramers_v", int(counts.sum()), str(dof),
                 effect_dof=max(min(r, k) - 1, 1), part=part, notes=notes,
                 predictive_power=goodman_kruskal_lambda(counts))


def _classification_tests(stats: DatasetStats, target: ColumnProfile, features: list[ColumnProfile],
                          sample: pd.DataFrame, sampled: bool) -> list[FeatureTest]:
    tests = []
    for c in features:
        if c.kind == "category":
            table = stats.crosstab(c.name, target.name)
            test = _chi_square_test(table, c.name, None)
            if test:
                tests.append(test)
        elif c.kind == "date":
            parts = [part for part, counts in (c.date_parts or {}).items() if len(counts) >= 2]
            for part, table in stats.date_part_crosstabs(c.name, target.name, parts).items():
                test = _chi_square_test(table, c.name, part)
                if test:
                    tests.append(test)
    numeric = [c for c in features if c.kind == "number"]
    if numeric:
        moments = stats.group_moments([c.name for c in numeric], target.name)
        groups = pd.factorize(sample[target.name])[0]
        for i, c in enumerate(numeric):
            f, p, df1, df2, eta2 = anova(moments[f"n_{i}"], moments[f"mean_{i}"], moments[f"var_{i}"])
            if not math.isnan(f):
                tests.append(_test(c.name, "anova", f, p, eta2, "eta_squared", int(moments[f"n_{i}"].sum()),
                                   f"{df1},{df2}"))
            values = numeric_frame(sample[[c.name]])[c.name].to_numpy()
            h, p, dof, eps2 = kruskal_wallis(values, groups)
            if not math.isnan(h):
                tests.append(_test(c.name, "kruskal", h, p, eps2, "epsilon_squared",
                                   int(((~np.isnan(values)) & (groups >= 0)).sum()), str(dof), on_sample=sampled))
    return tests


def _regression_tests(stats: DatasetStats, target: ColumnProfile, features: list[ColumnProfile],
                      sample: pd.DataFrame, sampled: bool) -> list[FeatureTest]:
    tests = []
    y = numeric_frame(sample[[target.name]])[target.name].to_numpy()
    numeric = [c for c in features if c.kind == "number"]
    if numeric:
        pearson, pairs = stats.correlations([target.name] + [c.name for c in numeric],
                                            [c.number.mean for c in [target] + numeric],
                                            [c.count for c in [target] + numeric])
        for i, c in enumerate(numeric, start=1):
            r, n = pearson[0][i], pairs[0][i]
            if r is not None:
                tests.append(_test(c.name, "pearson", r, correlation_p_value(r, n), r, "r", n, str(n - 2)))
            x = numeric_frame(sample[[c.name]])[c.name].to_numpy()
            rho, p, n = spearman(x, y)
            if not math.isnan(rho):
                tests.append(_test(c.name, "spearman", rho, p, rho, "r", n, str(n - 2), on_sample=sampled))
    for c in features:
        parts: list[str | None]
        if c.kind == "category":
            parts = [None]
        elif c.kind == "date":
            parts = [p for p, counts in (c.date_parts or {}).items() if len(counts) >= 2]
        else:
            continue
        for part in parts:
            moments, grouped = _pool_top_levels(stats.group_moments([target.name], c.name, part=part),
                                                MAX_TEST_LEVELS)
            f, p, df1, df2, eta2 = anova(moments["n_0"], moments["mean_0"], moments["var_0"])
            if not math.isnan(f):
                notes = ["grouped_levels"] if grouped else []
                tests.append(_test(c.name, "anova", f, p, eta2, "eta_squared", int(moments["n_0"].sum()),
                                   f"{df1},{df2}", part=part, notes=notes))
            if part is None:
                h, p, dof, eps2 = kruskal_wallis(y, sample[c.name].astype("string"))
                if not math.isnan(h):
                    tests.append(_test(c.name, "kruskal", h, p, eps2, "epsilon_squared",
                                       int(sample[c.name].notna().sum()), str(dof), on_sample=sampled))
    return tests


def _pool_top_levels(moments: pd.DataFrame, max_levels: int) -> tuple[pd.DataFrame, bool]:
    """Group moments with all but the ``max_levels`` largest levels pooled into one group."""
    if len(moments) <= max_levels:
        return moments, False
    moments = moments.sort_values("n_0", ascending=False, kind="stable")
    kept, rest = moments.iloc[:max_levels], moments.iloc[max_levels:]
    n = rest["n_0"].sum()
    if n == 0:
        return kept, True
    mean = (rest["n_0"] * rest["mean_0"]).sum() / n
    var = (rest["n_0"] * (rest["var_0"] + rest["mean_0"] ** 2)).sum() / n - mean ** 2
    pooled = pd.DataFrame({"level": [OTHER_LEVEL], "n_0": [n], "mean_0": [mean], "var_0": [max(var, 0.0)]})
    return pd.concat([kept, pooled], ignore_index=True), True
