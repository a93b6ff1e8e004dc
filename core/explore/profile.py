"""The profile of a dataset and the tests of each feature against a target, with findings in plain words.

Statistics come from DuckDB aggregates over the stored table (``storage.stats``); the rank-based ones
(Spearman, Kruskal-Wallis) and the leakage check of numeric features use a seeded sample whose size
is recorded. Findings are catalogue keys with values, so the app can say them in Korean or English.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from scipy import stats as sps

from core.errors import TargetError
from core.train.settings import task_from_summary
from storage.stats import DatasetStats, open_stats, type_family
from storage.workspace import Workspace

SAMPLE_ROWS = 100_000
SEED = 0
TOP_VALUES = 10
HISTOGRAM_BINS = 30
#: Whole-number columns spanning at most this many values get one bar per value.
INTEGER_BAR_SPAN = 60
#: Category levels beyond this many (most frequent first) are tested together as one "other" level.
MAX_TEST_LEVELS = 50
MAX_CORRELATION_COLUMNS = 30
ALPHA = 0.05

HIGH_CARDINALITY = 50
SKEW_LIMIT = 2.0
MOSTLY_MISSING = 0.5
#: A feature leaks when, alone, it removes this share of the errors of always guessing the
#: commonest class (Goodman and Kruskal's lambda), or explains this share of a numeric target.
LEAK_LAMBDA = 0.95
LEAK_R = 0.95
LEAK_ETA2 = 0.9
#: A level needs this many rows on average before a perfect split by it means anything.
ROWS_PER_LEVEL_FOR_LEAK = 10
#: Effect sizes for "small", "medium" and "large" (Cohen): r and Cramér's V (one degree of freedom),
#: and the share of variance explained (eta squared, epsilon squared).
EFFECT_LEVELS = {"r": (0.1, 0.3, 0.5), "cramers_v": (0.1, 0.3, 0.5),
                 "eta_squared": (0.01, 0.06, 0.14), "epsilon_squared": (0.01, 0.06, 0.14)}
STRENGTHS = ("strong", "moderate", "weak", "negligible", "none")
#: Text reads as prose (not categories) when values are this long, mostly have spaces and mostly differ.
TEXT_MIN_LENGTH = 20
TEXT_MIN_SPACE_SHARE = 0.5
TEXT_MIN_DISTINCT_SHARE = 0.3


# -- the profile ----------------------------------------------------------------------------------


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


@dataclass
class NumberStats:
    count: int
    mean: float | None
    std: float | None
    min: float | None
    q1: float | None
    median: float | None
    q3: float | None
    max: float | None
    skew: float | None = None
    all_integer: bool = False


@dataclass
class Histogram:
    """Bar ``i`` counts values in ``[edges[i], edges[i+1])`` (the last bar includes its right edge)."""

    edges: list[float]
    counts: list[int]
    integer_bars: bool = False


@dataclass
class Box:
    q1: float
    median: float
    q3: float
    low: float
    high: float
    mean: float | None
    outliers: int


@dataclass
class ColumnProfile:
    name: str
    sql_type: str
    kind: str  # number, category, date, text, tokens, other
    count: int
    missing: int
    unique: int | None
    unique_exact: bool
    number: NumberStats | None = None
    histogram: Histogram | None = None
    box: Box | None = None
    top: list[tuple[str, int]] | None = None
    other_count: int = 0
    other_levels: int = 0
    first: str | None = None
    last: str | None = None
    date_parts: dict[str, list[tuple[int, int]]] | None = None
    lengths: dict[str, NumberStats] | None = None
    flags: list[str] = field(default_factory=list)  # constant, empty, identifier, high_cardinality, skewed

    @property
    def missing_share(self) -> float:
        total = self.count + self.missing
        return self.missing / total if total else 0.0

    @property
    def usable(self) -> bool:
        """Whether a test against a target means anything for this column."""
        return not {"constant", "empty", "identifier"} & set(self.flags)


@dataclass
class Correlations:
    columns: list[str]
    pearson: list[list[float | None]]
    spearman: list[list[float | None]]
    pairs: list[list[int]]
    sample_rows: int
    truncated: bool = False


@dataclass
class Profile:
    dataset_id: str
    dataset_name: str
    version: int
    rows: int
    columns: list[ColumnProfile]
    missing_cells: int
    duplicate_rows: int
    memory_bytes: int
    findings: list[Finding]
    correlations: Correlations | None
    seed: int = SEED

    def column(self, name: str) -> ColumnProfile:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def kinds(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.columns:
            out[c.kind] = out.get(c.kind, 0) + 1
        return out


def profile_dataset(ws: Workspace, key: str, *, sample_rows: int = SAMPLE_ROWS, seed: int = SEED) -> Profile:
    """Profile the current version of dataset ``key``: overview, one summary per column, warnings and
    correlations, from DuckDB aggregates (Spearman from a seeded sample of ``sample_rows`` rows)."""
    overrides = ws.column_type_overrides(key)
    with open_stats(ws, key) as stats:
        counts = stats.column_counts()
        columns = [_column_profile(stats, name, counts[name], overrides.get(name)) for name in stats.schema]
        numeric = [c for c in columns if c.kind == "number" and c.count]
        summaries = stats.numeric_summary([c.name for c in numeric])
        for c in numeric:
            c.number = NumberStats(**{k: summaries[c.name][k] for k in
                                      ("count", "mean", "min", "q1", "median", "q3", "max", "all_integer")},
                                   std=None)
        _add_distributions(stats, numeric)
        for c in columns:
            _add_kind_details(stats, c)
            c.flags = _flags(c, stats.rows, chosen_identifier="identifier" in c.flags)
        correlations = _correlations(stats, [c for c in numeric if c.usable and c.number.std], sample_rows, seed)
        duplicates = stats.duplicate_rows()
        memory = stats.memory_bytes({n: v["text_bytes"] for n, v in counts.items()})
        dataset = stats.dataset
        rows = stats.rows
    findings = [f for c in columns for f in _column_findings(c)]
    if duplicates:
        findings.insert(0, Finding("duplicates", None, {"n": duplicates, "share": duplicates / rows}))
    return Profile(dataset.dataset_id, dataset.name, dataset.version, rows, columns,
                   sum(c.missing for c in columns), duplicates, memory, findings, correlations, seed)


#: The column types a user can choose on the Data page (``core.types``), as Explore's kinds, when the
#: stored values allow it: {chosen type: {storage family: kind}}.
CHOSEN_KINDS = {
    "number": {"number": "number", "boolean": "number"},
    "integer_code": {"number": "category", "boolean": "category", "text": "category"},
    "category": {"number": "category", "boolean": "category", "text": "category", "date": "category"},
    "yes_no": {"number": "category", "boolean": "category", "text": "category"},
    "datetime": {"date": "date"},
    "text": {"text": "text", "number": "category"},
    "identifier": {"number": "category", "text": "category", "date": "category"},
    "token_list": {"list": "tokens", "text": "text"},
}


def _column_profile(stats: DatasetStats, name: str, counts: dict, chosen: str | None = None) -> ColumnProfile:
    """A column's profile shell: its kind (the user's chosen type first, else inferred) and counts."""
    sql_type = stats.schema[name]
    family = type_family(sql_type)
    count, distinct = counts["count"], counts["distinct"]
    kind = CHOSEN_KINDS.get(chosen or "", {}).get(family)
    if kind is not None:
        column = ColumnProfile(name, sql_type, kind, count, stats.rows - count, distinct, counts["distinct_exact"])
        if chosen == "identifier":
            column.flags = ["identifier"]
        return column
    if family == "number":
        kind = "number"
    elif family == "boolean":
        kind = "category"
    elif family == "date":
        kind = "date"
    elif family == "list":
        kind = "tokens"
    elif family == "text":
        looks_like_prose = ((counts["avg_length"] or 0) >= TEXT_MIN_LENGTH
                            and (counts["space_share"] or 0) >= TEXT_MIN_SPACE_SHARE
                            and distinct is not None and distinct >= TEXT_MIN_DISTINCT_SHARE * count)
        kind = "text" if looks_like_prose else "category"
    else:
        kind = "other"
    return ColumnProfile(name, sql_type, kind, count, stats.rows - count, distinct, counts["distinct_exact"])


def _histogram_spec(n: NumberStats) -> tuple[float, float, int, bool]:
    """(low edge, bar width, number of bars, one bar per whole number?) for a numeric column."""
    span = n.max - n.min
    if n.all_integer and span <= INTEGER_BAR_SPAN:
        return n.min - 0.5, 1.0, int(span) + 1, True
    if span == 0:
        return n.min - 0.5, 1.0, 1, False
    return n.min, span / HISTOGRAM_BINS, HISTOGRAM_BINS, False


def _add_distributions(stats: DatasetStats, numeric: list[ColumnProfile]) -> None:
    """Standard deviation, skew, histogram and box of each numeric column, in one more scan."""
    specs, shapes = {}, {}
    for c in numeric:
        n = c.number
        low, width, bins, integer_bars = _histogram_spec(n)
        iqr = n.q3 - n.q1
        specs[c.name] = (n.mean, low, width, bins, n.q1 - 1.5 * iqr, n.q3 + 1.5 * iqr)
        shapes[c.name] = (low, width, bins, integer_bars)
    results = stats.distributions(specs)
    for c in numeric:
        low, width, bins, integer_bars = shapes[c.name]
        r = results[c.name]
        c.number.std, c.number.skew = std_and_skew(c.number.count, r["m2"], r["m3"])
        c.histogram = Histogram([low + i * width for i in range(bins + 1)], r["counts"], integer_bars)
        c.box = Box(c.number.q1, c.number.median, c.number.q3, r["whisker_low"], r["whisker_high"],
                    c.number.mean, r["outliers"])


def std_and_skew(n: int, m2: float | None, m3: float | None) -> tuple[float | None, float | None]:
    """Sample standard deviation and adjusted Fisher-Pearson skew (as pandas ``std`` and ``skew``)
    from the sums of squared (``m2``) and cubed (``m3``) deviations from the mean of ``n`` values."""
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


def _add_kind_details(stats: DatasetStats, c: ColumnProfile) -> None:
    if c.count == 0:
        return
    if c.kind == "category" and "identifier" not in c.flags and not _looks_like_identifier(c, stats.rows):
        c.top = stats.value_counts(c.name, TOP_VALUES)
        c.other_count = c.count - sum(n for _, n in c.top)
        c.other_levels = max(0, (c.unique or 0) - len(c.top))
    elif c.kind == "date":
        parts = ["year", "month", "weekday"]
        if "TIMESTAMP" in c.sql_type.upper() or c.sql_type.upper() == "DATETIME":
            parts.append("hour")
        summary = stats.date_summary(c.name, parts)
        hours = summary["parts"].get("hour")
        if hours is not None and [h for h, _ in hours] == [0]:
            del summary["parts"]["hour"]  # dates stored as timestamps at midnight: hours say nothing
        c.first, c.last = str(summary["min"]), str(summary["max"])
        c.date_parts = summary["parts"]
    elif c.kind in ("text", "tokens"):
        c.lengths = {measure: NumberStats(**s) for measure, s in stats.text_lengths(c.name).items()}
        if c.kind == "tokens":
            c.top = stats.list_item_counts(c.name, TOP_VALUES)


def _looks_like_identifier(c: ColumnProfile, rows: int) -> bool:
    """A different value in nearly every row: a name, a code, a row number. Text of many words is not."""
    if c.count < 20 or c.unique is None or c.kind not in ("number", "category"):
        return False
    if c.kind == "category":
        # The same rule Train uses to leave a text column out (core.preprocessing.column_roles).
        return c.unique >= 0.9 * c.count
    n = c.number
    if n is None or not n.all_integer or c.unique < 0.99 * c.count:
        return False
    # Whole numbers, all different: an identifier when they run in sequence or the name says so.
    dense = n.max is not None and (n.max - n.min + 1) <= 1.1 * c.unique
    lowered = c.name.lower()
    named = lowered in ("id", "no", "key") or lowered.endswith(("_id", " id", "id", "번호", "코드"))
    return dense or named


def _flags(c: ColumnProfile, rows: int, chosen_identifier: bool = False) -> list[str]:
    flags = []
    if c.count == 0:
        return ["empty"]
    if c.unique is not None and c.unique <= 1:
        flags.append("constant")
    elif chosen_identifier or _looks_like_identifier(c, rows):
        flags.append("identifier")
    elif c.kind == "category" and (c.unique or 0) > HIGH_CARDINALITY:
        flags.append("high_cardinality")
    if (c.kind == "number" and c.number and c.number.skew is not None and abs(c.number.skew) >= SKEW_LIMIT
            and (c.unique or 0) > 10 and "identifier" not in flags):
        flags.append("skewed")
    if c.missing_share >= MOSTLY_MISSING:
        flags.append("mostly_missing")
    return flags


def _column_findings(c: ColumnProfile) -> list[Finding]:
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


def _correlations(stats: DatasetStats, numeric: list[ColumnProfile], sample_rows: int,
                  seed: int) -> Correlations | None:
    if len(numeric) < 2:
        return None
    kept = numeric[:MAX_CORRELATION_COLUMNS]
    names = [c.name for c in kept]
    pearson, pairs = stats.correlations(names, [c.number.mean for c in kept], [c.count for c in kept])
    sample = _numeric_frame(stats.sample(names, sample_rows, seed))
    return Correlations(names, pearson, spearman_matrix(sample), pairs, len(sample),
                        truncated=len(numeric) > MAX_CORRELATION_COLUMNS)


def _numeric_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Sampled numeric columns as floats, with infinities as missing (as the aggregates treat them)."""
    out = frame.apply(lambda s: pd.to_numeric(s, errors="coerce")).astype("float64")
    return out.where(np.isfinite(out))


