"""The model bundle: exported as a zip with a README that works, and refused when damaged or from other versions."""
from __future__ import annotations

import json
import re
import zipfile

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_iris

from core.predict import export_bundle, open_bundle_zip, predict, predict_frame
from core.train import TrainSettings, train_dataset
from core.predict import bundles as run_bundles
from storage import bundles
from storage.bundles import BundleError
from tests.helpers import clone, train_once


@pytest.fixture(scope="module")
def iris_model(tmp_path_factory):
    frame = load_iris(as_frame=True).frame
    frame["species"] = np.asarray(load_iris().target_names)[frame.pop("target")]

    def build(ws):
        ds = ws.save_frame(frame, "붓꽃")
        return train_dataset(ws, ds.dataset_id, TrainSettings(target="species", models=("dt",), folds=2,
                                                              importance=False)).run_ids["dt"]

    root, run_id = train_once(tmp_path_factory, build)
    return root, run_id, frame.drop(columns="species")


@pytest.fixture
def trained(iris_model, data_dir):
    root, run_id, rows = iris_model
    clone(root, data_dir)
    return run_id, rows


def test_bundle_zip_round_trip_predicts_like_the_stored_model(ws, trained, tmp_path):
    run_id, rows = trained
    path = export_bundle(ws, run_id, tmp_path / "model.zip")
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["README.md", "bundle.json", "pipeline.joblib"]
        meta = json.loads(archive.read("bundle.json"))
        readme = archive.read("README.md").decode("utf-8")
    assert meta["run_id"] == run_id and meta["classes"] == ["setosa", "versicolor", "virginica"]
    assert set(meta) >= {"contract", "metrics", "settings", "library_versions", "sha256"}
    assert "sepal length (cm)" in readme and "joblib.load" in readme and "scikit-learn" in readme
    pipeline, sidecar = open_bundle_zip(path)
    from_zip = predict_frame(pipeline, sidecar, rows.head(30)).frame
    stored = predict(ws, run_id, rows.head(30)).frame
    pd.testing.assert_frame_equal(from_zip, stored)


def test_the_readme_code_loads_the_bundle_and_predicts(ws, trained, tmp_path, monkeypatch):
    run_id, rows = trained
    path = export_bundle(ws, run_id, tmp_path / "model.zip")
    with zipfile.ZipFile(path) as archive:
        archive.extractall(tmp_path / "bundle")
    readme = (tmp_path / "bundle" / "README.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", readme, re.S).group(1)
    rows.head(12).to_csv(tmp_path / "bundle" / "new_rows.csv", index=False, encoding="utf-8-sig")
    monkeypatch.chdir(tmp_path / "bundle")
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 - the README's own example, run as a user would
    expected = predict(ws, run_id, rows.head(12)).frame.iloc[:, len(rows.columns)].tolist()
    assert namespace["labels"] == expected
    assert np.allclose(namespace["probabilities"].sum(axis=1), 1.0)


def test_a_zip_whose_pipeline_was_changed_is_refused(ws, trained, tmp_path):
    run_id, _ = trained
    path = export_bundle(ws, run_id, tmp_path / "model.zip")
    changed = tmp_path / "changed.zip"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(changed, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, data + b"x" if name == "pipeline.joblib" else data)
    with pytest.raises(BundleError, match="'changed.zip' is damaged or was changed"):
        open_bundle_zip(changed)
    not_zip = tmp_path / "notes.zip"
    not_zip.write_text("hello")
    with pytest.raises(BundleError, match="not a model bundle"):
        open_bundle_zip(not_zip)


def test_a_bundle_from_other_library_versions_is_refused_with_the_versions_named(ws, trained, tmp_path, monkeypatch):
    run_id, rows = trained
    path = export_bundle(ws, run_id, tmp_path / "model.zip")
    current = run_bundles.library_versions()
    monkeypatch.setattr(run_bundles, "library_versions",
                        lambda: dict(current, **{"scikit-learn": "9.9.0", "python": current["python"] + "1"}))
    with pytest.raises(BundleError) as caught:
        open_bundle_zip(path)
    message = str(caught.value)
    assert f"scikit-learn {current['scikit-learn']} → 9.9.0" in message and "python" not in message
    # The stored bundle is refused the same way: nothing is predicted and no zip is made from it.
    with pytest.raises(BundleError, match="other library versions"):
        predict(ws, run_id, rows.head(3))
    with pytest.raises(BundleError, match="other library versions"):
        export_bundle(ws, run_id, tmp_path / "again.zip")
    assert not (tmp_path / "again.zip").exists()


def test_python_patch_releases_read_the_same_bundles_but_minor_ones_do_not():
    saved = {"python": "3.11.7", "numpy": "2.4.0"}
    assert bundles.version_mismatches(saved, {"python": "3.11.12", "numpy": "2.4.0", "new-lib": "1"}) == {}
    assert bundles.version_mismatches(saved, {"python": "3.12.1", "numpy": "2.4.1"}) == {
        "python": ("3.11.7", "3.12.1"), "numpy": ("2.4.0", "2.4.1")}


def test_a_damaged_stored_bundle_is_refused(ws, trained, tmp_path):
    run_id, rows = trained
    with open(bundles.bundle_dir(ws.username, run_id, ws.root) / "pipeline.joblib", "ab") as fh:
        fh.write(b"tampered")
    with pytest.raises(BundleError, match="damaged"):
        predict(ws, run_id, rows.head(3))
    with pytest.raises(BundleError, match="damaged"):
        export_bundle(ws, run_id, tmp_path / "m.zip")
