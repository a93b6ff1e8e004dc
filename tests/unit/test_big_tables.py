"""Big tables: quicker settings and models left out (with notes users read), folds prepared once for all models."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import core.train.models as models
import sys
from core.train import TrainSettings, train
from core.train.fitting import build_pipeline
from core.train.preprocessing import column_roles
from core.train.record import add_worded_notes
from texts import text_for


def _table(n=400, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    return pd.DataFrame({"x": rng.normal(size=n) + y, "group": [f"g{v % 4}" for v in y + rng.integers(0, 2, n)],
                         "when": pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 10**6, n), unit="s"),
                         "target": [f"c{v}" for v in y]})


def test_small_tables_keep_every_setting():
    assert models.size_caps("lgbm", "multiclass", models.BIG_ROWS - 1) == {}
    assert models.left_out(("dummy", "lgbm", "hgb"), models.BIG_ROWS - 1) == {}


def test_the_users_own_setting_wins_over_the_quicker_one():
    caps = models.size_caps("lgbm", "multiclass", models.BIG_ROWS, {"learning_rate": 0.02})
    assert "estimator__learning_rate" not in caps and caps["estimator__n_estimators"] == 400
    assert models.size_caps("linear", "regression", models.BIG_ROWS) == {}  # a ridge solve is fast at any size
    assert models.left_out(("dummy", "hgb"), models.BIG_ROWS) == {}  # nothing stands in for it


def test_wide_big_tables_grow_each_tree_on_half_the_columns():
    narrow = models.size_caps("lgbm", "multiclass", models.BIG_ROWS, n_columns=models.WIDE_COLUMNS - 1)
    wide = models.size_caps("lgbm", "multiclass", models.BIG_ROWS, n_columns=models.WIDE_COLUMNS)
    assert "estimator__colsample_bytree" not in narrow and wide["estimator__colsample_bytree"] == 0.5
    assert wide["estimator__max_bin"] == 63 and wide["estimator__subsample"] == 0.7
    chosen = models.size_caps("xgb", "binary", models.BIG_ROWS, {"colsample_bytree": 0.9, "subsample": 1.0},
                              n_columns=200)
    assert "estimator__colsample_bytree" not in chosen and "estimator__subsample" not in chosen


def test_the_note_names_the_shares_really_used_in_both_languages():
    from core.train.bigdata import quicker_note

    caps = models.size_caps("lgbm", "multiclass", 80_000, {"learning_rate": 0.02}, n_columns=200)
    key, values = quicker_note("lgbm", caps, 80_000, {"learning_rate": 0.02, "n_estimators": 400,
                                                       "subsample": 0.7, "colsample_bytree": 0.5})
    assert key == "train.note.quicker.boosting_wide" and values["rate"] == 0.02
    for lang, words in (("en", "70% of the rows and 50% of the columns"), ("ko", "행의 70%와 열의 50%")):
        assert words in text_for(lang)(key, **values)


def test_quicker_settings_reach_the_estimator():
    roles = column_roles(_table(), ["x", "group", "when"])
    pipe = build_pipeline("lgbm", roles, "multiclass", 0, n_rows=models.BIG_ROWS)
    booster = pipe.steps[-1][1]
    assert booster.stopping_rounds == 15 and booster.estimator.learning_rate == 0.1 and booster.estimator.max_bin == 63
    assert build_pipeline("linear", roles, "multiclass", 0, n_rows=models.BIG_ROWS).steps[-1][1].tol == 1e-3
    assert build_pipeline("linear", roles, "multiclass", 0, n_rows=10).steps[-1][1].tol == 1e-4


def test_a_big_comparison_says_what_it_did_differently_in_both_languages(monkeypatch):
    monkeypatch.setattr(models, "BIG_ROWS", 100)
    steps = []
    result = train(_table(), TrainSettings(target="target", models=("linear", "lgbm", "hgb"), seed=3, folds=3,
                                           importance=False),
                   progress=lambda fraction, step: steps.append(getattr(step, "key", step)))
    by_model = {r.model: r for r in result.results}
    assert by_model["hgb"].status == "skipped" and "lgbm" in by_model["hgb"].error
    assert by_model["lgbm"].status == "finished" and by_model["lgbm"].params["learning_rate"] == 0.1
    assert "train.progress.left_out" in steps and steps[-2:] == ["train.progress.finishing", "train.progress.done"]
    for lang, words in (("en", "left out"), ("ko", "뺐습니다")):
        worded = train(_table(), TrainSettings(target="target", models=("linear", "lgbm", "hgb"), seed=3, folds=3,
                                               importance=False))
        add_worded_notes(worded, text_for(lang))
        assert any(words in note and "LightGBM" in note for note in worded.notes)
        lgbm = next(r for r in worded.results if r.model == "lgbm")
        assert any("0.1" in note for note in lgbm.notes)
        linear = next(r for r in worded.results if r.model == "linear")
        assert any("300" in note for note in linear.notes)
        hgb = next(r for r in worded.results if r.model == "hgb")  # the Runs page shows why, in the same words
        assert hgb.error.startswith({"en": "Left out", "ko": "뺐습니다"}[lang]) and "LightGBM" in hgb.error


def test_sharing_the_prepared_folds_gives_the_same_models(monkeypatch):
    frame = _table(300, seed=5)
    settings = TrainSettings(target="target", models=("linear", "lgbm"), seed=1, folds=3)
    shared = train(frame, settings)
    monkeypatch.setattr(sys.modules["core.train.train"], "PreparedFolds", lambda: None)
    alone = train(frame, settings)
    for a, b in zip(shared.results, alone.results):
        assert a.model == b.model and a.metrics == pytest.approx(b.metrics)
        assert a.train_metrics == pytest.approx(b.train_metrics)
        if a.model != "ensemble":
            assert np.allclose(a.pipeline.predict_proba(frame.head(30)), b.pipeline.predict_proba(frame.head(30)))


def test_the_baseline_prepares_no_column():
    roles = column_roles(_table(), ["x", "group", "when"])
    pipe = build_pipeline("dummy", roles, "multiclass", 0).fit(_table()[["x", "group", "when"]], np.arange(400) % 3)
    assert pipe.named_steps["prepare"].get_feature_names_out().size == 0
    assert pipe.predict_proba(_table().head(2)).shape == (2, 3)