# -- statistics from aggregates and samples -----------------------------------------------------


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
    t = np.asarray(table, dtype="float64")
    t = t[t.sum(axis=1) > 0][:, t.sum(axis=0) > 0]
    n = t.sum()
    r, k = t.shape if t.ndim == 2 else (0, 0)
    if r < 2 or k < 2:
        return math.nan, math.nan, 0, math.nan
    expected = np.outer(t.sum(axis=1), t.sum(axis=0)) / n
    chi2 = float(((t - expected) ** 2 / expected).sum())
    dof = (r - 1) * (k - 1)
    v = math.sqrt(chi2 / (n * (min(r, k) - 1)))
    return chi2, float(sps.chi2.sf(chi2, dof)), dof, min(v, 1.0)


def small_expected_share(table) -> float:
    """The share of cells whose expected count is under 5 (the chi-square p-value is rough above 20%)."""
    t = np.asarray(table, dtype="float64")
    t = t[t.sum(axis=1) > 0][:, t.sum(axis=0) > 0]
    if t.size == 0:
        return 0.0
    expected = np.outer(t.sum(axis=1), t.sum(axis=0)) / t.sum()
    return float((expected < 5).mean())


def anova(n, mean, var_pop) -> tuple[float, float, int, int, float]:
    """One-way ANOVA from each group's size, mean and population variance, and eta squared.

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
    """1-based ranks of ``values`` (no missing), ties sharing their mean rank, and the size of each
    group of ties. One sort, as ``scipy.stats.rankdata(method="average")``."""
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


def correlation_p_value(r: float, n: int) -> float:
    """Two-sided p-value of a correlation ``r`` over ``n`` pairs (t test with n - 2 degrees of freedom)."""
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
    """Spearman's rank correlation over the pairs where both are known: (rho, p_value, pairs)."""
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


