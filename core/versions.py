"""The versions of the libraries a model depends on, stored with every run and bundle."""
from __future__ import annotations

import platform
from importlib import metadata

LIBRARIES = ("scikit-learn", "numpy", "pandas", "scipy", "imbalanced-learn", "lightgbm", "xgboost-cpu", "joblib")


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return versions
