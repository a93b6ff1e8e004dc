"""Hostile files: a wide CSV (200 rows x 5,001 columns of digits) and a header of repeated names,
each through our preview + save (read, tidy, column profile, register) beside a bare DuckDB read_csv.

Each measurement runs in a fresh subprocess and reads its own peak memory (VmHWM of
/proc/self/status, which counts DuckDB's allocations too), so the two sides do not share memory.
``--quick`` uses 1,000 columns.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COLUMNS = 5_001
QUICK_COLUMNS = 1_000
ROWS = 200


def write_wide(path: Path, columns: int, rows: int = ROWS, repeated: bool = False) -> None:
    """``rows`` rows of 5-digit numbers; the header is ``c0, c1, ...`` or one name repeated."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(",".join("v" if repeated else f"c{i}" for i in range(columns)) + "\n")
        for r in range(rows):
            fh.write(",".join(str((r * 7919 + i * 104729) % 100_000) for i in range(columns)) + "\n")


def _peak_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _measure(kind: str, csv_path: str, work: str) -> dict:
    if kind == "ours":
        from core.data import datasets
        from storage.workspace import Workspace
    else:
        import duckdb
    start = time.perf_counter()
    if kind == "ours":
        ws = Workspace("bench", Path(work))
        datasets.inspect_file(ws, Path(csv_path), "wide.csv")
        columns = datasets.ingest(ws, Path(csv_path), original_name="wide.csv").dataset.columns
    else:
        con = duckdb.connect(str(Path(work) / "bare.duckdb"))
        con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [csv_path])
        columns = len(con.execute("DESCRIBE t").fetchall())
        con.close()
    return {"seconds": time.perf_counter() - start, "peak_mb": _peak_mb(), "columns": columns}


def measure(kind: str, csv_path: Path) -> dict:
    with tempfile.TemporaryDirectory() as work:
        out = subprocess.run([sys.executable, "-m", "bench.bench_wide", "--one", kind, str(csv_path), work],
                             capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parents[1])
    return json.loads(out.stdout)


def run(quick: bool = False) -> list[dict]:
    columns = QUICK_COLUMNS if quick else COLUMNS
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for repeated in (False, True):
            path = Path(tmp) / ("repeated.csv" if repeated else "wide.csv")
            write_wide(path, columns, repeated=repeated)
            ours, bare = measure("ours", path), measure("duckdb", path)
            assert ours["columns"] == bare["columns"] == columns
            what = f"{ROWS} rows x {columns:,} columns" + (", one header name repeated" if repeated else "")
            rows += [
                {"figure": f"preview + save seconds ({what})", "ours": ours["seconds"],
                 "baseline_label": "duckdb read_csv", "baseline": bare["seconds"], "unit": "s",
                 "target": "< 30 s"},
                {"figure": f"preview + save peak memory ({what})", "ours": ours["peak_mb"],
                 "baseline_label": "duckdb read_csv", "baseline": bare["peak_mb"], "unit": "MB",
                 "target": "< 1,024 MB"},
            ]
    return rows


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--one":
        print(json.dumps(_measure(sys.argv[2], sys.argv[3], sys.argv[4])))
    else:
        for row in run(quick="--quick" in sys.argv):
            print(row)
