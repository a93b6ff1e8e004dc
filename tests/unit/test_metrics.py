"""The numpy metrics used inside permutation importance equal scikit-learn's."""
import numpy as np
import pytest

from core.train.metrics import binary_auc, fast_metric, metric_value
from core.train.settings import CLASSIFICATION_METRICS, REGRESSION_METRICS


@pytest.mark.parametrize("n_classes", [2, 3, 5])
@pytest.mark.parametrize("seed", range(5))
def test_classification_metrics_equal_sklearn(n_classes, seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, n_classes, 300)
    proba = rng.dirichlet(np.ones(n_classes), 300)
    proba[np.arange(300), y] += rng.random(300)  # make it informative
    proba /= proba.sum(axis=1, keepdims=True)
    pred = proba.argmax(axis=1)
    pred[:20] = n_classes - 1  # some systematic mistakes
    for name in CLASSIFICATION_METRICS:
        assert fast_metric(name, y, pred, proba) == pytest.approx(metric_value(name, y, pred, proba), abs=1e-12), name


@pytest.mark.parametrize("seed", range(5))
def test_regression_metrics_equal_sklearn(seed):
    rng = np.random.default_rng(seed)
    y = rng.normal(size=200) * 10
    pred = y + rng.normal(size=200)
    for name in REGRESSION_METRICS:
        assert fast_metric(name, y, pred) == pytest.approx(metric_value(name, y, pred), rel=1e-10), name


def test_auc_handles_ties_and_a_single_class():
    assert binary_auc(np.array([0, 1, 0, 1]), np.array([0.5, 0.5, 0.5, 0.5])) == 0.5
    assert np.isnan(binary_auc(np.array([1, 1]), np.array([0.2, 0.3])))


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("seed", range(3))
def test_kept_metrics_equal_sklearn_also_when_a_class_is_missing(n_classes, seed):
    """The metrics a run keeps (numpy) equal scikit-learn's, also on rows lacking a class or a prediction."""
    from core.train.metrics import compute_metrics

    rng = np.random.default_rng(seed)
    y = rng.integers(0, n_classes, 60)
    y[y == n_classes - 1] = 0  # the last class is absent from these rows
    proba = rng.dirichlet(np.ones(n_classes), 60)
    pred = proba.argmax(axis=1)
    kept = compute_metrics("binary" if n_classes == 2 else "multiclass", y, pred, proba)
    for name, value in kept.items():
        reference = metric_value(name, y, pred, proba)
        if np.isnan(reference):
            assert np.isnan(value), name
        else:
            assert value == pytest.approx(reference, abs=1e-12), name
