"""Task detection from the whole target column: yes/no, classes, scores and counts, prices; the alternative and why."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.train import TrainSettings, infer_task, train
from core.train.settings import guess_series_task, guess_task
from core.train.task import dataset_task_guess
from texts import text_for


@pytest.mark.parametrize("values", [[0, 1] * 20, [True, False] * 20, ["예", "아니오"] * 20, ["yes", "no", None] * 9])
def test_yes_no_targets_are_binary(values):
    assert infer_task(pd.Series(values)) == "binary"


def test_ratings_1_to_5_on_1000_rows_are_classes_that_can_also_be_a_number():
    rng = np.random.default_rng(0)
    guess = guess_series_task(pd.Series(rng.integers(1, 6, size=1000)))
    assert (guess.task, guess.alternative, guess.reason_key) == ("multiclass", "regression", "train.task_reason.scale")
    assert text_for("ko")(guess.reason_key, **guess.params) == "이 열은 1~5 점수처럼 보여 회귀로도 예측할 수 있습니다."


def test_integer_prices_on_18_rows_are_a_number_and_train():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"size": rng.normal(size=18)})
    frame["price"] = (100 + 10 * frame["size"]).round().astype(int)  # ~15 distinct whole numbers
    assert guess_series_task(frame["price"]).task == "regression"
    result = train(frame, TrainSettings(target="price", models=("linear",), folds=3))  # before: "single row" error
    assert result.task == "regression"


@pytest.mark.parametrize("distinct, rows, low, high, expected", [
    (12, 2000, 0, 11, ("regression", "multiclass")),  # a count 0-11: a number, or classes
    (4, 400, 11, 41, ("multiclass", "regression")),  # region codes 11, 26, 31, 41
    (30, 3000, 0, 29, ("regression", None)),  # too many values for classes
    (8, 12, 1, 8, ("regression", None)),  # classes of one or two rows cannot be learned
    (5, 15, 1, 5, ("regression", "multiclass")),  # three rows a value: classes only if the user says so
])
def test_whole_numbers_by_count_share_and_gaps(distinct, rows, low, high, expected):
    guess = guess_task(distinct, True, True, rows, low, high)
    assert (guess.task, guess.alternative) == expected
    if guess.reason_key:
        for lang in ("en", "ko"):
            assert text_for(lang)(guess.reason_key, **guess.params)


def test_the_guess_reads_the_whole_column_not_its_first_rows(ws):
    # The first 5,000 rows hold five values; the rest are amounts.
    values = np.r_[np.tile(np.arange(1, 6), 1000), np.arange(1000, 2000)]
    ws.save_frame(pd.DataFrame({"x": np.arange(len(values)) % 7, "y": values}), "mixed")
    guess = dataset_task_guess(ws, "mixed", "y")
    assert guess.task == "regression" and guess.alternative is None
    ws.save_frame(pd.DataFrame({"y": ["예", "아니오", None] * 10}), "yes_no")
    assert dataset_task_guess(ws, "yes_no", "y").task == "binary"
    ws.save_frame(pd.DataFrame({"y": [None, None, 1.0]}).iloc[:2], "empty")
    assert dataset_task_guess(ws, "empty", "y") is None