def goodman_kruskal_lambda(table) -> float:
    """How much knowing the row (feature level) cuts the errors of guessing the column (class):
    0 = not at all, 1 = every row guessed right. ``table`` is levels × classes counts."""
    t = np.asarray(table, dtype="float64")
    n = t.sum()
    best_overall = t.sum(axis=0).max() if t.size else 0
    if n == 0 or best_overall == n:
        return 0.0
    return float((t.max(axis=1).sum() - best_overall) / (n - best_overall))


def strength(effect_name: str, effect: float, p_value: float, dof: int = 1) -> str:
    """'strong', 'moderate', 'weak', 'negligible' (significant but tiny) or 'none' (p >= 5%)."""
    if effect is None or p_value is None or math.isnan(p_value) or math.isnan(effect) or p_value >= ALPHA:
        return "none"
    small, medium, large = _effect_levels(effect_name, dof)
    effect = abs(effect)
    if effect >= large:
        return "strong"
    if effect >= medium:
        return "moderate"
    if effect >= small:
        return "weak"
    return "negligible"


def _effect_levels(effect_name: str, dof: int) -> tuple[float, float, float]:
    levels = EFFECT_LEVELS[effect_name]
    if effect_name == "cramers_v":
        # Cohen's thresholds for V shrink with the smaller side of the table (df* = min(r, c) - 1).
        return tuple(level / math.sqrt(max(dof, 1)) for level in levels)
    return levels


