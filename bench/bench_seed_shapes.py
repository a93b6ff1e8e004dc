"""The default comparison on the two table shapes of issue 12, beside plain scikit-learn defaults in the same run.

1. Shaped like seed 000's problem 1: a TSV of 100k rows with two date-time columns, four text categories,
   a 30-token id-list column and 10 imbalanced classes — read through our ingest (as a user's upload is),
   then the default comparison. Target ≤ 90 s on 2 cores.
2. A 100k × 200 dense float table with 10 classes. Target ≤ 300 s.

The baseline is what a data scientist would type first: scikit-learn's HistGradientBoostingClassifier with
its defaults (categories ordinal-encoded, date-times as numbers, the id list dropped), 5-fold
`cross_val_score` on macro F1. Both sides report seconds and macro F1 (the default metric for several
classes), so a faster but worse default shows up. The machine may be shared: each time figure names the load
average before our run, after it and after the baseline's. The time-left rows put the estimate the Train page
shows after each model's first fit beside the time that was really left.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.preprocessing import OrdinalEncoder

from core.train import TrainSettings, train
from core.train.eta import TimeLeft
from core.train.settings import BASELINE, models_to_train

CLASS_SHARES = np.array([0.30, 0.22, 0.15, 0.10, 0.08, 0.06, 0.04, 0.03, 0.015, 0.005])


def seed_shaped(n: int = 100_000, seed: int = 0) -> pd.DataFrame:
    """Two date-times, four text categories, an id-list column of 30 tokens, 10 imbalanced classes."""
    rng = np.random.default_rng(seed)
    label = rng.choice(len(CLASS_SHARES), size=n, p=CLASS_SHARES / CLASS_SHARES.sum())
    start = pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 300 * 86_400, n), unit="s")
    # the second time depends on the class (how long the event lasted), with noise
    end = start + pd.to_timedelta((label + 1) * 600 + rng.integers(0, 3_600, n), unit="s")
    frame = pd.DataFrame({"started": start.strftime("%Y-%m-%d %H:%M:%S"), "ended": end.strftime("%Y-%m-%d %H:%M:%S")})
    for j, levels in enumerate((4, 12, 60, 300)):
        informative = rng.random(n) < 0.35
        values = np.where(informative, (label * (j + 1)) % levels, rng.integers(0, levels, n))
        frame[f"cat{j}"] = [f"v{j}_{v}" for v in values]
    # ad ids: 30 per row from a vocabulary of 5,000, a handful of which lean to each class
    vocabulary = 5_000
    tokens = rng.integers(0, vocabulary, size=(n, 30))
    lean = rng.random((n, 30)) < 0.15
    tokens = np.where(lean, (label[:, None] * 37 + rng.integers(0, 5, (n, 30))) % vocabulary, tokens)
    frame["ftr1"] = [" ".join(map(str, row)) for row in tokens]
    frame["target"] = [f"class_{k}" for k in label]
    return frame


def dense(n: int = 100_000, columns: int = 200, seed: int = 1) -> pd.DataFrame:
    """Dense floats; 10 classes from a random linear score of 20 informative columns plus noise."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, columns)).astype("float32")
    weights = rng.normal(size=(20, 10))
    scores = X[:, :20] @ weights + rng.normal(scale=2.0, size=(n, 10))
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(columns)])
    frame["target"] = [f"k{k}" for k in scores.argmax(axis=1)]
    return frame


def _read_as_upload(frame: pd.DataFrame) -> tuple[pd.DataFrame, float]:
    """The frame written as a TSV and read back by our ingest, as a user's upload is; and the seconds it took."""
    from storage.ingest import read_frame  # noqa: PLC0415 — storage import kept next to its only use

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "problem1.tsv"
        frame.to_csv(path, sep="\t", index=False)
        start = time.perf_counter()
        read, _ = read_frame(path)
        return read, time.perf_counter() - start


