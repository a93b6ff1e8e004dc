"""Backward passes of every nn layer and loss against centred numerical gradients (float64)."""

import numpy as np
import pytest

from nn.layers import (ELU, GELU, BatchNorm, Dense, Dropout, LeakyReLU, ReLU, ResidualBlock,
                       Sequential, Sigmoid, Tanh, layer_from_config)
from nn.losses import Huber, MeanSquaredError, SigmoidBinaryCrossEntropy, SoftmaxCrossEntropy
from nn.networks import build_mlp, build_resnet

EPS = 1e-6


def numerical_grad(f, arr):
    """Centred difference of the scalar f() with respect to every entry of arr (in place)."""
    grad = np.zeros_like(arr)
    it = np.nditer(arr, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = arr[i]
        arr[i] = old + EPS
        plus = f()
        arr[i] = old - EPS
        minus = f()
        arr[i] = old
        grad[i] = (plus - minus) / (2 * EPS)
    return grad


def check_layer(layer, x, training=True, reseed=None, atol=1e-6):
    """Compare dx and every parameter gradient with numerical ones.

    The scalar is sum(forward(x) * G) for a fixed random G, so d/d(out) = G.
    ``reseed`` is called before every forward so random layers draw the same mask each time.
    """
    rng = np.random.default_rng(1)
    reseed = reseed or (lambda: None)
    reseed()
    out = layer.forward(x, training=training)
    G = rng.standard_normal(out.shape)
    G_before = G.copy()
    dx = layer.backward(G)
    np.testing.assert_array_equal(G, G_before, err_msg="backward modified dout in place")
    analytic = {k: v.copy() for k, v in layer.grads.items()}

    def f():
        reseed()
        return float(np.sum(layer.forward(x, training=training) * G))

    np.testing.assert_allclose(dx, numerical_grad(f, x), atol=atol, rtol=1e-5)
    assert set(analytic) == set(layer.params)
    for name, param in layer.params.items():
        np.testing.assert_allclose(analytic[name], numerical_grad(f, param), atol=atol, rtol=1e-5,
                                   err_msg=f"gradient of parameter {name}")


def data(shape=(6, 5), seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


@pytest.mark.parametrize("init", ["he", "xavier"])
def test_dense_gradients(init):
    layer = Dense(5, 4, init=init, rng=np.random.default_rng(0), dtype="float64")
    layer.params["b"][:] = np.random.default_rng(3).standard_normal(4)
    check_layer(layer, data())


@pytest.mark.parametrize("layer", [ReLU(), LeakyReLU(0.1), ELU(1.3), GELU(), Tanh(), Sigmoid()],
                         ids=lambda layer: type(layer).__name__)
def test_activation_gradients(layer):
    x = data()
    x[np.abs(x) < 1e-3] = 0.5  # keep ReLU-type kinks away from the finite-difference step
    check_layer(layer, x)


def test_activation_values():
    x = np.array([[-2.0, -0.5, 0.0, 0.5, 2.0]])
    np.testing.assert_allclose(ReLU().forward(x), [[0, 0, 0, 0.5, 2]])
    np.testing.assert_allclose(LeakyReLU(0.1).forward(x), [[-0.2, -0.05, 0, 0.5, 2]])
    np.testing.assert_allclose(ELU(1.0).forward(x), [[np.expm1(-2), np.expm1(-0.5), 0, 0.5, 2]])
    np.testing.assert_allclose(Sigmoid().forward(x), 1 / (1 + np.exp(-x)))
    np.testing.assert_allclose(Tanh().forward(x), np.tanh(x))
    # tanh approximation of GELU stays within 1e-3 of x * Phi(x)
    from math import erf, sqrt
    exact = [v * 0.5 * (1 + erf(v / sqrt(2))) for v in x[0]]
    np.testing.assert_allclose(GELU().forward(x)[0], exact, atol=1e-3)
    # sigmoid of huge inputs neither overflows nor returns NaN
    with np.errstate(over="raise"):
        np.testing.assert_array_equal(Sigmoid().forward(np.array([[-1000.0, 1000.0]])), [[0.0, 1.0]])


def test_dense_init_scales():
    rng = np.random.default_rng(0)
    he = Dense(400, 300, init="he", rng=rng).params["W"]
    assert he.std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    xavier = Dense(400, 300, init="xavier", rng=rng).params["W"]
    limit = np.sqrt(6 / 700)
    assert xavier.max() <= limit and xavier.min() >= -limit
    assert xavier.max() > 0.95 * limit
    assert he.dtype == np.float32 and xavier.dtype == np.float32


def test_dense_without_input_grad_skips_dx_but_keeps_param_grads():
    layer = Dense(5, 3, rng=np.random.default_rng(0), dtype="float64", input_grad=False)
    x = data()
    layer.forward(x, training=True)
    assert layer.backward(np.ones((6, 3))) is None
    np.testing.assert_allclose(layer.grads["W"], x.T @ np.ones((6, 3)))


def test_dropout_gradients_with_fixed_mask():
    layer = Dropout(0.4)

    def reseed():
        layer.rng = np.random.default_rng(7)

    check_layer(layer, data(), reseed=reseed)


def test_dropout_is_inverted_and_identity_at_inference():
    layer = Dropout(0.25, rng=np.random.default_rng(0))
    x = np.ones((400, 50))
    out = layer.forward(x, training=True)
    assert set(np.unique(out)) == {0.0, 1 / 0.75}
    assert abs((out == 0).mean() - 0.25) < 0.01
    assert abs(out.mean() - 1.0) < 0.02  # expected activation is unchanged
    assert layer.forward(x, training=False) is x


def test_dropout_draws_from_the_given_generator():
    a = Dropout(0.5, rng=np.random.default_rng(3)).forward(np.ones((8, 8)), training=True)
    b = Dropout(0.5, rng=np.random.default_rng(3)).forward(np.ones((8, 8)), training=True)
    c = Dropout(0.5, rng=np.random.default_rng(4)).forward(np.ones((8, 8)), training=True)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_batchnorm_gradients_in_training_mode():
    layer = BatchNorm(5, dtype="float64")
    layer.params["gamma"][:] = [0.5, 1.5, -1.0, 2.0, 1.0]
    layer.params["beta"][:] = [0.1, -0.2, 0.3, 0.0, 1.0]
    check_layer(layer, data((8, 5)) * 3 + 1, training=True)


def test_batchnorm_gradients_in_inference_mode():
    layer = BatchNorm(5, dtype="float64")
    layer.buffers["running_mean"][:] = [0.1, 0.2, -0.3, 1.0, 0.0]
    layer.buffers["running_var"][:] = [0.5, 2.0, 1.0, 3.0, 0.1]
    layer.params["gamma"][:] = [0.5, 1.5, -1.0, 2.0, 1.0]
    check_layer(layer, data((8, 5)), training=False)


def test_batchnorm_normalises_and_tracks_running_statistics():
    layer = BatchNorm(3, momentum=0.5, dtype="float64")
    x = data((500, 3)) * [1.0, 2.0, 3.0] + [5.0, -1.0, 0.0]
    out = layer.forward(x, training=True)
    np.testing.assert_allclose(out.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(out.std(axis=0), 1, atol=1e-4)
    # the first batch sets the running statistics, the second is averaged in (min(0.5, 1/2))
    np.testing.assert_allclose(layer.buffers["running_mean"], x.mean(axis=0))
    np.testing.assert_allclose(layer.buffers["running_var"], x.var(axis=0))
    layer.forward(x + 2.0, training=True)
    np.testing.assert_allclose(layer.buffers["running_mean"], x.mean(axis=0) + 1.0)
    # then an exponential moving average with the given momentum
    layer.forward(x + 4.0, training=True)
    np.testing.assert_allclose(layer.buffers["running_mean"], x.mean(axis=0) + 0.5 * 1.0 + 0.5 * 4.0)
    np.testing.assert_allclose(layer.buffers["running_var"], x.var(axis=0))
    assert int(layer.buffers["n_updates"]) == 3
    # inference uses the running statistics, so one row gives the same answer as in a batch
    np.testing.assert_allclose(layer.forward(x[:1], training=False), layer.forward(x, training=False)[:1])


def test_residual_block_gradients():
    block = ResidualBlock(4, 6, activation="gelu", dropout=0.3, rng=np.random.default_rng(0),
                          dtype="float64")
    dropout = block.layers[3]

    def reseed():
        dropout.rng = np.random.default_rng(5)

    check_layer(block, data((7, 4)), reseed=reseed)
    assert set(block.params) == {"0.gamma", "0.beta", "1.W", "1.b", "4.W", "4.b"}


def test_residual_block_adds_the_skip():
    block = ResidualBlock(4, 6, rng=np.random.default_rng(0), dtype="float64")
    block.layers[4].params["W"][:] = 0  # the residual branch now outputs its bias only
    block.layers[4].params["b"][:] = 1.0
    x = data((3, 4))
    np.testing.assert_allclose(block.forward(x, training=True), x + 1.0)


@pytest.mark.parametrize("builder", ["mlp", "resnet"])
def test_whole_network_parameter_gradients(builder):
    rng = np.random.default_rng(0)
    if builder == "mlp":
        net = build_mlp(5, 3, hidden_layer_sizes=(6, 4), activation="elu", batch_norm=True,
                        rng=rng, dtype="float64")
    else:
        net = build_resnet(5, 3, n_blocks=2, width=4, block_hidden=6, rng=rng, dtype="float64")
    x = data((6, 5))
    out = net.forward(x, training=True)
    G = np.random.default_rng(2).standard_normal(out.shape)
    net.backward(G)
    grads = {k: v.copy() for k, v in net.grads.items()}

    def f():
        return float(np.sum(net.forward(x, training=True) * G))

    for name, param in net.params.items():
        np.testing.assert_allclose(grads[name], numerical_grad(f, param), atol=1e-6, rtol=1e-5,
                                   err_msg=name)


def test_layer_config_rebuilds_the_same_structure():
    net = build_resnet(5, 2, n_blocks=1, width=4, block_hidden=3, activation="leaky_relu",
                       dropout=0.1, rng=np.random.default_rng(0))
    again = layer_from_config(net.config())
    assert isinstance(again, Sequential)
    assert again.config() == net.config()
    assert {k: v.shape for k, v in again.params.items()} == {k: v.shape for k, v in net.params.items()}


# ---------------------------------------------------------------------------------------------
# Losses


def check_loss(loss, scores, y, atol=1e-7):
    loss.forward(scores, y)
    grad = loss.backward().copy()
    numeric = numerical_grad(lambda: loss.forward(scores, y), scores)
    np.testing.assert_allclose(grad, numeric, atol=atol, rtol=1e-5)


@pytest.mark.parametrize("class_weight", [None, [1.0, 3.0, 0.5]])
def test_softmax_cross_entropy_gradient(class_weight):
    check_loss(SoftmaxCrossEntropy(class_weight), data((7, 3)), np.array([0, 1, 2, 2, 1, 0, 2]))


def test_softmax_cross_entropy_value_and_p_minus_y_gradient():
    scores = data((5, 4))
    y = np.array([0, 3, 1, 1, 2])
    p = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    loss = SoftmaxCrossEntropy()
    assert loss.forward(scores, y) == pytest.approx(-np.log(p[np.arange(5), y]).mean())
    np.testing.assert_allclose(loss.backward(), (p - np.eye(4)[y]) / 5)
    w = np.array([1.0, 2.0, 3.0, 4.0])
    weighted = SoftmaxCrossEntropy(w).forward(scores, y)
    expected = np.sum(w[y] * -np.log(p[np.arange(5), y])) / w[y].sum()
    assert weighted == pytest.approx(expected)
    # huge scores: no overflow, finite loss
    big = np.array([[1000.0, -1000.0, 0.0]])
    assert SoftmaxCrossEntropy().forward(big, np.array([1])) == pytest.approx(2000.0)


@pytest.mark.parametrize("class_weight", [None, [0.3, 2.0]])
def test_sigmoid_binary_cross_entropy_gradient(class_weight):
    check_loss(SigmoidBinaryCrossEntropy(class_weight), data((8, 1)) * 3,
               np.array([0, 1, 1, 0, 1, 0, 0, 1]))


def test_sigmoid_binary_cross_entropy_is_stable():
    loss = SigmoidBinaryCrossEntropy()
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        value = loss.forward(np.array([[800.0], [-800.0]]), np.array([0, 1]))
        grad = loss.backward()
    assert value == pytest.approx(800.0)
    np.testing.assert_allclose(grad, [[0.5], [-0.5]])
    s = np.array([[0.3], [-1.2]])
    p = 1 / (1 + np.exp(-s[:, 0]))
    assert loss.forward(s, np.array([1, 0])) == pytest.approx(-(np.log(p[0]) + np.log(1 - p[1])) / 2)


def test_mse_gradient_and_value():
    pred, y = data((6, 2)), data((6, 2), seed=1)
    check_loss(MeanSquaredError(), pred, y)
    assert MeanSquaredError().forward(pred, y) == pytest.approx(np.mean((pred - y) ** 2))


def test_huber_gradient_and_value():
    pred = np.array([[0.2], [-0.7], [2.5], [-3.0], [0.9]])
    y = np.zeros((5, 1))
    check_loss(Huber(1.0), pred, y)
    expected = np.mean([0.02, 0.245, 2.0, 2.5, 0.405])
    assert Huber(1.0).forward(pred, y) == pytest.approx(expected)
    loss = Huber(1.0)
    loss.forward(np.array([[100.0]]), np.array([[0.0]]))
    assert loss.backward()[0, 0] == pytest.approx(1.0)  # bounded gradient for an outlier


def test_network_modules_run_on_numpy_alone():
    """Everything but nn.estimators must import without scikit-learn / scipy / pandas."""
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys\n"
        "import nn.layers, nn.losses, nn.optimizers, nn.schedules, nn.training, nn.networks, "
        "nn.serialization\n"
        "print(sorted(m for m in ('sklearn', 'scipy', 'pandas') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
