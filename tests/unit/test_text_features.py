"""Free text read as words, token lists over their real vocabulary, and categories declared natively to the boosters."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from threadpoolctl import threadpool_limits

from core.predict import predict
from core.predict.contract import build_contract, check_input
from core.predict.reasons import contributions, model_matrix
from core.train import TrainSettings, train, train_dataset
from core.train.fitting import build_pipeline
from core.train.preprocessing import PreprocessSettings, column_roles, dropped_notes, model_input_names
from core.train.text_features import TextFeatures, is_text, vocabulary_cap
from texts import text_for
from tests.helpers import by_model

TITLES = ["Mr", "Mrs", "Miss", "Master"]
FIRST = ["John", "Mary", "Anna", "Owen", "Laina", "William", "Elisabeth", "Karl", "Ida", "Helen"]


def passengers(n: int = 600, seed: int = 0) -> pd.DataFrame:
    """A name like "Braund, Mr. Owen" whose title carries most of the signal, a ticket code per row, a weak number."""
    rng = np.random.default_rng(seed)
    titles = rng.choice(TITLES, size=n, p=[0.55, 0.2, 0.2, 0.05])
    surnames = [f"Sur{i}" for i in rng.integers(0, n // 2, n)]
    names = [f"{s}, {t}. {rng.choice(FIRST)} {rng.choice(FIRST)}" for s, t in zip(surnames, titles)]
    fare = rng.lognormal(3, 0.7, n).round(2)
    p = np.where(titles == "Mr", 0.15, 0.75) + 0.002 * (fare - fare.mean())
    return pd.DataFrame({"fare": fare, "ticket": [f"S{i:06d}" for i in range(n)], "name": names,
                         "survived": (rng.random(n) < np.clip(p, 0.02, 0.98)).astype(int)})


def ad_lists(n: int = 1500, vocabulary: int = 800, seed: int = 0) -> pd.DataFrame:
    """``ads``: 30 ids per row from ``vocabulary``; the class leans on 40 of them (each class on its own 20)."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    leaning = rng.permutation(vocabulary)[:40].reshape(2, 20)
    rows = []
    for label in y:
        ids = rng.integers(0, vocabulary, 30)
        swap = rng.random(30) < 0.1
        ids[swap] = rng.choice(leaning[label], size=int(swap.sum()))
        rows.append(" ".join(str(50000 + i) for i in ids))
    return pd.DataFrame({"region": rng.choice(list("ABC"), n), "ads": rows, "clicked": y})


