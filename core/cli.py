"""The command-line interface: ``python -m core [--data-dir DIR] [--user NAME] COMMAND``."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from core import service
from core.errors import USER_ERRORS
from core.models import DEFAULT_MODELS, REGISTRY
from core.training import TrainSettings
from storage import paths
from storage.workspace import Workspace

DEFAULT_CLI_USER = "local"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m core", description="AnyML from the command line.")
    parser.add_argument("--data-dir", type=Path, help=f"data directory (default ${paths.DATA_DIR_ENV} or ./data)")
    parser.add_argument("--user", default=os.environ.get("ANYML_USER", DEFAULT_CLI_USER),
                        help="whose workspace to use (default: %(default)s)")
    parser.add_argument("--json", action="store_true", help="print exactly one JSON object on stdout")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="store a CSV/TSV file as a dataset")
    p.add_argument("file", type=Path)
    p.add_argument("--name")

    sub.add_parser("datasets", help="list datasets")

    p = sub.add_parser("train", help="train and compare models on a dataset")
    p.add_argument("dataset")
    p.add_argument("--target", required=True)
    p.add_argument("--models", default=",".join(DEFAULT_MODELS),
                   help=f"comma-separated model keys from: {', '.join(REGISTRY)}")
    p.add_argument("--folds", type=int, default=5, help="k for k-fold validation; 1 means a 20%% hold-out")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--task", choices=["binary", "multiclass", "regression"])
    p.add_argument("--metric")

    p = sub.add_parser("runs", help="list runs")
    p.add_argument("--dataset")

    p = sub.add_parser("predict", help="predict a CSV file with a run's model")
    p.add_argument("run_id")
    p.add_argument("file", type=Path)
    p.add_argument("--out", type=Path, required=True)
    return parser


def _progress_bar(fraction: float, message: str) -> None:
    width = 30
    filled = int(round(fraction * width))
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {fraction:4.0%} {message[:60]:<60}")
    if fraction >= 1:
        sys.stderr.write("\n")
    sys.stderr.flush()


def run_command(args: argparse.Namespace) -> dict:
    """Carry out one parsed command and return its JSON-able result."""
    ws = Workspace(args.user, args.data_dir.resolve() if args.data_dir else None)
    if args.command == "ingest":
        if not args.file.exists():
            raise service.UserError(f"There is no file '{args.file}'.")
        ds = service.ingest_file(ws, args.file, args.name)
        return {"dataset": ds.name, "dataset_id": ds.dataset_id, "rows": ds.rows, "columns": ds.columns}
    if args.command == "datasets":
        return {"datasets": [{"name": d.name, "dataset_id": d.dataset_id, "rows": d.rows, "columns": d.columns}
                             for d in ws.datasets()]}
    if args.command == "train":
        models = tuple(m.strip() for m in args.models.split(",") if m.strip())
        for m in models:
            service.training.get_spec(m)
        settings = TrainSettings(target=args.target, models=models, task=args.task, metric=args.metric,
                                 validation="holdout" if args.folds <= 1 else "kfold", folds=max(args.folds, 2),
                                 seed=args.seed)
        progress = None if args.json or not sys.stderr.isatty() else _progress_bar
        return service.train_dataset(ws, args.dataset, settings, progress).to_json()
    if args.command == "runs":
        return {"runs": [{"run_id": r.run_id, "dataset": r.dataset_name, "target": r.target, "task": r.task,
                          "model": r.model, "metric": r.metric, "metrics": r.metrics, "status": r.status,
                          "fit_seconds": r.fit_seconds, "created": r.created.isoformat()}
                         for r in ws.runs(args.dataset)]}
    if args.command == "predict":
        if not args.file.exists():
            raise service.UserError(f"There is no file '{args.file}'.")
        frame = service.read_rows(args.file)
        prediction = service.predict(ws, args.run_id, frame, source=args.file.name)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_bytes(service.predictions_csv(prediction))
        return {"rows": len(prediction.frame), "out": str(args.out), "warnings": prediction.check.messages(),
                "report": prediction.check.report}
    raise AssertionError(args.command)


def _print_human(command: str, result: dict) -> None:
    if command == "train":
        print(f"task: {result['task']}   ranked by: {result['metric']}")
        for run in result["runs"]:
            value = run["metrics"].get(result["metric"])
            shown = "failed: " + run["error"] if run.get("error") else f"{result['metric']}={value:.4f}"
            print(f"  {run['run_id']}  {run['model']:<8} {shown}  ({run['fit_seconds']:.1f}s)")
        for note in result["notes"]:
            print(f"note: {note}")
    else:
        print(json.dumps(result, indent=2, ensure_ascii=False, default=str))


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result = run_command(args)
    except USER_ERRORS as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # never a traceback: one line, and the details for a bug report
        print(f"error: unexpected {type(err).__name__}: {err}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, ensure_ascii=False, default=str))
    else:
        _print_human(args.command, result)
    return 0
