"""AppTest of the run page's decision threshold: the slider, the counts it gives, and saving it for Predict."""
from __future__ import annotations

import pytest

from core.predict import run_sidecar
from core.train import TrainSettings, train_dataset
from storage.workspace import Workspace
from tests.app.apptest import app, no_errors
from tests.helpers import clone, imbalanced_frame, train_once


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    def build(ws):
        ds = ws.save_frame(imbalanced_frame(n=400, positive_rate=0.15), "rare")
        settings = TrainSettings(target="label", models=("linear",), folds=3, seed=3, importance=False)
        return train_dataset(ws, ds.dataset_id, settings).run_ids["linear"]

    return train_once(tmp_path_factory, build)


def counts(at) -> dict:
    table = next(d.value for d in at.dataframe if "predicted yes" in d.value.columns)
    return {"tp": int(table.loc["actual yes", "predicted yes"]), "fp": int(table.loc["actual no", "predicted yes"]),
            "total": int(table.to_numpy().sum())}


def test_moving_the_threshold_changes_the_counts_and_saving_it_changes_predict(data_dir, template):
    root, run_id = template
    clone(root, data_dir)
    at = app()
    at.switch_page("pages/runs.py").run()
    no_errors(at)
    at.segmented_control(key="runs.view").set_value("details").run()
    at.selectbox(key="runs.detail").set_value(run_id).run()
    no_errors(at)
    ws = Workspace("alice")
    chosen = run_sidecar(ws, run_id)["decision"]["threshold"]
    slider = at.slider(key="runs.threshold")
    assert slider.value == pytest.approx(round(chosen, 3))
    assert at.button(key="runs.save_threshold").disabled  # nothing to save yet
    at.slider(key="runs.threshold").set_value(0.05).run()
    low = counts(at)
    at.slider(key="runs.threshold").set_value(0.9).run()
    high = counts(at)
    no_errors(at)
    assert low["total"] == high["total"] == 400
    assert low["tp"] >= high["tp"] and low["fp"] > high["fp"]
    assert any("At 0.900" in c.value for c in at.caption)
    at.button(key="runs.save_threshold").click().run()
    no_errors(at)
    assert run_sidecar(ws, run_id)["decision"]["threshold"] == pytest.approx(0.9)
    assert any("Predict now uses the threshold 0.900" in s.value for s in at.success)
