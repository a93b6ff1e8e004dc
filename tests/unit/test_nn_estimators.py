"""scikit-learn compatibility and pickle-free save / load of the nn estimators."""

import functools
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import estimator_checks_generator

from nn import estimators as nn
from nn.estimators import MLPClassifier, MLPRegressor, ModelFileError, ResNetClassifier, ResNetRegressor

SMALL = dict(epochs=20, batch_size=32, learning_rate=0.01, random_state=0)

CHECKED = [
    MLPClassifier(hidden_layer_sizes=(16,), **SMALL),
    MLPRegressor(hidden_layer_sizes=(16,), **SMALL),
    ResNetClassifier(n_blocks=1, width=16, block_hidden=16, **SMALL),
    ResNetRegressor(n_blocks=1, width=16, block_hidden=16, **SMALL),
    MLPClassifier(hidden_layer_sizes=(16, 8), batch_norm=True, dropout=0.1, dtype="float64", **SMALL),
    MLPRegressor(hidden_layer_sizes=(16,), loss="huber", dtype="float64", **SMALL),
    ResNetClassifier(n_blocks=1, width=16, block_hidden=16, dtype="float64", **SMALL),
    ResNetRegressor(n_blocks=1, width=16, block_hidden=16, dtype="float64", **SMALL),
]

# In float32, BLAS sums a row's dot products in a different order for different numbers of rows,
# so a prediction moves by ~1e-7 relative between a batch and a subset or reordering of it;
# sklearn's two invariance checks demand 1e-7 (float32 epsilon is 1.2e-7). The float64 instances
# run them as they are; the float32 ones run test_float32_predictions_do_not_depend_on_batch_or_order
# below, the same property at float32's precision.
FLOAT32_PRECISION_CHECKS = ("check_methods_subset_invariance", "check_methods_sample_order_invariance")
# Runs only when SCIPY_ARRAY_API=1 is set before scipy is imported, which would change scipy
# for every test in the session; test_array_api_dispatch_check runs it in a subprocess instead.
IN_SUBPROCESS = "check_array_api_input"


def check_name(check):
    func = check.func if isinstance(check, functools.partial) else check
    options = ",".join(f"{k}={v}" for k, v in getattr(check, "keywords", {}).items())
    return f"{func.__name__}({options})" if options else func.__name__


def estimator_checks():
    for estimator in CHECKED:
        for est, check in estimator_checks_generator(estimator):
            name = check_name(check)
            if name.startswith(IN_SUBPROCESS):
                continue
            if estimator.dtype == "float32" and name.startswith(FLOAT32_PRECISION_CHECKS):
                continue
            yield pytest.param(est, check, id=f"{type(est).__name__}-{est.dtype}-{name}")


@pytest.mark.parametrize("estimator", [e for e in CHECKED if e.dtype == "float32"],
                         ids=lambda e: type(e).__name__)
def test_float32_predictions_do_not_depend_on_batch_or_order(estimator):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 6)).astype("float32")
    y = (X[:, 0] + X[:, 1] > 0).astype(int) if hasattr(estimator, "predict_proba") else X[:, 0] * 2 + X[:, 1]
    model = clone(estimator).fit(X, y)
    methods = ["predict"] + (["predict_proba"] if hasattr(model, "predict_proba") else [])
    order = rng.permutation(len(X))
    for method in methods:
        whole = np.asarray(getattr(model, method)(X), dtype="float64")
        in_batches = np.concatenate([getattr(model, method)(X[i:i + 7]) for i in range(0, len(X), 7)])
        shuffled = np.asarray(getattr(model, method)(X[order]), dtype="float64")
        np.testing.assert_allclose(in_batches, whole, rtol=1e-5, atol=1e-6, err_msg=method)
        np.testing.assert_allclose(shuffled, whole[order], rtol=1e-5, atol=1e-6, err_msg=method)


@pytest.mark.parametrize("estimator, check", list(estimator_checks()))
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


def test_array_api_dispatch_check():
    code = (
        "from sklearn.utils.estimator_checks import check_array_api_input\n"
        "from nn import estimators as nn\n"
        "for cls in (nn.MLPClassifier, nn.MLPRegressor, nn.ResNetClassifier, nn.ResNetRegressor):\n"
        "    check_array_api_input(cls.__name__, cls(epochs=3, random_state=0),\n"
        "                          array_namespace='numpy', expect_only_array_outputs=False)\n"
        "print('passed')\n"
    )
    env = {**os.environ, "SCIPY_ARRAY_API": "1"}
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "passed"


# ---------------------------------------------------------------------------------------------
# Working with the rest of scikit-learn


def frame_data(n=240, seed=0):
    X, y = make_classification(n, 6, n_informative=4, n_classes=3, class_sep=2.0, random_state=seed)
    frame = pd.DataFrame(X, columns=[f"col_{i}" for i in range(6)])
    return frame, y


