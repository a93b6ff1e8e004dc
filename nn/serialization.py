"""Pickle-free storage of networks: weights as .npz arrays, structure and metadata as JSON (numpy only).

One file holds everything: the arrays, plus a JSON document stored as the unicode array
``__meta__``. Loading uses ``allow_pickle=False``, so a model file cannot run code.
"""

from __future__ import annotations

import json
import os

import numpy as np

from .layers import Layer, layer_from_config

__all__ = ["ModelFileError", "network_state", "network_from_state", "write_model_file",
           "read_model_file", "FORMAT", "FORMAT_VERSION"]

FORMAT = "anyml-nn"
FORMAT_VERSION = 1
_META_KEY = "__meta__"


class ModelFileError(ValueError):
    """The file is not a model saved by this package, or it is damaged."""


def network_state(net: Layer) -> tuple[dict, dict[str, np.ndarray]]:
    """(config, arrays) of a network: parameters under ``p:<key>``, buffers under ``b:<key>``."""
    arrays = {"p:" + k: v for k, v in net.params.items()}
    arrays.update({"b:" + k: v for k, v in net.buffers.items()})
    return net.config(), arrays


def network_from_state(config: dict, arrays: dict[str, np.ndarray], dtype="float32") -> Layer:
    """Rebuild a network from :func:`network_state` output; the arrays are copied in."""
    # The initial weights are overwritten right away, so the seed does not matter.
    net = layer_from_config(config, rng=np.random.default_rng(0), dtype=dtype)
    for prefix, target in (("p:", net.params), ("b:", net.buffers)):
        for key, arr in target.items():
            name = prefix + key
            if name not in arrays:
                raise ModelFileError(f"The model file lacks the array {name!r}; it is damaged.")
            src = arrays[name]
            if src.shape != arr.shape:
                raise ModelFileError(
                    f"Array {name!r} has shape {src.shape}, the network expects {arr.shape}."
                )
            np.copyto(arr, src)
    return net


def write_model_file(path, meta: dict, arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` and the JSON-able ``meta`` to ``path`` (no suffix is added)."""
    if _META_KEY in arrays:
        raise ValueError(f"{_META_KEY!r} is reserved.")
    meta = {"format": FORMAT, "format_version": FORMAT_VERSION, **meta}
    text = json.dumps(meta, allow_nan=True)
    tmp = f"{os.fspath(path)}.tmp"
    # Written next to the target then renamed, so a crash never leaves half a model behind.
    with open(tmp, "wb") as f:
        np.savez(f, **{_META_KEY: np.array(text)}, **arrays)
    os.replace(tmp, path)


def read_model_file(path) -> tuple[dict, dict[str, np.ndarray]]:
    """Read what :func:`write_model_file` wrote: (meta, arrays)."""
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
    except OSError:
        raise  # a missing or unreadable file says so itself
    except Exception as exc:  # anything else numpy's reader raises (bad zip, bad header) means damage
        raise ModelFileError(f"Cannot read model file {os.fspath(path)!r}: {exc}") from exc
    if _META_KEY not in arrays:
        raise ModelFileError(f"{os.fspath(path)!r} is not a model file saved by AnyML's nn package.")
    meta = json.loads(str(arrays.pop(_META_KEY)))
    if meta.get("format") != FORMAT:
        raise ModelFileError(f"{os.fspath(path)!r} is not a model file saved by AnyML's nn package.")
    if meta.get("format_version", 0) > FORMAT_VERSION:
        raise ModelFileError(
            f"{os.fspath(path)!r} was saved by a newer version (format {meta['format_version']}); "
            "update AnyML to load it."
        )
    return meta, arrays
