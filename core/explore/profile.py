"""The profile of a dataset: its overview, one summary per column, and its numeric correlations.

Each column gets a kind (number, category, date, text, tokens), its counts, and the figures its kind
calls for (distribution, top values, date parts, text lengths).

Statistics come from DuckDB aggregates over the stored table (``storage.stats``); Spearman correlations
use a seeded sample whose size is recorded.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from core.data import dataset_types
from core.explore.findings import Finding, column_flags, dataset_findings, looks_like_identifier
from core.explore.statistics import numeric_frame, spearman_matrix, std_and_skew
from storage.stats import DatasetStats, open_stats, type_family
from storage.workspace import Workspace

#: Spearman correlations (and the rank tests of ``core.explore.target``) use a sample of this many rows,
#: drawn with this seed.
SAMPLE_ROWS = 100_000
SEED = 0
#: A column of categories shows its most frequent values, this many.
TOP_VALUES = 10
HISTOGRAM_BINS = 30
#: Whole-number columns spanning at most this many values get one bar per value.
INTEGER_BAR_SPAN = 60
#: Correlations cover at most this many numeric columns (the first ones).
MAX_CORRELATION_COLUMNS = 30
#: Text reads as prose (not categories) when values are this long, mostly have spaces and mostly differ.
TEXT_MIN_LENGTH = 20
TEXT_MIN_SPACE_SHARE = 0.5
TEXT_MIN_DISTINCT_SHARE = 0.3

#: The column types a user can choose on the Data page (``core.data.types``), as Explore's kinds, when the
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


@dataclass
class NumberStats:
    """The summary of a column of numbers, or of the lengths of a column of text."""

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
    """A box plot's figures: quartiles, whiskers (the most extreme values within 1.5 IQR) and how many lie beyond."""

    q1: float
    median: float
    q3: float
    low: float
    high: float
    mean: float | None
    outliers: int


@dataclass
class ColumnProfile:
    """One column: its kind, counts, and the figures its kind calls for."""

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
    """Pearson (every row) and Spearman (a sample of ``sample_rows``) correlations of the numeric columns."""

    columns: list[str]
    pearson: list[list[float | None]]
    spearman: list[list[float | None]]
    pairs: list[list[int]]
    sample_rows: int
    truncated: bool = False


@dataclass
class Profile:
    """A dataset version's overview, one ``ColumnProfile`` per column, findings and correlations."""

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
    # The column types the Data page shows (the user's choices, else inferred): a column typed as an
    # identifier there is one here too.
    overrides = {column: kind for column, kind in dataset_types(ws, key).items() if kind == "identifier"}
    overrides |= ws.column_type_overrides(key)
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
            c.flags = column_flags(c, stats.rows, chosen_identifier="identifier" in c.flags)
        correlations = _correlations(stats, [c for c in numeric if c.usable and c.number.std], sample_rows, seed)
        duplicates = stats.duplicate_rows()
        memory = stats.memory_bytes({n: v["text_bytes"] for n, v in counts.items()})
        dataset = stats.dataset
        rows = stats.rows
    findings = dataset_findings(columns, duplicates, rows)
    return Profile(dataset.dataset_id, dataset.name, dataset.version, rows, columns,
                   sum(c.missing for c in columns), duplicates, memory, findings, correlations, seed)


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


def _add_kind_details(stats: DatasetStats, c: ColumnProfile) -> None:
    """Top values of categories and tokens, first and last date and date parts, lengths of text."""
    if c.count == 0:
        return
    if c.kind == "category" and "identifier" not in c.flags and not looks_like_identifier(c, stats.rows):
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


def _correlations(stats: DatasetStats, numeric: list[ColumnProfile], sample_rows: int,
                  seed: int) -> Correlations | None:
    if len(numeric) < 2:
        return None
    kept = numeric[:MAX_CORRELATION_COLUMNS]
    names = [c.name for c in kept]
    pearson, pairs = stats.correlations(names, [c.number.mean for c in kept], [c.count for c in kept])
    sample = numeric_frame(stats.sample(names, sample_rows, seed))
    return Correlations(names, pearson, spearman_matrix(sample), pairs, len(sample),
                        truncated=len(numeric) > MAX_CORRELATION_COLUMNS)
