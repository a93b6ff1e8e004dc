"""Drift: whether rows being predicted look like the training rows, column by column, in numbers and in words.

Each column of a prediction batch is compared with the training distribution kept in the model's
input contract (``profile``, written at training time since contract version 3; see
`core.predict.contract.column_profile`):

- the population stability index (PSI), ``sum((new - train) * ln(new / train))`` over the shares of
  rows per bin (half a row added to each bin, so an empty bin counts as rare, not impossible): the
  training deciles for numbers and dates, the most common training levels (plus one bin for all
  others) for categories, and one bin for missing values. What chance alone could
  give for this many rows is subtracted (PSI is about a chi-square over the rows: mean ``bins - 1``,
  variance ``2 (bins - 1)``, times ``1 / new rows + 1 / training rows``; the mean plus two standard
  deviations), so a small batch drawn like the training rows does not look shifted;
- the share of values never seen in training (categories) and outside the training range (numbers
  and dates).

A column's level is ``large`` when its PSI is at least 0.25 or either share at least 20%, ``some``
from 0.1 or 5%, else ``none``. The direction of a number or date is told by where the new rows lie
around the training median (more of them above it: higher). Batches are counted chunk by chunk
(`DriftCounter`), so a file of millions of rows never has to be in memory.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

from core.predict.contract import as_points, fmt_date, fmt_value, range_text
from texts.korean import fix_particles

#: PSI from which a column has changed somewhat / a lot (the usual thresholds).
PSI_SOME, PSI_LARGE = 0.1, 0.25
#: Shares of unseen or out-of-range values from which a column has changed somewhat / a lot.
SHARE_SOME, SHARE_LARGE = 0.05, 0.2
#: Fewer rows than this are too few to compare.
MIN_ROWS = 20
#: Values of each number column kept to show the median of the new rows.
MEDIAN_VALUES = 200_000
LEVELS = ("none", "some", "large")
_FLOOR = 1e-4  # a bin share of zero would make the logarithm infinite


def psi(new: np.ndarray, train: np.ndarray) -> float:
    """The population stability index of two arrays of bin shares (each summing to 1)."""
    new, train = np.clip(np.asarray(new, float), _FLOOR, None), np.clip(np.asarray(train, float), _FLOOR, None)
    return float(np.sum((new - train) * np.log(new / train)))


def _level(value: float, some: float, large: float) -> int:
    return 2 if value >= large else 1 if value >= some else 0


class DriftCounter:
    """Counts of a batch's values per training bin, added chunk by chunk; `result` compares them.

    ``add`` takes the rows as `core.predict.contract.check_input` makes them (its ``frame``).
    """

    def __init__(self, contract: dict):
        self.contract = contract
        self.entries = [e for e in contract.get("columns", []) if e.get("kind") != "text"]
        self.available = bool(self.entries) and all("profile" in e for e in self.entries)
        self.rows = 0
        self.counts: dict[str, np.ndarray] = {}
        self.sides: dict[str, np.ndarray] = {}  # rows below / above the training median
        self.outside: dict[str, int] = {}
        self.unseen: dict[str, int] = {}
        self.values: dict[str, list[np.ndarray]] = {}

    def add(self, frame: pd.DataFrame) -> None:
        """Count the rows of ``frame`` (one chunk of the batch)."""
        if not self.available:
            self.rows += len(frame)
            return
        for entry in self.entries:
            name, profile = entry["name"], entry["profile"]
            if entry["kind"] == "category":
                counts, unseen = self._category(frame[name], entry)
                self.unseen[name] = self.unseen.get(name, 0) + unseen
            else:
                counts, sides, outside, present = self._number(frame[name], entry)
                self.sides[name] = self.sides.get(name, 0) + sides
                self.outside[name] = self.outside.get(name, 0) + outside
                kept = self.values.setdefault(name, [])
                room = MEDIAN_VALUES - sum(len(v) for v in kept)
                if room > 0:
                    kept.append(present[:room])
            self.counts[name] = self.counts.get(name, np.zeros(len(profile["shares"]) + 1)) + counts
        self.rows += len(frame)

    @staticmethod
    def _number(values: pd.Series, entry: dict) -> tuple[np.ndarray, np.ndarray, int, np.ndarray]:
        profile, kind = entry["profile"], entry["kind"]
        points = as_points(values, kind)
        missing = np.isnan(points)
        present = points[~missing]
        edges = np.asarray(profile["edges"], float)
        counts = np.bincount(np.searchsorted(edges, present, side="left"), minlength=len(edges) + 1).astype(float)
        median = profile["median"]
        low, high = _point(entry["min"], kind), _point(entry["max"], kind)
        sides = np.array([(present < median).sum(), (present > median).sum()], float)
        outside = int(((present < low) | (present > high)).sum())
        return np.append(counts, missing.sum()), sides, outside, present

    @staticmethod
    def _category(values: pd.Series, entry: dict) -> tuple[np.ndarray, int]:
        profile = entry["profile"]
        missing = values.isna().to_numpy()
        present = values[~missing].astype(str)
        counts = present.value_counts()
        known = [float(counts.get(level, 0)) for level in profile["levels"]]
        other = float(len(present) - sum(known))
        levels = entry.get("levels", [])
        unseen = 0
        if len(levels) >= entry.get("n_levels", len(levels)):  # every training level is listed
            unseen = int((~present.isin(set(levels))).sum())
        return np.array([*known, other, missing.sum()], float), unseen

    def result(self) -> dict:
        """``{"available", "rows", "level", "columns": [...]}``, ready to store as JSON.

        ``available`` is False, with a ``reason`` (``no_profile`` or ``few_rows``), when the model's
        contract keeps no training distributions or the batch has fewer than `MIN_ROWS` rows.
        Each column has ``column``, ``kind``, ``psi``, ``level`` (none, some or large), ``unseen`` and
        ``out_of_range`` (shares of the rows), and ``direction`` (higher or lower, numbers and dates)
        or ``moved`` (the level whose share changed most, with ``share`` and ``train_share``).
        """
        if not self.available:
            return {"available": False, "reason": "no_profile", "rows": self.rows}
        if self.rows < MIN_ROWS:
            return {"available": False, "reason": "few_rows", "rows": self.rows, "min_rows": MIN_ROWS}
        columns = [self._column(entry) for entry in self.entries]
        worst = max((LEVELS.index(c["level"]) for c in columns), default=0)
        return {"available": True, "rows": self.rows, "level": LEVELS[worst], "columns": columns}

    def _column(self, entry: dict) -> dict:
        name, profile, n = entry["name"], entry["profile"], self.rows
        train_rows = int(profile.get("rows") or n)
        train = np.append(np.asarray(profile["shares"], float), profile["missing"])
        used = int(((self.counts[name] > 0) | (train > 0)).sum())
        # Half a row added to every bin (both sides), so a bin that few rows happened to miss is not infinitely far.
        new = (self.counts[name] + 0.5) / (n + 0.5 * len(train))
        train = (train * train_rows + 0.5) / (train_rows + 0.5 * len(train))
        freedom, scale = max(used - 1, 0), 1 / n + 1 / max(train_rows, n)
        chance = (freedom + 2 * np.sqrt(2 * freedom)) * scale
        index = max(psi(new, train) - chance, 0.0)
        out = {"column": name, "kind": entry["kind"], "psi": round(float(index), 4), "unseen": 0.0, "out_of_range": 0.0}
        new, train = self.counts[name] / n, np.append(np.asarray(profile["shares"], float), profile["missing"])
        if entry["kind"] == "category":
            out["unseen"] = self.unseen.get(name, 0) / n
            levels = [*profile["levels"], None, ""]  # None: every other level, "": missing
            j = int(np.argmax(np.abs(new - train)))
            out["moved"] = {"value": levels[j], "share": float(new[j]), "train_share": float(train[j])}
            common = int(np.argmax(new))
            out["new_common"], out["train_common"] = levels[common], (profile["levels"] or [None])[0]
        else:
            below, above = self.sides[name] / n
            shift = (above - below) - (profile["above"] - profile["below"])
            out["direction"] = "higher" if shift > 0 else "lower"
            out["out_of_range"] = self.outside.get(name, 0) / n
            kept = np.concatenate(self.values.get(name) or [np.array([])])
            out["new_median"] = float(np.median(kept)) if len(kept) else None
            out["train_median"] = profile["median"]
            out["range"] = list(range_text(entry))
        out["level"] = LEVELS[max(_level(index, PSI_SOME, PSI_LARGE),
                                  _level(max(out["unseen"], out["out_of_range"]), SHARE_SOME, SHARE_LARGE))]
        return out


def _point(value, kind: str) -> float:
    """A contract's number, or its ISO date as days since 1970 (as `as_points` counts them)."""
    if kind == "date":
        return float(as_points(pd.Series([value]), "date")[0])
    return float(value)


