"""Training behaviour of the nn estimators: learning, determinism, early stopping, callbacks."""

import numpy as np
import pytest
from sklearn.datasets import make_blobs, make_classification
from sklearn.metrics import log_loss, r2_score, recall_score

from nn.estimators import MLPClassifier, MLPRegressor, ResNetClassifier, ResNetRegressor, TrainingDivergedError
from nn.layers import Dense, Layer, Sequential
from nn.losses import MeanSquaredError
from nn.optimizers import SGD
from nn.training import EPOCH_KEYS, train, validation_split


def xor_data():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]] * 8, dtype=float)
    y = np.array([0, 1, 1, 0] * 8)
    return X, y


def test_mlp_learns_xor():
    X, y = xor_data()
    model = MLPClassifier(hidden_layer_sizes=(16,), learning_rate=0.05, batch_size=8, epochs=150,
                          early_stopping=False, random_state=0).fit(X, y)
    assert model.score(X, y) == 1.0
    assert model.history_[-1]["train_loss"] < 0.5 * model.history_[0]["train_loss"]


def test_linear_model_cannot_learn_xor_so_the_xor_test_means_something():
    X, y = xor_data()
    # one hidden unit of tanh is still a monotone function of a linear score: at best 3/4 right
    model = MLPClassifier(hidden_layer_sizes=(1,), activation="tanh", learning_rate=0.05,
                          batch_size=8, epochs=150, early_stopping=False, random_state=0).fit(X, y)
    assert model.score(X, y) <= 0.75


def test_mlp_regressor_fits_a_noisy_sine():
    rng = np.random.default_rng(0)
    X = rng.uniform(-3, 3, size=(1500, 1))
    y = 10 * np.sin(X[:, 0]) + 50 + rng.normal(0, 1.0, 1500)  # offset and scale: y is standardised
    model = MLPRegressor(hidden_layer_sizes=(64, 64), learning_rate=3e-3, batch_size=64, epochs=120,
                         patience=15, random_state=0).fit(X, y)
    X_test = np.linspace(-3, 3, 200)[:, None]
    assert r2_score(10 * np.sin(X_test[:, 0]) + 50, model.predict(X_test)) > 0.95
    assert model.predict(X_test).dtype == np.float64


def test_resnet_classifier_and_regressor_learn():
    X, y = make_classification(600, 10, n_informative=6, n_classes=3, random_state=0)
    clf = ResNetClassifier(n_blocks=2, width=32, block_hidden=64, dropout=0.1, learning_rate=3e-3,
                           epochs=40, random_state=0).fit(X[:450], y[:450])
    assert clf.score(X[450:], y[450:]) > 0.75
    w = np.random.default_rng(1).normal(size=10)
    yr = X @ w + 0.1 * np.random.default_rng(2).normal(size=600)
    reg = ResNetRegressor(n_blocks=1, width=32, block_hidden=32, learning_rate=3e-3, epochs=60,
                          random_state=0).fit(X[:450], yr[:450])
    assert reg.score(X[450:], yr[450:]) > 0.9


def test_seeded_fits_are_identical_and_seeds_matter():
    X, y = make_classification(300, 8, n_classes=3, n_informative=5, random_state=0)
    params = dict(hidden_layer_sizes=(32, 16), dropout=0.2, batch_norm=True, batch_size=32,
                  epochs=8, validation_fraction=0.2)
    a = MLPClassifier(random_state=3, **params).fit(X, y)
    b = MLPClassifier(random_state=3, **params).fit(X, y)
    c = MLPClassifier(random_state=4, **params).fit(X, y)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    assert a.history_ == [{**h, "seconds": g["seconds"]} for h, g in zip(b.history_, a.history_)]
    assert not np.array_equal(a.predict_proba(X), c.predict_proba(X))


def overfitting_problem():
    X, y = make_classification(260, 30, n_informative=3, n_redundant=0, n_classes=3, flip_y=0.3,
                               random_state=1)
    return X[:160], y[:160], X[160:], y[160:]


def test_early_stopping_restores_the_best_epoch_weights():
    X, y, X_val, y_val = overfitting_problem()
    model = MLPClassifier(hidden_layer_sizes=(256, 256), learning_rate=1e-2, batch_size=32,
                          epochs=200, patience=8, random_state=0)
    model.fit(X, y, X_val=X_val, y_val=y_val)
    val_losses = [h["val_loss"] for h in model.history_]
    best = min(val_losses)
    assert model.stopped_by_ == "early_stopping"
    assert model.n_epochs_ == len(model.history_) < 200
    assert model.best_epoch_ == val_losses.index(best) + 1
    assert val_losses[-1] > best  # the last epoch was worse, so restoring matters
    # the returned model has the best epoch's validation loss, not the last one's
    assert log_loss(y_val, model.predict_proba(X_val)) == pytest.approx(best, rel=1e-4)


