"""The CLI's global options after the command (``profile x --json``), and commands that list without heavy imports."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("sklearn", "lightgbm", "xgboost", "plotly", "imblearn")
#: Runs ``python -m core ARGS`` in this interpreter, then prints the heavy libraries it imported.
PROBE = ("import runpy, sys\nsys.argv = ['core'] + sys.argv[1:]\ntry:\n    runpy.run_module('core', run_name='__main__')\n"
         "except SystemExit:\n    pass\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & set(%r))))"
         % (HEAVY,))


def run(data_dir, *args):
    env = dict(os.environ, ANYML_DATA_DIR=str(data_dir))
    return subprocess.run([sys.executable, "-m", "core", *map(str, args)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


@pytest.mark.parametrize("args", [
    ["--json", "datasets"], ["datasets", "--json"], ["--user", "bob", "datasets", "--json"],
    ["datasets", "--json", "--user", "bob"],
])
def test_global_options_work_before_and_after_the_command(args):
    parsed = build_parser().parse_args(args)
    assert parsed.json is True and parsed.command == "datasets"
    assert parsed.user == ("bob" if "bob" in args else parsed.user)


def test_an_option_before_the_command_is_kept_when_not_repeated_after_it(tmp_path):
    parsed = build_parser().parse_args(["--data-dir", str(tmp_path), "--user", "bob", "--json", "runs"])
    assert (parsed.data_dir, parsed.user, parsed.json) == (tmp_path, "bob", True)
    assert build_parser().parse_args(["runs"]).json is False


def test_profile_with_json_after_the_command_as_the_readme_writes_it(data_dir, tmp_path, iris_frame):
    csv = tmp_path / "students.csv"
    iris_frame.to_csv(csv, index=False)
    assert run(data_dir, "ingest", csv, "--name", "students", "--json").returncode == 0
    proc = run(data_dir, "profile", "students", "--target", "species", "--json")
    assert proc.returncode == 0, proc.stderr  # before: "unrecognized arguments: --json"
    answer = json.loads(proc.stdout)
    assert answer and "species" in proc.stdout
    listed = run(tmp_path / "elsewhere", "datasets", "--data-dir", data_dir, "--json")
    assert [d["name"] for d in json.loads(listed.stdout)["datasets"]] == ["students"]


@pytest.mark.parametrize("args", [["--help"], ["datasets"], ["runs", "--json"], ["train", "--help"]])
def test_listing_commands_do_not_import_the_model_libraries(data_dir, args):
    env = dict(os.environ, ANYML_DATA_DIR=str(data_dir))
    proc = subprocess.run([sys.executable, "-c", "import json\n" + PROBE, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == [], proc.stderr  # before: sklearn, imblearn


def test_listing_commands_load_neither_pandas_nor_numpy_and_still_give_fold_scores(data_dir, tmp_path, iris_frame):
    csv = tmp_path / "iris.csv"
    iris_frame.to_csv(csv, index=False)
    assert run(data_dir, "ingest", csv, "--name", "iris").returncode == 0
    trained = run(data_dir, "train", "iris", "--target", "species", "--models", "dummy,dt", "--folds", "3",
                  "--no-ensemble", "--json")
    assert trained.returncode == 0, trained.stderr
    env = dict(os.environ, ANYML_DATA_DIR=str(data_dir))
    probe = PROBE.replace(repr(HEAVY), repr(HEAVY + ("pandas", "numpy")))
    for args in (["datasets", "--json"], ["runs", "--json"]):
        proc = subprocess.run([sys.executable, "-c", "import json\n" + probe, *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=300)
        lines = proc.stdout.strip().splitlines()
        assert json.loads(lines[-1]) == [], proc.stderr  # before: ["numpy", "pandas"]
    runs = json.loads(run(data_dir, "runs", "--json").stdout)["runs"]
    assert sorted(r["model"] for r in runs) == ["dt", "dummy"]
    for entry in runs:
        valid = entry["fold_metrics"]["f1_macro"]
        assert all(len(scores) == 3 and all(0 <= s <= 1 for s in scores) for scores in valid.values()), valid
        assert set(entry["metrics"]) >= {"f1_macro", "accuracy"}