def shops(n: int = 2000, levels: int = 40, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    effect = rng.normal(0, 1.5, levels)
    shop = rng.integers(0, levels, n)
    x = rng.normal(size=n)
    logit = effect[shop] + x
    return pd.DataFrame({"x": x, "shop": [f"shop-{s:02d}" for s in shop],
                         "bought": (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)})


def cv_auc(frame, target, model, features=None):
    result = train(frame, TrainSettings(target=target, models=(model,), folds=3, importance=False, ensemble=False,
                                        auto_test=False, features=features))
    return by_model(result, model).metrics["roc_auc"]


# -- which columns are text -----------------------------------------------------------------------------------

def test_names_are_text_and_codes_are_identifiers():
    frame = passengers(300)
    frame["email"] = [f"user{i}@school.example.com" for i in range(len(frame))]
    roles = column_roles(frame, ["fare", "ticket", "name", "email"])
    assert roles.text == ("name",)
    assert roles.dropped == {"ticket": "identifier (a different value in nearly every row)",
                             "email": "identifier (a different value in nearly every row)"}
    assert is_text(frame["name"]) and not is_text(frame["ticket"]) and not is_text(frame["email"])


def test_the_column_type_decides_a_name_typed_identifier_stays_dropped_and_typed_text_is_read():
    frame = passengers(300)
    roles = column_roles(frame, ["fare", "name"], types={"name": "identifier"})
    assert roles.text == () and roles.dropped == {"name": "identifier (its column type)"}
    roles = column_roles(frame, ["fare", "name", "ticket"], types={"name": "text", "ticket": "text"})
    assert roles.text == ("name",) and "ticket" in roles.dropped  # a code stays an identifier even typed as text


def test_the_notes_say_which_columns_are_read_as_words_or_codes_in_both_languages():
    frame = passengers(300).assign(ads=ad_lists(300)["ads"])
    roles = column_roles(frame, ["fare", "name", "ads", "ticket"])
    english = dropped_notes(roles, text_for("en"))
    korean = dropped_notes(roles, text_for("ko"))
    assert english[:2] == ["Column 'name' is used as words (text): each word that appears in enough rows becomes "
                           "a feature.",
                           "Column 'ads' is used as a list of codes: each code that appears in enough rows becomes "
                           "a feature."]
    assert korean[0].startswith("'name'은 글(단어)로 사용합니다") and korean[1].startswith("'ads'는 코드 목록으로")
    assert len(english) == 3 and "ticket" in english[2]


# -- what they add to the score -------------------------------------------------------------------------------

@pytest.mark.parametrize("model", ["linear", "lgbm"])
def test_a_name_column_read_as_words_improves_the_cv_auc(model):
    frame = passengers(900)
    with_name = cv_auc(frame, "survived", model)
    without = cv_auc(frame, "survived", model, features=("fare", "ticket"))
    assert with_name > without + 0.1


def test_token_lists_use_their_real_vocabulary_sparse_for_linear_models():
    frame = ad_lists(600)
    roles = column_roles(frame, ["region", "ads"])
    assert roles.tokens == ("ads",)
    pipeline = build_pipeline("linear", roles, "binary", 0).fit(frame[["region", "ads"]], frame["clicked"])
    matrix = pipeline[:-1].transform(frame[["region", "ads"]].head(20))
    assert sparse.issparse(matrix)
    names = model_input_names(pipeline)
    terms = {n.removeprefix("ads_term_") for n in names if n.startswith("ads_term_")}
    counts = frame["ads"].str.split().explode().value_counts()  # how often each id appears
    cap, _ = vocabulary_cap(len(frame))
    assert terms <= set(counts.index) and len(terms) == cap  # the ids as written, no hashed buckets
    assert set(counts[counts > counts.iloc[cap]].index) <= terms  # the most frequent ids
    assert matrix.shape[1] == len(names) == 3 + 1 + cap  # the region's levels, the count of ids, the ids


def test_token_lists_beat_hashed_buckets():
    frame = ad_lists(1500)
    ours = cv_auc(frame, "clicked", "linear")
    from sklearn.feature_extraction.text import HashingVectorizer

    hashed = HashingVectorizer(n_features=32, token_pattern=r"\S+", alternate_sign=False, norm=None, lowercase=False)
    buckets = pd.DataFrame(hashed.transform(frame["ads"]).toarray(), columns=[f"b{i}" for i in range(32)])
    old = cv_auc(pd.concat([frame.drop(columns="ads"), buckets], axis=1), "clicked", "linear")
    assert ours > old + 0.1


def test_trees_get_the_terms_most_tied_to_the_target_as_dense_columns():
    frame = ad_lists(800)
    features = TextFeatures("tokens", "compact", top_terms=20).fit(frame[["ads"]], frame["clicked"])
    out = features.transform(frame[["ads"]].head(5))
    assert isinstance(out, pd.DataFrame) and out.shape == (5, 21)
    chosen = {c.removeprefix("ads_has_") for c in out.columns if c.startswith("ads_has_")}
    rng = np.random.default_rng(0)  # the generator's leaning ids, drawn as it draws them
    rng.integers(0, 2, 800)
    leaning = {str(50000 + i) for i in rng.permutation(800)[:40]}
    assert len(chosen & leaning) >= 10


# -- native categories ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("model", ["lgbm", "hgb"])
def test_category_columns_are_declared_as_categories_to_lightgbm_and_histgb(model):
    frame = shops(800)
    roles = column_roles(frame, ["x", "shop"])
    with threadpool_limits(limits=1):
        pipeline = build_pipeline(model, roles, "binary", 0).fit(frame[["x", "shop"]], frame["bought"])
    X = model_matrix(pipeline, frame[["x", "shop"]].head(10))
    assert str(X["shop"].dtype) == "category" and str(X["x"].dtype) == "float64"
    estimator = pipeline.steps[-1][1]
    if model == "hgb":
        assert estimator.is_categorical_.tolist() == [False, True]
    else:
        assert estimator.estimator_.booster_.pandas_categorical is not None
    off = build_pipeline(model, roles, "binary", 0, preprocessing=PreprocessSettings(native_categories=False))
    with threadpool_limits(limits=1):
        off.fit(frame[["x", "shop"]], frame["bought"])
    assert str(model_matrix(off, frame[["x", "shop"]].head(5))["shop"].dtype) == "float64"


def test_many_levels_keep_their_target_encoding_even_for_lightgbm():
    frame = shops(1500, levels=120)
    roles = column_roles(frame, ["x", "shop"])
    assert roles.high_cardinality == ("shop",)
    pipeline = build_pipeline("lgbm", roles, "binary", 0).fit(frame[["x", "shop"]], frame["bought"])
    assert str(model_matrix(pipeline, frame[["x", "shop"]].head(5))["shop"].dtype) == "float64"


@pytest.mark.parametrize("model", ["lgbm", "hgb"])
def test_an_unseen_or_missing_category_predicts_as_missing_never_as_another_level(model):
    frame = shops(800)
    roles = column_roles(frame, ["x", "shop"])
    with threadpool_limits(limits=1):
        pipeline = build_pipeline(model, roles, "binary", 0).fit(frame[["x", "shop"]], frame["bought"])
    rows = pd.DataFrame({"x": [0.3, 0.3, 0.3], "shop": ["never-seen", None, "shop-00"]})
    X = model_matrix(pipeline, rows)
    assert X["shop"].isna().tolist() == [True, True, False]
    proba = pipeline.predict_proba(rows)[:, 1]
    assert proba[0] == pytest.approx(proba[1]) and np.isfinite(proba).all()


def test_native_categories_score_at_least_as_well_as_integer_codes():
    frame = shops(2000, levels=25)
    ours = cv_auc(frame, "bought", "lgbm")
    settings = TrainSettings(target="bought", models=("lgbm",), folds=3, importance=False, ensemble=False,
                             auto_test=False, preprocessing=PreprocessSettings(native_categories=False))
    codes = by_model(train(frame, settings), "lgbm").metrics["roc_auc"]
    assert ours >= codes - 0.005


# -- names of the original columns, bundles -------------------------------------------------------------------

def test_importance_and_reasons_name_the_original_text_column():
    frame = passengers(600).assign(ads=ad_lists(600)["ads"])
    result = train(frame, TrainSettings(target="survived", models=("lgbm",), folds=3, ensemble=False,
                                        auto_test=False))
    importance = {row["feature"]: row for row in by_model(result, "lgbm").importance}
    assert set(importance) == {"fare", "name", "ads"}
    assert importance["name"]["permutation_mean"] > importance["ads"]["permutation_mean"]
    assert importance["name"]["model_importance"] > 0
    pipeline = by_model(result, "lgbm").pipeline
    X = frame.drop(columns=["survived", "ticket"])
    sidecar = {"task": "binary", "classes": [0, 1], "contract": build_contract(X, result.roles), "target": "survived"}
    found = contributions(pipeline, sidecar, check_input(X.head(20), sidecar["contract"]).frame)
    assert list(found.values.columns) == ["fare", "ads", "name"]
    assert found.values["name"].abs().mean() > found.values["ads"].abs().mean()


@pytest.mark.parametrize("model", ["linear", "lgbm"])
def test_a_model_with_text_and_token_columns_is_saved_and_predicts_from_its_bundle(ws, model):
    frame = passengers(400).assign(ads=ad_lists(400)["ads"])
    ds = ws.save_frame(frame, "승객")
    outcome = train_dataset(ws, ds.dataset_id, TrainSettings(target="survived", models=(model,), folds=2,
                                                             importance=False, ensemble=False))
    run_id = outcome.run_ids[model]
    rows = frame.drop(columns="survived").head(30)
    rows.loc[0, "name"] = "Nobody, Dr. Unheard Of"
    rows.loc[1, "ads"] = None
    first = predict(ws, run_id, rows).frame
    again = predict(ws, run_id, rows).frame
    pd.testing.assert_frame_equal(first, again)
    assert len(first) == 30 and first.filter(like="survived").notna().all().all()
    notes = ws.run(run_id).settings["notes"]
    assert any("'name'" in n and ("words" in n or "글(단어)" in n) for n in notes)


def test_the_cli_train_output_says_how_the_text_and_code_columns_were_used(data_dir, tmp_path, capsys):
    from core.cli import main

    frame = passengers(200).assign(ads=ad_lists(200)["ads"])
    table = tmp_path / "passengers.csv"
    frame.to_csv(table, index=False)
    assert main(["--user", "alice", "ingest", str(table), "--name", "passengers"]) == 0
    capsys.readouterr()
    assert main(["--user", "alice", "train", "passengers", "--target", "survived", "--models", "linear",
                 "--folds", "2", "--lang", "ko"]) == 0
    printed = capsys.readouterr().out
    assert "note: 'name'은 글(단어)로 사용합니다" in printed  # in the language asked for, like the result sentence
    assert "note: 'ads'는 코드 목록으로 사용합니다" in printed
    assert "'ticket'" in printed  # left out, and said so
    assert main(["--user", "alice", "train", "passengers", "--target", "survived", "--models", "linear",
                 "--folds", "2"]) == 0
    printed = capsys.readouterr().out
    assert "note: Column 'name' is used as words (text)" in printed  # English without --lang


def test_the_cli_turns_native_categories_off_and_the_run_keeps_the_choice(data_dir, tmp_path, capsys):
    from core.cli import main
    from storage.workspace import Workspace

    table = tmp_path / "passengers.csv"
    passengers(200).to_csv(table, index=False)
    assert main(["--user", "alice", "ingest", str(table), "--name", "passengers"]) == 0
    for flag, expected in (("--no-native-categories", False), ("--native-categories", True)):
        assert main(["--user", "alice", "train", "passengers", "--target", "survived", "--models", "lgbm",
                     "--folds", "2", "--no-ensemble", flag]) == 0
        lgbm = [r for r in Workspace("alice").runs() if r.model == "lgbm"]
        assert lgbm[0].settings["preprocessing"]["native_categories"] is expected
        capsys.readouterr()