def _baseline(frame: pd.DataFrame) -> tuple[float, float]:
    """Seconds and mean macro F1 of scikit-learn's HistGradientBoosting defaults, 5-fold."""
    start = time.perf_counter()
    X = frame.drop(columns=["target", "ftr1"], errors="ignore").copy()
    for col in ("started", "ended"):
        if col in X:
            X[col] = pd.to_datetime(X[col]).astype("datetime64[s]").astype("int64")
    text = list(X.select_dtypes(exclude="number").columns)
    if text:
        X[text] = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1).fit_transform(X[text])
    y = pd.factorize(frame["target"], sort=True)[0]
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    scores = cross_val_score(HistGradientBoostingClassifier(random_state=0), X, y, cv=folds, scoring="f1_macro",
                             n_jobs=2)
    return time.perf_counter() - start, float(np.mean(scores))


def _ours(frame: pd.DataFrame) -> tuple[float, float, str, list[tuple[str, float, float]]]:
    """Seconds, the best run's macro F1 and its model key, for the default comparison; and the time-left
    estimate as the Train page shows it: (model, estimated seconds left, true seconds left) at the end of each
    model's first fit (the baseline's aside: it fits nothing)."""
    settings = TrainSettings(target="target", seed=0)
    eta = TimeLeft(models_to_train(settings))
    guesses = []

    def progress(fraction, step):
        eta.observe(step)
        if getattr(step, "key", "") == "train.progress.fold" and step.values.get("fold") == 1 \
                and step.model != BASELINE:
            guesses.append((step.model, time.monotonic(), eta.remaining()))

    start = time.perf_counter()
    result = train(frame, settings, progress)
    seconds = time.perf_counter() - start
    end = time.monotonic()
    best = result.best
    return (seconds, float(best.metrics.get("f1_macro", float("nan"))), best.model,
            [(model, left, end - at) for model, at, left in guesses])


def _load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def run(quick: bool = False) -> list[dict]:
    scale = 0.05 if quick else 1.0
    rows = []
    shaped = seed_shaped(int(100_000 * scale))
    read, read_seconds = _read_as_upload(shaped)
    for label, frame, extra, target in (("seed-000 problem 1 shape", read, read_seconds, 90),
                                        ("dense ×200, 10 classes", dense(int(100_000 * scale)), 0.0, 300)):
        name = f"{len(frame) // 1000}k {label}"
        load_before = _load()
        ours, ours_f1, best, etas = _ours(frame)
        load_ours = _load()
        theirs, their_f1 = _baseline(frame)
        rows.append({"figure": f"{name}: default comparison seconds (incl. reading {extra:.1f}s; "
                               f"{load_before} → {load_ours} → {_load()})",
                     "ours": ours + extra, "baseline_label": "sklearn HGB defaults, 5-fold", "baseline": theirs,
                     "unit": "s", "target": f"≤ {target} s" if not quick else ""})
        rows.append({"figure": f"{name}: macro F1 (best: {best})", "ours": ours_f1,
                     "baseline_label": "sklearn HGB defaults, 5-fold", "baseline": their_f1, "unit": "",
                     "target": "≥ 1.0×"})
        print(f"  {name}: ours {ours + extra:.1f}s F1 {ours_f1:.4f} ({best}); sklearn {theirs:.1f}s F1 {their_f1:.4f};"
              f" time left after first fits (estimate/actual s): {[(m, l, round(t, 1)) for m, l, t in etas]}",
              file=sys.stderr, flush=True)
        for model, left, truth in etas:
            rows.append({"figure": f"{name}: time left shown after {model}'s first fit (estimate vs actual)",
                         "ours": left if left is not None else float("nan"), "baseline_label": "actual time left",
                         "baseline": truth, "unit": "s", "target": "0.5–1.5×"})
    return rows


if __name__ == "__main__":
    for row in run(quick="--quick" in sys.argv):
        print(row)
