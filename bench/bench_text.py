"""Text, token lists and native categories: CV score and seconds beside the old handling, in the same run.

* passenger names (a Titanic-like table whose title, Mr / Mrs / Miss / Master, carries the signal): the
  name read as words beside the name left out (the old rule dropped it as free text or an identifier);
* an ad-id list (seed 000's ``ftr1``: 30 ids per row from ~5,000): TF-IDF over the real vocabulary beside
  the old 32 hashed buckets (`core.train.preprocessing.TokenBag`);
* a 20k-row table with a 25-level informative category: LightGBM and HistGradientBoosting with declared
  categories beside integer codes (``native_categories=False``). (With 300 levels LightGBM's own grouping
  scored as target encoding does, 0.815 against 0.816, so many-level columns keep their target encoding.)
"""
from __future__ import annotations

import time

import numpy as np
import pandas as pd

from core.train import TrainSettings, train
from core.train.options import PreprocessSettings

TITLES = {"Mr": (0.58, 0.16), "Miss": (0.20, 0.70), "Mrs": (0.15, 0.79), "Master": (0.05, 0.57),
          "Dr": (0.01, 0.42), "Rev": (0.01, 0.05)}
FIRST = ["John", "William", "Mary", "Anna", "Elizabeth", "Owen", "Thomas", "Margaret", "James", "Helen",
         "Charles", "Alice", "George", "Edith", "Henry", "Laina", "Karl", "Ida", "Frank", "Ellen"]


def passengers(n: int = 1300, seed: int = 0) -> pd.DataFrame:
    """Passenger class, age, fare, a ticket code per row, a name like "Braund, Mr. Owen Harris"; survived 0/1."""
    rng = np.random.default_rng(seed)
    titles = rng.choice(list(TITLES), size=n, p=[v[0] for v in TITLES.values()])
    pclass = rng.choice([1, 2, 3], size=n, p=[0.25, 0.21, 0.54])
    age = np.clip(np.where(titles == "Master", rng.uniform(1, 12, n), rng.normal(30, 13, n)), 0.5, 80).round()
    fare = np.round(rng.lognormal(np.array([4.2, 3.0, 2.3])[pclass - 1], 0.5), 2)
    surnames = [f"{rng.choice(['Ander', 'Bra', 'Cum', 'Dav', 'Eli', 'Fut', 'Gra', 'Hew'])}"
                f"{rng.choice(['son', 'und', 'ings', 'is', 'ott', 'relle', 'ham', 'lett'])}" for _ in range(n)]
    names = [f"{s}, {t}. {rng.choice(FIRST)} {rng.choice(FIRST)}" for s, t in zip(surnames, titles)]
    base = np.array([TITLES[t][1] for t in titles])
    p = np.clip(base + np.array([0.15, 0.0, -0.12])[pclass - 1], 0.02, 0.98)
    survived = (rng.random(n) < p).astype(int)
    return pd.DataFrame({"pclass": pclass, "age": age, "fare": fare, "ticket": [f"T{100000 + i}" for i in range(n)],
                         "name": names, "survived": survived})


def ad_lists(n: int = 5000, vocabulary: int = 5000, per_row: int = 30, seed: int = 0) -> pd.DataFrame:
    """Three string categories and ``ads``, ``per_row`` ad ids per row (Zipf-like shares); 4 classes that some
    hundred ids lean towards."""
    rng = np.random.default_rng(seed)
    weights = 1 / np.arange(1, vocabulary + 1) ** 0.8
    weights /= weights.sum()
    y = rng.integers(0, 4, size=n)
    leaning = rng.permutation(vocabulary)[:400].reshape(4, 100)  # ids that each class sees more often
    ads = []
    for label in y:
        ids = rng.choice(vocabulary, size=per_row, p=weights)
        swap = rng.random(per_row) < 0.08
        ids[swap] = rng.choice(leaning[label], size=int(swap.sum()))
        ads.append(" ".join(map(str, 100000 + ids)))
    return pd.DataFrame({"device": rng.choice(["pc", "mobile", "tablet"], n), "region": rng.choice(list("ABCDEFG"), n),
                         "ads": ads, "label": y})


