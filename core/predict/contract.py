"""The input contract of a model bundle, and the check of new rows against it before predicting."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from core.errors import ColumnError
from texts.particles import FORMATTER

if TYPE_CHECKING:  # only named in annotations: training imports this module, so it cannot import training
    from core.train.preprocessing import ColumnRoles

CONTRACT_VERSION = 3
MAX_LEVELS_KEPT = 1000
#: Training rows kept in the contract (version 3 on) as the background of per-row reasons.
SAMPLE_ROWS = 50
#: Levels of a category whose training share is kept for the drift check (the rest count as one "other").
PROFILE_LEVELS = 30
#: How many example rows (or values) each problem of each column keeps for the report.
MAX_EXAMPLES = 5
#: The kinds of problem a check finds, in the order the report lists them.
KINDS = ("unreadable", "unseen", "out_of_range", "missing")
#: Text of the ``warnings`` column of the output, per kind; pages pass their own language.
ROW_TEXTS = {
    "unreadable": "{column}: '{value}' could not be read, treated as missing",
    "unseen": "{column}: '{value}' is a category the model never saw",
    "out_of_range": "{column}: {value} is outside the training range {low} to {high}",
    "missing": "{column}: missing, filled in",
}
_TRUE = {"yes", "y", "true", "t", "1", "예", "네", "o", "ㅇ"}
_FALSE = {"no", "n", "false", "f", "0", "아니오", "아니요", "x"}


def build_contract(frame: pd.DataFrame, roles: ColumnRoles) -> dict:
    """Describe the training columns: kind, levels, ranges (full and 1st-99th percentile) and missing values.

    Parameters
    ----------
    frame : DataFrame of shape (n_rows, n_features)
        The training features, as given to the pipeline.
    roles : ColumnRoles
        How each column is used.

    Returns
    -------
    dict
        ``{"version", "columns": [entry, ...], "dropped"}``; each entry has ``name``, ``dtype``, ``kind``
        (number, date, category or text), ``had_missing`` and ``missing`` (the count), plus per kind:
        ``min``/``max``/``p01``/``p99``/``median``/``whole`` for numbers, ``min``/``max``/``median`` for
        dates (ISO text), ``levels`` (most common first) and ``n_levels`` for categories; and (version 3)
        ``profile``, the training distribution the drift check compares new rows with (see
        `column_profile`). ``sample`` holds `SAMPLE_ROWS` training rows (JSON values), the background of
        the per-row reasons.
    """
    columns = []
    for col in roles.used:
        s = frame[col]
        missing = int(s.isna().sum())
        entry = {"name": col, "dtype": str(s.dtype), "had_missing": missing > 0, "missing": missing}
        if col in roles.numeric:
            values = pd.to_numeric(s, errors="coerce").dropna().astype("float64")
            entry.update(kind="number", min=float(values.min()), max=float(values.max()),
                         p01=float(values.quantile(0.01)), p99=float(values.quantile(0.99)),
                         median=float(values.median()), whole=bool((values == values.round()).all()))
        elif col in roles.dates:
            values = pd.to_datetime(s, errors="coerce").dropna()
            entry.update(kind="date", min=values.min().isoformat(), max=values.max().isoformat(),
                         median=values.sort_values().iloc[len(values) // 2].isoformat())
        elif col in roles.tokens or col in getattr(roles, "text", ()):
            entry.update(kind="text")
        else:
            counts = _as_text(s).dropna().value_counts()
            entry.update(kind="category", levels=counts.index[:MAX_LEVELS_KEPT].tolist(), n_levels=int(len(counts)))
        if entry["kind"] != "text":
            entry["profile"] = column_profile(_check_column(s, entry)[0], entry["kind"])
        columns.append(entry)
    return {"version": CONTRACT_VERSION, "columns": columns, "dropped": roles.dropped,
            "sample": _sample_rows(frame, columns)}


def as_points(values: pd.Series, kind: str) -> np.ndarray:
    """Numbers as floats and dates as days since 1970 (NaN where missing), for binning."""
    if kind == "date":
        stamps = pd.to_datetime(values, errors="coerce").astype("datetime64[us]")
        days = stamps.to_numpy().astype("datetime64[us]").astype("int64") / 86_400e6
        return np.where(stamps.isna().to_numpy(), np.nan, days)
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def column_profile(values: pd.Series, kind: str) -> dict:
    """A training column's distribution, as the drift check needs it.

    Every profile has ``rows`` (the training rows counted). Numbers and dates: ``edges`` (the deciles,
    distinct), ``shares`` of the rows in each bin ``(-inf, e0], (e0, e1], ..., (e_last, inf)`` and
    ``missing`` (shares of all rows), and ``below`` / ``above``, the shares under and over the training
    ``median`` (dates in days since 1970). Categories: ``levels`` (the `PROFILE_LEVELS` most common),
    ``shares`` of each plus one last share for every other level, and
    ``missing``. ``values`` are as `check_input` makes them (floats, datetimes, text).
    """
    n = max(len(values), 1)
    if kind in ("number", "date"):
        points = as_points(values, kind)
        present = points[~np.isnan(points)]
        if len(present) == 0:
            return {"edges": [], "shares": [], "missing": 1.0, "below": 0.0, "above": 0.0, "rows": len(values)}
        edges = np.unique(np.quantile(present, np.linspace(0.1, 0.9, 9)))
        counts = np.bincount(np.searchsorted(edges, present, side="left"), minlength=len(edges) + 1)
        median = float(np.median(present))
        return {"edges": edges.tolist(), "shares": (counts / n).tolist(), "missing": float(1 - len(present) / n),
                "below": float((present < median).sum() / n), "above": float((present > median).sum() / n),
                "median": median, "rows": len(values)}
    counts = values.dropna().value_counts()
    top = counts.iloc[:PROFILE_LEVELS]
    other = float(counts.iloc[PROFILE_LEVELS:].sum() / n)
    return {"levels": [str(v) for v in top.index], "shares": [*(top / n).tolist(), other],
            "missing": float(values.isna().sum() / n), "rows": len(values)}


def _sample_rows(frame: pd.DataFrame, columns: list[dict]) -> list[dict]:
    """`SAMPLE_ROWS` training rows with JSON values (numbers, ISO dates, text, None for missing)."""
    rows = frame.sample(n=min(SAMPLE_ROWS, len(frame)), random_state=0) if len(frame) else frame
    out = {}  # built as lists and made a frame once: a column at a time fragments a wide frame
    for entry in columns:
        values, _ = _check_column(rows[entry["name"]].reset_index(drop=True), entry)
        if entry["kind"] == "number":
            out[entry["name"]] = [None if pd.isna(v) else float(v) for v in values]
        elif entry["kind"] == "date":
            out[entry["name"]] = [None if pd.isna(v) else pd.Timestamp(v).isoformat() for v in values]
        else:
            out[entry["name"]] = [None if v is None or pd.isna(v) else str(v) for v in values]
    return pd.DataFrame(out, index=range(len(rows))).astype(object).to_dict(orient="records")


def sample_frame(contract: dict) -> pd.DataFrame | None:
    """The training rows kept in the contract as a frame ready for the pipeline, or None (older contracts)."""
    rows = contract.get("sample")
    if not rows:
        return None
    frame = pd.DataFrame(rows, columns=required_columns(contract))
    return check_input(frame, contract).frame


def required_columns(contract: dict) -> list[str]:
    """The columns the model needs, in training order."""
    return [c["name"] for c in contract["columns"]]


def check_columns(columns: list[str], contract: dict) -> list[str]:
    """The extra columns of ``columns`` (ignored), after refusing input that lacks a required column.

    Raises `ColumnError` naming every missing column; nothing is predicted then.
    """
    required = required_columns(contract)
    present = set(columns)
    missing = [c for c in required if c not in present]
    if missing:
        shown = ", ".join(f"'{c}'" for c in missing)
        raise ColumnError(f"The rows lack column(s) the model needs: {shown}. Add them (with the same names as "
                          "in training) and try again; nothing was predicted.",
                          key="predict.error.missing_columns", params={"columns": shown, "count": len(missing)})
    needed = set(required)
    return [c for c in columns if c not in needed]


@dataclass
class InputCheck:
    """New rows made ready for the pipeline, with everything that was wrong with them.

    ``report`` is ``{column: {kind: count}}`` (only what was found); ``examples`` is
    ``{column: {kind: [(row number, value), ...]}}`` with at most `MAX_EXAMPLES` each, row numbers
    counted from 1 in the input; ``row_warnings`` has one text per row ("" when nothing was wrong).
    """

    frame: pd.DataFrame
    row_warnings: pd.Series
    report: dict[str, dict[str, int]] = field(default_factory=dict)
    extra_columns: list[str] = field(default_factory=list)
    examples: dict[str, dict[str, list[tuple[int, str]]]] = field(default_factory=dict)
    contract: dict = field(default_factory=dict, repr=False)
    rows: int = 0

    def messages(self) -> list[str]:
        """One plain English sentence per problem found, for the CLI's ``warnings``."""
        out = []
        if self.extra_columns:
            out.append(f"Ignored columns the model does not use: {', '.join(self.extra_columns)}.")
        entries = {c["name"]: c for c in self.contract.get("columns", [])}
        for col, kinds in self.report.items():
            for kind, n in kinds.items():
                entry = entries.get(col, {})
                shown = ", ".join(f"row {r}: {v}" if kind != "unseen" else f"'{v}'"
                                  for r, v in self.examples.get(col, {}).get(kind, []))
                if kind == "unreadable":
                    what = "numbers" if entry.get("kind") == "number" else "dates"
                    text = f"{n} value(s) in '{col}' could not be read as {what} and were treated as missing"
                elif kind == "unseen":
                    text = (f"{n} value(s) in '{col}' are categories the model never saw; the model handles "
                            "them as unknown")
                elif kind == "out_of_range":
                    low, high = range_text(entry)
                    text = f"{n} value(s) in '{col}' are outside the training range {low} to {high}"
                    if "p01" in entry:
                        text += f" (most training values were between {fmt_value(entry['p01'])} and " \
                                f"{fmt_value(entry['p99'])})"
                    text += "; those rows are predicted and flagged"
                else:
                    text = f"{n} value(s) in '{col}' are missing where training had none; they were filled in"
                out.append(f"{text} ({shown})." if shown else f"{text}.")
        return out

    def table(self) -> pd.DataFrame:
        """The report as rows (column, kind, count, examples), for display and download."""
        rows = [{"column": col, "kind": kind, "count": n,
                 "examples": "; ".join(f"{r}: {v}" for r, v in self.examples.get(col, {}).get(kind, []))}
                for col, kinds in self.report.items() for kind, n in kinds.items()]
        # every value of a column the model does not use is ignored: its count is the rows checked
        rows += [{"column": col, "kind": "extra_column", "count": self.rows, "examples": ""}
                 for col in self.extra_columns]
        return pd.DataFrame(rows, columns=["column", "kind", "count", "examples"])

    def merge(self, other: InputCheck) -> InputCheck:
        """The report of this check followed by ``other`` (a later chunk of the same input); no frames kept."""
        report = {col: dict(kinds) for col, kinds in self.report.items()}
        examples = {col: {k: list(v) for k, v in kinds.items()} for col, kinds in self.examples.items()}
        for col, kinds in other.report.items():
            for kind, n in kinds.items():
                report.setdefault(col, {})[kind] = report.get(col, {}).get(kind, 0) + n
                kept = examples.setdefault(col, {}).setdefault(kind, [])
                seen = {v for _, v in kept}
                for row, value in other.examples.get(col, {}).get(kind, []):
                    if len(kept) < MAX_EXAMPLES and not (kind == "unseen" and value in seen):
                        kept.append((row, value))
                        seen.add(value)
        order = {c["name"]: i for i, c in enumerate(self.contract.get("columns", []))}
        report = {col: {k: report[col][k] for k in KINDS if k in report[col]}
                  for col in sorted(report, key=lambda c: order.get(c, len(order)))}
        empty = pd.DataFrame()
        return InputCheck(empty, pd.Series(dtype=object), report, list(self.extra_columns or other.extra_columns),
                          examples, self.contract or other.contract, self.rows + other.rows)


