"""The storage quota: every way of adding data is held to it, and deleting a dataset gives the space back."""
from __future__ import annotations

import pandas as pd
import pytest

from core import config
from core.data import create_blank, load_sample
from storage import users
from storage.users import QuotaExceeded
from storage.workspace import Workspace


def _room(monkeypatch, username: str, data_dir, spare_bytes: int) -> None:
    """Set the quota to what ``username`` uses now plus ``spare_bytes``."""
    used = users.storage_used(username, data_dir)
    monkeypatch.setenv(config.STORAGE_QUOTA_ENV, str((used + spare_bytes) / users.MB))


def _big_frame(rows: int = 40_000) -> pd.DataFrame:
    return pd.DataFrame({"n": range(rows), "text": [f"row number {i} with some words" for i in range(rows)]})


def test_samples_blank_tables_edits_and_column_tools_are_held_to_the_quota(data_dir, monkeypatch):
    ws = Workspace("bob", data_dir)
    big = ws.save_frame(_big_frame(), "big")
    ws.record_edits(big.dataset_id, 1, cells={(0, "text"): "changed"})
    _room(monkeypatch, "bob", data_dir, 20_000)
    blank_rows = pd.DataFrame({"a": [f"value {i}" for i in range(5_000)], "b": [str(i) for i in range(5_000)]})
    attempts = {
        "sample": lambda: load_sample(ws, "breast_cancer"),
        "blank table": lambda: create_blank(ws, "typed", ["a", "b"], blank_rows),
        "edit version": lambda: ws.save_draft(big.dataset_id),
        "branch": lambda: ws.branch_version(big.dataset_id, 1, "copy"),
        "view": lambda: ws.save_view(big.dataset_id, "view"),
    }
    for what, attempt in attempts.items():
        with pytest.raises(QuotaExceeded) as caught:
            attempt()
        assert caught.value.key == "error.quota_storage", what
        assert "Delete datasets" in str(caught.value), what
    # Nothing was kept, and the unsaved edits are still there to save later or discard.
    assert [d.name for d in ws.datasets()] == ["big"] and ws.dataset("big").version == 1
    assert ws.draft(big.dataset_id) is not None
    ws.discard_draft(big.dataset_id)
    for tool in (lambda: ws.add_column(big.dataset_id, "extra", "a long default value for every row"),
                 lambda: ws.drop_columns(big.dataset_id, ["n"]),
                 lambda: ws.find_replace(big.dataset_id, "row", "line")):
        with pytest.raises(QuotaExceeded):
            tool()
    assert [v.version for v in ws.versions(big.dataset_id)] == [1]

    # With room again, the same actions work: the refusals above came from the quota alone.
    _room(monkeypatch, "bob", data_dir, 50 * users.MB)
    assert load_sample(ws, "breast_cancer").rows == 569
    assert ws.add_column(big.dataset_id, "extra", "a long default value for every row").version == 2


def test_restoring_a_version_takes_no_new_space_and_is_allowed_when_full(data_dir, monkeypatch):
    ws = Workspace("bob", data_dir)
    big = ws.save_frame(_big_frame(), "big")
    ws.drop_columns(big.dataset_id, ["text"])
    _room(monkeypatch, "bob", data_dir, 0)
    assert ws.restore_version(big.dataset_id, 1).version == 3


def test_deleting_a_large_dataset_gives_its_space_back(data_dir, monkeypatch):
    ws = Workspace("bob", data_dir)
    small = ws.save_frame(pd.DataFrame({"a": [1, 2, 3]}), "small")
    big = ws.save_frame(_big_frame(400_000), "big")
    ws.add_column(big.dataset_id, "copy", "another version of every row")
    ws.record_edits(small.dataset_id, 1, cells={(0, "a"): 7})
    before = users.storage_used("bob", data_dir)
    ws.delete_dataset(big.dataset_id)
    after = users.storage_used("bob", data_dir)
    assert after < before / 2, (before, after)  # without the rewrite the file keeps its size
    # The quota message's advice works: the space is free for new data again.
    _room(monkeypatch, "bob", data_dir, 0)
    monkeypatch.setenv(config.STORAGE_QUOTA_ENV, str(before / users.MB))
    assert ws.save_frame(_big_frame(100_000), "new").rows == 100_000
    # What remains is whole: rows in their order, the draft still there.
    assert ws.load(small.dataset_id)["a"].tolist() == [1, 2, 3]
    assert ws.page(small.dataset_id).frame["a"].tolist() == [7, 2, 3]
    assert ws.load("new")["n"].tolist()[:3] == [0, 1, 2]


