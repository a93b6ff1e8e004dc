"""The charts of a run: their numbers match scikit-learn's and they say what they show, in the reader's words."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import average_precision_score, roc_auc_score

from core.runs import charts as run_charts
from core.runs.learning import compare_learning_figure
from core.runs.records import RunDetails
from storage.workspace import Run
from texts.runs import STRINGS


def english(key: str, **values) -> str:
    text = STRINGS[key]["en"]
    return text.format(**values) if values else text


def korean(key: str, **values) -> str:
    text = STRINGS[key]["ko"]
    return text.format(**values) if values else text


def classifier_oof(n: int = 600, n_classes: int = 2, seed: int = 0, skill: float = 1.5) -> pd.DataFrame:
    """Out-of-fold predictions of a decent classifier: probabilities leaning towards the true class."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, n_classes, n)
    logits = rng.normal(size=(n, n_classes))
    logits[np.arange(n), y] += skill
    proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    frame = pd.DataFrame({"row": np.arange(n), "fold": np.arange(n) % 3, "y_true": y, "y_pred": proba.argmax(1)})
    for j in range(n_classes):
        frame[f"proba_{j}"] = proba[:, j]
    return frame


def regression_oof(n: int = 400, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    actual = rng.normal(50, 10, n)
    return pd.DataFrame({"row": np.arange(n), "fold": np.arange(n) % 5, "y_true": actual,
                         "y_pred": actual + rng.normal(0, 3, n)})


def fake_run(task: str, classes=None, run_id: str = "abc123", model: str = "rf") -> Run:
    from datetime import datetime

    return Run(run_id, "ds1", "students", 1, "grade", task, model, "finished", "roc_auc", {}, {"classes": classes},
               1.0, None, datetime(2025, 3, 5, 14, 5))


def test_confusion_matrix_counts_each_actual_and_predicted_pair():
    oof = pd.DataFrame({"y_true": [0, 0, 0, 1, 1, 2], "y_pred": [0, 0, 1, 1, 1, 0]})
    counts = run_charts.confusion_counts(oof, 3)
    assert counts.tolist() == [[2, 1, 0], [0, 2, 0], [1, 0, 0]]
    shares = run_charts.normalise_rows(counts)
    assert shares[0].tolist() == pytest.approx([2 / 3, 1 / 3, 0])
    assert shares.sum(axis=1).tolist() == pytest.approx([1, 1, 1])


def test_confusion_figure_names_the_classes_and_writes_the_counts_in_the_cells():
    oof = pd.DataFrame({"y_true": [0, 0, 1, 1], "y_pred": [0, 1, 1, 1]})
    counts = run_charts.confusion_counts(oof, 2)
    fig = run_charts.confusion_figure(counts, ["no", "yes"], english)
    heat = fig.data[0]
    assert list(heat.x) == ["no", "yes"] and list(heat.y) == ["no", "yes"]
    assert [list(r) for r in heat.text] == [["1", "1"], ["0", "2"]]
    assert fig.layout.xaxis.title.text == "Predicted" and fig.layout.yaxis.title.text == "Actual"
    share = run_charts.confusion_figure(counts, ["no", "yes"], english, normalised=True)
    assert [list(r) for r in share.data[0].text] == [["50.0%", "50.0%"], ["0.0%", "100.0%"]]
    assert "share" in share.layout.title.text


def test_binary_roc_and_pr_areas_are_scikit_learns_for_the_positive_class():
    oof = classifier_oof(n_classes=2)
    roc = run_charts.roc_curves(oof, ["fail", "pass"])
    pr = run_charts.pr_curves(oof, ["fail", "pass"])
    assert [c.label for c in roc] == ["pass"] and [c.label for c in pr] == ["pass"]
    assert roc[0].score == pytest.approx(roc_auc_score(oof["y_true"], oof["proba_1"]))
    assert pr[0].score == pytest.approx(average_precision_score(oof["y_true"], oof["proba_1"]))
    assert 0.75 < roc[0].score < 1.0
    assert roc[0].x[0] == 0 and roc[0].x[-1] == 1 and roc[0].y[-1] == 1
    assert pr[0].x[0] == pytest.approx(0) and pr[0].x[-1] == pytest.approx(1)


def test_multiclass_curves_are_one_vs_rest_per_class():
    oof = classifier_oof(n=900, n_classes=3, seed=1)
    classes = ["A", "B", "C"]
    roc = run_charts.roc_curves(oof, classes)
    assert [c.label for c in roc] == classes
    for code, curve in enumerate(roc):
        assert curve.score == pytest.approx(roc_auc_score(oof["y_true"] == code, oof[f"proba_{code}"]))
    fig = run_charts.roc_figure(roc, english)
    names = [trace.name for trace in fig.data]
    assert names[0] == "Guessing"
    assert names[1] == f"A (AUC {roc[0].score:.3f})"
    micro = run_charts.micro_roc(oof, classes)
    onehot = np.eye(3)[oof["y_true"]].ravel()
    pooled = oof[["proba_0", "proba_1", "proba_2"]].to_numpy().ravel()
    assert micro.score == pytest.approx(roc_auc_score(onehot, pooled))


def test_a_class_missing_from_the_predictions_gets_no_curve_rather_than_an_error():
    oof = classifier_oof(n=300, n_classes=3)
    oof = oof[oof["y_true"] != 2]
    curves = run_charts.roc_curves(oof, ["A", "B", "C"])
    assert [c.label for c in curves] == ["A", "B"]


def test_calibration_of_honest_probabilities_follows_the_diagonal():
    rng = np.random.default_rng(3)
    p = rng.uniform(0, 1, 20_000)
    y = (rng.uniform(0, 1, p.size) < p).astype(int)
    oof = pd.DataFrame({"y_true": y, "y_pred": (p > 0.5).astype(int), "proba_0": 1 - p, "proba_1": p})
    (curve,) = run_charts.calibration_curves(oof, [0, 1])
    assert len(curve.x) == run_charts.CALIBRATION_BINS
    assert np.abs(curve.x - curve.y).max() < 0.05
    assert curve.score == pytest.approx(np.mean((p - y) ** 2))
    overconfident = oof.assign(proba_1=np.where(p > 0.5, 1.0, 0.0), proba_0=np.where(p > 0.5, 0.0, 1.0))
    (bad,) = run_charts.calibration_curves(overconfident, [0, 1])
    assert bad.score > curve.score + 0.05


def test_long_curves_are_thinned_but_keep_their_ends_and_area():
    oof = classifier_oof(n=20_000, n_classes=2, skill=0.8)
    (curve,) = run_charts.roc_curves(oof)
    assert len(curve.x) <= run_charts.MAX_CURVE_POINTS
    assert (curve.x[0], curve.y[0], curve.x[-1], curve.y[-1]) == (0, 0, 1, 1)
    assert curve.score == pytest.approx(roc_auc_score(oof["y_true"], oof["proba_1"]))


def test_predicted_vs_actual_samples_big_tables_and_says_so():
    oof = regression_oof(n=10_000)
    fig = run_charts.predicted_actual_figure(oof, english, target="score")
    points = fig.data[1]
    assert len(points.x) == run_charts.MAX_SCATTER_POINTS
    assert "3,000 of 10,000 rows shown" in fig.layout.title.text
    assert fig.layout.xaxis.title.text == "Actual score"
    small = run_charts.predicted_actual_figure(regression_oof(n=50), english)
    assert len(small.data[1].x) == 50 and "shown" not in small.layout.title.text


def test_residuals_are_actual_minus_predicted_and_the_histogram_counts_every_row():
    oof = pd.DataFrame({"y_true": [10.0, 20.0, 30.0], "y_pred": [12.0, 20.0, 25.0]})
    fig = run_charts.residuals_figure(oof, english)
    scatter, histogram = fig.data[0], fig.data[1]
    assert list(scatter.y) == [-2.0, 0.0, 5.0]
    assert list(scatter.x) == [12.0, 20.0, 25.0]
    assert list(histogram.y) == [-2.0, 0.0, 5.0]


def test_importance_bars_show_the_top_twenty_largest_first_with_fold_spread():
    importance = pd.DataFrame({"feature": [f"f{i}" for i in range(30)], "model_importance": np.linspace(0, 1, 30),
                               "permutation_mean": np.linspace(1, 0, 30), "permutation_std": np.full(30, 0.01)})
    fig = run_charts.importance_figure(importance, "permutation_mean", english, std_column="permutation_std")
    bars = fig.data[0]
    assert len(bars.y) == 20 and bars.y[0] == "f0" and bars.y[-1] == "f19"
    assert list(bars.x) == sorted(bars.x, reverse=True)
    assert list(bars.error_x.array) == [0.01] * 20
    assert fig.layout.title.text == "Permutation importance (top 20)"
    model = run_charts.importance_figure(importance, "model_importance", english)
    assert model.data[0].y[0] == "f29"


def test_learning_curve_draws_training_and_validation_per_round():
    curve = pd.DataFrame({"step": [0, 1, 2, 0, 1, 2], "split": ["train"] * 3 + ["valid"] * 3,
                          "metric": ["logloss"] * 6, "value": [0.6, 0.4, 0.3, 0.65, 0.5, 0.48]})
    fig = run_charts.learning_curve_figure(curve, english)
    assert [t.name for t in fig.data] == ["Training", "Validation"]
    assert list(fig.data[1].x) == [1, 2, 3] and list(fig.data[1].y) == [0.65, 0.5, 0.48]
    assert fig.layout.yaxis.title.text == "Error of the stated chances (log loss, lower is better)"


def test_learning_curves_of_a_loss_and_a_negative_score_never_share_an_axis():
    logloss = pd.DataFrame({"step": [0, 1, 2], "split": ["valid"] * 3, "metric": ["binary_logloss"] * 3,
                            "value": [0.6, 0.5, 0.45]})
    score = pd.DataFrame({"step": [0, 1, 2], "split": ["valid"] * 3, "metric": ["score"] * 3,
                          "value": [-0.9, -0.7, -0.6]})
    l2 = pd.DataFrame({"step": [0, 1], "split": ["valid"] * 2, "metric": ["l2"] * 2, "value": [30.0, 20.0]})
    fig = compare_learning_figure({"lgbm": logloss, "hgb": score, "lgbm2": l2}, english)
    axes = {trace.name: trace.yaxis for trace in fig.data}
    assert len({axes["lgbm"], axes["hgb"], axes["lgbm2"]}) == 3
    assert all(min(trace.y) > 0 for trace in fig.data)  # the turned score is a positive error again
    titles = [fig.layout[name].title.text for name in fig.layout if name.startswith("yaxis")]
    assert all(title and "lower is better" in title for title in titles)
    assert not any(title in {"binary_logloss", "score", "l2", "Value"} for title in titles)


def test_compare_charts_draw_one_series_per_run():
    table = pd.DataFrame({"run_id": ["r1", "r2"], "model": ["rf", "linear"], "valid_accuracy": [0.9, 0.8],
                          "std_accuracy": [0.01, 0.02], "valid_roc_auc": [0.95, 0.85], "std_roc_auc": [0.0, 0.03]})
    fig = run_charts.compare_metrics_figure(table, ["accuracy", "roc_auc"], {"accuracy": "Accuracy", "roc_auc": "AUC"},
                                            {"r1": "Random forest", "r2": "Linear"}, english)
    assert [t.name for t in fig.data] == ["Random forest", "Linear"]
    assert list(fig.data[0].x) == ["Accuracy", "AUC"] and list(fig.data[1].y) == [0.8, 0.85]
    assert list(fig.data[1].error_y.array) == [0.02, 0.03]
    strong, weak = classifier_oof(skill=3.0), classifier_oof(skill=0.5)
    curves = {"strong": run_charts.micro_roc(strong), "weak": run_charts.micro_roc(weak)}
    roc = run_charts.compare_curves_figure(curves, "roc", english)
    names = [t.name for t in roc.data[1:]]
    assert names[0].startswith("strong (AUC") and names[1].startswith("weak (AUC")
    assert curves["strong"].score > curves["weak"].score
    folds = run_charts.fold_figure({"strong": [0.9, 0.92, 0.91], "weak": [0.6, 0.7, 0.65]}, "AUC", english)
    assert [list(t.y) for t in folds.data] == [[0.9, 0.92, 0.91], [0.6, 0.7, 0.65]]


def test_run_figures_pick_the_charts_of_the_task_in_the_readers_language():
    classifier = RunDetails(fake_run("binary", ["no", "yes"]), oof=classifier_oof(),
                            importance=pd.DataFrame({"feature": ["a", "b"], "model_importance": [0.7, 0.3],
                                                     "permutation_mean": [None, None],
                                                     "permutation_std": [None, None]}))
    figures = run_charts.run_figures(classifier, korean)
    assert list(figures) == ["confusion_counts", "confusion_normalised", "roc", "pr", "calibration", "importance_model"]
    assert figures["roc"].layout.title.text == "ROC 곡선"
    assert list(figures["confusion_counts"].data[0].x) == ["no", "yes"]
    regression = RunDetails(fake_run("regression"), oof=regression_oof())
    assert list(run_charts.run_figures(regression, english)) == ["predicted_actual", "residuals"]
    assert run_charts.run_figures(RunDetails(fake_run("binary")), english) == {}


def test_a_target_of_many_classes_shows_the_top_20_and_other():
    rng = np.random.default_rng(0)
    n_classes = 60
    truth = rng.integers(0, n_classes, 3000)
    counts = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(counts, (truth, truth), 1)
    labels = [f"school {i}" for i in range(n_classes)]
    fig = run_charts.confusion_figure(counts, labels, english)
    shown = list(fig.data[0].y)
    assert len(shown) == 21 and shown[-1] == "other"
    assert np.asarray(fig.data[0].z).sum() == 3000  # nothing lost, only grouped
    few = run_charts.confusion_figure(counts[:5, :5], labels[:5], english)
    assert list(few.data[0].y) == labels[:5]