def empty_check(contract: dict, extra_columns: list[str] | None = None) -> InputCheck:
    """A check of no rows: the start of a report merged chunk by chunk."""
    return InputCheck(pd.DataFrame(), pd.Series(dtype=object), {}, list(extra_columns or []), {}, contract, 0)


def check_input(frame: pd.DataFrame, contract: dict, *, first_row: int = 1,
                texts: dict[str, str] | None = None) -> InputCheck:
    """Check ``frame`` against ``contract`` and return the rows the pipeline should see.

    Raises `ColumnError` naming every required column that is missing; nothing is predicted then.
    Everything else is predicted and reported: extra columns are ignored, unreadable cells become
    missing, unseen levels are left to the pipeline, numbers and dates outside the training range
    are flagged per row, and missing values where training had none are filled in by the pipeline.

    Parameters
    ----------
    frame : DataFrame of shape (n_rows, n_columns)
    contract : dict
        From `build_contract` (older contracts without the newer fields are read too).
    first_row : int
        The input row number of ``frame``'s first row (chunks of a bigger input start later).
    texts : dict, optional
        ``{kind: template}`` for the per-row ``warnings`` (default `ROW_TEXTS`, English); a template
        may use ``{column}``, ``{value}``, ``{low}`` and ``{high}``.
    """
    extra = check_columns(list(frame.columns), contract)
    texts = {**ROW_TEXTS, **(texts or {})}
    out = pd.DataFrame(index=frame.index)
    report: dict[str, dict[str, int]] = {}
    examples: dict[str, dict[str, list[tuple[int, str]]]] = {}
    warnings = np.full(len(frame), "", dtype=object)
    row_numbers = np.arange(first_row, first_row + len(frame))
    for entry in contract["columns"]:
        col = entry["name"]
        raw = frame[col]
        values, problems = _check_column(raw, entry)
        out[col] = values
        for kind in KINDS:
            mask = problems.get(kind)
            if mask is None or not mask.any():
                continue
            where = np.flatnonzero(mask)
            report.setdefault(col, {})[kind] = int(len(where))
            shown = _shown_values(raw if kind == "unreadable" else values, where, entry)
            examples.setdefault(col, {})[kind] = _examples(row_numbers[where], shown, distinct=kind == "unseen")
            low, high = range_text(entry)
            template = texts[kind]
            texts_here = np.array([FORMATTER.format(template, column=col, value=v, low=low, high=high) for v in shown],
                                  dtype=object)
            current = warnings[where]
            warnings[where] = np.where(current == "", texts_here, current + "; " + texts_here)
    row_warnings = pd.Series(warnings, index=frame.index, dtype=object)
    return InputCheck(out, row_warnings, report, extra, examples, contract, len(frame))


