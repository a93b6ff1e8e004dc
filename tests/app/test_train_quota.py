"""The Train page refuses to start a training when the user's storage is full, with the quota message."""
from __future__ import annotations

from core import config
from core.data import load_sample
from storage import users
from storage.workspace import Workspace
from tests.app.apptest import app


def test_a_full_storage_is_said_on_the_train_page_and_nothing_is_queued(monkeypatch):
    at = app("carol")  # a user of this test only: the job runner is shared by the process
    load_sample(Workspace("carol"), "breast_cancer")
    monkeypatch.setenv(config.STORAGE_QUOTA_ENV, str(users.storage_used("carol") / users.MB))
    at.switch_page("pages/train.py").run()
    at.selectbox(key="train.target").set_value("diagnosis").run()
    at.multiselect(key="train.models").set_value(["dt"])
    at.button(key="train.start").click().run()
    assert not at.exception
    assert any("Your storage is full" in e.value for e in at.error), [e.value for e in at.error]
    assert "train.last_job" not in at.session_state and Workspace("carol").runs() == []