def test_without_early_stopping_the_last_weights_are_kept():
    X, y, X_val, y_val = overfitting_problem()
    model = MLPClassifier(hidden_layer_sizes=(256, 256), learning_rate=1e-2, batch_size=32,
                          epochs=30, early_stopping=False, random_state=0)
    model.fit(X, y, X_val=X_val, y_val=y_val)
    assert model.n_epochs_ == model.best_epoch_ == 30
    last = model.history_[-1]["val_loss"]
    assert log_loss(y_val, model.predict_proba(X_val)) == pytest.approx(last, rel=1e-4)


def test_validation_data_only_when_asked():
    X, y = make_blobs(200, centers=3, random_state=0)
    no_val = MLPClassifier(epochs=3, early_stopping=False, random_state=0).fit(X, y)
    assert all(h["val_loss"] is None and h["val_metric"] is None for h in no_val.history_)
    split = MLPClassifier(epochs=3, validation_fraction=0.25, random_state=0).fit(X, y)
    assert all(isinstance(h["val_loss"], float) for h in split.history_)
    assert all(0 <= h["val_metric"] <= 1 for h in split.history_)


def test_validation_split_is_stratified_and_disjoint():
    rng = np.random.default_rng(0)
    y = np.array([0] * 80 + [1] * 15 + [2] * 5)
    train_idx, val_idx = validation_split(100, 0.2, rng, stratify=y)
    assert len(np.intersect1d(train_idx, val_idx)) == 0
    assert len(train_idx) + len(val_idx) == 100
    assert np.bincount(y[val_idx]).tolist() == [16, 3, 1]
    tiny = np.array([0, 0, 0, 1])  # a class with one row keeps it for training
    _, val_idx = validation_split(4, 0.5, rng, stratify=tiny)
    assert 3 not in val_idx


class Recorder(Layer):
    """Passes its input through and records the first column of every training batch."""

    def __init__(self):
        super().__init__()
        self.batches = []

    def forward(self, x, training=False):
        if training:
            self.batches.append(x[:, 0].astype(int).tolist())
        return x


def test_each_epoch_visits_every_row_once_in_a_fresh_order():
    n, batch = 30, 7
    X = np.column_stack([np.arange(n), np.ones(n)]).astype(np.float32)
    recorder = Recorder()
    net = Sequential([recorder, Dense(2, 1, rng=np.random.default_rng(0))])
    train(net, MeanSquaredError(), SGD(0.0), X, np.zeros((n, 1), np.float32),
          rng=np.random.default_rng(0), epochs=3, batch_size=batch, early_stopping=False)
    per_epoch = [sum(recorder.batches[i:i + 5], []) for i in range(0, 15, 5)]
    # a last batch of 2 (under half of 7) would teach BatchNorm from 2 rows: five even batches instead
    assert len(recorder.batches) == 15 and [len(b) for b in recorder.batches[:5]] == [6, 6, 6, 6, 6]
    for order in per_epoch:
        assert sorted(order) == list(range(n))
    assert per_epoch[0] != per_epoch[1] != per_epoch[2]
    assert per_epoch[0] != list(range(n))


def test_callback_gets_every_epoch_and_can_stop_training():
    X, y = make_blobs(200, centers=3, random_state=0)
    seen = []

    def callback(info):
        seen.append(info)
        return info["epoch"] == 3

    model = MLPClassifier(epochs=50, callback=callback, random_state=0).fit(X, y)
    assert [info["epoch"] for info in seen] == [1, 2, 3]
    assert all(set(info) == set(EPOCH_KEYS) for info in seen)
    assert all(info["n_epochs"] == 50 and info["metric_name"] == "accuracy" for info in seen)
    assert all(info["seconds"] > 0 and info["lr"] == 1e-3 for info in seen)
    assert all(isinstance(info["val_loss"], float) and isinstance(info["train_loss"], float)
               for info in seen)
    assert model.n_epochs_ == 3 and model.stopped_by_ == "callback"
    assert model.history_ == seen
    assert model.predict(X).shape == (200,)  # stopped early, still usable


def test_callback_falsy_return_keeps_training_and_regressor_reports_r2():
    X = np.random.default_rng(0).normal(size=(100, 3))
    calls = []
    MLPRegressor(epochs=4, early_stopping=False, random_state=0,
                 callback=lambda info: calls.append(info["metric_name"])).fit(X, X[:, 0])
    assert calls == ["r2"] * 4


