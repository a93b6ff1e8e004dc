"""Model bundles on disk: the fitted pipeline plus a JSON sidecar, written atomically."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Any


from storage import paths
from storage.errors import UserError
from storage.users import QuotaExceeded, ensure_storage_room

PIPELINE_FILE = "pipeline.joblib"


def _joblib():
    """joblib, imported on first use: listing datasets or runs never needs it (the CLI starts faster)."""
    import joblib

    return joblib
SIDECAR_FILE = "bundle.json"


class BundleError(UserError):
    pass


def _atomic_write(path: Path, write, check=None) -> None:
    """Write to a temporary file beside ``path``, call ``check()`` (which may raise), then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        if check is not None:
            check()
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
    that looks whole: the sidecar, written last, is what marks a bundle complete. The pipeline's size
    is only known once written, so it is checked against the user's storage quota before the rename:
    past it, the file and its directory are removed and `QuotaExceeded` is raised.
    """
    directory = bundle_dir(username, run_id, root)
    existed = directory.exists()
    pipeline_path = directory / PIPELINE_FILE
    try:
        # The temporary file is inside the user's directory, so it is counted: no extra bytes to add.
        _atomic_write(pipeline_path, lambda fh: _joblib().dump(pipeline, fh, compress=3),
                      check=lambda: ensure_storage_room(username, 0, root))
    except QuotaExceeded:
        if not existed:
            shutil.rmtree(directory, ignore_errors=True)
        raise
    sidecar = dict(sidecar, sha256=sha256_of(pipeline_path), pipeline_file=PIPELINE_FILE)
    payload = json.dumps(sidecar, indent=2, ensure_ascii=False, default=str).encode("utf-8")
    _atomic_write(directory / SIDECAR_FILE, lambda fh: fh.write(payload))
    return directory


def read_sidecar(username: str, run_id: str, root: Path | None = None) -> dict:
    path = bundle_dir(username, run_id, root) / SIDECAR_FILE
    if not path.exists():
        raise BundleError(f"Run '{run_id}' has no saved model. Train it again to get one.")
    return json.loads(path.read_text(encoding="utf-8"))


def update_sidecar(username: str, run_id: str, changes: dict, root: Path | None = None) -> dict:
    """Replace top-level entries of a bundle's sidecar (e.g. its threshold), written atomically; the pipeline
    and its checksum stay as they are. Returns the new sidecar."""
    sidecar = dict(read_sidecar(username, run_id, root), **changes)
    payload = json.dumps(sidecar, indent=2, ensure_ascii=False, default=str).encode("utf-8")
    _atomic_write(bundle_dir(username, run_id, root) / SIDECAR_FILE, lambda fh: fh.write(payload))
    return sidecar


def load_bundle(username: str, run_id: str, root: Path | None = None,
                current_versions: dict[str, str] | None = None) -> tuple[Any, dict]:
    """Load a bundle after checking its checksum and, if given, the library versions it was saved with."""
    sidecar = read_sidecar(username, run_id, root)
    pipeline_path = bundle_dir(username, run_id, root) / sidecar.get("pipeline_file", PIPELINE_FILE)
    if not pipeline_path.exists() or sha256_of(pipeline_path) != sidecar.get("sha256"):
        raise BundleError(f"The saved model of run '{run_id}' is damaged (checksum mismatch). Train it again.",
                          key="predict.error.bundle_damaged", params={"run": run_id})
    if current_versions:
        changed = version_mismatches(sidecar.get("library_versions", {}), current_versions)
        if changed:
            raise BundleError(f"The model of run '{run_id}' was saved with other library versions "
                              f"({_describe_versions(changed)}). Retrain it with the current versions to use it.",
                              key="predict.error.bundle_versions",
                              params={"run": run_id, "versions": _describe_versions(changed)})
    with open(pipeline_path, "rb") as fh:
        return _joblib().load(fh), sidecar


def delete_bundle(username: str, run_id: str, root: Path | None = None) -> bool:
    """Remove the model bundle of ``run_id`` (nothing to do if it has none); True if one was removed.

    The directory is first renamed aside, so a bundle is either whole or gone, never half deleted.
    """
    directory = bundle_dir(username, run_id, root)
    if not directory.exists():
        return False
    doomed = directory.with_name(f".deleting-{run_id}-{uuid.uuid4().hex[:8]}")
    os.replace(directory, doomed)
    shutil.rmtree(doomed, ignore_errors=True)
    return True


# -- exported bundles (zip) -----------------------------------------------------------------------------

README_FILE = "README.md"


def version_mismatches(saved: dict[str, str], current: dict[str, str]) -> dict[str, tuple[str, str]]:
    """``{library: (saved, current)}`` for every library whose version differs (Python by major.minor only:
    a patch release of Python reads the same pickles)."""
    changed = {}
    for name, now in current.items():
        then = saved.get(name)
        if then is None:
            continue
        if name == "python":
            then_short, now_short = ".".join(str(then).split(".")[:2]), ".".join(str(now).split(".")[:2])
            if then_short != now_short:
                changed[name] = (then, now)
        elif str(then) != str(now):
            changed[name] = (then, now)
    return changed


def _describe_versions(changed: dict[str, tuple[str, str]]) -> str:
    return ", ".join(f"{k} {old} → {new}" for k, (old, new) in sorted(changed.items()))


def write_zip(directory: Path, target: Path, readme: str) -> Path:
    """Write the bundle in ``directory`` (pipeline and sidecar) plus ``readme`` to the zip file ``target``.

    The zip is written to a temporary name and renamed, so ``target`` is never half written.
    """
    import zipfile

    sidecar_path = Path(directory) / SIDECAR_FILE
    if not sidecar_path.exists():
        raise BundleError("This run has no saved model. Train it again to get one.", key="predict.error.no_bundle")
    sidecar = json.loads(sidecar_path.read_text(encoding="utf-8"))
    pipeline_path = Path(directory) / sidecar.get("pipeline_file", PIPELINE_FILE)

    def write(fh):
        with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.write(pipeline_path, PIPELINE_FILE)
            archive.writestr(SIDECAR_FILE, sidecar_path.read_bytes())
            archive.writestr(README_FILE, readme.encode("utf-8"))

    _atomic_write(Path(target), write)
    return Path(target)


def read_zip(path: Path, current_versions: dict[str, str] | None = None) -> tuple[Any, dict]:
    """Load an exported bundle (a zip from `write_zip`) after checking its checksum and library versions.

    Raises `BundleError` when the file is not a bundle, its pipeline does not match the checksum in
    its sidecar, or it was saved with other library versions than ``current_versions``.
    """
    import zipfile

    name = Path(path).name
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise BundleError(f"'{name}' is not a model bundle (not a readable zip file). Download the bundle again.",
                          key="predict.error.not_a_bundle", params={"name": name}) from None
    with archive:
        members = set(archive.namelist())
        if not {PIPELINE_FILE, SIDECAR_FILE} <= members:
            raise BundleError(f"'{name}' is not a model bundle: it lacks {PIPELINE_FILE} or {SIDECAR_FILE}. "
                              "Download the bundle again.", key="predict.error.not_a_bundle", params={"name": name})
        sidecar = json.loads(archive.read(SIDECAR_FILE).decode("utf-8"))
        digest = hashlib.sha256()
        with archive.open(PIPELINE_FILE) as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        if digest.hexdigest() != sidecar.get("sha256"):
            raise BundleError(f"The model bundle '{name}' is damaged or was changed: its pipeline does not match "
                              "the checksum in bundle.json. Download the bundle again.",
                              key="predict.error.zip_damaged", params={"name": name})
        if current_versions:
            changed = version_mismatches(sidecar.get("library_versions", {}), current_versions)
            if changed:
                raise BundleError(f"The model bundle '{name}' was saved with other library versions "
                                  f"({_describe_versions(changed)}). Install the versions listed in bundle.json, "
                                  "or retrain the model with the current ones.",
                                  key="predict.error.zip_versions",
                                  params={"name": name, "versions": _describe_versions(changed)})
        with archive.open(PIPELINE_FILE) as fh:
            return _joblib().load(fh), sidecar
