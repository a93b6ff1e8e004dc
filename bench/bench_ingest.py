"""CSV ingest: our Workspace.ingest_csv beside DuckDB's bare read_csv and pandas.read_csv, with peak memory.

Each measurement runs in a fresh subprocess so its peak resident memory is its own.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def write_csv(path: Path, rows: int, seed: int = 0) -> None:
    """A mixed table: ids, integers, floats, a category, a date and Korean text, written in chunks."""
    rng = np.random.default_rng(seed)
    chunk = 250_000
    subjects = np.array(["국어", "수학", "영어", "과학"])
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("student_id,grade,study_hours,attendance,subject,exam_date,score\n")
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            ids = np.arange(start, start + n)
            grade = rng.integers(1, 7, n)
            hours = np.round(rng.gamma(2.0, 2.0, n), 2)
            attendance = np.round(rng.uniform(0.5, 1.0, n), 3)
            subject = subjects[rng.integers(0, 4, n)]
            day = rng.integers(1, 29, n)
            score = np.round(40 + 5 * hours + 20 * attendance + rng.normal(0, 5, n), 1)
            lines = [f"{i},{g},{h},{a},{s},2025-03-{d:02d},{sc}\n"
                     for i, g, h, a, s, d, sc in zip(ids, grade, hours, attendance, subject, day, score)]
            fh.writelines(lines)


def _measure(kind: str, csv_path: str, work: str) -> dict:
    import resource

    import duckdb
    import pandas as pd

    from storage.workspace import Workspace

    start = time.perf_counter()
    if kind == "ours":
        ds = Workspace("bench", Path(work)).ingest_csv(Path(csv_path), "bench")
        rows = ds.rows
    elif kind == "duckdb":
        con = duckdb.connect(str(Path(work) / "bare.duckdb"))
        con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [csv_path])
        rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
        con.close()
    else:
        rows = len(pd.read_csv(csv_path))
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak_mb, "rows": rows}


def measure(kind: str, csv_path: Path) -> dict:
    with tempfile.TemporaryDirectory() as work:
        out = subprocess.run([sys.executable, "-m", "bench.bench_ingest", "--one", kind, str(csv_path), work],
                             capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parents[1])
    return json.loads(out.stdout)


def run(quick: bool = False) -> list[dict]:
    rows = 100_000 if quick else 2_000_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.csv"
        write_csv(path, rows)
        size_mb = path.stat().st_size / 2**20
        ours, bare, pandas = (measure(kind, path) for kind in ("ours", "duckdb", "pandas"))
    assert ours["rows"] == bare["rows"] == pandas["rows"] == rows
    label = f"{rows:,} rows, {size_mb:.0f} MB CSV"
    return [
        {"figure": f"ingest seconds ({label})", "ours": ours["seconds"], "baseline_label": "duckdb read_csv",
         "baseline": bare["seconds"], "unit": "s", "target": "≤ 1.3×"},
        {"figure": f"ingest seconds ({label})", "ours": ours["seconds"], "baseline_label": "pandas.read_csv",
         "baseline": pandas["seconds"], "unit": "s", "target": "< 1.0×"},
        {"figure": "ingest peak memory", "ours": ours["peak_mb"], "baseline_label": "pandas.read_csv",
         "baseline": pandas["peak_mb"], "unit": "MB", "target": f"about the file size ({size_mb:.0f} MB) or less"},
    ]


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--one":
        print(json.dumps(_measure(sys.argv[2], sys.argv[3], sys.argv[4])))
    else:
        for row in run(quick="--quick" in sys.argv):
            print(row)