class Cancelled(Exception):
    pass


def test_exception_in_callback_propagates():
    X, y = make_blobs(100, centers=2, random_state=0)
    calls = []

    def callback(info):
        calls.append(info["epoch"])
        if info["epoch"] == 2:
            raise Cancelled("user cancelled the job")

    with pytest.raises(Cancelled, match="user cancelled"):
        MLPClassifier(epochs=20, callback=callback, random_state=0).fit(X, y)
    assert calls == [1, 2]


def test_lr_schedule_is_applied_per_epoch():
    X, y = make_blobs(100, centers=2, random_state=0)
    model = MLPClassifier(epochs=5, early_stopping=False, learning_rate=0.1, random_state=0,
                          lr_schedule={"name": "step", "step_size": 2, "gamma": 0.1}).fit(X, y)
    assert [h["lr"] for h in model.history_] == pytest.approx([0.1, 0.1, 0.01, 0.01, 0.001])


def test_class_weight_balanced_raises_minority_recall():
    X, y = make_classification(1200, 6, n_informative=3, weights=[0.93, 0.07], flip_y=0.05,
                               class_sep=0.5, random_state=2)
    params = dict(hidden_layer_sizes=(32,), epochs=30, learning_rate=3e-3, batch_size=64,
                  early_stopping=False, random_state=0)
    plain = MLPClassifier(**params).fit(X, y)
    balanced = MLPClassifier(class_weight="balanced", **params).fit(X, y)
    assert recall_score(y, balanced.predict(X)) > recall_score(y, plain.predict(X)) + 0.2
    np.testing.assert_allclose(balanced.class_weight_, len(y) / (2 * np.bincount(y)))


def test_divergence_raises_a_clear_error():
    X = np.random.default_rng(0).normal(size=(200, 4))
    with pytest.raises(TrainingDivergedError, match="learning rate"):
        MLPRegressor(optimizer="sgd", learning_rate=1e6, epochs=20, early_stopping=False,
                     random_state=0).fit(X, X @ np.ones(4))


def test_float32_by_default_float64_on_request():
    X, y = make_blobs(60, centers=2, random_state=0)
    m32 = MLPClassifier(epochs=2, random_state=0).fit(X, y)
    assert {p.dtype for p in m32.network_.params.values()} == {np.dtype(np.float32)}
    assert m32.network_.forward(X.astype(np.float32)).dtype == np.float32
    m64 = MLPClassifier(epochs=2, dtype="float64", random_state=0).fit(X, y)
    assert {p.dtype for p in m64.network_.params.values()} == {np.dtype(np.float64)}


def test_clip_norm_limits_every_update():
    X, y = make_blobs(100, centers=2, random_state=0)
    a = MLPClassifier(optimizer="sgd", learning_rate=1.0, clip_norm=1e-3, epochs=1, batch_size=100,
                      early_stopping=False, random_state=0)
    b = MLPClassifier(optimizer="sgd", learning_rate=1.0, epochs=1, batch_size=100,
                      early_stopping=False, random_state=0)
    a.fit(X, y)
    b.fit(X, y)
    fresh = MLPClassifier(epochs=1, random_state=0)._build_network(2, 1, np.random.default_rng(0),
                                                                   np.dtype("float32"))
    # one SGD step of lr 1 with the gradient clipped to norm 1e-3 moves the weights by 1e-3
    moved_a = np.sqrt(sum(np.sum((a.network_.params[k] - v) ** 2) for k, v in fresh.params.items()))
    moved_b = np.sqrt(sum(np.sum((b.network_.params[k] - v) ** 2) for k, v in fresh.params.items()))
    assert moved_a == pytest.approx(1e-3, rel=1e-3)
    assert moved_b > 10 * moved_a


@pytest.mark.parametrize("bad, match", [
    (dict(activation="swish"), "activation"),
    (dict(optimizer="lbfgs"), "optimizer"),
    (dict(hidden_layer_sizes=(10, 0)), "hidden_layer_sizes"),
    (dict(dropout=1.0), "dropout"),
    (dict(validation_fraction=1.5), "validation_fraction"),
    (dict(dtype="float16"), "dtype"),
    (dict(class_weight="auto"), "class_weight"),
])
def test_bad_hyperparameters_are_reported(bad, match):
    X, y = make_blobs(30, centers=2, random_state=0)
    with pytest.raises(ValueError, match=match):
        MLPClassifier(epochs=1, **bad).fit(X, y)
