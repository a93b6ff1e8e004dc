"""The modelling core: preprocessing branches, imbalance handling inside folds, tuning, budgets, importance."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.train.preprocessing import PreprocessSettings, build_pipeline as build_preprocessed, column_roles
from core.train import TrainSettings, build_pipeline, plan_warnings, train
from sklearn.tree import DecisionTreeClassifier
from tests.helpers import by_model, imbalanced_frame


def mixed_frame(n=400, seed=0):
    """Numbers with gaps, a few-level and a many-level category, a date, token lists, an id and free text."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    frame = pd.DataFrame({
        "hours": np.where(rng.random(n) < 0.1, np.nan, x),
        "grade": rng.choice(["A", "B", "C", None], n),
        "school": [f"school_{i}" for i in rng.integers(0, 80, n)],
        "exam_date": pd.date_range("2024-01-01", periods=n, freq="13h"),
        "answers": [" ".join(map(str, rng.integers(0, 50, rng.integers(1, 6)))) for _ in range(n)],
        "student_id": [f"id{i:05d}" for i in range(n)],
        "essay": [f"This is a long free text answer number {i} written by a student in class" for i in range(n)],
    })
    frame["passed"] = np.where(x + rng.normal(scale=0.7, size=n) > 0, "yes", "no")
    return frame


def test_column_roles_cover_every_kind():
    roles = column_roles(mixed_frame().drop(columns="passed"))
    assert roles.numeric == ("hours",)
    assert roles.categorical == ("grade",)
    assert roles.high_cardinality == ("school",)
    assert roles.dates == ("exam_date",)
    assert roles.tokens == ("answers",)
    assert roles.text == ("essay",)  # free text is read as words
    assert roles.dropped == {"student_id": "identifier (a different value in nearly every row)"}


@pytest.mark.parametrize("model", ["linear", "rf"])
@pytest.mark.parametrize("pre", [
    PreprocessSettings(),
    PreprocessSettings(numeric_impute="mean", missing_indicators=True, scaling="minmax"),
    PreprocessSettings(numeric_impute="constant", scaling="robust"),
    PreprocessSettings(selection="pvalue"),
    PreprocessSettings(selection="correlation", selection_threshold=0.5),
    PreprocessSettings(selection="mutual_info", selection_k=5),
    PreprocessSettings(selection="importance"),
])
def test_every_preprocessing_branch_trains_and_learns(model, pre):
    result = train(mixed_frame(), TrainSettings(target="passed", models=(model,), folds=3, preprocessing=pre))
    r = by_model(result, model)
    assert r.status == "finished", r.error
    assert r.metrics["roc_auc"] > 0.7
    if pre.selection != "none":
        assert r.features_kept and len(r.features_kept) + len(r.features_dropped) > 5


def test_encoded_features_include_date_parts_tokens_and_target_encoding():
    frame = mixed_frame()
    roles = column_roles(frame.drop(columns="passed"))
    pipe = build_preprocessed(DecisionTreeClassifier(), roles, "binary", needs_scaling=False, tree_based=True)
    y = (frame["passed"] == "yes").astype(int).to_numpy()
    pipe.fit(frame[list(roles.used)], y)
    names = list(pipe[:-1].get_feature_names_out())
    assert {"exam_date_month_sin", "exam_date_hour", "answers_count", "school", "grade"} <= set(names)
    assert any(n.startswith("answers_has_") for n in names)  # the ids themselves, not hashed buckets


@pytest.mark.parametrize("balance", ["smote", "oversample", "undersample"])
def test_resampling_touches_training_rows_only(balance):
    frame = imbalanced_frame(n=400, positive_rate=0.1)
    result = train(frame, TrainSettings(target="label", models=("dt",), folds=4,
                                        preprocessing=PreprocessSettings(balance=balance)))
    r = by_model(result, "dt")
    assert r.status == "finished", r.error
    # Every real row is predicted exactly once as validation, and no synthetic row ever is.
    assert sorted(r.oof["row"]) == list(range(400))
    # The final model was fitted on balanced classes, not on the 90/10 split it was given.
    tree = r.pipeline.named_steps["model"].estimator_
    counts = tree.tree_.value[0][0] * tree.tree_.weighted_n_node_samples[0]
    assert abs(counts[0] - counts[1]) <= 1
    positives, total = int((frame["label"] == "yes").sum()), len(frame)
    expected_total = 2 * positives if balance == "undersample" else 2 * (total - positives)
    assert tree.tree_.n_node_samples[0] == expected_total