# -- the target -----------------------------------------------------------------------------------


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
        return abs(self.effect_size) / _effect_levels(self.effect_name, self.effect_dof)[2]


@dataclass
class TargetAnalysis:
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
    whole = column.number is not None and column.number.all_integer
    return task_from_summary(column.unique or 0, column.kind == "number", bool(whole))


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
    leaks = _leaks(column, task, features, tests, sample)
    findings = _target_findings(column, task, classes, other, ratio)
    findings += [Finding("leak", name, {"column": name, "target": target}) for name in leaks]
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


def _keep_top_levels(levels: pd.Series, sizes: pd.Series, max_levels: int) -> tuple[pd.Series, bool]:
    """``levels`` with all but the ``max_levels`` largest (by total ``sizes``) renamed to one "other"."""
    totals = sizes.groupby(levels).sum()
    if len(totals) <= max_levels:
        return levels, False
    kept = set(totals.sort_values(ascending=False, kind="stable").index[:max_levels])
    return levels.where(levels.isin(kept), OTHER_LEVEL), True


OTHER_LEVEL = "\x00other"


def _chi_square_test(table: pd.DataFrame, feature: str, part: str | None) -> FeatureTest | None:
    """Chi-square of a crosstab from ``DatasetStats.crosstab``, rare levels beyond the first
    ``MAX_TEST_LEVELS`` counted together."""
    levels, grouped = _keep_top_levels(table["level"].astype("object"), table["n"], MAX_TEST_LEVELS)
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
            values = _numeric_frame(sample[[c.name]])[c.name].to_numpy()
            h, p, dof, eps2 = kruskal_wallis(values, groups)
            if not math.isnan(h):
                tests.append(_test(c.name, "kruskal", h, p, eps2, "epsilon_squared",
                                   int(((~np.isnan(values)) & (groups >= 0)).sum()), str(dof), on_sample=sampled))
    return tests


