"""The command-line interface: ``python -m core [--data-dir DIR] [--user NAME] COMMAND``."""
from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

from core import config
from core.errors import USER_ERRORS, UserError
from core.train.models import DEFAULT_MODELS, REGISTRY, get_spec
from core.train.options import PreprocessSettings
from core.train.settings import TrainSettings
from texts import text_for

# Each command imports what it needs (the workspace, reading files, training, predicting, profiling) when it
# runs: ``--help`` loads neither pandas nor DuckDB, and ``datasets`` and ``runs`` never load scikit-learn,
# LightGBM, XGBoost or Plotly.


def _global_options(parser: argparse.ArgumentParser, defaults: bool) -> None:
    """The options every command takes, before or after the command's name (``profile x --json``).

    On a command they default to "not given" (SUPPRESS), so one given before the command is kept.
    """
    unset = {} if defaults else {"default": argparse.SUPPRESS}
    parser.add_argument("--data-dir", type=Path, help=f"data directory (default ${config.DATA_DIR_ENV} or ./data)",
                        **unset)
    parser.add_argument("--user", help=f"whose workspace to use (default: {config.cli_user()})",
                        **({"default": config.cli_user()} if defaults else unset))
    parser.add_argument("--json", action="store_true", help="print exactly one JSON object on stdout", **unset)
    parser.add_argument("--lang", choices=["en", "ko"], help="language of the result sentence, the notes and the "
                        "report (default: en)", **({"default": "en"} if defaults else unset))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m core", description="AnyML from the command line.")
    _global_options(parser, defaults=True)
    common = argparse.ArgumentParser(add_help=False)
    _global_options(common, defaults=False)
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, **kwargs) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[common], **kwargs)

    p = command("ingest", help="store a CSV/TSV, Excel, Parquet or JSON file, or Redis keys, as a dataset")
    p.add_argument("file", metavar="FILE|redis://HOST:PORT/DB",
                   help="a file, or a Redis server (password in the address or in $REDISCLI_AUTH)")
    p.add_argument("--pattern", help="Redis only: which keys to read, e.g. 'student:*' (default: *)")
    p.add_argument("--limit", type=int, help="Redis only: most rows to read (default: 100,000)")
    p.add_argument("--name")
    p.add_argument("--encoding", help="text encoding: utf-8, utf-8-sig, cp949 (euc-kr), utf-16 or latin-1 "
                                      "(default: detected)")
    p.add_argument("--delimiter", help="field separator, e.g. ',' ';' '|' or tab (default: detected)")
    p.add_argument("--sheet", help="Excel sheet name (default: the first sheet)")
    p.add_argument("--header-row", type=int, help="line (or Excel row) of the header; 0 = no header "
                                                  "(default: detected)")

    command("datasets", help="list datasets")

    p = command("versions", help="list the versions of a dataset and what each changed")
    p.add_argument("dataset")

    p = command("export", help="write a dataset to a .csv (UTF-8 with BOM), .xlsx or .parquet file, "
                                      "or a run's model bundle to a .zip file")
    p.add_argument("dataset", metavar="DATASET|RUN_ID", help="a dataset, or a run when --out ends with .zip")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--version", type=int, help="which version (default: the current one)")

    p = command("train", help="train and compare models on a dataset")
    p.add_argument("dataset")
    p.add_argument("--target", required=True)
    p.add_argument("--models", default=",".join(DEFAULT_MODELS),
                   help=f"comma-separated model keys from: {', '.join(REGISTRY)} (the dummy baseline is always added)")
    p.add_argument("--features", help="comma-separated feature columns (default: all but the target)")
    p.add_argument("--folds", type=int, default=5, help="k for k-fold validation; 1 means a 20%% hold-out")
    p.add_argument("--validation", choices=["kfold", "holdout", "repeated", "time"],
                   help="default: kfold, or holdout when --folds 1")
    p.add_argument("--repeats", type=int, default=2, help="repeats for repeated k-fold")
    p.add_argument("--time-column", help="date column that orders rows for --validation time")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--task", choices=["binary", "multiclass", "regression"])
    p.add_argument("--metric", help="rank by this metric instead of the task's default")
    p.add_argument("--balance", choices=["none", "class_weight", "smote", "oversample", "undersample"],
                   default="none", help="class-imbalance handling, inside the training folds only")
    p.add_argument("--scaling", choices=["auto", "standard", "minmax", "robust", "none"], default="auto")
    p.add_argument("--impute", choices=["median", "mean", "constant"], default="median")
    p.add_argument("--missing-indicators", action="store_true")
    p.add_argument("--native-categories", action=argparse.BooleanOptionalAction, default=True,
                   help="give category columns to LightGBM and HistGradientBoosting as categories; with "
                        "--no-native-categories they become integer codes (default: on)")
    p.add_argument("--select", choices=["none", "pvalue", "correlation", "mutual_info", "importance"],
                   default="none", help="feature selection")
    p.add_argument("--select-k", type=int, default=20, help="features kept by --select mutual_info")
    p.add_argument("--tune", action="store_true",
                   help="search hyperparameters with Optuna (TPE, pruning) on the run's folds, within the time limit")
    p.add_argument("--ensemble", action=argparse.BooleanOptionalAction, default=True,
                   help="add a weighted mix of the models when it beats the best one (default: on)")
    p.add_argument("--threshold-goal", choices=["f1", "balanced"], default="f1",
                   help="what a two-class model's decision threshold is chosen for (default: %(default)s)")
    p.add_argument("--time-limit", type=float, help="seconds for the whole comparison")
    p.add_argument("--test-size", type=float, default=0.0, help="share of rows held out as a final test set")
    p.add_argument("--param", action="append", default=[], metavar="MODEL.NAME=VALUE",
                   help="a hyperparameter, e.g. --param mlp.epochs=45 (repeatable)")

    p = command("runs", help="list runs with their status, scores per fold and timings, or show one run")
    p.add_argument("run_id", nargs="?", help="show this run with its result in one sentence")
    p.add_argument("--dataset")

    p = command("report", help="write a run's self-contained HTML report")
    p.add_argument("run_id")
    p.add_argument("--out", type=Path, required=True, help="the .html file to write")

    p = command("predict", help="predict a file (CSV/TSV, Excel, Parquet or JSON) with a run's model")
    p.add_argument("run_id")
    p.add_argument("file", type=Path)
    p.add_argument("--out", type=Path, required=True, help="a .csv (UTF-8 with BOM) or .xlsx file")
    p.add_argument("--chunk-size", type=int, help="rows predicted at a time (default: the app's batch size)")
    p.add_argument("--keep", help="comma-separated input columns to copy to the output, e.g. an id "
                                  "(default: all)")
    p.add_argument("--reasons", action="store_true",
                   help="add the columns 'reason 1' to 'reason 3': the three input columns that pushed each row's "
                        "prediction most, and which way")
    p.add_argument("--threshold", type=float,
                   help="for a two-class model: predict the second class when its probability is at least this "
                        "(default: the threshold saved with the run)")

    p = command("profile", help="profile a dataset: columns, warnings, and tests against a target")
    p.add_argument("dataset")
    p.add_argument("--target", help="test every feature against this column")
    return parser


