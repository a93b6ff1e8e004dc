"""Drift: a batch compared with the training distribution kept in the input contract, in numbers and in words."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.predict.contract import build_contract, check_input
from core.predict.drift import DriftCounter, drift_of, drift_sentences, drift_table
from core.train.preprocessing import column_roles
from texts import text_for


def table(n: int, seed: int, attendance=(60, 100), grade_p=(0.4, 0.35, 0.25), start="2024-01-01") -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "출석률": np.round(rng.uniform(*attendance, n), 1),
        "hours": rng.normal(20, 5, n),
        "학년": rng.choice(["1", "2", "3"], n, p=list(grade_p)),
        "joined": pd.Timestamp(start) + pd.to_timedelta(rng.integers(0, 365, n), unit="D"),
    })


@pytest.fixture
def training() -> pd.DataFrame:
    return table(2000, seed=0)


@pytest.fixture
def contract(training) -> dict:
    return build_contract(training, column_roles(training))


def checked(frame: pd.DataFrame, contract: dict) -> pd.DataFrame:
    return check_input(frame, contract).frame


def by_column(drift: dict) -> dict:
    return {c["column"]: c for c in drift["columns"]}


def test_the_training_rows_themselves_and_a_fresh_draw_show_no_drift(training, contract):
    same = drift_of(checked(training, contract), contract)
    assert same["available"] and same["level"] == "none"
    assert all(c["psi"] == 0 for c in same["columns"])
    fresh = drift_of(checked(table(500, seed=7), contract), contract)
    assert fresh["level"] == "none", by_column(fresh)
    assert drift_sentences(fresh, text_for("en")) == [
        ("none", "The new rows look like the training rows: no column has shifted.")]


def test_a_shifted_number_is_large_with_the_right_direction_in_both_languages(contract):
    lower = drift_of(checked(table(300, seed=1, attendance=(30, 70)), contract), contract)
    column = by_column(lower)["출석률"]
    assert column["level"] == "large" and column["direction"] == "lower" and column["psi"] > 0.25
    assert column["out_of_range"] == pytest.approx(0.75, abs=0.08)
    assert by_column(lower)["hours"]["level"] == "none"
    en = [s for _, s in drift_sentences(lower, text_for("en"))]
    ko = [s for _, s in drift_sentences(lower, text_for("ko"))]
    assert "출석률 is much lower than in training: predictions may be off." in en
    assert "출석률이 학습 때보다 훨씬 낮습니다: 예측이 빗나갈 수 있습니다." in ko
    higher = drift_of(checked(table(300, seed=2, attendance=(90, 100)), contract), contract)
    assert by_column(higher)["출석률"]["direction"] == "higher"
    assert by_column(higher)["출석률"]["out_of_range"] == 0


def test_a_changed_mix_of_categories_and_later_dates_are_named(contract):
    shifted = drift_of(checked(table(400, seed=3, grade_p=(0.05, 0.15, 0.8), start="2025-06-01"), contract),
                       contract)
    grade = by_column(shifted)["학년"]
    assert grade["level"] == "large" and grade["moved"]["value"] == "3"
    assert grade["moved"]["train_share"] == pytest.approx(0.25, abs=0.03)
    assert by_column(shifted)["joined"]["direction"] == "higher"
    ko = [s for _, s in drift_sentences(shifted, text_for("ko"))]
    assert any(s.startswith("학년의 구성이 학습 때와 많이 다릅니다('3'이 새 행의 8") for s in ko), ko
    en = [s for _, s in drift_sentences(shifted, text_for("en"))]
    assert "joined is much later than in training: predictions may be off." in en


def test_unseen_categories_are_counted_as_a_share_of_the_rows(contract):
    rows = table(100, seed=4)
    rows.loc[:29, "학년"] = ["4"] * 15 + ["5"] * 15
    drift = drift_of(checked(rows, contract), contract)
    grade = by_column(drift)["학년"]
    assert grade["unseen"] == pytest.approx(0.30)
    assert grade["level"] == "large"
    en = [s for _, s in drift_sentences(drift, text_for("en"))]
    assert "30% of the values of 학년 never appeared in training: the model treats them as unknown." in en


def test_counting_chunk_by_chunk_gives_the_result_of_the_whole(contract):
    rows = checked(table(600, seed=5, attendance=(40, 90)), contract)
    counter = DriftCounter(contract)
    for start in range(0, 600, 128):
        counter.add(rows.iloc[start:start + 128])
    assert counter.result() == drift_of(rows, contract)


def test_an_old_contract_without_distributions_says_not_available_and_never_fails(contract):
    for entry in contract["columns"]:
        entry.pop("profile")
    drift = drift_of(checked(table(100, seed=6, attendance=(0, 10)), contract), contract)
    assert drift == {"available": False, "reason": "no_profile", "rows": 100}
    assert drift_sentences(drift, text_for("en"))[0][1].startswith("These rows cannot be compared with the training")
    assert drift_sentences(None, text_for("ko"))[0][1].startswith("이 행들은 학습 데이터와 비교할 수 없습니다.")
    assert drift_table(drift, text_for("en")).empty


def test_too_few_rows_are_not_compared(contract):
    drift = drift_of(checked(table(5, seed=8), contract), contract)
    assert drift["available"] is False and drift["reason"] == "few_rows"
    assert "too few" in drift_sentences(drift, text_for("en"))[0][1]


def test_the_details_table_gives_medians_and_common_levels_per_column(contract):
    drift = drift_of(checked(table(300, seed=1, attendance=(30, 70)), contract), contract)
    shown = drift_table(drift, text_for("en")).set_index("Column")
    assert shown.loc["출석률", "Change"] == "large"
    assert float(shown.loc["출석률", "New rows (median or most common)"]) == pytest.approx(50, abs=4)
    assert float(shown.loc["출석률", "Training (median or most common)"]) == pytest.approx(80, abs=3)
    assert shown.loc["학년", "Training (median or most common)"] == "1"
    assert shown.loc["joined", "Training (median or most common)"].startswith("2024-")


def test_a_workspace_made_before_drift_was_kept_gets_the_column_and_reads_old_batches_as_not_available(ws):
    from storage import db

    with ws.connect() as con:  # the predictions table as the first release made it
        con.execute("DROP TABLE predictions")
        con.execute("CREATE TABLE predictions (prediction_id VARCHAR PRIMARY KEY, run_id VARCHAR NOT NULL, "
                    "source VARCHAR, rows BIGINT NOT NULL, output_dataset_id VARCHAR, "
                    "created TIMESTAMP NOT NULL DEFAULT current_timestamp)")
        con.execute("INSERT INTO predictions (prediction_id, run_id, rows) VALUES ('old1', 'run1', 10)")
    db.release(ws.path)
    assert ws.prediction_drift("old1") is None
    old = drift_sentences(ws.prediction_drift("old1"), text_for("en"))
    assert old[0][1].startswith("These rows cannot be compared")
    new = ws.add_prediction(run_id="run1", source="x", rows=30, output_dataset_id=None,
                            drift={"available": True, "rows": 30, "level": "none", "columns": []})
    assert ws.prediction_drift(new)["rows"] == 30
