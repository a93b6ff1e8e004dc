"""Builders for the two architectures the estimators offer: an MLP and a tabular ResNet (numpy only).

Every Dense starts from Xavier (Glorot uniform) weights, as in scikit-learn's MLP, whatever the
activation: on the noisy tabular benchmark (bench/bench_nn.py at 10k rows) He init cost 2-6
macro-F1 points after the same number of epochs. ``Dense(init="he")`` remains available.
"""

from __future__ import annotations

from .layers import BatchNorm, Dense, Dropout, ResidualBlock, Sequential, make_activation

__all__ = ["build_mlp", "build_resnet"]


def build_mlp(n_in: int, n_out: int, *, hidden_layer_sizes=(128, 64), activation="relu",
              dropout=0.0, batch_norm=False, rng=None, dtype="float32") -> Sequential:
    """Dense → [BatchNorm] → activation → [Dropout] per hidden layer, then a Dense output of
    ``n_out`` raw scores."""
    layers, prev = [], int(n_in)
    for size in hidden_layer_sizes:
        # the first layer's input is the data, which needs no gradient
        layers.append(Dense(prev, size, init="xavier", rng=rng, dtype=dtype, input_grad=bool(layers)))
        if batch_norm:
            layers.append(BatchNorm(size, dtype=dtype))
        layers.append(make_activation(activation))
        if dropout:
            layers.append(Dropout(dropout, rng=rng))
        prev = int(size)
    layers.append(Dense(prev, n_out, init="xavier", rng=rng, dtype=dtype, input_grad=bool(layers)))
    return Sequential(layers)


def build_resnet(n_in: int, n_out: int, *, n_blocks=2, width=128, block_hidden=256,
                 activation="relu", dropout=0.0, rng=None, dtype="float32") -> Sequential:
    """Tabular ResNet (Gorishniy et al., 2021): Dense(n_in → width), ``n_blocks`` residual
    blocks, then BatchNorm → activation → Dense(width → n_out)."""
    layers = [Dense(n_in, width, init="xavier", rng=rng, dtype=dtype, input_grad=False)]
    for _ in range(int(n_blocks)):
        layers.append(ResidualBlock(width, block_hidden, activation=activation, dropout=dropout,
                                    rng=rng, dtype=dtype))
    layers += [BatchNorm(width, dtype=dtype), make_activation(activation),
               Dense(width, n_out, init="xavier", rng=rng, dtype=dtype)]
    return Sequential(layers)
