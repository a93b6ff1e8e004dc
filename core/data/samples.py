"""Sample datasets for demos: scikit-learn's bundled data (no download) and a generated Korean student table."""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn import datasets as skd

from core.errors import UserError

STUDENT_ROWS = 600
STUDENT_SEED = 2025
_SURNAMES = list("김이박최정강조윤장임한오서신권황안송류홍")
_SYLLABLES = list("민서준지현우연도하은윤수예진아유재성영호")
_CLUBS = ["없음", "과학", "음악", "체육", "미술", "독서"]
_GRADES = np.array(["F", "D", "C", "B", "A"])


def student_records(rows: int = STUDENT_ROWS, seed: int = STUDENT_SEED) -> pd.DataFrame:
    """A made-up table of Korean high-school students for grade prediction (the last column, 최종등급).

    Seeded, so every call gives the same table. The final grade depends on study hours, attendance,
    homework and the mid-term scores plus noise, so a model can learn it but not perfectly; a few
    values are missing, as in real records.
    """
    rng = np.random.default_rng(seed)
    names = [rng.choice(_SURNAMES) + "".join(rng.choice(_SYLLABLES, 2)) for _ in range(rows)]
    hours = np.round(rng.gamma(2.2, 2.5, rows), 1)
    attendance = np.round(np.clip(rng.beta(12, 1.2, rows), 0.6, 1.0) * 100, 1)
    absences = np.clip(np.round((100 - attendance) / 2 + rng.normal(0, 1.5, rows)), 0, None).astype(int)
    homework = rng.random(rows) < 0.35 + 0.06 * np.minimum(hours, 10)
    private = rng.random(rows) < 0.55
    ability = rng.normal(0, 1, rows)

    def score(weight: float) -> np.ndarray:
        raw = 55 + 9 * ability + weight * hours + 0.25 * (attendance - 90) + 4 * homework + rng.normal(0, 8, rows)
        return np.clip(np.round(raw), 0, 100).astype(int)

    korean, math, english = score(1.2), score(1.8), score(1.5)
    latent = (0.4 * (korean + math + english) / 3 + 2.0 * hours + 0.6 * (attendance - 90) + 5 * homework
              + 2 * private + rng.normal(0, 4, rows))
    cuts = np.quantile(latent, [0.1, 0.3, 0.65, 0.88])
    frame = pd.DataFrame({
        "학번": [f"S2025{i:04d}" for i in range(1, rows + 1)],
        "이름": names,
        "학년": rng.integers(1, 4, rows),
        "반": rng.integers(1, 9, rows),
        "성별": rng.choice(["남", "여"], rows),
        "주간학습시간": hours,
        "출석률": attendance,
        "결석일수": absences,
        "과제제출": np.where(homework, "예", "아니오"),
        "사교육": np.where(private, "예", "아니오"),
        "동아리": rng.choice(_CLUBS, rows, p=[0.3, 0.15, 0.15, 0.2, 0.1, 0.1]),
        "국어": korean,
        "수학": math,
        "영어": english,
        "최종등급": _GRADES[np.searchsorted(cuts, latent)],
    })
    frame["주간학습시간"] = frame["주간학습시간"].mask(rng.random(rows) < 0.03)
    frame["사교육"] = frame["사교육"].mask(rng.random(rows) < 0.02)
    return frame


SAMPLES = {
    "iris": ("Iris flowers (3 species)", skd.load_iris, "species"),
    "breast_cancer": ("Breast cancer diagnosis (binary)", skd.load_breast_cancer, "diagnosis"),
    "wine": ("Wine cultivars (3 classes)", skd.load_wine, "cultivar"),
    "diabetes": ("Diabetes progression (regression)", skd.load_diabetes, "progression"),
    "students": ("Korean student records (grade prediction)", student_records, "최종등급"),
}
#: Samples made by a generator in this module rather than loaded from scikit-learn.
GENERATED = {"students"}


def sample_frame(key: str) -> pd.DataFrame:
    """The sample ``key`` as a frame whose last column is the target (class names, not codes)."""
    if key not in SAMPLES:
        raise UserError(f"Unknown sample '{key}'. Choose one of: {', '.join(SAMPLES)}.")
    _, loader, target = SAMPLES[key]
    if key in GENERATED:
        return loader()
    bunch = loader(as_frame=True)
    frame = bunch.frame.rename(columns={"target": target})
    names = getattr(bunch, "target_names", None)
    if names is not None and key != "diabetes":
        frame[target] = pd.Categorical.from_codes(bunch.target, names).astype(str)
    return frame
