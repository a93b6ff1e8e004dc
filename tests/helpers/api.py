"""What the prediction API tests share: an account with a token, and a model trained once per module."""
from __future__ import annotations

from pathlib import Path

from core.train import TrainSettings, train_dataset
from storage.users import UserStore
from tests.helpers.frames import imbalanced_frame


def account_with_token(username: str, root: Path | None = None, name: str = "script") -> str:
    """A new account ``username`` (its password never used) and the secret of a new token of it."""
    store = UserStore(root)
    if store.get(username) is None:
        store.create(username, username.title(), f"{username}@example.com", "no-password-hash", role="user")
    return store.create_token(username, name)[1]


def train_students(ws) -> str:
    """A small two-class model (a decision tree on `imbalanced_frame`) of ``ws``; returns its run id."""
    frame = imbalanced_frame(n=200, positive_rate=0.3)
    ws.save_frame(frame, "students")
    settings = TrainSettings(target="label", models=("dt",), folds=2, importance=False)
    return train_dataset(ws, "students", settings).run_ids["dt"]
