"""A prediction in the user's words: named columns, the target's precision, yes/no labels, a ± range; particles."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.predict import load_model, predict, predict_frame
from core.predict.output import decimals_of, target_summary
from core.train import TrainSettings, train_dataset
from texts import attach, text_for


def scores(n: int = 120, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    hours = rng.uniform(0, 20, n)
    return pd.DataFrame({"공부시간": hours, "반": rng.choice(["A", "B"], n),
                         "최종성적": np.round(40 + 2.5 * hours + rng.normal(0, 3, n), 1)})


def test_a_numeric_target_is_predicted_at_its_own_precision_with_a_range_from_out_of_fold_errors(ws):
    frame = scores()
    ws.save_frame(frame, "성적")
    outcome = train_dataset(ws, "성적", TrainSettings(target="최종성적", models=("linear",), folds=3,
                                                      importance=False))
    run_id = outcome.run_ids["linear"]
    pipeline, sidecar = load_model(ws, run_id)
    target = sidecar["contract"]["target"]
    oof = ws.oof_predictions(run_id)
    assert target["decimals"] == 1
    assert target["error_q80"] == pytest.approx((oof["y_true"] - oof["y_pred"]).abs().quantile(0.8))
    out = predict(ws, run_id, frame.drop(columns="최종성적").head(10), lang="ko").frame
    assert list(out.columns[2:]) == ["최종성적 예측", "최종성적 예측 범위 (±)", "확인할 점"]
    assert (out["최종성적 예측"] == out["최종성적 예측"].round(1)).all()
    assert out["최종성적 예측"].round(3).ne(out["최종성적 예측"].round(0)).any()  # not cut to whole numbers
    assert out["최종성적 예측 범위 (±)"].eq(round(target["error_q80"], 2)).all()
    english = predict(ws, run_id, frame.drop(columns="최종성적").head(3)).frame
    assert list(english.columns[2:]) == ["최종성적 (predicted)", "최종성적 (predicted) range (±)", "check"]
    # A bundle saved before the precision and the errors were kept: 2 decimals, no range column.
    old = dict(sidecar, contract={k: v for k, v in sidecar["contract"].items() if k != "target"})
    legacy = predict_frame(pipeline, old, frame.drop(columns="최종성적").head(5), lang="ko").frame
    assert list(legacy.columns[2:]) == ["최종성적 예측", "확인할 점"]
    assert (legacy["최종성적 예측"] == legacy["최종성적 예측"].round(2)).all()


def test_a_yes_no_target_keeps_yes_and_no_in_words_not_true_and_false(ws):
    frame = scores(160, seed=1)
    frame["합격"] = frame["최종성적"] > frame["최종성적"].median()
    ws.save_frame(frame.drop(columns="최종성적"), "합격")
    outcome = train_dataset(ws, "합격", TrainSettings(target="합격", models=("linear",), folds=2, importance=False))
    out = predict(ws, outcome.run_ids["linear"], frame[["공부시간", "반"]].head(20), lang="ko").frame
    assert set(out["합격 예측"]) <= {"예", "아니오"} and len(set(out["합격 예측"])) == 2
    assert {"'예'일 확률 (%)", "'아니오'일 확률 (%)"} <= set(out.columns)
    assert out["'예'일 확률 (%)"].between(0, 100).all() and out["'예'일 확률 (%)"].max() > 1  # percent, not 0-1


def test_decimals_and_target_summary():
    assert decimals_of([1, 2, 30]) == 0 and decimals_of([1.5, 2.25]) == 2 and decimals_of([0.1, 0.2, 0.3]) == 1
    assert decimals_of([1 / 3]) == 6
    oof = pd.DataFrame({"y_true": [10.0, 20.0, 30.0, 40.0, 50.0], "y_pred": [11.0, 18.0, 30.0, 44.0, 50.5]})
    assert target_summary("regression", oof) == {"decimals": 0, "error_q80": pytest.approx(2.4)}
    assert target_summary("binary", oof) == {} and target_summary("regression", None) == {}


@pytest.mark.parametrize(("word", "form", "expected"), [
    ("버전 2", "을", "버전 2를"), ("버전 3", "를", "버전 3을"), ("버전 10", "을", "버전 10을"), ("최종성적", "를", "최종성적을"),
    ("나이", "은", "나이는"), ("'name'", "은", "'name'은"), ("R", "으로", "R로"), ("서울", "으로", "서울로"),
    ("학년", "으로", "학년으로"), ("모델", "이", "모델이"), ("점수", "과", "점수와"), ("반", "와", "반과"),
])
def test_korean_particles_follow_the_word(word, form, expected):
    assert attach(word, form) == expected


def test_catalogue_strings_choose_their_particle():
    text = text_for("ko")
    assert text("edit.saved_version", name="성적", version=2) == "'성적'의 버전 2를 저장했습니다."
    assert text("edit.saved_version", name="성적", version=3) == "'성적'의 버전 3을 저장했습니다."
