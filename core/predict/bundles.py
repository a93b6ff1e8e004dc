"""A run's model bundle: its sidecar, loading it with its checks, the model used by default, export as a zip."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from core.errors import UserError
from core.predict.prediction import bundle_readme
from core.train.settings import BASELINE, LOWER_IS_BETTER
from core.versions import library_versions
from storage import batches, bundles
from storage.workspace import Run, Workspace


def run_sidecar(ws: Workspace, run_id: str) -> dict:
    """The sidecar of a run's model bundle (contract, classes, metrics, versions) without loading the model."""
    return bundles.read_sidecar(ws.username, run_id, ws.root)


def model_stamp(ws: Workspace, run_id: str) -> str:
    """What identifies the stored model of a run as it is on disk now (checksum, size, time), for caching."""
    sidecar = run_sidecar(ws, run_id)
    path = bundles.bundle_dir(ws.username, run_id, ws.root) / sidecar.get("pipeline_file", bundles.PIPELINE_FILE)
    stat = path.stat() if path.exists() else None
    threshold = (sidecar.get("decision") or {}).get("threshold")  # a saved threshold changes the answers
    return f"{sidecar.get('sha256')}:{stat.st_size if stat else 0}:{stat.st_mtime_ns if stat else 0}:{threshold}"


def load_model(ws: Workspace, run_id: str) -> tuple[Any, dict]:
    """The fitted pipeline and sidecar of a finished run, after checking its checksum and library versions."""
    run = ws.run(run_id)
    if run.status != "finished":
        raise UserError(f"Run '{run_id}' did not finish, so it has no model to predict with. Pick another run.",
                        key="predict.error.not_finished", params={"run": run_id})
    return bundles.load_bundle(ws.username, run_id, ws.root, current_versions=library_versions())


def default_run(ws: Workspace, runs: list[Run], dataset: str | None = None) -> str | None:
    """The run to predict with unless the user picks another: the active run of ``dataset`` (or of the
    dataset trained on last), else that dataset's best finished run for its latest target."""
    finished = [r for r in runs if r.status == "finished"]
    if not finished:
        return None
    ids = {r.run_id for r in finished}
    dataset_ids = [r.dataset_id for r in finished]
    chosen = dataset if dataset in dataset_ids else dataset_ids[0]
    try:
        active = ws.active_run(chosen)
    except UserError:  # the dataset itself was deleted; its runs remain
        active = None
    if active in ids:
        return active
    own = [r for r in finished if r.dataset_id == chosen]
    latest = max(own, key=lambda r: r.created)
    # Scores compare only between runs validated alike on the same data: a lucky hold-out or an older
    # version of the table must not win over the latest comparison.
    rivals = [r for r in own if comparable_key(r) == comparable_key(latest)
              and (r.metrics or {}).get(r.metric) is not None]
    models = [r for r in rivals if r.model != BASELINE] or rivals
    if not models:
        return latest.run_id
    sign = 1 if latest.metric in LOWER_IS_BETTER else -1
    return min(models, key=lambda r: (sign * r.metrics[r.metric], -r.created.timestamp())).run_id


#: The settings that decide which rows a run was scored on, and how.
_COMPARED_ON = ("validation", "folds", "repeats", "holdout_size", "time_column", "test_size", "seed", "features")


def comparable_key(run: Run) -> tuple:
    """What two runs must share for their scores to be compared: data version, target, metric, validation."""
    settings = run.settings or {}
    return (run.dataset_id, run.dataset_version, run.target, run.metric,
            tuple(str(settings.get(name)) for name in _COMPARED_ON))


def set_active_run(ws: Workspace, run_id: str) -> Run:
    """Make ``run_id`` the model used by default for the dataset it was trained on; takes effect at once."""
    run = ws.run(run_id)
    ws.set_active_run(run.dataset_id, run_id)
    return run


def export_bundle(ws: Workspace, run_id: str, out: Path | None = None) -> Path:
    """The run's model bundle as a zip (pipeline, sidecar, README), at ``out`` or a new file of the user's."""
    load_model(ws, run_id)  # a damaged bundle or one saved with other versions is refused, not exported
    sidecar = run_sidecar(ws, run_id)
    target = Path(out) if out is not None else batches.output_path(ws, ".zip")
    if target.suffix.lower() != ".zip":
        raise UserError("Name the bundle file with .zip at the end, e.g. model.zip.", key="predict.error.zip_name")
    return bundles.write_zip(bundles.bundle_dir(ws.username, run_id, ws.root), target, bundle_readme(sidecar))


def open_bundle_zip(path: Path) -> tuple[Any, dict]:
    """Load an exported model bundle, refusing it if its checksum or library versions do not match."""
    return bundles.read_zip(Path(path), current_versions=library_versions())
