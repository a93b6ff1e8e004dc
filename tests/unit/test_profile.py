"""The Explore statistics, checked against pandas and scipy on small tables with missing values,
a single-valued column, an empty column, dates, text and duplicates."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from core import explore as P
from core.errors import TargetError
from core.train import infer_task as training_infer_task
from storage.stats import UnknownColumn, open_stats
from storage.workspace import Workspace

N = 400


def mixed_frame(n: int = N, seed: int = 3) -> pd.DataFrame:
    """Numbers (with missing values, skewed, few whole numbers), a constant, an empty column, a category
    with missing values, booleans, timestamps, dates, free text, an id, a leak and a target."""
    rng = np.random.default_rng(seed)
    y = rng.random(n) < 0.35
    num_a = rng.normal(10, 2, n) + 1.5 * y
    num_a[rng.random(n) < 0.1] = np.nan
    cat = rng.choice(np.array(["north", "south", "east", "west"], dtype=object), n, p=[0.4, 0.3, 0.2, 0.1])
    cat = np.where(y & (rng.random(n) < 0.5), "north", cat).astype(object)
    cat[rng.random(n) < 0.05] = None
    words = np.array(["the", "lesson", "was", "fun", "hard", "long", "and", "clear", "math", "today"])
    text = [" ".join(rng.choice(words, rng.integers(4, 12))) + f" {i}" for i in range(n)]
    return pd.DataFrame({
        "num_a": num_a,
        "num_b": rng.lognormal(0, 1.2, n),
        "ints": rng.integers(0, 10, n),
        "const": np.full(n, 7.0),
        "empty": np.full(n, np.nan),
        "cat": cat,
        "flag": rng.random(n) < 0.5,
        "when": pd.Timestamp("2021-01-01") + pd.to_timedelta(rng.integers(0, 3 * 365 * 24, n), unit="h"),
        "day": pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D"),
        "comment": text,
        "row_id": np.arange(n),
        "leak": np.where(y, "Y", "N"),
        "noise": rng.normal(size=n),
        "label": np.where(y, "yes", "no"),
    })


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """The mixed table (with three duplicated rows) stored once for the whole module."""
    frame = mixed_frame()
    frame = pd.concat([frame, frame.iloc[:3]], ignore_index=True)
    ws = Workspace("alice", tmp_path_factory.mktemp("data"))
    ds = ws.save_frame(frame, "mixed")
    prof = P.profile_dataset(ws, ds.dataset_id)
    return ws, ds, frame, prof


@pytest.fixture(scope="module")
def classified(stored):
    ws, ds, frame, prof = stored
    return P.analyse_target(ws, ds.dataset_id, prof, "label")


def test_counts_missing_and_distinct_match_pandas(stored):
    _, _, frame, prof = stored
    assert prof.rows == len(frame)
    assert prof.missing_cells == int(frame.isna().sum().sum())
    for c in prof.columns:
        assert c.count == frame[c.name].count(), c.name
        assert c.missing == frame[c.name].isna().sum(), c.name
        assert c.unique == frame[c.name].nunique() and c.unique_exact, c.name
    kinds = {c.name: c.kind for c in prof.columns}
    assert kinds == {"num_a": "number", "num_b": "number", "ints": "number", "const": "number",
                     "empty": "number", "cat": "category", "flag": "category", "when": "date", "day": "date",
                     "comment": "text", "row_id": "number", "leak": "category", "noise": "number",
                     "label": "category"}


@pytest.mark.parametrize("name", ["num_a", "num_b", "ints", "noise"])
def test_numeric_summary_matches_pandas(stored, name):
    _, _, frame, prof = stored
    s = frame[name]
    n = prof.column(name).number
    expected = {"mean": s.mean(), "std": s.std(), "min": s.min(), "q1": s.quantile(0.25),
                "median": s.median(), "q3": s.quantile(0.75), "max": s.max(), "skew": s.skew()}
    for key, value in expected.items():
        assert getattr(n, key) == pytest.approx(value, rel=1e-9, abs=1e-12), key
    assert n.all_integer == (name == "ints")


def test_single_valued_and_empty_columns_are_flagged_and_skip_meaningless_figures(stored):
    _, _, _, prof = stored
    const, empty = prof.column("const"), prof.column("empty")
    assert const.flags == ["constant"] and const.number.std == 0 and const.number.skew is None
    assert const.histogram.counts == [N + 3]
    assert empty.flags == ["empty"] and empty.number is None and empty.histogram is None
    found = {(f.code, f.column): f for f in prof.findings}
    assert found["constant", "const"].values["value"] == "7"
    assert ("empty", "empty") in found


def test_histogram_counts_and_box_whiskers_match_numpy(stored):
    _, _, frame, prof = stored
    for name in ("num_a", "num_b"):
        c = prof.column(name)
        values = frame[name].dropna().to_numpy()
        expected, _ = np.histogram(values, bins=np.asarray(c.histogram.edges))
        assert c.histogram.counts == expected.tolist()
        q1, q3 = np.quantile(values, [0.25, 0.75])
        inside = values[(values >= q1 - 1.5 * (q3 - q1)) & (values <= q3 + 1.5 * (q3 - q1))]
        assert (c.box.low, c.box.high) == (inside.min(), inside.max())
        assert c.box.outliers == len(values) - len(inside)
    ints = prof.column("ints")
    assert ints.histogram.integer_bars and ints.histogram.counts == \
        frame["ints"].value_counts().reindex(range(10), fill_value=0).tolist()


def test_top_values_and_rare_bucket_match_value_counts(stored):
    _, _, frame, prof = stored
    cat = prof.column("cat")
    counts = frame["cat"].value_counts()
    assert cat.top == list(zip(counts.index, counts.tolist()))
    assert cat.other_count == 0 and cat.other_levels == 0
    flag = prof.column("flag")
    assert dict(flag.top) == {str(k).lower(): v for k, v in frame["flag"].value_counts().items()}


def test_rare_bucket_counts_the_rows_beyond_the_top_values(ws):
    values = [f"level_{i:02d}" for i in range(15) for _ in range(15 - i)]
    ds = ws.save_frame(pd.DataFrame({"v": values}), "levels")
    c = P.profile_dataset(ws, ds.dataset_id).column("v")
    assert [n for _, n in c.top] == list(range(15, 5, -1))
    assert c.other_count == sum(range(1, 6)) and c.other_levels == 5


def test_date_parts_match_pandas(stored):
    _, _, frame, prof = stored
    when = prof.column("when")
    assert set(when.date_parts) == {"year", "month", "weekday", "hour"}
    s = frame["when"]
    for part, series in [("year", s.dt.year), ("month", s.dt.month), ("weekday", s.dt.day_of_week + 1),
                         ("hour", s.dt.hour)]:
        assert when.date_parts[part] == sorted(series.value_counts().items()), part
    assert (when.first, when.last) == (str(s.min()), str(s.max()))
    assert "hour" not in prof.column("day").date_parts  # midnight timestamps: hours say nothing


def test_text_lengths_match_pandas(stored):
    _, _, frame, prof = stored
    lengths = prof.column("comment").lengths
    chars, words = frame["comment"].str.len(), frame["comment"].str.split().str.len()
    assert lengths["characters"].mean == pytest.approx(chars.mean())
    assert (lengths["characters"].min, lengths["characters"].max) == (chars.min(), chars.max())
    assert lengths["words"].median == pytest.approx(words.median())
    assert (lengths["words"].min, lengths["words"].max) == (words.min(), words.max())


def test_duplicate_rows_match_pandas(stored):
    _, _, frame, prof = stored
    assert prof.duplicate_rows == frame.duplicated().sum() == 3
    assert prof.findings[0].code == "duplicates" and prof.findings[0].values["n"] == 3


def test_duplicates_ignore_rows_that_only_share_a_hash_prefix(ws):
    frame = pd.DataFrame({"a": [1, 1, 2, 2, None, None], "b": ["x", "x", "y", "z", None, None]})
    ds = ws.save_frame(frame, "dups")
    assert P.profile_dataset(ws, ds.dataset_id).duplicate_rows == frame.duplicated().sum() == 2


def test_flags_identifier_skew_and_high_cardinality(stored, ws):
    _, _, _, prof = stored
    flags = {c.name: c.flags for c in prof.columns}
    assert flags["row_id"] == ["identifier"]
    assert flags["num_b"] == ["skewed"]
    assert flags["num_a"] == flags["noise"] == flags["cat"] == []
    rng = np.random.default_rng(0)
    ds = ws.save_frame(pd.DataFrame({"code": [f"c{i}" for i in rng.integers(0, 80, 2000)]}), "codes")
    assert P.profile_dataset(ws, ds.dataset_id).column("code").flags == ["high_cardinality"]


def test_correlation_matrices_match_pandas_with_missing_values(stored):
    _, _, frame, prof = stored
    corr = prof.correlations
    assert corr.columns == ["num_a", "num_b", "ints", "noise"]  # no constant, empty or identifier column
    expected_pearson = frame[corr.columns].corr()
    expected_spearman = frame[corr.columns].corr(method="spearman")
    np.testing.assert_allclose(np.array(corr.pearson, dtype=float), expected_pearson.to_numpy(), rtol=1e-9)
    np.testing.assert_allclose(np.array(corr.spearman, dtype=float), expected_spearman.to_numpy(), rtol=1e-9)
    assert corr.pairs[0][1] == frame[["num_a", "num_b"]].dropna().shape[0]
    assert corr.sample_rows == len(frame)


def test_chi_square_and_cramers_v_match_scipy():
    for table in ([[12, 30], [25, 8]], [[10, 20, 30, 5], [6, 9, 40, 2], [30, 1, 7, 12]]):
        chi2, p, dof, v = P.chi_square(table)
        expected = sps.chi2_contingency(table, correction=False)
        assert (chi2, p, dof) == pytest.approx((expected.statistic, expected.pvalue, expected.dof), rel=1e-10)
        assert v == pytest.approx(sps.contingency.association(np.array(table), method="cramer"), rel=1e-10)
    assert math.isnan(P.chi_square([[5, 6]])[0])  # a single level: nothing to test


def test_anova_from_group_moments_matches_scipy():
    rng = np.random.default_rng(1)
    groups = [rng.normal(m, 1.5, n) for m, n in ((0, 30), (0.8, 45), (0.3, 12))]
    f, p, df1, df2, eta2 = P.anova([len(g) for g in groups], [g.mean() for g in groups], [g.var() for g in groups])
    expected = sps.f_oneway(*groups)
    assert (f, p) == pytest.approx((expected.statistic, expected.pvalue), rel=1e-10)
    everything = np.concatenate(groups)
    between = sum(len(g) * (g.mean() - everything.mean()) ** 2 for g in groups)
    assert (df1, df2) == (2, len(everything) - 3)
    assert eta2 == pytest.approx(between / ((everything - everything.mean()) ** 2).sum())


def test_kruskal_wallis_matches_scipy_with_ties_and_missing_values():
    rng = np.random.default_rng(2)
    values = np.round(rng.normal(size=300), 1)  # many ties
    groups = rng.choice(["a", "b", "c"], 300)
    values[groups == "b"] += 0.3
    values[::17] = np.nan
    h, p, dof, eps2 = P.kruskal_wallis(values, groups)
    keep = ~np.isnan(values)
    expected = sps.kruskal(*[values[keep & (groups == g)] for g in ("a", "b", "c")])
    assert (h, p, dof) == pytest.approx((expected.statistic, expected.pvalue, 2), rel=1e-10)
    assert eps2 == pytest.approx(h / (keep.sum() - 1))


def test_correlations_and_p_values_match_scipy():
    rng = np.random.default_rng(4)
    x = rng.normal(size=200)
    y = np.round(0.4 * x + rng.normal(size=200), 1)
    x[::13] = np.nan
    rho, p, n = P.spearman(x, y)
    keep = ~np.isnan(x)
    expected = sps.spearmanr(x[keep], y[keep])
    assert (rho, p, n) == pytest.approx((expected.statistic, expected.pvalue, keep.sum()), rel=1e-9)
    r = np.corrcoef(x[keep], y[keep])[0, 1]
    assert P.correlation_p_value(r, int(keep.sum())) == pytest.approx(sps.pearsonr(x[keep], y[keep]).pvalue,
                                                                      rel=1e-9)


def test_classification_tests_match_scipy(stored, classified):
    _, _, frame, _ = stored
    tests = {(t.feature, t.part, t.test): t for t in classified.tests}
    y = frame["label"]

    table = pd.crosstab(frame["cat"], y)
    chi = tests["cat", None, "chi2"]
    expected = sps.chi2_contingency(table, correction=False)
    assert (chi.statistic, chi.p_value) == pytest.approx((expected.statistic, expected.pvalue), rel=1e-9)
    assert chi.effect_size == pytest.approx(sps.contingency.association(table.to_numpy(), method="cramer"))
    assert chi.n == table.to_numpy().sum()

    month = tests["when", "month", "chi2"]
    expected = sps.chi2_contingency(pd.crosstab(frame["when"].dt.month, y), correction=False)
    assert month.statistic == pytest.approx(expected.statistic, rel=1e-9)

    groups = [g.dropna() for _, g in frame["num_a"].groupby(y)]
    anova = tests["num_a", None, "anova"]
    assert (anova.statistic, anova.p_value) == pytest.approx(tuple(sps.f_oneway(*groups)), rel=1e-9)
    kruskal = tests["num_a", None, "kruskal"]
    assert (kruskal.statistic, kruskal.p_value) == pytest.approx(tuple(sps.kruskal(*groups)), rel=1e-9)
    assert not kruskal.on_sample  # the table fits in the sample: every row was used


def test_classification_tests_are_ranked_and_explained(classified):
    tests = classified.tests
    order = [P.STRENGTHS.index(t.strength) for t in tests]
    assert order == sorted(order)
    strengths = {(t.feature, t.test): t.strength for t in tests}
    assert strengths["leak", "chi2"] == "strong"
    assert strengths["noise", "anova"] == "none"
    assert strengths["num_a", "anova"] in ("moderate", "strong")
    tested = {t.feature for t in tests}
    assert not tested & {"const", "empty", "row_id", "comment", "label"}  # nothing meaningful to test


def test_a_column_that_gives_the_answer_away_is_flagged_and_not_suggested(classified):
    assert classified.leaks == ["leak"]
    assert any(f.code == "leak" and f.column == "leak" for f in classified.findings)
    suggested = classified.suggested_features()
    assert "leak" not in suggested and "noise" not in suggested
    assert {"num_a", "cat"} <= set(suggested)


def test_numeric_leak_is_found_through_the_sample(ws):
    rng = np.random.default_rng(5)
    y = rng.random(500) < 0.5
    frame = pd.DataFrame({"score_after": np.where(y, 80, 40) + rng.normal(0, 3, 500),
                          "hours": rng.normal(5, 1, 500) + y, "passed": np.where(y, "yes", "no")})
    ds = ws.save_frame(frame, "exam")
    prof = P.profile_dataset(ws, ds.dataset_id)
    assert P.analyse_target(ws, ds.dataset_id, prof, "passed").leaks == ["score_after"]


def test_class_distribution_and_imbalance_advice(classified, stored):
    _, _, frame, _ = stored
    counts = frame["label"].value_counts()
    assert classified.task == "binary"
    assert classified.classes == list(zip(counts.index, counts.tolist()))
    assert classified.imbalance_ratio == pytest.approx(counts.max() / counts.min())
    assert {f.code for f in classified.findings} >= {"mild_imbalance", "leak"}


def test_severe_imbalance_and_tiny_classes_are_explained(ws):
    frame = pd.DataFrame({"x": range(500), "y": ["common"] * 495 + ["rare"] * 5})
    ds = ws.save_frame(frame, "rare")
    analysis = P.analyse_target(ws, ds.dataset_id, P.profile_dataset(ws, ds.dataset_id), "y")
    codes = {f.code: f for f in analysis.findings}
    assert codes["severe_imbalance"].values["ratio"] == 99 and codes["severe_imbalance"].values["smallest"] == "rare"
    assert codes["tiny_classes"].values["classes"] == "rare"


def test_regression_tests_match_scipy(stored):
    ws, ds, frame, prof = stored
    analysis = P.analyse_target(ws, ds.dataset_id, prof, "num_b")
    assert analysis.task == "regression" and analysis.classes is None
    assert analysis.number.mean == pytest.approx(frame["num_b"].mean())
    tests = {(t.feature, t.part, t.test): t for t in analysis.tests}
    both = frame[["num_a", "num_b"]].dropna()
    pearson = tests["num_a", None, "pearson"]
    expected = sps.pearsonr(both["num_a"], both["num_b"])
    assert (pearson.statistic, pearson.p_value, pearson.n) == pytest.approx(
        (expected.statistic, expected.pvalue, len(both)), rel=1e-9)
    spearman = tests["num_a", None, "spearman"]
    assert spearman.statistic == pytest.approx(sps.spearmanr(both["num_a"], both["num_b"]).statistic, rel=1e-9)
    groups = [g for _, g in frame["num_b"].groupby(frame["cat"])]
    anova = tests["cat", None, "anova"]
    assert (anova.statistic, anova.p_value) == pytest.approx(tuple(sps.f_oneway(*groups)), rel=1e-9)
    kruskal = tests["cat", None, "kruskal"]
    assert kruskal.statistic == pytest.approx(sps.kruskal(*groups).statistic, rel=1e-9)


def test_rare_levels_are_pooled_in_the_anova_of_a_numeric_target(ws):
    rng = np.random.default_rng(6)
    levels = np.array([f"l{i}" for i in range(80)])
    frame = pd.DataFrame({"level": levels[rng.integers(0, 80, 3000)], "y": rng.normal(size=3000)})
    frame["y"] += frame["level"].str[1:].astype(int) / 40
    ds = ws.save_frame(frame, "levels")
    analysis = P.analyse_target(ws, ds.dataset_id, P.profile_dataset(ws, ds.dataset_id), "y")
    anova = next(t for t in analysis.tests if t.test == "anova")
    # The most frequent levels, ties broken by name, are kept; the rest are pooled into one group.
    counts = frame["level"].value_counts().sort_index().sort_values(ascending=False, kind="stable")
    top = counts.index[:P.MAX_TEST_LEVELS]
    pooled = frame["level"].where(frame["level"].isin(top), "other")
    expected = sps.f_oneway(*[g for _, g in frame["y"].groupby(pooled)])
    assert "grouped_levels" in anova.notes and anova.dof == f"{P.MAX_TEST_LEVELS},{3000 - P.MAX_TEST_LEVELS - 1}"
    assert anova.statistic == pytest.approx(expected.statistic, rel=1e-9)


@pytest.mark.parametrize("column", ["label", "cat", "ints", "num_b", "flag"])
def test_task_is_inferred_as_training_infers_it(stored, column):
    _, _, frame, prof = stored
    assert P.infer_task(prof.column(column)) == training_infer_task(frame[column])


def test_targets_that_cannot_be_predicted_are_refused_with_a_message(stored):
    ws, ds, _, prof = stored
    with pytest.raises(TargetError, match="categories or numbers") as err:
        P.analyse_target(ws, ds.dataset_id, prof, "comment")
    assert err.value.key == "explore.error.target_kind"
    with pytest.raises(TargetError, match="no column 'nope'"):
        P.analyse_target(ws, ds.dataset_id, prof, "nope")
    with pytest.raises(TargetError, match="is missing"):
        P.analyse_target(ws, ds.dataset_id, prof, "empty")


def test_single_valued_target_says_there_is_nothing_to_predict(stored):
    ws, ds, _, prof = stored
    analysis = P.analyse_target(ws, ds.dataset_id, prof, "const")
    assert analysis.tests == [] and [f.code for f in analysis.findings] == ["target_single"]


def test_seeded_sample_is_repeatable_bounded_and_in_row_order(ws):
    ds = ws.save_frame(pd.DataFrame({"i": np.arange(5000)}), "big")
    with open_stats(ws, ds.dataset_id) as stats:
        first, again = stats.sample(["i"], 300, seed=1), stats.sample(["i"], 300, seed=1)
        other = stats.sample(["i"], 300, seed=2)
        everything = stats.sample(["i"], 10_000, seed=1)
    assert len(first) == 300 and first["i"].is_monotonic_increasing and first["i"].is_unique
    pd.testing.assert_frame_equal(first, again)
    assert set(first["i"]) != set(other["i"])
    assert everything["i"].tolist() == list(range(5000))
    assert 1500 < first["i"].mean() < 3500  # spread over the table, not its first rows


def test_huge_distinct_counts_are_marked_approximate(ws):
    ds = ws.save_frame(pd.DataFrame({"v": np.arange(3000) % 1000, "few": np.arange(3000) % 3}), "many")
    with open_stats(ws, ds.dataset_id) as stats:
        counts = stats.column_counts(exact_distinct_up_to=100, exact_rows=10)
    assert not counts["v"]["distinct_exact"] and abs(counts["v"]["distinct"] - 1000) < 100
    assert counts["few"] == dict(counts["few"], distinct=3, distinct_exact=True)


def test_awkward_column_names_are_quoted_never_executed(ws):
    name = 'a"; DROP TABLE datasets; --'
    frame = pd.DataFrame({name: [1.0, 2.0, 3.0, 4.0], "level": ["x", "y", "x", "y"], "other": [1, 2, 1, 3]})
    ds = ws.save_frame(frame, "awkward")
    prof = P.profile_dataset(ws, ds.dataset_id)
    assert prof.column(name).number.mean == 2.5
    analysis = P.analyse_target(ws, ds.dataset_id, prof, "level")
    assert {t.feature for t in analysis.tests} == {name, "other"}
    assert [d.name for d in ws.datasets()] == ["awkward"]


def test_a_column_that_does_not_exist_is_a_user_error(ws):
    ds = ws.save_frame(pd.DataFrame({"a": [1, 2]}), "small")
    with open_stats(ws, ds.dataset_id) as stats:
        for ask in (lambda: stats.value_counts("b", 5), lambda: stats.crosstab("a", "b"),
                    lambda: stats.sample(["a", "b"], 10)):
            with pytest.raises(UnknownColumn, match="Dataset 'small' has no column 'b'") as err:
                ask()
            assert err.value.key == "explore.error.unknown_column"


def test_the_users_chosen_column_types_win(ws):
    frame = pd.DataFrame({"school_year": np.tile([1, 2, 3], 40), "score": np.arange(120) * 0.5})
    ds = ws.save_frame(frame, "years")
    assert P.profile_dataset(ws, ds.dataset_id).column("school_year").kind == "number"
    ws.set_column_types(ds.dataset_id, {"school_year": "category"})
    column = P.profile_dataset(ws, ds.dataset_id).column("school_year")
    assert column.kind == "category" and column.top == [("1", 40), ("2", 40), ("3", 40)]


def test_profile_json_has_the_documented_shape(stored, classified):
    _, _, frame, prof = stored
    out = P.to_json(prof, classified)
    assert out["rows"] == len(frame)
    assert [c["name"] for c in out["columns"]] == list(frame.columns)
    assert {"name", "type", "missing", "unique"} <= set(out["columns"][0])
    assert out["target"]["name"] == "label" and out["target"]["task"] == "binary"
    assert out["target"]["distribution"] == frame["label"].value_counts().to_dict()
    assert {"feature", "test", "statistic", "p_value", "effect_size"} <= set(out["tests"][0])
