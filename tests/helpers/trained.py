"""Models trained once per test module, each test's own copy of them, and one model's result of a training."""
from __future__ import annotations

import shutil
from pathlib import Path

from storage import db
from storage.workspace import Workspace


def train_once(tmp_path_factory, build, user: str = "alice"):
    """Run ``build(workspace)`` once in a directory of its own; returns (that data directory, its result).

    Tests of a module share the trained models this way: each copies the directory with `clone`.
    """
    root = tmp_path_factory.mktemp("trained")
    result = build(Workspace(user, root))
    db.release_under(root)  # closed (and checkpointed) before its files are copied
    return root, result


def clone(template: Path, data_dir: Path, user: str = "alice") -> None:
    """This test's own copy of a user's workspace and model bundles trained by `train_once`."""
    shutil.copytree(template / "users" / user, data_dir / "users" / user)


def by_model(result, key: str):
    """The result of model ``key`` in a training ``result`` (``core.train.train.train``'s)."""
    return next(r for r in result.results if r.model == key)