def parse_params(items: list[str]) -> dict[str, dict[str, str]]:
    """``["mlp.epochs=45", "rf.n_estimators=500"]`` as ``{"mlp": {"epochs": "45"}, "rf": {...}}``."""
    params: dict[str, dict[str, str]] = {}
    for item in items:
        key, sep, value = item.partition("=")
        model, dot, name = key.partition(".")
        if not sep or not dot or not model or not name:
            raise UserError(f"--param '{item}' should look like MODEL.NAME=VALUE, e.g. mlp.epochs=45.")
        get_spec(model).params({name: value})  # unknown names and bad values fail here, before any work
        params.setdefault(model, {})[name] = value
    return params


def train_settings(args: argparse.Namespace) -> TrainSettings:
    models = tuple(m.strip() for m in args.models.split(",") if m.strip())
    for m in models:
        get_spec(m)
    validation = args.validation or ("holdout" if args.folds <= 1 else "kfold")
    if args.test_size and not 0 < args.test_size < 0.9:
        raise UserError("--test-size is a share of the rows between 0 and 0.9, e.g. 0.2.")
    preprocessing = PreprocessSettings(numeric_impute=args.impute, missing_indicators=args.missing_indicators,
                                       scaling=args.scaling, selection=args.select, selection_k=args.select_k,
                                       balance=args.balance, native_categories=args.native_categories)
    features = tuple(f.strip() for f in args.features.split(",")) if args.features else None
    return TrainSettings(target=args.target, models=models, features=features, task=args.task, metric=args.metric,
                         validation=validation, folds=max(args.folds, 2), repeats=args.repeats,
                         time_column=args.time_column, test_size=args.test_size, seed=args.seed,
                         preprocessing=preprocessing, params=parse_params(args.param), tune=args.tune,
                         time_limit=args.time_limit, ensemble=args.ensemble, threshold_goal=args.threshold_goal)


