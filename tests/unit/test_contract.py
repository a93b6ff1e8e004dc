"""The input contract: what a model remembers of its training columns, and every check of new rows against it."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.predict.contract import ROW_TEXTS, build_contract, check_input, empty_check
from core.errors import ColumnError
from core.train.preprocessing import column_roles


@pytest.fixture
def training() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    n = 200
    return pd.DataFrame({
        "hours": np.round(rng.uniform(0, 40, n), 1),
        "absences": rng.integers(0, 10, n).astype(float),
        "subject": rng.choice(["국어", "수학", "영어"], n, p=[0.5, 0.3, 0.2]),
        "joined": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D"),
        "club": np.where(rng.random(n) < 0.2, None, rng.choice(["art", "music"], n)),
    })


@pytest.fixture
def contract(training) -> dict:
    return build_contract(training, column_roles(training))


def rows(**columns) -> pd.DataFrame:
    """New rows: the columns given, the other training columns filled with ordinary values."""
    n = len(next(iter(columns.values())))
    base = {"hours": [10.0] * n, "absences": [1.0] * n, "subject": ["국어"] * n,
            "joined": [pd.Timestamp("2024-06-01")] * n, "club": ["art"] * n}
    return pd.DataFrame(base | columns)


def test_contract_keeps_ranges_robust_ranges_levels_and_whether_values_were_missing(training, contract):
    entries = {c["name"]: c for c in contract["columns"]}
    hours = entries["hours"]
    assert hours["kind"] == "number"
    assert hours["min"] == training["hours"].min() and hours["max"] == training["hours"].max()
    assert hours["p01"] == pytest.approx(training["hours"].quantile(0.01))
    assert hours["p99"] == pytest.approx(training["hours"].quantile(0.99))
    assert hours["min"] <= hours["p01"] < hours["median"] < hours["p99"] <= hours["max"]
    assert entries["absences"]["whole"] and not hours["whole"]
    assert entries["subject"]["kind"] == "category" and entries["subject"]["levels"] == ["국어", "수학", "영어"]
    assert entries["joined"]["kind"] == "date" and entries["joined"]["min"] >= "2024-01-01"
    assert not hours["had_missing"] and entries["club"]["had_missing"]
    assert entries["club"]["missing"] == int(training["club"].isna().sum())


def test_missing_required_columns_stop_everything_and_are_all_named(contract):
    with pytest.raises(ColumnError) as caught:
        check_input(rows(hours=[1.0]).drop(columns=["hours", "subject"]), contract)
    assert "'hours'" in str(caught.value) and "'subject'" in str(caught.value)
    assert "nothing was predicted" in str(caught.value)
    assert caught.value.key == "predict.error.missing_columns" and caught.value.params["count"] == 2


def test_extra_columns_are_ignored_and_listed(contract):
    check = check_input(rows(hours=[1.0, 2.0]).assign(student_id=[7, 8], 비고=["a", "b"]), contract)
    assert check.extra_columns == ["student_id", "비고"]
    assert sorted(check.frame.columns) == ["absences", "club", "hours", "joined", "subject"]
    assert check.report == {} and check.row_warnings.eq("").all()
    assert "Ignored columns the model does not use: student_id, 비고." in check.messages()
    # the table users read counts every value of an ignored column, not 0
    assert check.table().set_index("column").loc[["student_id", "비고"], "count"].tolist() == [2, 2]


def test_unreadable_cells_become_missing_counted_per_column_with_the_first_rows(contract):
    hours = ["12.5", "lots", "1,234", None] + ["x"] * 6
    joined = ["2024-03-01", "someday", "2024/05/02", "2024-07-01"] + ["2024-01-05"] * 6
    check = check_input(rows(hours=hours, joined=joined), contract, first_row=101)
    assert check.report["hours"]["unreadable"] == 7
    assert check.report["joined"] == {"unreadable": 1}
    # "1,234" is a number with a thousands separator: read, and then outside the training range.
    assert check.frame["hours"].iloc[0] == 12.5 and check.frame["hours"].iloc[2] == 1234.0
    assert check.frame["hours"].iloc[[1, 4]].isna().all() and pd.isna(check.frame["joined"].iloc[1])
    assert check.frame["joined"].iloc[2] == pd.Timestamp("2024-05-02")
    examples = check.examples["hours"]["unreadable"]
    assert examples[:2] == [(102, "lots"), (105, "x")] and len(examples) == 5  # the first few, numbered in the input
    assert check.examples["joined"]["unreadable"] == [(102, "someday")]
    assert "'lots' could not be read" in check.row_warnings.iloc[1]


def test_unseen_levels_are_counted_with_examples_and_left_to_the_pipeline(contract):
    subject = ["국어", "체육", "체육", "미술", None, "수학"]
    check = check_input(rows(hours=[1.0] * 6, subject=subject), contract)
    assert check.report["subject"] == {"unseen": 3, "missing": 1}
    assert check.examples["subject"]["unseen"] == [(2, "체육"), (4, "미술")]  # distinct values
    assert check.frame["subject"].tolist()[:4] == ["국어", "체육", "체육", "미술"]
    assert "subject: '체육' is a category the model never saw" == check.row_warnings.iloc[1]
    assert check.row_warnings.iloc[0] == ""


def test_too_many_levels_to_list_means_unseen_ones_are_not_counted(contract):
    contract["columns"][2]["n_levels"] = 5000  # more levels in training than the contract keeps
    check = check_input(rows(hours=[1.0], subject=["체육"]), contract)
    assert "unseen" not in check.report.get("subject", {})


def test_numbers_and_dates_outside_the_training_range_are_predicted_but_flagged_per_row(contract):
    entries = {c["name"]: c for c in contract["columns"]}
    high = entries["hours"]["max"]
    check = check_input(rows(hours=[high + 100, entries["hours"]["min"], -5.0, 20.0],
                             joined=pd.to_datetime(["2024-06-01", "2031-01-01", "2024-06-01", "2024-06-01"])),
                        contract)
    assert check.report == {"hours": {"out_of_range": 2}, "joined": {"out_of_range": 1}}
    assert check.frame["hours"].iloc[0] == high + 100  # kept as given: the pipeline still predicts it
    warnings = check.row_warnings.tolist()
    assert warnings[0] == f"hours: {high + 100:g} is outside the training range {entries['hours']['min']:g} to {high:g}"
    assert warnings[1].startswith("joined: 2031-01-01 is outside the training range 2024-01")
    assert warnings[2].startswith("hours: -5 is outside") and warnings[3] == ""
    message = next(m for m in check.messages() if "'hours'" in m)
    assert "most training values were between" in message and "(row 1: " in message


def test_missing_values_are_counted_only_where_training_had_none(contract):
    check = check_input(rows(hours=[None, 3.0, None], club=[None, None, "art"]), contract)
    assert check.report == {"hours": {"missing": 2}}  # club had missing values in training
    assert check.examples["hours"]["missing"] == [(1, ""), (3, "")]
    assert check.row_warnings.iloc[0] == "hours: missing, filled in"
    assert any("missing where training had none" in m for m in check.messages())


def test_several_problems_of_a_row_are_joined_and_the_texts_follow_the_language(contract):
    hours = next(c for c in contract["columns"] if c["name"] == "hours")
    korean = {"unseen": "{column}: 처음 보는 범주 '{value}'", "out_of_range": "{column}: {value} 범위 밖 ({low}~{high})"}
    check = check_input(rows(hours=[99.0], subject=["체육"]), contract, texts=korean)
    assert check.row_warnings.iloc[0] == (f"hours: 99 범위 밖 ({hours['min']:g}~{hours['max']:g}); "
                                          "subject: 처음 보는 범주 '체육'")
    assert set(ROW_TEXTS) == {"unreadable", "unseen", "out_of_range", "missing"}


def test_category_values_read_as_numbers_match_levels_written_as_text():
    train = pd.DataFrame({"grade": ["1", "2", "3"] * 10, "x": np.arange(30.0)})
    contract = build_contract(train, column_roles(train))
    check = check_input(pd.DataFrame({"grade": [1.0, 3.0, 4.0], "x": [1.0, 2.0, 3.0]}), contract)
    assert check.frame["grade"].tolist() == ["1", "3", "4"]
    assert check.report == {"grade": {"unseen": 1}}


def test_a_contract_without_the_newer_fields_still_checks(contract):
    old = {"columns": [], "dropped": {}}
    for entry in contract["columns"]:
        entry = {k: v for k, v in entry.items() if k not in {"median", "whole", "missing", "p01", "p99"}}
        if entry["kind"] == "date":
            entry.update(min=str(pd.Timestamp(entry["min"])), max=str(pd.Timestamp(entry["max"])))
        old["columns"].append(entry)
    check = check_input(rows(hours=[500.0, 1.0], subject=["체육", "국어"]), old)
    assert check.report == {"hours": {"out_of_range": 1}, "subject": {"unseen": 1}}
    assert not any("most training values" in m for m in check.messages())


def test_checks_of_chunks_merge_into_the_check_of_the_whole(contract):
    frame = rows(hours=[1.0, 99.0, None, "x", 99.0, 2.0, "y"], subject=["체육", "국어", "미술", "체육", "a", "b", "c"])
    whole = check_input(frame, contract)
    merged = empty_check(contract)
    for start in range(0, len(frame), 3):
        merged = merged.merge(check_input(frame.iloc[start:start + 3], contract, first_row=start + 1))
    assert merged.report == whole.report
    assert merged.examples == whole.examples
    assert merged.rows == len(frame)
    table = merged.table()
    assert set(table["kind"]) == {"out_of_range", "missing", "unreadable", "unseen"}
    assert table.loc[table["kind"] == "unseen", "examples"].item().startswith("1: 체육; 3: 미술")


def test_infinite_numbers_and_impossible_dates_are_unreadable_not_a_crash(contract):
    check = check_input(rows(hours=["1e400", float("inf"), 3.0], joined=["9999-99-99", "2024-02-30", "2024-06-01"]),
                        contract)
    assert check.report == {"hours": {"unreadable": 2}, "joined": {"unreadable": 2}}
    assert check.frame["hours"].iloc[:2].isna().all() and check.frame["hours"].iloc[2] == 3.0