def _check_column(raw: pd.Series, entry: dict) -> tuple[pd.Series, dict[str, np.ndarray]]:
    """The column as the pipeline should see it, and a row mask per kind of problem."""
    present = raw.notna().to_numpy()
    problems: dict[str, np.ndarray] = {}
    kind = entry["kind"]
    if kind == "number":
        values = _as_number(raw, entry.get("dtype", ""))
        read = values.notna().to_numpy()
        problems["unreadable"] = present & ~read
        numbers = values.to_numpy(dtype="float64", na_value=np.nan)
        with np.errstate(invalid="ignore"):
            problems["out_of_range"] = read & ((numbers < entry["min"]) | (numbers > entry["max"]))
    elif kind == "date":
        values = _as_date(raw)
        read = values.notna().to_numpy()
        problems["unreadable"] = present & ~read
        low, high = pd.Timestamp(entry["min"]), pd.Timestamp(entry["max"])
        problems["out_of_range"] = read & ((values < low) | (values > high)).to_numpy(dtype=bool)
    elif kind == "text":
        values = _as_text(raw)
        read = present
    else:
        values = _as_text(raw)
        read = present
        levels = entry.get("levels", [])
        if len(levels) >= entry.get("n_levels", len(levels)):
            # Too many levels to list (truncated) means unseen ones cannot be told apart: not counted.
            problems["unseen"] = read & ~values.isin(set(levels)).to_numpy(dtype=bool)
    if not entry.get("had_missing", True):
        # Cells missing in the input; unreadable ones are already counted as such.
        problems["missing"] = ~present
    return values, problems


