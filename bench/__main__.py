"""Run every benchmark in bench/ and print one table: figure, ours, baseline, ratio, target.

``python -m bench [--quick] [NAME ...]`` — NAME is a module suffix such as ``ingest`` or ``nn``.
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import time
from pathlib import Path


def discover() -> list[str]:
    return sorted(m.name[len("bench_"):] for m in pkgutil.iter_modules([str(Path(__file__).parent)])
                  if m.name.startswith("bench_"))


def format_table(rows: list[dict]) -> str:
    header = ["benchmark", "figure", "ours", "baseline", "baseline value", "ratio", "target"]
    body = []
    for r in rows:
        ratio = r["ours"] / r["baseline"] if r.get("baseline") else float("nan")
        body.append([r["bench"], r["figure"], f"{r['ours']:.4g} {r['unit']}", r["baseline_label"],
                     f"{r['baseline']:.4g} {r['unit']}", f"{ratio:.2f}×", r.get("target", "")])
    widths = [max(len(str(x)) for x in col) for col in zip(header, *body)]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths))  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(b) for b in body])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (default all: {', '.join(discover())})")
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    args = parser.parse_args(argv)
    rows = []
    for name in args.names or discover():
        module = importlib.import_module(f"bench.bench_{name}")
        start = time.perf_counter()
        print(f"running {name} ...", file=sys.stderr, flush=True)
        these = [dict(row, bench=name) for row in module.run(quick=args.quick)]
        rows += these
        # Each benchmark's rows as soon as it ends, so a long run that is stopped keeps what it measured.
        print(format_table(these), file=sys.stderr, flush=True)
        print(f"  {name} took {time.perf_counter() - start:.1f}s", file=sys.stderr, flush=True)
    print(format_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
