"""Model bundles on disk: the fitted pipeline plus a JSON sidecar, written atomically."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import joblib

from storage import paths
from storage.errors import UserError

PIPELINE_FILE = "pipeline.joblib"
SIDECAR_FILE = "bundle.json"


class BundleError(UserError):
    pass


def _atomic_write(path: Path, write) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def bundle_dir(username: str, run_id: str, root: Path | None = None) -> Path:
    if not run_id.isalnum():
        raise BundleError(f"'{run_id}' is not a run id.")
    return paths.models_dir(username, root) / run_id


def save_bundle(username: str, run_id: str, pipeline: Any, sidecar: dict, root: Path | None = None) -> Path:
    """Write ``pipeline`` and ``sidecar`` (plus the pipeline's sha256) under the user's models dir.

    Each file is written to a temporary name and renamed, so a crash never leaves half a bundle
    that looks whole: the sidecar, written last, is what marks a bundle complete.
    """
    directory = bundle_dir(username, run_id, root)
    pipeline_path = directory / PIPELINE_FILE
    _atomic_write(pipeline_path, lambda fh: joblib.dump(pipeline, fh, compress=3))
    sidecar = dict(sidecar, sha256=sha256_of(pipeline_path), pipeline_file=PIPELINE_FILE)
    payload = json.dumps(sidecar, indent=2, ensure_ascii=False, default=str).encode("utf-8")
    _atomic_write(directory / SIDECAR_FILE, lambda fh: fh.write(payload))
    return directory


def read_sidecar(username: str, run_id: str, root: Path | None = None) -> dict:
    path = bundle_dir(username, run_id, root) / SIDECAR_FILE
    if not path.exists():
        raise BundleError(f"Run '{run_id}' has no saved model. Train it again to get one.")
    return json.loads(path.read_text(encoding="utf-8"))


def load_bundle(username: str, run_id: str, root: Path | None = None,
                current_versions: dict[str, str] | None = None) -> tuple[Any, dict]:
    """Load a bundle after checking its checksum and, if given, the library versions it was saved with."""
    sidecar = read_sidecar(username, run_id, root)
    pipeline_path = bundle_dir(username, run_id, root) / sidecar.get("pipeline_file", PIPELINE_FILE)
    if not pipeline_path.exists() or sha256_of(pipeline_path) != sidecar.get("sha256"):
        raise BundleError(f"The saved model of run '{run_id}' is damaged (checksum mismatch). Train it again.")
    if current_versions:
        saved = sidecar.get("library_versions", {})
        changed = {k: (saved.get(k), v) for k, v in current_versions.items() if saved.get(k) not in (None, v)}
        if changed:
            detail = ", ".join(f"{k} {old} → {new}" for k, (old, new) in sorted(changed.items()))
            raise BundleError(f"The model of run '{run_id}' was saved with other library versions ({detail}). "
                              "Retrain it with the current version to use it.")
    with open(pipeline_path, "rb") as fh:
        return joblib.load(fh), sidecar