def test_smote_nc_is_used_with_categories_and_smote_without():
    frame = imbalanced_frame(n=300, positive_rate=0.2)
    roles = column_roles(frame.drop(columns="label"))
    y = (frame["label"] == "yes").to_numpy(dtype=int)
    for model in ("linear", "lgbm"):  # categories one-hot encoded, or coded for trees
        pipe = build_pipeline(model, roles, "binary", 0, preprocessing=PreprocessSettings(balance="smote"))
        pipe.fit(frame[list(roles.used)], y)
        assert pipe.named_steps["model"].sampler_.method_ == "SMOTENC"
    roles = column_roles(frame.drop(columns=["label", "group"]))
    pipe = build_pipeline("linear", roles, "binary", 0, preprocessing=PreprocessSettings(balance="smote"))
    pipe.fit(frame[list(roles.used)], y)
    assert pipe.named_steps["model"].sampler_.method_ == "SMOTE"


def test_same_seed_same_metrics_with_smote_and_other_seed_differs():
    frame = imbalanced_frame(n=300, positive_rate=0.15)
    settings = TrainSettings(target="label", models=("rf",), folds=3, seed=3,
                             preprocessing=PreprocessSettings(balance="smote"))
    a, b = by_model(train(frame, settings), "rf"), by_model(train(frame, settings), "rf")
    assert a.fold_metrics == b.fold_metrics and a.importance == b.importance
    c = by_model(train(frame, TrainSettings(**{**settings.__dict__, "seed": 4})), "rf")
    assert a.fold_metrics != c.fold_metrics


def test_smote_with_a_tiny_class_shrinks_its_neighbourhood_instead_of_crashing():
    frame = pd.DataFrame({"x": np.arange(60.0), "y": ["a"] * 54 + ["b"] * 6})
    result = train(frame, TrainSettings(target="y", models=("linear",), folds=3,
                                        preprocessing=PreprocessSettings(balance="smote")))
    assert by_model(result, "linear").status == "finished", by_model(result, "linear").error


def test_class_weights_raise_minority_recall():
    frame = imbalanced_frame(n=800, positive_rate=0.05, seed=2)
    plain = by_model(train(frame, TrainSettings(target="label", models=("linear",), folds=4)), "linear")
    weighted = by_model(train(frame, TrainSettings(target="label", models=("linear",), folds=4,
                                                   preprocessing=PreprocessSettings(balance="class_weight"))),
                        "linear")
    assert weighted.metrics["balanced_accuracy"] > plain.metrics["balanced_accuracy"] + 0.05


def test_unseen_categories_at_prediction_never_error():
    frame = mixed_frame()
    result = train(frame, TrainSettings(target="passed", models=("linear", "lgbm"), folds=3))
    new = frame.drop(columns="passed").head(10).copy()
    new["grade"] = "Z"
    new["school"] = "a school nobody saw"
    new["answers"] = "999 998"
    for r in result.results:
        proba = r.pipeline.predict_proba(new[list(result.roles.used)])
        assert proba.shape == (10, 2) and np.isfinite(proba).all()


def test_baseline_is_always_included_and_never_best():
    frame = imbalanced_frame()
    result = train(frame, TrainSettings(target="label", models=("linear",), folds=3))
    assert [r.model for r in result.results] == ["dummy", "linear"]
    assert result.baseline.model == "dummy" and result.best.model == "linear"


def test_repeated_and_time_ordered_validation():
    frame = mixed_frame()
    repeated = train(frame, TrainSettings(target="passed", models=("dt",), validation="repeated", folds=3, repeats=2))
    assert repeated.n_folds == 6
    timed = train(frame, TrainSettings(target="passed", models=("dt",), validation="time", folds=3,
                                       time_column="exam_date"))
    oof = by_model(timed, "dt").oof
    # Every validation fold lies after the rows it was trained on: the first block is never validated.
    assert oof["row"].min() >= len(frame) // 4 - 1
    assert (oof.groupby("fold")["row"].min().diff().dropna() > 0).all()


