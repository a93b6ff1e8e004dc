"""Benchmark: our numpy MLPClassifier against scikit-learn's, same data, architecture and optimizer.

Run ``python bench/bench_nn.py`` (full: 100k x 200) or ``python bench/bench_nn.py --quick``.
"""

from __future__ import annotations

import os

# Both libraries multiply matrices through numpy's OpenBLAS; give it the same 2 threads.
# (Set before numpy loads when run as a script; threadpool_limits below covers imports.)
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "2")

import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402
from sklearn.neural_network import MLPClassifier as SkMLPClassifier  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from nn.estimators import MLPClassifier  # noqa: E402

THREADS = 2
HIDDEN = (256, 128)
BATCH = 256
LR = 1e-3
EPOCHS = 5
ROUNDS = 3  # timed fits per library, interleaved; the fastest counts (others share the machine)


def make_table(n_rows: int, n_cols: int = 200, n_informative: int = 40, n_classes: int = 10,
               seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Float32 table with imbalanced classes (shares ∝ 0.7**k, about 31 % down to 1.3 %);
    each class has a Gaussian mean on the first ``n_informative`` columns, the rest is noise."""
    rng = np.random.default_rng(seed)
    shares = 0.7 ** np.arange(n_classes)
    y = rng.choice(n_classes, size=n_rows, p=shares / shares.sum())
    means = rng.normal(0.0, 0.4, size=(n_classes, n_informative)).astype(np.float32)
    X = rng.standard_normal((n_rows, n_cols), dtype=np.float32)
    X[:, :n_informative] += means[y]
    perm = rng.permutation(n_cols)  # informative columns scattered, not first
    return np.ascontiguousarray(X[:, perm]), y


def _time_fit(model, X, y) -> float:
    start = time.perf_counter()
    model.fit(X, y)
    return time.perf_counter() - start


def run(quick: bool = False) -> list[dict]:
    n_rows = 5_000 if quick else 100_000
    X, y = make_table(n_rows)
    n_test = n_rows // 5
    X_train, y_train, X_test, y_test = X[n_test:], y[n_test:], X[:n_test], y[:n_test]

    ours = MLPClassifier(hidden_layer_sizes=HIDDEN, optimizer="adam", learning_rate=LR,
                         batch_size=BATCH, epochs=EPOCHS, early_stopping=False, random_state=0)
    theirs = SkMLPClassifier(hidden_layer_sizes=HIDDEN, solver="adam", learning_rate_init=LR,
                             batch_size=BATCH, max_iter=EPOCHS, early_stopping=False, alpha=0.0,
                             shuffle=True, tol=0.0, n_iter_no_change=EPOCHS + 1, random_state=0)
    with threadpool_limits(limits=THREADS), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # max_iter is reached on purpose
        # warm up both code paths (BLAS threads, imports) on a slice, then time full fits
        _time_fit(ours.set_params(epochs=1), X_train[:2000], y_train[:2000])
        _time_fit(theirs.set_params(max_iter=1), X_train[:2000], y_train[:2000])
        ours.set_params(epochs=EPOCHS)
        theirs.set_params(max_iter=EPOCHS)
        ours_s, theirs_s = [], []
        for _ in range(1 if quick else ROUNDS):
            ours_s.append(_time_fit(ours, X_train, y_train) / ours.n_epochs_)
            theirs_s.append(_time_fit(theirs, X_train, y_train) / theirs.n_iter_)
        ours_s, theirs_s = min(ours_s), min(theirs_s)
        ours_f1 = f1_score(y_test, ours.predict(X_test), average="macro")
        theirs_f1 = f1_score(y_test, theirs.predict(X_test), average="macro")

    size = f"{len(X_train):,} x {X.shape[1]} float32, 10 classes, {HIDDEN}, batch {BATCH}, Adam, {EPOCHS} epochs"
    return [
        {"figure": f"MLP seconds per epoch ({size})", "ours": ours_s,
         "baseline_label": "sklearn MLPClassifier", "baseline": theirs_s, "unit": "s/epoch",
         "target": "ratio <= 1.0"},
        {"figure": f"MLP held-out macro-F1 ({n_test:,} rows)", "ours": 100 * ours_f1,
         "baseline_label": "sklearn MLPClassifier", "baseline": 100 * theirs_f1,
         "unit": "macro-F1 points", "target": "ours >= baseline - 1.0"},
    ]


if __name__ == "__main__":
    for row in run(quick="--quick" in sys.argv[1:]):
        ratio = row["ours"] / row["baseline"] if row["baseline"] else float("nan")
        print(f"{row['figure']}: ours {row['ours']:.4f} vs {row['baseline_label']} "
              f"{row['baseline']:.4f} {row['unit']} (ratio {ratio:.3f}; target {row['target']})")