def drift_of(frame: pd.DataFrame, contract: dict) -> dict:
    """The drift of rows already checked against ``contract`` (one frame; see `DriftCounter`)."""
    counter = DriftCounter(contract)
    counter.add(frame)
    return counter.result()


# -- in words ------------------------------------------------------------------------------------------------

def _percent(share: float) -> str:
    return f"{share * 100:.0f}%" if share >= 0.01 or share == 0 else f"{share * 100:.1f}%"


def _shown(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == "date":
        return fmt_date(pd.Timestamp(0) + pd.to_timedelta(value, unit="D"))
    return fmt_value(value)


def _level_name(value, text: Callable[..., str]) -> str:
    if value is None:
        return text("drift.other_levels")
    return text("drift.missing_level") if value == "" else str(value)


def drift_sentences(drift: dict | None, text: Callable[..., str]) -> list[tuple[str, str]]:
    """(level, sentence) for every column that changed, large first; one sentence when nothing did, and
    one of level ``unknown`` when the batch cannot be compared.

    ``text`` is `texts.text_for(lang)`; a ``drift`` of None (a batch stored before drift was kept)
    reads as not available.
    """
    if not drift or not drift.get("available"):
        if drift and drift.get("reason") == "few_rows":
            return [("unknown", text("drift.few_rows", rows=drift["rows"], min=drift["min_rows"]))]
        return [("unknown", text("drift.not_available"))]
    out = []
    for col in sorted(drift["columns"], key=lambda c: -LEVELS.index(c["level"])):
        name, level = col["column"], col["level"]
        if level == "none":
            continue
        if col["kind"] == "category":
            if _level(col["psi"], PSI_SOME, PSI_LARGE):
                moved = col["moved"]
                out.append((level, text(f"drift.category.{'large' if col['psi'] >= PSI_LARGE else 'some'}",
                                        column=name, value=_level_name(moved["value"], text),
                                        share=_percent(moved["share"]), train_share=_percent(moved["train_share"]))))
            if col["unseen"] >= SHARE_SOME:
                out.append((level, text("drift.unseen", column=name, share=_percent(col["unseen"]))))
            continue
        if _level(col["psi"], PSI_SOME, PSI_LARGE):
            strength = "large" if col["psi"] >= PSI_LARGE else "some"
            out.append((level, text(f"drift.{col['kind']}.{strength}.{col['direction']}", column=name)))
        if col["out_of_range"] >= SHARE_SOME:
            low, high = col["range"]
            out.append((level, text("drift.out_of_range", column=name, share=_percent(col["out_of_range"]),
                                    low=low, high=high)))
    if not out:
        return [("none", text("drift.none"))]
    return [(level, fix_particles(sentence)) for level, sentence in out]


def drift_table(drift: dict | None, text: Callable[..., str]) -> pd.DataFrame:
    """The comparison per column, with the user's column names: level, PSI, training and new medians or most
    common levels, and the shares of new categories and of values outside the training range."""
    heads = [text(f"drift.col.{k}") for k in ("column", "level", "psi", "training", "new", "unseen", "out_of_range")]
    if not drift or not drift.get("available"):
        return pd.DataFrame(columns=heads)
    rows = []
    for col in drift["columns"]:
        if col["kind"] == "category":
            train, new = _level_name(col["train_common"], text), _level_name(col["new_common"], text)
        else:
            train, new = _shown(col["train_median"], col["kind"]), _shown(col["new_median"], col["kind"])
        rows.append([col["column"], text(f"drift.level.{col['level']}"), col["psi"], train, new,
                     _percent(col["unseen"]), _percent(col["out_of_range"])])
    return pd.DataFrame(rows, columns=heads)