def _progress_bar(fraction: float, message) -> None:
    width = 30
    filled = int(round(fraction * width))
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {fraction:4.0%} {str(message)[:60]:<60}")
    if fraction >= 1:
        sys.stderr.write("\n")
    sys.stderr.flush()


def run_command(args: argparse.Namespace) -> dict:
    """Carry out one parsed command and return its JSON-able result."""
    from storage.workspace import Workspace, change_values

    ws = Workspace(args.user, args.data_dir.resolve() if args.data_dir else None)
    if args.command == "ingest" and str(args.file).lower().startswith(("redis://", "rediss://")):
        from core.data.redis_import import ingest_redis_command  # redis is imported only when it is asked for

        progress = None if args.json or not sys.stderr.isatty() else _progress_bar
        return ingest_redis_command(ws, args.file, args.pattern, args.name, args.limit, config.redis_password(),
                                    progress)
    if args.command == "ingest":
        from core.data import ingest
        from storage.ingest import ReadOptions

        if args.pattern is not None or args.limit is not None:
            raise UserError("--pattern and --limit are for a Redis address (redis://host:port/db), not a file.")
        args.file = Path(args.file)
        if not args.file.exists():
            raise UserError(f"There is no file '{args.file}'.")
        options = ReadOptions(encoding=args.encoding, delimiter=args.delimiter, sheet=args.sheet,
                              header_row=args.header_row)
        progress = None if args.json or not sys.stderr.isatty() else _progress_bar
        return ingest(ws, args.file, args.name, options=options, progress=progress).to_json()
    if args.command == "versions":
        ds = ws.dataset(args.dataset)
        return {"dataset": ds.name, "dataset_id": ds.dataset_id,
                "versions": [{"version": v.version, "rows": v.rows, "columns": v.columns,
                              "change": text_for("en")(f"data.change.{v.change['code']}", **change_values(v.change))
                              if v.change.get("code") else v.note,
                              "current": v.current, "created": v.created.isoformat()}
                             for v in ws.versions(args.dataset)]}
    if args.command == "export" and args.out.suffix.lower() == ".zip":
        from core.predict import export_bundle

        out = export_bundle(ws, args.dataset, args.out)
        return {"run_id": args.dataset, "out": str(out), "bytes": out.stat().st_size}
    if args.command == "export":
        from core.data import export_dataset

        ds = ws.dataset(args.dataset)
        out = export_dataset(ws, args.dataset, args.out, args.version)
        return {"dataset": ds.name, "version": args.version or ds.version, "out": str(out),
                "bytes": out.stat().st_size}
    if args.command == "datasets":
        return {"datasets": [{"name": d.name, "dataset_id": d.dataset_id, "rows": d.rows, "columns": d.columns}
                             for d in ws.datasets()]}
    if args.command == "train":
        from core.train.record import train_dataset

        progress = None if args.json or not sys.stderr.isatty() else _progress_bar
        answer = train_dataset(ws, args.dataset, train_settings(args), progress, lang=args.lang).to_json()
        if answer.get("best_run_id"):
            answer["sentence"] = _sentence(ws, answer["best_run_id"], args.lang)
        return answer
    if args.command == "runs":
        from core.runs.listing import run_json

        if args.run_id:
            run = ws.run(args.run_id)
            return {"run": run_json(run, ws.fold_metric_rows([run.run_id])),
                    "sentence": _sentence(ws, run.run_id, args.lang)}
        listed = ws.runs(args.dataset)
        by_run: dict[str, list[tuple]] = {}
        for row in ws.fold_metric_rows([r.run_id for r in listed]):
            by_run.setdefault(row[0], []).append(row)
        return {"runs": [run_json(r, by_run.get(r.run_id)) for r in listed]}
    if args.command == "report":
        return _write_report(ws, args.run_id, args.out, args.lang)
    if args.command == "predict":
        from core.predict import DEFAULT_CHUNK_ROWS, predict_rows, predictions_xlsx

        if not args.file.exists():
            raise UserError(f"There is no file '{args.file}'.")
        excel = args.out.suffix.lower() in {".xlsx", ".xls"}
        keep = [c.strip() for c in args.keep.split(",") if c.strip()] if args.keep else None
        progress = None if args.json or not sys.stderr.isatty() else _progress_bar
        result = predict_rows(ws, args.run_id, path=args.file, out=None if excel else args.out, keep=keep,
                              chunk_rows=args.chunk_size or DEFAULT_CHUNK_ROWS, progress=progress,
                              reasons=text_for("en") if args.reasons else None, threshold=args.threshold)
        answer = result.to_json()
        if excel:
            written, total = predictions_xlsx(ws, result.prediction_id, args.out)
            result.out.unlink(missing_ok=True)
            answer["out"] = str(args.out)
            if written < total:
                answer["warnings"].append(f"Excel holds {written:,} rows: the first {written:,} of {total:,} are in "
                                          f"{args.out.name}; write a .csv to get them all.")
        return answer
    if args.command == "profile":
        from core import explore

        found = explore.profile_dataset(ws, args.dataset)
        analysis = explore.analyse_target(ws, args.dataset, found, args.target) if args.target else None
        return explore.to_json(found, analysis)
    raise AssertionError(args.command)



