"""Any column name a user can type trains with every model, and importance and predictions keep those names."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.predict import predict
from core.train import TrainSettings, train, train_dataset
from core.train.models import REGISTRY
from tests.helpers import by_model

#: Names LightGBM ("special JSON characters") or XGBoost ("[", "]", "<") refuse, spaces, and Korean.
PRICE, INCOME, CITY, WHEN = "Price [KRW]", "Income, USD", "도시 {지역}: \"본사\"", "가입일 <최초>"
AGE, SCORE, TARGET = "나이 (만)", "score:1/2 = 50%", "구매 여부"


def typed_names_frame(n: int = 240, task: str = "binary") -> pd.DataFrame:
    rng = np.random.default_rng(3)
    price = rng.normal(50_000, 10_000, n).round()
    income = rng.normal(size=n)
    frame = pd.DataFrame({PRICE: price, INCOME: income, CITY: rng.choice(["서울", "부산", "대구"], n),
                          WHEN: pd.date_range("2024-01-01", periods=n, freq="D"),
                          AGE: rng.integers(20, 70, n), SCORE: rng.normal(size=n)})
    signal = income + (price - 50_000) / 10_000
    if task == "regression":
        frame[TARGET] = 3 * signal + rng.normal(scale=0.1, size=n)
    else:
        frame[TARGET] = np.where(signal + rng.normal(scale=0.3, size=n) > 0, "구매", "미구매")
    return frame


@pytest.mark.parametrize(("model", "task"), [(m, "binary") for m in sorted(REGISTRY)]
                         + [(m, "regression") for m in ("linear", "xgb", "lgbm")])
def test_every_model_trains_on_names_users_type(model, task):
    frame = typed_names_frame(task=task)
    result = train(frame, TrainSettings(target=TARGET, models=(model,), folds=2))
    r = by_model(result, model)
    assert r.error is None, r.error
    if model != "dummy":
        score = r.metrics[result.metric]
        assert score < frame[TARGET].std() if task == "regression" else score > 0.7
        # Importance speaks of the user's columns, by their own names.
        named = {row["feature"] for row in r.importance}
        assert named <= set(frame.columns) - {TARGET}
        assert {PRICE, INCOME} <= named


def test_a_boosted_model_with_typed_names_predicts_and_ranks_the_user_columns(ws):
    frame = typed_names_frame()
    ws.save_frame(frame, "구매")
    outcome = train_dataset(ws, "구매", TrainSettings(target=TARGET, models=("lgbm", "xgb"), folds=2))
    for key in ("lgbm", "xgb"):
        r = by_model(outcome.result, key)
        assert r.error is None, r.error
        top = sorted(r.importance, key=lambda row: -(row["permutation_mean"] or 0))[:2]
        assert {row["feature"] for row in top} == {PRICE, INCOME}
        prediction = predict(ws, outcome.run_ids[key], frame.drop(columns=TARGET).head(20))
        assert list(prediction.frame.columns[:6]) == [PRICE, INCOME, CITY, WHEN, AGE, SCORE]
        assert set(prediction.frame[f"{TARGET} (predicted)"]) <= {"구매", "미구매"}
