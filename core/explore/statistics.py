"""The statistical tests of Explore as pure functions over counts, group moments and samples.

Each test returns its statistic, p-value and an effect size; ``strength`` puts an effect size into
words ("strong" ... "none") with Cohen's thresholds, so tests of different kinds can be ranked together.
Missing values (NaN) are left out pair by pair; a test that cannot be computed returns NaN.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats as sps

#: A relation is called significant when its p-value is under this.
ALPHA = 0.05
#: Effect sizes for "small", "medium" and "large" (Cohen): r and Cramér's V (one degree of freedom),
#: and the share of variance explained (eta squared, epsilon squared).
EFFECT_LEVELS = {"r": (0.1, 0.3, 0.5), "cramers_v": (0.1, 0.3, 0.5),
                 "eta_squared": (0.01, 0.06, 0.14), "epsilon_squared": (0.01, 0.06, 0.14)}
#: The words of ``strength``, strongest first.
STRENGTHS = ("strong", "moderate", "weak", "negligible", "none")


# -- moments and samples ------------------------------------------------------------------------


def numeric_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Sampled numeric columns as floats, with infinities as missing (as the aggregates treat them).

    Parameters
    ----------
    frame : DataFrame of shape (rows, columns)
        Values of any type; those that are not numbers become NaN.

    Returns
    -------
    DataFrame of shape (rows, columns), dtype float64
    """
    out = frame.apply(lambda s: pd.to_numeric(s, errors="coerce")).astype("float64")
    return out.where(np.isfinite(out))


def std_and_skew(n: int, m2: float | None, m3: float | None) -> tuple[float | None, float | None]:
    """Sample standard deviation and adjusted Fisher-Pearson skew (as pandas ``std`` and ``skew``).

    Parameters
    ----------
    n : int
        How many values.
    m2, m3 : float or None
        Sums of squared and cubed deviations from the mean of the ``n`` values.

    Returns
    -------
    (std, skew)
        In the values' units, and unitless; None where ``n`` is too small or the values are constant.
    """
    if m2 is None or n < 2:
        return None, None
    m2 = max(m2, 0.0)
    std = math.sqrt(m2 / (n - 1))
    if n < 3 or m3 is None:
        return std, None
    # Deviations this small against the values' own rounding are a constant column: no skew.
    if m2 / n <= 1e-14 * max(1.0, std) ** 2 or m2 == 0:
        return std, None
    g1 = (m3 / n) / (m2 / n) ** 1.5
    return std, g1 * math.sqrt(n * (n - 1)) / (n - 2)


# -- categories against categories --------------------------------------------------------------


def chi_square(table) -> tuple[float, float, int, float]:
    """Pearson's chi-square test of independence (no continuity correction) and Cramér's V.

    Parameters
    ----------
    table : array of shape (levels, classes)
        Counts of rows; empty rows and columns are ignored.

    Returns
    -------
    (chi2, p_value, degrees_of_freedom, cramers_v)
    """
    t = _without_empty_margins(table)
    n = t.sum()
    r, k = t.shape if t.ndim == 2 else (0, 0)
    if r < 2 or k < 2:
        return math.nan, math.nan, 0, math.nan
    expected = _expected_counts(t)
    chi2 = float(((t - expected) ** 2 / expected).sum())
    dof = (r - 1) * (k - 1)
    v = math.sqrt(chi2 / (n * (min(r, k) - 1)))
    return chi2, float(sps.chi2.sf(chi2, dof)), dof, min(v, 1.0)


def small_expected_share(table) -> float:
    """The share of cells whose expected count is under 5 (the chi-square p-value is rough above 20%).

    ``table`` is as for ``chi_square``; the share is a float between 0 and 1.
    """
    t = _without_empty_margins(table)
    if t.size == 0:
        return 0.0
    return float((_expected_counts(t) < 5).mean())


def _without_empty_margins(table) -> np.ndarray:
    t = np.asarray(table, dtype="float64")
    return t[t.sum(axis=1) > 0][:, t.sum(axis=0) > 0]


def _expected_counts(t: np.ndarray) -> np.ndarray:
    """The counts of a (levels, classes) table if levels and classes were independent."""
    return np.outer(t.sum(axis=1), t.sum(axis=0)) / t.sum()


def goodman_kruskal_lambda(table) -> float:
    """How much knowing the row (feature level) cuts the errors of guessing the column (class).

    Parameters
    ----------
    table : array of shape (levels, classes)
        Counts of rows.

    Returns
    -------
    float between 0 (not at all) and 1 (every row guessed right)
    """
    t = np.asarray(table, dtype="float64")
    n = t.sum()
    best_overall = t.sum(axis=0).max() if t.size else 0
    if n == 0 or best_overall == n:
        return 0.0
    return float((t.max(axis=1).sum() - best_overall) / (n - best_overall))


