"""Example tables that tests build in code (the fixed files live in tests/data)."""
from __future__ import annotations

import numpy as np
import pandas as pd


def imbalanced_frame(n: int = 600, positive_rate: float = 0.05, seed: int = 0) -> pd.DataFrame:
    """A binary table with a rare positive class, one weakly informative column, noise and a category."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < positive_rate).astype(int)
    return pd.DataFrame({
        "signal": rng.normal(size=n) + 1.5 * y,
        "noise": rng.normal(size=n),
        "group": rng.choice(["a", "b", "c"], size=n),
        "label": np.where(y == 1, "yes", "no"),
    })


def iris_frame() -> pd.DataFrame:
    """scikit-learn's iris table with the species named ("setosa", ...) in the column ``species``."""
    from sklearn.datasets import load_iris

    bunch = load_iris(as_frame=True)
    frame = bunch.frame.rename(columns={"target": "species"})
    frame["species"] = np.asarray(bunch.target_names)[bunch.target]
    return frame
