"""Why this prediction: per-row contributions of the input columns, exact for boosters, measured for the rest."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from threadpoolctl import threadpool_limits

from core.predict.contract import build_contract, check_input
from core.predict.prediction import predict_frame
from core.predict.reasons import (background_frame, contributions, global_reasons, model_matrix,
                                  raw_tree_contributions, reason_columns, reason_sentence, top_reasons)
from core.train.fitting import build_pipeline
from core.train.preprocessing import column_roles
from texts import text_for

N = 400


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    """``mock`` drives the score, ``학년`` '3' lowers it a little, ``noise`` and ``joined`` do nothing."""
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({
        "noise": rng.normal(0, 1, N),
        "학년": rng.choice(["1", "2", "3"], N),
        "mock": rng.uniform(0, 100, N),
        "joined": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, N), unit="D"),
    })
    score = 0.5 * frame["mock"] - 5 * (frame["학년"] == "3") + rng.normal(0, 2, N)
    return frame.assign(score=score)


def fitted(table: pd.DataFrame, model: str, task: str):
    X = table.drop(columns="score")
    roles = column_roles(X)
    if task == "regression":
        y, classes = table["score"].to_numpy(), None
    elif task == "binary":
        y, classes = (table["score"] > 25).astype(int).to_numpy(), ["low", "high"]
    else:
        y, classes = np.digitize(table["score"], [12, 30]), ["low", "middle", "high"]
    with threadpool_limits(limits=1):  # HistGB's OpenMP threads crawl on a busy two-core machine
        pipeline = build_pipeline(model, roles, task, 0).fit(X, y)
    sidecar = {"task": task, "classes": classes, "contract": build_contract(X, roles), "target": "score"}
    return pipeline, sidecar, check_input(X, sidecar["contract"]).frame


@pytest.mark.parametrize("task", ["regression", "binary", "multiclass"])
def test_lightgbm_contributions_add_up_with_the_base_value_to_the_raw_prediction(table, task):
    pipeline, sidecar, rows = fitted(table, "lgbm", task)
    raw, names = raw_tree_contributions(pipeline, rows.head(50))
    booster = pipeline.steps[-1][1].estimator_
    X = model_matrix(pipeline, rows.head(50))
    expected = booster.predict(X.set_axis([f"f{i}" for i in range(X.shape[1])], axis=1), raw_score=True)
    assert names == [str(c) for c in X.columns]
    assert np.allclose(raw.sum(axis=2).reshape(np.shape(expected)), expected, atol=1e-6)
    found = contributions(pipeline, sidecar, rows.head(50))
    assert found.method == "tree" and list(found.values.columns) == ["noise", "mock", "학년", "joined"]
    assert np.allclose(found.base + found.values.sum(axis=1), found.output, atol=1e-6)
    assert (found.values.abs().mean().idxmax()) == "mock"
    if task == "regression":
        assert np.allclose(found.output, pipeline.predict(rows.head(50)))
    else:  # percent of the predicted class
        proba = pipeline.predict_proba(rows.head(50))
        assert np.allclose(found.output, 100 * proba.max(axis=1))


@pytest.mark.parametrize("task", ["regression", "binary"])
def test_xgboost_contributions_add_up_to_its_margin(table, task):
    pipeline, sidecar, rows = fitted(table, "xgb", task)
    raw, _ = raw_tree_contributions(pipeline, rows.head(40))
    booster = pipeline.steps[-1][1].estimator_
    X = model_matrix(pipeline, rows.head(40))
    margin = booster.predict(X.set_axis([f"f{i}" for i in range(X.shape[1])], axis=1), output_margin=True)
    assert np.allclose(raw.sum(axis=2)[:, 0], margin, atol=1e-4)
    found = contributions(pipeline, sidecar, rows.head(40))
    assert np.allclose(found.base + found.values.sum(axis=1), found.output, atol=1e-4)


@pytest.mark.parametrize("model,task", [("linear", "regression"), ("rf", "regression"), ("knn", "binary"),
                                        ("rf", "multiclass"), ("hgb", "binary")])
def test_the_measured_method_ranks_the_column_that_drives_the_target_first(table, model, task):
    pipeline, sidecar, rows = fitted(table, model, task)
    found = contributions(pipeline, sidecar, rows.head(60))
    assert found.method == "sampled" and found.background == 50
    assert np.allclose(found.base + found.values.sum(axis=1), found.output, atol=1e-6)
    size = found.values.abs().mean()
    assert size.idxmax() == "mock", size
    firsts = [r[0]["column"] for r in top_reasons(found, rows.head(60))]
    assert firsts.count("mock") >= 40


def test_the_measured_method_is_exact_for_a_linear_model(table):
    """Without interactions each column's Shapley value is w_j (x_j - mean of the background's x_j)."""
    frame = table[["noise", "mock"]].assign(score=table["score"])
    pipeline, sidecar, rows = fitted(frame, "linear", "regression")
    background = background_frame(sidecar["contract"])
    found = contributions(pipeline, sidecar, rows.head(20))
    model = pipeline.steps[-1][1]
    scaled = model_matrix(pipeline, rows.head(20))
    scaled_bg = model_matrix(pipeline, background)
    expected = (scaled - scaled_bg.mean()) * model.coef_
    assert np.allclose(found.values[["noise", "mock"]].to_numpy(), expected[["noise", "mock"]].to_numpy(),
                       atol=1e-8)


def test_sentences_say_which_way_a_column_pushed_in_both_languages(table):
    _, sidecar, _ = fitted(table, "linear", "regression")
    entries = {c["name"]: c for c in sidecar["contract"]["columns"]}
    median = entries["mock"]["median"]
    ko, en = text_for("ko"), text_for("en")
    high = {"column": "mock", "value": 92.0, "effect": 6.21}
    assert median < 92
    assert reason_sentence(high, entries["mock"], "regression", en) == "mock is high (92): +6.2"
    low = {"column": "mock", "value": 3.0, "effect": -12.0}
    assert reason_sentence(low, entries["mock"], "regression", ko) == "mock이 3으로 낮아서 −12.0"
    grade = {"column": "학년", "value": "3", "effect": -4.14}
    assert reason_sentence(grade, entries["학년"], "binary", ko) == "학년이 '3'이라서 −4.1%p"
    assert reason_sentence(grade, entries["학년"], "binary", en) == "학년 is '3': −4.1 pp"
    empty = {"column": "mock", "value": np.nan, "effect": 0.5}
    assert reason_sentence(empty, entries["mock"], "regression", ko) == "mock이 비어 있어서 +0.5"


def test_reason_columns_in_the_csv_are_optional_named_in_the_language_and_never_overwrite(table):
    pipeline, sidecar, _ = fitted(table, "rf", "binary")
    rows = table.drop(columns="score").head(30)
    plain = predict_frame(pipeline, sidecar, rows)
    assert not any(str(c).startswith("reason") for c in plain.frame.columns)
    korean = predict_frame(pipeline, sidecar, rows.assign(**{"이유 1": "mine"}), reasons=text_for("ko"))
    out = korean.frame
    assert list(out.columns[-3:]) == ["이유 1_2", "이유 2", "이유 3"] and out["이유 1"].eq("mine").all()
    assert out["이유 1_2"].str.startswith("mock").mean() > 0.6
    assert out["이유 1_2"].str.endswith("%p").all()
    english = reason_columns(pipeline, sidecar, check_input(rows, sidecar["contract"]).frame, text_for("en"))
    assert list(english.columns) == ["reason 1", "reason 2", "reason 3"]


def test_older_models_without_kept_rows_use_one_typical_row_and_have_no_global_summary(table):
    pipeline, sidecar, rows = fitted(table, "rf", "regression")
    summary = global_reasons(pipeline, sidecar)
    assert summary is not None and summary["column"].iloc[0] == "mock" and summary["rows"].iloc[0] == 50
    old = dict(sidecar, contract={k: v for k, v in sidecar["contract"].items() if k != "sample"})
    assert len(background_frame(old["contract"])) == 1
    found = contributions(pipeline, old, rows.head(10))
    assert found.background == 1
    assert np.allclose(found.base + found.values.sum(axis=1), found.output)
    assert global_reasons(pipeline, old) is None