# -- numbers across groups ----------------------------------------------------------------------


def anova(n, mean, var_pop) -> tuple[float, float, int, int, float]:
    """One-way ANOVA from each group's size, mean and population variance, and eta squared.

    Parameters
    ----------
    n, mean, var_pop : arrays of shape (groups,)
        Each group's number of values, their mean and their population variance (NaN counts as 0);
        empty groups are ignored.

    Returns
    -------
    (F, p_value, df_between, df_within, eta_squared)
    """
    n, mean, var_pop = (np.asarray(a, dtype="float64") for a in (n, mean, var_pop))
    keep = n > 0
    n, mean, var_pop = n[keep], mean[keep], np.nan_to_num(var_pop[keep])
    k, total = len(n), n.sum()
    if k < 2 or total <= k:
        return math.nan, math.nan, max(k - 1, 0), int(max(total - k, 0)), math.nan
    grand = (n * mean).sum() / total
    between = float((n * (mean - grand) ** 2).sum())
    within = float((n * var_pop).sum())
    df1, df2 = k - 1, int(total - k)
    if between + within == 0:
        return math.nan, math.nan, df1, df2, math.nan
    eta2 = between / (between + within)
    if within == 0:
        return math.inf, 0.0, df1, df2, eta2
    f = (between / df1) / (within / df2)
    return f, float(sps.f.sf(f, df1, df2)), df1, df2, eta2