def _regression_tests(stats: DatasetStats, target: ColumnProfile, features: list[ColumnProfile],
                      sample: pd.DataFrame, sampled: bool) -> list[FeatureTest]:
    tests = []
    y = _numeric_frame(sample[[target.name]])[target.name].to_numpy()
    numeric = [c for c in features if c.kind == "number"]
    if numeric:
        pearson, pairs = stats.correlations([target.name] + [c.name for c in numeric],
                                            [c.number.mean for c in [target] + numeric],
                                            [c.count for c in [target] + numeric])
        for i, c in enumerate(numeric, start=1):
            r, n = pearson[0][i], pairs[0][i]
            if r is not None:
                tests.append(_test(c.name, "pearson", r, correlation_p_value(r, n), r, "r", n, str(n - 2)))
            x = _numeric_frame(sample[[c.name]])[c.name].to_numpy()
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


def _leaks(target: ColumnProfile, task: str, features: list[ColumnProfile], tests: list[FeatureTest],
           sample: pd.DataFrame) -> list[str]:
    """Features that on their own almost perfectly predict the target."""
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
    x = _numeric_frame(sample[[feature]])[feature].to_numpy()
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


def _target_findings(column: ColumnProfile, task: str, classes, other: int, ratio) -> list[Finding]:
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