def _as_number(raw: pd.Series, dtype: str) -> pd.Series:
    """Numbers as floats; text that is no number (or infinite, which no model takes) becomes missing."""
    if pd.api.types.is_bool_dtype(raw.dtype):
        return raw.astype("float64")
    if pd.api.types.is_numeric_dtype(raw.dtype):
        values = pd.to_numeric(raw, errors="coerce").astype("float64")
    else:
        text = raw.astype("string").str.strip()
        if dtype.startswith("bool"):
            lower = text.str.lower()
            return pd.Series(np.where(lower.isin(_TRUE), 1.0, np.where(lower.isin(_FALSE), 0.0, np.nan)),
                             index=raw.index)
        values = pd.to_numeric(text.str.replace(",", "", regex=False), errors="coerce").astype("float64")
    return values.where(np.isfinite(values.to_numpy(dtype="float64", na_value=np.nan)))


def _as_date(raw: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        values = raw
    else:
        text = raw.astype("string").str.strip()
        values = pd.to_datetime(text, errors="coerce", format="ISO8601")
        retry = values.isna() & text.notna()
        if retry.any():
            values = values.astype("datetime64[us]")
            values[retry] = pd.to_datetime(text[retry], errors="coerce", format="mixed")
    if getattr(values.dt, "tz", None) is not None:
        values = values.dt.tz_localize(None)
    return values.astype("datetime64[us]")


def _as_text(raw: pd.Series) -> pd.Series:
    """Category values as text the way training saw them: whole numbers without a trailing ``.0``."""
    if pd.api.types.is_float_dtype(raw.dtype):
        whole = raw.notna() & (raw == raw.round())
        text = raw.astype("string")
        text[whole] = raw[whole].astype("int64").astype("string")
        return text.astype(object).where(raw.notna(), None)
    if pd.api.types.is_bool_dtype(raw.dtype) or pd.api.types.is_numeric_dtype(raw.dtype) \
            or pd.api.types.is_datetime64_any_dtype(raw.dtype):
        return raw.astype("string").astype(object).where(raw.notna(), None)
    values = raw.astype(object).where(raw.notna(), None)
    if raw.dtype == object:
        values = values.map(lambda v: v if v is None or isinstance(v, str) else str(v))
    return values


def _shown_values(values: pd.Series, where: np.ndarray, entry: dict) -> list[str]:
    picked = values.iloc[where]
    if entry["kind"] == "number" and pd.api.types.is_numeric_dtype(picked.dtype):
        return [fmt_value(v) if v == v else "" for v in picked]
    if pd.api.types.is_datetime64_any_dtype(picked.dtype):
        return [fmt_date(v) for v in picked]
    return ["" if v is None or (isinstance(v, float) and v != v) or v is pd.NA else str(v) for v in picked]


def _examples(rows: np.ndarray, shown: list[str], distinct: bool) -> list[tuple[int, str]]:
    kept, seen = [], set()
    for row, value in zip(rows, shown):
        if distinct and value in seen:
            continue
        kept.append((int(row), value))
        seen.add(value)
        if len(kept) == MAX_EXAMPLES:
            break
    return kept


def fmt_value(value: float) -> str:
    """A number as a person writes it: ``3``, ``2.75``, ``1000000`` (no exponent below 10^15)."""
    value = float(value)
    if not np.isfinite(value):
        return str(value)
    if value == round(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.6g}" if abs(value) >= 1e-4 else f"{value:.3g}"


def fmt_date(value) -> str:
    stamp = pd.Timestamp(value)
    return stamp.strftime("%Y-%m-%d") if stamp == stamp.normalize() else stamp.strftime("%Y-%m-%d %H:%M")


def range_text(entry: dict) -> tuple[str, str]:
    """The training range of a number or date column as two texts (empty for other kinds)."""
    if entry.get("kind") == "number":
        return fmt_value(entry["min"]), fmt_value(entry["max"])
    if entry.get("kind") == "date":
        return fmt_date(entry["min"]), fmt_date(entry["max"])
    return "", ""