def average_ranks(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ranks with ties sharing their mean rank, in one sort (as ``scipy.stats.rankdata(method="average")``).

    Parameters
    ----------
    values : array of shape (n,)
        Numbers, none missing.

    Returns
    -------
    ranks : array of shape (n,)
        1-based, float64.
    ties : array of shape (distinct values,)
        The size of each group of equal values, in sorted order.
    """
    order = np.argsort(values)  # ties get their mean rank, so their order does not matter
    return _ranks_from_order(values, order)


def _ranks_from_order(values: np.ndarray, order: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = len(order)
    ranks = np.empty(n, dtype="float64")
    if n == 0:
        return ranks, np.zeros(0, dtype="int64")
    ordered = values[order]
    starts = np.concatenate(([0], np.flatnonzero(ordered[1:] != ordered[:-1]) + 1))
    ends = np.concatenate((starts[1:], [n]))
    ranks[order] = np.repeat((starts + ends + 1) / 2.0, ends - starts)
    return ranks, ends - starts


def kruskal_wallis(values, groups) -> tuple[float, float, int, float]:
    """Kruskal-Wallis H test (ties corrected) and epsilon squared = H / (n - 1).

    Parameters
    ----------
    values : array of shape (n,)
        Numbers; missing values are left out with their group.
    groups : array of shape (n,)
        The group of each value; missing groups are left out.

    Returns
    -------
    (H, p_value, degrees_of_freedom, epsilon_squared)
    """
    values = np.asarray(values, dtype="float64")
    codes, _ = pd.factorize(pd.Series(groups))
    keep = ~np.isnan(values) & (codes >= 0)
    values, codes = values[keep], codes[keep]
    n = len(values)
    present = np.unique(codes)
    k = len(present)
    if k < 2 or n <= k:
        return math.nan, math.nan, max(k - 1, 0), math.nan
    ranks, ties = average_ranks(values)
    rank_sums = np.bincount(codes, weights=ranks)[present]
    sizes = np.bincount(codes)[present]
    h = 12.0 / (n * (n + 1)) * float((rank_sums ** 2 / sizes).sum()) - 3.0 * (n + 1)
    correction = 1.0 - float((ties.astype("float64") ** 3 - ties).sum()) / (float(n) ** 3 - n)
    if correction <= 0:
        return math.nan, math.nan, k - 1, math.nan
    h /= correction
    return h, float(sps.chi2.sf(h, k - 1)), k - 1, min(h / (n - 1), 1.0)


# -- numbers against numbers --------------------------------------------------------------------


def correlation_p_value(r: float, n: int) -> float:
    """Two-sided p-value of a correlation (t test with n - 2 degrees of freedom).

    Parameters
    ----------
    r : float
        Pearson's or Spearman's correlation, between -1 and 1.
    n : int
        How many pairs it was computed over.

    Returns
    -------
    float, NaN when ``r`` is missing or ``n`` < 3
    """
    if r is None or n < 3 or math.isnan(r):
        return math.nan
    if abs(r) >= 1:
        return 0.0
    t = r * math.sqrt((n - 2) / (1 - r * r))
    return float(2 * sps.t.sf(abs(t), n - 2))


def _pearson(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a - a.mean(), b - b.mean()
    denominator = math.sqrt(float((a * a).sum()) * float((b * b).sum()))
    return math.nan if denominator == 0 else max(-1.0, min(1.0, float((a * b).sum()) / denominator))


def spearman(x, y) -> tuple[float, float, int]:
    """Spearman's rank correlation over the pairs where both are known.

    Parameters
    ----------
    x, y : arrays of shape (n,)
        Numbers, NaN for missing.

    Returns
    -------
    (rho, p_value, pairs)
    """
    x, y = np.asarray(x, dtype="float64"), np.asarray(y, dtype="float64")
    keep = ~np.isnan(x) & ~np.isnan(y)
    x, y = x[keep], y[keep]
    n = len(x)
    if n < 3:
        return math.nan, math.nan, n
    rho = _pearson(average_ranks(x)[0], average_ranks(y)[0])
    return rho, correlation_p_value(rho, n), n


def spearman_matrix(frame: pd.DataFrame) -> list[list[float | None]]:
    """Spearman correlations of every pair of columns over the rows where both are known (as pandas).

    Each column is sorted once; a pair with missing values re-ranks only its complete rows, walking
    that sorted order.

    Parameters
    ----------
    frame : DataFrame of shape (rows, k)
        float64 columns, NaN for missing.

    Returns
    -------
    list of k lists of k floats
        Symmetric, 1.0 on the diagonal, None where fewer than 3 rows are complete or a column is constant.
    """
    columns = list(frame.columns)
    values = [frame[c].to_numpy(dtype="float64") for c in columns]
    known = [~np.isnan(v) for v in values]
    orders = [np.argsort(v) for v in values]  # missing values sort last
    full_ranks = [_ranks_from_order(v, o)[0] if m.all() else None for v, o, m in zip(values, orders, known)]
    k = len(columns)
    out: list[list[float | None]] = [[None] * k for _ in range(k)]
    for i in range(k):
        for j in range(i, k):
            if full_ranks[i] is not None and full_ranks[j] is not None:
                rho = _pearson(full_ranks[i], full_ranks[j])
            else:
                both = known[i] & known[j]
                rho = math.nan
                if both.sum() >= 3:
                    position = np.cumsum(both) - 1  # row index -> index among the complete rows
                    ranks = [_ranks_from_order(values[c][both], position[orders[c][both[orders[c]]]])[0]
                             for c in (i, j)]
                    rho = _pearson(ranks[0], ranks[1])
            out[i][j] = out[j][i] = None if math.isnan(rho) else (1.0 if i == j else rho)
    return out


# -- effect sizes in words ----------------------------------------------------------------------


def effect_levels(effect_name: str, dof: int = 1) -> tuple[float, float, float]:
    """Cohen's "small", "medium" and "large" thresholds of an effect size.

    Parameters
    ----------
    effect_name : {"r", "cramers_v", "eta_squared", "epsilon_squared"}
    dof : int
        For Cramér's V, the smaller side of the table less one (min(levels, classes) - 1).

    Returns
    -------
    (small, medium, large)
    """
    levels = EFFECT_LEVELS[effect_name]
    if effect_name == "cramers_v":
        # Cohen's thresholds for V shrink with the smaller side of the table (df* = min(r, c) - 1).
        return tuple(level / math.sqrt(max(dof, 1)) for level in levels)
    return levels


def strength(effect_name: str, effect: float, p_value: float, dof: int = 1) -> str:
    """An effect size in words, given its test's p-value.

    Parameters
    ----------
    effect_name : {"r", "cramers_v", "eta_squared", "epsilon_squared"}
    effect : float
        The effect size (its absolute value counts).
    p_value : float
    dof : int
        As for ``effect_levels``.

    Returns
    -------
    {"strong", "moderate", "weak", "negligible", "none"}
        "negligible" is significant but tiny; "none" is not significant (p >= ``ALPHA``).
    """
    if effect is None or p_value is None or math.isnan(p_value) or math.isnan(effect) or p_value >= ALPHA:
        return "none"
    small, medium, large = effect_levels(effect_name, dof)
    effect = abs(effect)
    if effect >= large:
        return "strong"
    if effect >= medium:
        return "moderate"
    if effect >= small:
        return "weak"
    return "negligible"


def format_p(p: float) -> str:
    """A p-value as people read it: '< 0.001', '0.042', or '-' when there is none."""
    if p is None or math.isnan(p):
        return "-"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"
