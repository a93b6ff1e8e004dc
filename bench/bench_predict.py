"""Batch prediction from CSV to CSV: our chunked, contract-checked predict beside the bare pipeline, with peak memory.

Ours (`core.predict.predict_rows`) reads the file through DuckDB, checks every chunk against the input
contract, predicts, streams the CSV (UTF-8 with BOM) and appends the rows to a new dataset. The
baseline does the least a script would: ``pandas.read_csv``, ``pipeline.predict`` on all rows at
once, and ``DataFrame.to_csv`` — no checks, no saved dataset. Each runs in a fresh subprocess so its
peak resident memory is its own; both use the same fitted pipeline and the same rows.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from storage.db import release_under

ROOT = Path(__file__).resolve().parents[1]
TRAIN_ROWS = 20_000
MODEL = "lgbm"


def prepare(work: Path, rows: int) -> tuple[Path, str]:
    """Write the rows to predict and train a model on a sample of the same table; returns (csv, run id)."""
    import pandas as pd

    from bench.bench_ingest import write_csv
    from core.data import ingest
    from core.train import TrainSettings, train_dataset
    from storage.workspace import Workspace

    csv = work / "rows.csv"
    write_csv(csv, rows, seed=1)
    train_csv = work / "train.csv"
    write_csv(train_csv, TRAIN_ROWS, seed=2)
    ws = Workspace("bench", work / "data")
    ds = ingest(ws, train_csv, "students").dataset
    frame = pd.read_csv(csv, nrows=5)
    assert "score" in frame.columns
    outcome = train_dataset(ws, ds.dataset_id, TrainSettings(
        target="score", models=(MODEL,), features=("grade", "study_hours", "attendance", "subject", "exam_date"),
        validation="holdout", folds=2, importance=False))
    return csv, outcome.run_ids[MODEL]


def _measure(kind: str, work: str, csv: str, run_id: str) -> dict:
    import resource

    import pandas as pd

    from core.predict import load_model, predict_rows
    from storage.workspace import Workspace

    ws = Workspace("bench", Path(work) / "data")
    out = Path(work) / f"out_{kind}.csv"
    start = time.perf_counter()
    if kind == "ours":
        rows = predict_rows(ws, run_id, path=Path(csv), out=out).rows
    else:
        pipeline, _ = load_model(ws, run_id)
        frame = pd.read_csv(csv, parse_dates=["exam_date"])
        frame["prediction"] = pipeline.predict(frame)
        frame.to_csv(out, index=False, encoding="utf-8-sig")
        rows = len(frame)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak_mb, "rows": rows, "bytes": out.stat().st_size}


def measure(kind: str, work: Path, csv: Path, run_id: str) -> dict:
    proc = subprocess.run([sys.executable, "-m", "bench.bench_predict", "--one", kind, str(work), str(csv), run_id],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run(quick: bool = False) -> list[dict]:
    rows = 50_000 if quick else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        csv, run_id = prepare(work, rows)
        release_under(work)  # this process holds the workspace file open; the measurements open it themselves
        size_mb = csv.stat().st_size / 2**20
        bare = measure("bare", work, csv, run_id)
        ours = measure("ours", work, csv, run_id)
    assert ours["rows"] == bare["rows"] == rows
    label = f"{rows:,} rows, {size_mb:.0f} MB CSV → CSV, {MODEL}"
    return [
        {"figure": f"predict seconds ({label})", "ours": ours["seconds"],
         "baseline_label": "read_csv + pipeline.predict + to_csv", "baseline": bare["seconds"], "unit": "s",
         "target": "≤ 1.3×"},
        {"figure": "predict peak memory", "ours": ours["peak_mb"],
         "baseline_label": "read_csv + pipeline.predict + to_csv", "baseline": bare["peak_mb"], "unit": "MB",
         "target": "below the baseline (chunks, not all rows)"},
    ]


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--one":
        print(json.dumps(_measure(*sys.argv[2:])))
    else:
        for row in run(quick="--quick" in sys.argv):
            print(row)