def test_final_test_set_is_held_out_and_scored_once():
    frame = mixed_frame()
    result = train(frame, TrainSettings(target="passed", models=("linear",), folds=3, test_size=0.25))
    r = by_model(result, "linear")
    assert result.n_test_rows == 100 and result.n_rows == 300
    assert set(r.oof["row"]).isdisjoint(set(range(400)) - set(r.oof["row"])) and len(r.oof) == 300
    assert 0.5 < r.test_metrics["roc_auc"] <= 1.0


def test_tuning_stays_within_the_time_limit_and_records_its_choice():
    frame = mixed_frame()
    result = train(frame, TrainSettings(target="passed", models=("dt",), folds=3, tune=True, tune_iterations=50,
                                        time_limit=8))
    r = by_model(result, "dt")
    assert r.status == "finished" and any("Tuned over" in n for n in r.notes)
    assert set(r.params) == {"max_depth", "min_samples_leaf"}


def test_time_limit_skips_models_that_do_not_fit():
    frame = mixed_frame(n=2000)
    result = train(frame, TrainSettings(target="passed", models=("linear", "rf", "et", "lgbm"), folds=5,
                                        time_limit=0.5))
    statuses = {r.model: r.status for r in result.results}
    assert "skipped" in statuses.values()
    assert all(r.error == "skipped: the time limit was reached" for r in result.results if r.status == "skipped")
    from core.train.extras import add_worded_notes
    from texts import text_for

    add_worded_notes(result, text_for("ko"))  # as a Korean user's run is recorded: the reason in Korean
    assert all(r.error.startswith("건너뛰었습니다") for r in result.results if r.status == "skipped")


def test_hyperparameter_overrides_are_checked_and_applied():
    frame = mixed_frame()
    result = train(frame, TrainSettings(target="passed", models=("rf",), folds=3, params={"rf": {"n_estimators": "25"}}))
    r = by_model(result, "rf")
    assert r.params["n_estimators"] == 25 and len(r.pipeline.named_steps["model"].estimators_) == 25
    from core.errors import UserError

    with pytest.raises(UserError, match="no setting 'trees'"):
        train(frame, TrainSettings(target="passed", models=("rf",), params={"rf": {"trees": 3}}))
    with pytest.raises(UserError, match="between"):
        train(frame, TrainSettings(target="passed", models=("rf",), params={"rf": {"n_estimators": -1}}))


def test_importance_finds_the_informative_column():
    result = train(imbalanced_frame(n=600, positive_rate=0.3), TrainSettings(target="label", models=("rf", "linear"),
                                                                              folds=3))
    for model in ("rf", "linear"):
        importance = by_model(result, model).importance
        assert importance[0]["feature"] == "signal"
        assert importance[0]["permutation_mean"] > 0.05
        assert importance[0]["model_importance"] > max(r["model_importance"] for r in importance[1:])


def test_boosters_and_networks_keep_a_learning_curve():
    frame = mixed_frame()
    result = train(frame, TrainSettings(target="passed", models=("lgbm", "xgb", "mlp"), folds=3,
                                        params={"mlp": {"epochs": 20}}))
    for model in ("lgbm", "xgb", "mlp"):
        curve = by_model(result, model).learning_curve
        assert len(curve["train"]) == len(curve["valid"]) > 1, model


def test_plan_warns_before_a_doomed_svm():
    warnings = plan_warnings(200_000, 20, TrainSettings(target="y", models=("svm", "rf"), time_limit=60))
    assert any("support vector machine will train on 10,000" in w for w in warnings)
    assert any("time limit" in w for w in warnings)
    assert plan_warnings(500, 5, TrainSettings(target="y", models=("linear",))) == []


def test_settings_round_trip_through_json():
    import json

    settings = TrainSettings(target="y", models=("rf", "mlp"), preprocessing=PreprocessSettings(balance="smote"),
                             params={"mlp": {"epochs": 5}}, time_limit=30.0)
    assert TrainSettings.from_dict(json.loads(json.dumps(settings.to_dict()))) == settings