def _sentence(ws, run_id: str, lang: str) -> str | None:
    """The run's result in one sentence, as the result card says it (None for a baseline or unfinished run)."""
    from core.runs.summary import sentence_of
    from core.train.settings import BASELINE

    run = ws.run(run_id)
    if run.status != "finished" or run.model == BASELINE:
        return None
    return sentence_of(ws, run, lang)


def _write_report(ws, run_id: str, out: Path, lang: str) -> dict:
    from core.runs import report as run_report
    from core.runs import records as core_runs

    details = core_runs.load_details(ws, run_id)
    try:
        dataset = ws.dataset(details.run.dataset_id)
        current, active = dataset.version, ws.active_run(dataset.dataset_id) == run_id
    except UserError:  # the dataset was deleted: the run and its report remain
        current, active = None, False
    sentence = _sentence(ws, run_id, lang)
    page = run_report.build_report(details, text_for(lang), lang, current_version=current, active=active,
                                   sentence=sentence)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return {"run_id": run_id, "out": str(out), "bytes": out.stat().st_size, "sentence": sentence}


def _print_human(command: str, result: dict) -> None:
    if command == "train":
        print(f"task: {result['task']}   ranked by: {result['metric']}")
        for run in result["runs"]:
            value = run["metrics"].get(result["metric"])
            shown = run["error"] if run.get("error") else f"{result['metric']}={value:.4f}"
            print(f"  {run['run_id']}  {run['model']:<8} {shown}  ({run['fit_seconds']:.1f}s)")
        for note in result["notes"]:
            print(f"note: {note}")
        if result.get("sentence"):
            print(result["sentence"])
    elif result.get("sentence"):  # the run's result in words comes last, on a line of its own
        rest = {k: v for k, v in result.items() if k != "sentence"}
        print(json.dumps(rest, indent=2, ensure_ascii=False, default=str))
        print(result["sentence"])
    else:
        print(json.dumps(result, indent=2, ensure_ascii=False, default=str))


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with warnings.catch_warnings():
            # Library warnings are not for the user, and stderr holds one line when something fails. Set here,
            # in the main thread, before training starts its threads (whose own catch_warnings race).
            warnings.simplefilter("ignore")
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
