"""The result sentence: the best run, its error or hits in 100 against the baseline, and the columns that matter."""
from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from core.runs.summary import baseline_for, best_run, result_sentence, summarise, target_decimals, top_columns
from core.train.targets import likely_targets, target_problem
from storage.workspace import Run
from texts import text_for

NOW = datetime(2026, 11, 26, 9, 0)


def run(model: str, metrics: dict, task: str = "regression", metric: str = "rmse", status: str = "finished",
        minutes: int = 0, classes=None) -> Run:
    return Run(run_id=f"{model}{minutes}", dataset_id="d1", dataset_name="students", dataset_version=1,
               target="최종성적", task=task, model=model, status=status, metric=metric, metrics=metrics,
               settings={"classes": classes} if classes else {}, fit_seconds=1.0, error=None,
               created=NOW + timedelta(minutes=minutes))


def test_best_run_follows_the_direction_of_its_metric_and_skips_the_baseline():
    runs = [run("dummy", {"rmse": 1.0}), run("linear", {"rmse": 4.0}), run("rf", {"rmse": 3.0}),
            run("lgbm", {"rmse": 2.0}, status="failed")]
    assert best_run(runs).model == "rf"
    auc = [run("linear", {"roc_auc": 0.7}, "binary", "roc_auc"), run("rf", {"roc_auc": 0.9}, "binary", "roc_auc")]
    assert best_run(auc).model == "rf"
    assert best_run([run("dummy", {"rmse": 1.0})]) is None


def test_the_baseline_is_the_one_trained_with_the_run():
    target = run("rf", {"rmse": 3.0}, minutes=60)
    old, new = run("dummy", {"rmse": 9.0}, minutes=0), run("dummy", {"rmse": 5.0}, minutes=59)
    assert baseline_for(target, [old, new, target]) is new


def test_target_decimals_and_top_columns():
    assert target_decimals([70, 81, 95]) == 0
    assert target_decimals([70.5, 81.25, 95.0]) == 2
    importance = pd.DataFrame({"feature": ["a", "b", "c", "d"], "model_importance": [0.1, 0.4, 0.3, 0.2],
                               "permutation_mean": [np.nan] * 4})
    assert top_columns(importance) == ("b", "c", "d")


def test_a_regression_sentence_gives_the_error_in_the_targets_units_against_the_baseline():
    best = run("rf", {"rmse": 4.1, "mae": 3.2449})
    oof = pd.DataFrame({"y_true": [70.0, 80.0, 90.0], "y_pred": [72.0, 79.0, 88.0]})
    importance = pd.DataFrame({"feature": ["모의고사", "출석률", "학년", "반"],
                               "permutation_mean": [0.5, 0.3, 0.1, 0.05]})
    summary = summarise(best, run("dummy", {"mae": 5.4}), importance, oof)
    assert summary.error_shown == "3.2" and summary.error_reduction == 41
    ko = result_sentence(summary, text_for("ko"), "랜덤 포레스트")
    assert ko == ("가장 좋은 모델은 랜덤 포레스트입니다. 최종성적 예측값은 실제와 평균 3.2만큼 차이 납니다. "
                  "아무것도 배우지 않은 기준(항상 평균값)보다 오차가 41% 작습니다. 가장 중요한 열: 모의고사, 출석률, 학년.")
    en = result_sentence(summary, text_for("en"), "Random forest")
    assert "off by 3.2 on average" in en and "41% less error" in en


def test_a_model_worse_than_the_baseline_is_called_so():
    summary = summarise(run("linear", {"mae": 6.0}), run("dummy", {"mae": 5.0}))
    assert "20% 큽니다" in result_sentence(summary, text_for("ko"), "선형")


def test_a_classification_sentence_counts_hits_in_100_and_rare_cases_found():
    truth = np.array([0] * 80 + [1] * 20)
    predicted = truth.copy()
    predicted[80:85] = 0  # 5 of the 20 rare rows missed
    oof = pd.DataFrame({"y_true": truth, "y_pred": predicted})
    best = run("rf", {"accuracy": 0.95, "roc_auc": 0.9}, "binary", "roc_auc", classes=["아니오", "예"])
    summary = summarise(best, run("dummy", {"accuracy": 0.8}, "binary", "roc_auc"), None, oof)
    assert (summary.correct_in_100, summary.baseline_correct_in_100, summary.positives_found,
            summary.positive_label) == (95, 80, 75, "예")
    ko = result_sentence(summary, text_for("ko"), "랜덤 포레스트")
    assert "100건 중 95건 맞힙니다" in ko and "실제로 '예'인 100건 중 75건을 찾아냅니다" in ko
    assert "100건 중 80건을 맞힙니다" in ko


def test_a_balanced_target_does_not_count_rare_cases():
    oof = pd.DataFrame({"y_true": [0, 1] * 50, "y_pred": [0, 1] * 50})
    summary = summarise(run("rf", {"accuracy": 1.0}, "binary", "roc_auc", classes=["no", "yes"]), None, None, oof)
    assert summary.positives_found is None


class Profile:
    def __init__(self, name, distinct):
        self.name, self.distinct = name, distinct


def test_likely_targets_come_first_and_unpredictable_columns_last():
    profiles = [Profile("학생번호", 300), Profile("이름", 300), Profile("학년", 3), Profile("출석률", 250),
                Profile("도시", 80), Profile("최종성적", 60), Profile("메모", 290)]
    types = {"학생번호": "identifier", "이름": "identifier", "학년": "integer_code", "출석률": "number",
             "도시": "category", "최종성적": "number", "메모": "text"}
    order = likely_targets(profiles, types)
    assert order[0] == "최종성적"
    assert order[1:3] == ["출석률", "학년"]
    assert order[3] == "도시"
    assert set(order[4:]) == {"학생번호", "이름", "메모"}
    assert [target_problem(types[c]) for c in ("학생번호", "메모", "학년")] == ["identifier", "text", None]
