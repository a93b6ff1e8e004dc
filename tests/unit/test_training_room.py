"""A training is refused before it is queued (or run by the command line) when the user's storage is full."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core import config
from core.data import load_sample
from core.train import TrainSettings, train_dataset
from core.train.jobs import JobRunner
from core.train.room import MIN_TRAINING_ROOM
from storage import users
from storage.users import QuotaExceeded
from storage.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = TrainSettings(target="diagnosis", models=("dt",), folds=2)


def fill_quota(monkeypatch, username, data_dir, spare: int = 0) -> None:
    used = users.storage_used(username, data_dir)
    monkeypatch.setenv(config.STORAGE_QUOTA_ENV, str((used + spare) / users.MB))


def test_the_runner_refuses_a_full_user_before_queueing(data_dir, monkeypatch):
    users.UserStore(data_dir).create("alice", "Alice", "alice@example.com", users.hash_password("Secret#123"))
    full = load_sample(Workspace("alice", data_dir), "breast_cancer")
    fill_quota(monkeypatch, "alice", data_dir, spare=MIN_TRAINING_ROOM // 2)
    runner = JobRunner(data_dir, max_running=1)
    try:
        with pytest.raises(QuotaExceeded) as refused:
            runner.submit("alice", full.dataset_id, SETTINGS)
        assert refused.value.key == "train.error.storage_full" and "storage is full" in str(refused.value)
        assert Workspace("alice", data_dir).runs() == [] and runner.jobs("alice") == []
    finally:
        runner.shutdown()


def test_with_room_the_same_training_is_accepted(data_dir, monkeypatch, ws):
    dataset = load_sample(ws, "breast_cancer")
    fill_quota(monkeypatch, ws.username, data_dir, spare=50 * users.MB)
    outcome = train_dataset(ws, dataset.dataset_id, SETTINGS)
    assert len(outcome.run_ids) == 2  # the tree and the do-nothing baseline


def test_the_command_line_refuses_with_one_line_before_training(data_dir, tmp_path, iris_frame):
    path = tmp_path / "iris.csv"
    iris_frame.to_csv(path, index=False)

    def cli(*args, **env):
        return subprocess.run([sys.executable, "-m", "core", *args], cwd=ROOT, capture_output=True, text=True,
                              timeout=300, env=dict(os.environ, ANYML_DATA_DIR=str(data_dir), **env))

    assert cli("ingest", str(path), "--name", "iris").returncode == 0
    full = str(users.storage_used("local", data_dir) / users.MB)
    proc = cli("train", "iris", "--target", "species", "--models", "dt", **{config.STORAGE_QUOTA_ENV: full})
    assert proc.returncode == 2 and proc.stderr.startswith("error: Your storage is full"), proc.stderr
    assert proc.stderr.count("\n") == 1
    assert '"runs": []' in cli("--json", "runs").stdout  # nothing was trained or recorded
