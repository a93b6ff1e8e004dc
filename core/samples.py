"""Sample datasets for demos, from scikit-learn's bundled data (no download)."""
from __future__ import annotations

import pandas as pd
from sklearn import datasets as skd

from core.errors import UserError

SAMPLES = {
    "iris": ("Iris flowers (3 species)", skd.load_iris, "species"),
    "breast_cancer": ("Breast cancer diagnosis (binary)", skd.load_breast_cancer, "diagnosis"),
    "wine": ("Wine cultivars (3 classes)", skd.load_wine, "cultivar"),
    "diabetes": ("Diabetes progression (regression)", skd.load_diabetes, "progression"),
}


def sample_frame(key: str) -> pd.DataFrame:
    """The sample ``key`` as a frame whose last column is the target (class names, not codes)."""
    if key not in SAMPLES:
        raise UserError(f"Unknown sample '{key}'. Choose one of: {', '.join(SAMPLES)}.")
    _, loader, target = SAMPLES[key]
    bunch = loader(as_frame=True)
    frame = bunch.frame.rename(columns={"target": target})
    names = getattr(bunch, "target_names", None)
    if names is not None and key != "diabetes":
        frame[target] = pd.Categorical.from_codes(bunch.target, names).astype(str)
    return frame