# -- relation plots on demand -----------------------------------------------------------------


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


SCATTER_POINTS = 5_000
RELATION_LEVELS = 20


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
            levels, _ = _keep_top_levels(table["level"].astype("object"), table["n"], RELATION_LEVELS)
            table = table.assign(level=levels).groupby(["level", "target"], as_index=False, sort=False)["n"].sum()
            return Relation(feature, target, "bars", by=feature, part=part, table=table)
        if c.kind in ("number", "date"):
            points = stats.sample([feature, target], SCATTER_POINTS, seed).dropna()
            return Relation(feature, target, "scatter", by=feature, points=points, sample_rows=len(points))
    raise TargetError(f"'{feature}' cannot be plotted against the target: choose a column of numbers, "
                      "categories or dates.", key="explore.error.cannot_plot", params={"column": feature})


# -- output for the command line ------------------------------------------------------------------


def to_json(profile: Profile, analysis: TargetAnalysis | None = None) -> dict:
    """The profile (and the target analysis) as plain JSON values, for ``python -m core profile``."""
    columns = []
    for c in profile.columns:
        entry = {"name": c.name, "type": c.kind, "sql_type": c.sql_type, "count": c.count, "missing": c.missing,
                 "unique": c.unique, "unique_exact": c.unique_exact, "warnings": c.flags}
        if c.number:
            entry.update({k: v for k, v in asdict(c.number).items() if k != "count"})
        if c.top is not None:
            entry["top"] = [{"value": v, "count": n} for v, n in c.top]
            entry["other"] = c.other_count
        if c.first is not None:
            entry.update(first=c.first, last=c.last,
                         parts={p: {str(v): n for v, n in counts} for p, counts in (c.date_parts or {}).items()})
        if c.lengths:
            entry["lengths"] = {m: asdict(s) for m, s in c.lengths.items()}
        columns.append(entry)
    out = {"dataset": profile.dataset_name, "dataset_id": profile.dataset_id, "version": profile.version,
           "rows": profile.rows, "missing_cells": profile.missing_cells, "duplicate_rows": profile.duplicate_rows,
           "memory_bytes": profile.memory_bytes, "columns": columns,
           "warnings": [{"code": f.code, "column": f.column, **_jsonable(f.values)} for f in profile.findings]}
    if profile.correlations:
        corr = profile.correlations
        out["correlations"] = {"columns": corr.columns, "pearson": corr.pearson, "spearman": corr.spearman,
                               "spearman_sample_rows": corr.sample_rows}
    if analysis is not None:
        if analysis.task == "regression":
            distribution = {k: v for k, v in asdict(analysis.number).items()} if analysis.number else {}
        else:
            distribution = dict(analysis.classes or [])
            if analysis.other_classes:
                distribution["(other)"] = analysis.other_classes
        out["target"] = {"name": analysis.target, "task": analysis.task, "missing": analysis.missing,
                         "distribution": distribution, "imbalance_ratio": analysis.imbalance_ratio,
                         "leaks": analysis.leaks,
                         "findings": [{"code": f.code, **_jsonable(f.values)} for f in analysis.findings]}
        out["tests"] = [{"feature": t.feature, "part": t.part, "test": t.test, "statistic": _num(t.statistic),
                         "p_value": _num(t.p_value), "effect_size": _num(t.effect_size), "effect": t.effect_name,
                         "strength": t.strength, "n": t.n, "dof": t.dof, "on_sample": t.on_sample,
                         "notes": t.notes} for t in analysis.tests]
        out["sample_rows"] = analysis.sample_rows
    return out


def _num(value):
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _jsonable(values: dict) -> dict:
    return {k: (_num(v) if isinstance(v, float) else v) for k, v in values.items()}


def _fmt(value) -> str:
    return "" if value is None else f"{value:g}"


def format_p(p: float) -> str:
    """A p-value as people read it: '< 0.001', '0.042', or '-' when there is none."""
    if p is None or math.isnan(p):
        return "-"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"