def test_feature_names_and_string_classes_from_pandas():
    frame, y = frame_data()
    labels = pd.Series(np.array(["cat", "dog", "eel"])[y])
    model = MLPClassifier(epochs=5, random_state=0).fit(frame, labels)
    assert model.feature_names_in_.tolist() == list(frame.columns)
    assert model.n_features_in_ == 6
    assert model.classes_.tolist() == ["cat", "dog", "eel"]
    assert set(model.predict(frame)) <= {"cat", "dog", "eel"}
    proba = model.predict_proba(frame)
    assert proba.shape == (240, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    with pytest.raises(ValueError, match="feature names"):
        model.predict(frame.iloc[:, :5])


def test_clone_pipeline_and_cross_validate():
    frame, y = frame_data()
    model = MLPClassifier(hidden_layer_sizes=(32,), epochs=30, batch_size=32, random_state=0)
    copy = clone(model)
    assert copy.get_params() == model.get_params() and not hasattr(copy, "network_")
    pipe = make_pipeline(StandardScaler(), model)
    result = cross_validate(pipe, frame, y, cv=3, return_estimator=True)
    assert result["test_score"].min() > 0.85
    fitted = result["estimator"][0][-1]
    assert fitted.n_epochs_ >= 1 and fitted.n_features_in_ == 6
    assert not hasattr(model, "network_")  # cross_validate fitted clones, not the original
    reg = make_pipeline(StandardScaler(), ResNetRegressor(n_blocks=1, width=16, block_hidden=16,
                                                          batch_size=32, epochs=30, random_state=0))
    scores = cross_validate(reg, frame, frame["col_0"] * 2 + frame["col_1"], cv=3)["test_score"]
    assert scores.min() > 0.8


def test_set_params_changes_the_next_fit():
    frame, y = frame_data()
    model = MLPClassifier(epochs=2, random_state=0).fit(frame, y)
    model.set_params(hidden_layer_sizes=(7,), epochs=3)
    model.fit(frame, y)
    assert model.network_.layers[0].params["W"].shape == (6, 7)
    assert model.n_epochs_ == 3


def test_given_validation_labels_must_be_known():
    frame, y = frame_data()
    with pytest.raises(ValueError, match="not seen in y"):
        MLPClassifier(epochs=2).fit(frame, y, X_val=frame.iloc[:10], y_val=np.full(10, 9))
    with pytest.raises(ValueError, match="both X_val and y_val"):
        MLPClassifier(epochs=2).fit(frame, y, X_val=frame.iloc[:10])


# ---------------------------------------------------------------------------------------------
# Save / load


def round_trip_cases():
    frame, y = frame_data()
    strings = pd.Series(np.array(["low", "mid", "high"])[y], dtype=object)
    binary_ints = np.where(y == 0, 10, 20)
    target = frame["col_0"] * 3 - frame["col_2"]
    targets_2d = np.column_stack([target, frame["col_1"] ** 2])
    return [
        (MLPClassifier(hidden_layer_sizes=(16, 8), batch_norm=True, dropout=0.2, epochs=4,
                       random_state=0, class_weight="balanced"), frame, strings),
        (ResNetClassifier(n_blocks=2, width=8, block_hidden=12, dropout=0.1, epochs=4,
                          random_state=0), frame.to_numpy(), binary_ints),
        (MLPRegressor(hidden_layer_sizes=(16,), batch_norm=True, loss="huber", epochs=4,
                      random_state=0, lr_schedule={"name": "step", "step_size": 2}), frame, target),
        (ResNetRegressor(n_blocks=1, width=8, block_hidden=8, epochs=4, dtype="float64",
                         random_state=0), frame, targets_2d),
    ]


@pytest.mark.parametrize("model, X, y", round_trip_cases(), ids=lambda v: type(v).__name__)
def test_save_load_predicts_exactly_the_same(model, X, y, tmp_path):
    model.fit(X, y)
    path = tmp_path / "model.npz"
    nn.save(model, path)
    loaded = nn.load(path)
    assert type(loaded) is type(model)
    assert loaded.get_params() == model.get_params()
    assert loaded.history_ == model.history_ and loaded.best_epoch_ == model.best_epoch_
    assert loaded.n_features_in_ == model.n_features_in_
    np.testing.assert_array_equal(getattr(loaded, "feature_names_in_", None),
                                  getattr(model, "feature_names_in_", None))
    assert np.array_equal(loaded.predict(X), model.predict(X))
    assert loaded.predict(X).dtype == model.predict(X).dtype
    if hasattr(model, "classes_"):
        assert loaded.classes_.dtype == model.classes_.dtype
        assert loaded.classes_.tolist() == model.classes_.tolist()
        assert type(loaded.classes_[0]) is type(model.classes_[0])
        assert np.array_equal(loaded.predict_proba(X), model.predict_proba(X))
    # the file holds no pickled objects
    with np.load(path, allow_pickle=False) as data:
        assert all(data[k].dtype != object for k in data.files)


def test_save_load_keeps_batchnorm_running_statistics(tmp_path):
    frame, y = frame_data()
    model = MLPClassifier(hidden_layer_sizes=(8,), batch_norm=True, epochs=3, random_state=0)
    model.fit(frame, y)
    nn.save(model, tmp_path / "m.npz")
    loaded = nn.load(tmp_path / "m.npz")
    running = model.network_.layers[1].buffers["running_mean"]
    assert np.any(running != 0)
    np.testing.assert_array_equal(loaded.network_.layers[1].buffers["running_mean"], running)


def test_save_drops_the_callback_and_loaded_models_refit(tmp_path):
    frame, y = frame_data()
    model = MLPClassifier(epochs=2, random_state=0, callback=lambda info: None).fit(frame, y)
    nn.save(model, tmp_path / "m.npz")
    loaded = nn.load(tmp_path / "m.npz")
    assert loaded.callback is None
    loaded.fit(frame, y)
    assert np.array_equal(loaded.predict_proba(frame), model.predict_proba(frame))


def test_save_requires_a_fitted_model_and_load_rejects_other_files(tmp_path):
    with pytest.raises(NotFittedError):
        nn.save(MLPClassifier(), tmp_path / "m.npz")
    (tmp_path / "junk.npz").write_bytes(b"not a zip file at all")
    with pytest.raises(ModelFileError):
        nn.load(tmp_path / "junk.npz")
    np.savez(tmp_path / "other.npz", a=np.arange(3))
    with pytest.raises(ModelFileError, match="not a model file"):
        nn.load(tmp_path / "other.npz")
