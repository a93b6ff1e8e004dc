"""Command-line start: ``python -m core --help``, ``datasets`` and ``runs`` beside the imports they no longer need.

Each figure is the best of a few fresh interpreters (wall seconds, start-up included). The baseline is
a fresh interpreter that imports what the CLI imported before the listing commands became light: the
model libraries (scikit-learn, imbalanced-learn) on top of the workspace. The target is issue 12's.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = "import storage.workspace, sklearn.ensemble, sklearn.linear_model, imblearn.pipeline"


def _best(args: list[str], env: dict, tries: int) -> float:
    times = []
    for _ in range(tries):
        start = time.perf_counter()
        subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return min(times)


def run(quick: bool = False) -> list[dict]:
    tries = 2 if quick else 5
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, ANYML_DATA_DIR=tmp)
        baseline = _best(["-c", HEAVY], env, tries)
        rows = []
        for command in (["--help"], ["datasets"], ["runs", "--json"]):
            ours = _best(["-m", "core", *command], env, tries)
            rows.append({"figure": f"python -m core {' '.join(command)}", "ours": ours,
                         "baseline_label": "fresh python importing the model libraries", "baseline": baseline,
                         "unit": "s", "target": "< 0.5 s"})
    return rows