def many_levels(n: int = 20000, levels: int = 300, seed: int = 0) -> pd.DataFrame:
    """Five numbers and a ``shop`` category of ``levels`` levels, each with its own effect on a 0/1 outcome."""
    rng = np.random.default_rng(seed)
    effect = rng.normal(0, 1.2, levels)
    shop = rng.integers(0, levels, size=n)
    X = rng.normal(size=(n, 5))
    logit = effect[shop] + X[:, 0] - 0.5 * X[:, 1]
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(5)])
    frame["shop"] = [f"shop-{s:03d}" for s in shop]
    frame["bought"] = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return frame


def _run(frame, target, models, folds, preprocessing=None, features=None):
    start = time.perf_counter()
    result = train(frame, TrainSettings(target=target, models=models, folds=folds, importance=False, ensemble=False,
                                        auto_test=False, features=features,
                                        preprocessing=preprocessing or PreprocessSettings()))
    seconds = time.perf_counter() - start
    return {r.model: r for r in result.results}, result.metric, seconds


def run(quick: bool = False) -> list[dict]:
    folds = 3 if quick else 5
    rows = []
    frame = passengers(1300)
    features = ("pclass", "age", "fare", "ticket")
    for model in ("linear", "lgbm"):
        ours, metric, s_ours = _run(frame, "survived", (model,), folds)
        old, _, s_old = _run(frame, "survived", (model,), folds, features=features)
        rows.append({"figure": f"passenger names, {model}: CV {metric} with the name read as words "
                               f"[{s_ours:.1f}s vs {s_old:.1f}s]", "ours": ours[model].metrics[metric], "unit": "",
                     "baseline_label": "name left out (old rule)", "baseline": old[model].metrics[metric],
                     "target": "> baseline"})
    frame = ad_lists(2000 if quick else 5000)
    for model in ("linear", "lgbm"):
        ours, metric, s_ours = _run(frame, "label", (model,), folds)
        old_score, s_old = _hashed_baseline(frame, model, folds, metric)
        rows.append({"figure": f"ad-id lists, {model}: CV {metric}, TF-IDF over the ids "
                               f"[{s_ours:.1f}s vs {s_old:.1f}s]", "ours": ours[model].metrics[metric], "unit": "",
                     "baseline_label": "32 hashed buckets (old)", "baseline": old_score, "target": "> baseline"})
    frame = many_levels(5000 if quick else 20000, levels=25)
    for model in ("lgbm", "hgb"):
        ours, metric, s_ours = _run(frame, "bought", (model,), folds)
        old, _, s_old = _run(frame, "bought", (model,), folds, PreprocessSettings(native_categories=False))
        rows.append({"figure": f"25-level category, {model}: CV {metric} with declared categories "
                               f"[{s_ours:.1f}s vs {s_old:.1f}s]", "ours": ours[model].metrics[metric], "unit": "",
                     "baseline_label": "integer codes (old)", "baseline": old[model].metrics[metric],
                     "target": "≥ baseline"})
    return rows


def _hashed_baseline(frame: pd.DataFrame, model: str, folds: int, metric: str) -> tuple[float, float]:
    """The old handling of a token list: its count and 32 hashed buckets as plain numeric columns."""
    from sklearn.feature_extraction.text import HashingVectorizer

    hasher = HashingVectorizer(n_features=32, token_pattern=r"\S+", alternate_sign=False, norm=None,
                               lowercase=False)
    buckets = pd.DataFrame(hasher.transform(frame["ads"]).toarray(), columns=[f"ads_tok{i}" for i in range(32)])
    old = pd.concat([frame.drop(columns="ads"), buckets], axis=1).assign(ads_count=30)
    results, _, seconds = _run(old, "label", (model,), folds)
    return results[model].metrics[metric], seconds


__all__ = ["ad_lists", "many_levels", "passengers", "run"]