def test_a_model_bundle_past_the_quota_keeps_the_run_and_says_the_model_was_not_saved(data_dir, monkeypatch):
    import numpy as np

    from core.train import TrainSettings
    from core.train import train_dataset
    from storage import bundles

    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(3_000, 6)), columns=[f"x{i}" for i in range(6)])
    frame["label"] = rng.choice(["yes", "no"], 3_000)  # noise: every tree grows to full depth
    store = users.UserStore(data_dir)
    store.create("bob", "Bob", "bob@example.com", "hash")
    store.set_language("bob", "en")  # the note is written in the account's language
    ws = Workspace("bob", data_dir)
    ws.save_frame(frame, "noise")
    # room for the linear model's bundle (2 KB) and a block or two of the DuckDB file, not for the forest's
    # (1.1 MB): the slowest model is recorded first, so the forest's run rows are in the file before the linear's
    _room(monkeypatch, "bob", data_dir, 600_000)
    quota = users.storage_quota("bob", data_dir)
    outcome = train_dataset(ws, "noise", TrainSettings(target="label", models=("linear", "rf"), folds=2,
                                                       params={"rf": {"n_estimators": 60}}, auto_test=False))
    runs = {r.model: r for r in ws.runs()}
    assert (runs["linear"].status, runs["rf"].status) == ("finished", "finished")
    assert outcome.unsaved == ["rf"]
    assert runs["rf"].settings["model_saved"] is False and runs["linear"].settings["model_saved"] is True
    assert any("could not be saved" in n and "storage is full" in n for n in runs["rf"].settings["notes"])
    assert any("could not be saved" in n for n in outcome.result.notes)  # what the training panel shows
    assert not bundles.bundle_dir("bob", runs["rf"].run_id, data_dir).exists()
    assert bundles.read_sidecar("bob", runs["linear"].run_id, data_dir)["model"] == "linear"
    # Past the quota only by the run records (scores, per-row predictions), not by the forest itself.
    used = users.storage_used("bob", data_dir)
    assert used <= quota + 300_000

    _room(monkeypatch, "bob", data_dir, 50 * users.MB)
    again = train_dataset(ws, "noise", TrainSettings(target="label", models=("rf",), folds=2,
                                                     params={"rf": {"n_estimators": 60}}, auto_test=False))
    assert again.unsaved == []
    forest = bundles.bundle_dir("bob", again.run_ids["rf"], data_dir) / bundles.PIPELINE_FILE
    assert forest.stat().st_size > 1_000_000  # what the quota kept out


def test_reading_while_the_file_is_rewritten_waits_and_sees_whole_data(data_dir):
    import threading

    ws = Workspace("bob", data_dir)
    small = ws.save_frame(pd.DataFrame({"a": [1, 2, 3]}), "small")
    big = ws.save_frame(_big_frame(600_000), "big")
    before = users.storage_used("bob", data_dir)
    deleting = threading.Thread(target=ws.delete_dataset, args=(big.dataset_id,))
    deleting.start()
    seen = []
    while deleting.is_alive():
        seen.append(ws.load(small.dataset_id)["a"].tolist())
    deleting.join()
    assert seen and all(s == [1, 2, 3] for s in seen)
    assert [d.name for d in ws.datasets()] == ["small"]
    assert users.storage_used("bob", data_dir) < before / 2  # rewritten all the same
