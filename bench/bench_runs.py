"""Runs page: how long a rerun takes with many runs stored, and what the one-query leaderboard saves.

One real comparison (iris: baseline, linear, decision tree, random forest) is trained, then its runs are
stored again and again (rows, fold metrics, importance, learning curve and out-of-fold predictions, as
training writes them) until the dataset has ``RUNS`` runs. The page is driven with Streamlit's AppTest,
signed in; a rerun is what a click on the page costs (the leaderboard is rebuilt every time). Each
figure is the median of several reruns after a first, warming one.
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

RUNS = 500
QUICK_RUNS = 100
SMALL = 10
RERUNS = 7
HOME = str(Path(__file__).resolve().parents[1] / "Home.py")


def _fill(ws, dataset, runs: int) -> None:
    """Store copies of the trained runs (with all their details) until the dataset has ``runs`` runs."""
    originals = ws.runs(dataset.dataset_id)
    have = len(originals)
    sources = [(r, ws.fold_metrics(r.run_id), ws.importance(r.run_id), ws.learning_curve(r.run_id),
                ws.oof_predictions(r.run_id)) for r in originals]
    while have < runs:
        run, folds, importance, curve, oof = sources[have % len(sources)]
        run_id = uuid.uuid4().hex[:12]
        ws.add_run(run_id=run_id, dataset=dataset, target=run.target, task=run.task, model=run.model,
                   status=run.status, metric=run.metric, metrics=run.metrics, settings=run.settings,
                   fit_seconds=run.fit_seconds, error=run.error,
                   fold_metrics=list(folds[["fold", "split", "metric", "value"]].itertuples(index=False)))
        learning = {"metric": curve["metric"].iloc[0] if len(curve) else None,
                    "train": curve[curve["split"] == "train"]["value"].tolist(),
                    "valid": curve[curve["split"] == "valid"]["value"].tolist()}
        ws.add_run_details(run_id, importance=importance.to_dict("records"), learning_curve=learning, oof=oof)
        have += 1


def _app(username: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(HOME, default_timeout=300)
    at.session_state["lang"] = "en"
    at.session_state["authentication_status"] = True
    at.session_state["username"] = username
    at.session_state["name"] = username.title()
    return at


def _rerun_seconds(at, reruns: int) -> float:
    times = []
    for _ in range(reruns):
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        assert not at.exception, at.exception
    return statistics.median(times)


def _page_times(username: str, reruns: int) -> tuple[float, float]:
    """Median rerun seconds of the Runs page: the default (compare) view, then one run in detail."""
    at = _app(username)
    at.switch_page("pages/runs.py").run()
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
    compare = _rerun_seconds(at, reruns)
    at.segmented_control(key="runs.view").set_value("details").run()
    assert not at.exception
    detail = _rerun_seconds(at, reruns)
    return compare, detail


def run(quick: bool = False) -> list[dict]:
    many = QUICK_RUNS if quick else RUNS
    reruns = 3 if quick else RERUNS
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ANYML_DATA_DIR"] = tmp
        os.environ.setdefault("ANYML_COOKIE_KEY", "bench-cookie-key-not-secret")
        from core.runs import records as core_runs
        from core.data import load_sample
        from core.train import TrainSettings, train_dataset
        from storage.users import UserStore, hash_password
        from storage.workspace import Workspace

        store = UserStore()
        for name in ("bench_many", "bench_few"):
            store.create(name, name.title(), f"{name}@example.com", hash_password("Secret#123"))
        many_ws, few_ws = Workspace("bench_many"), Workspace("bench_few")
        settings = TrainSettings(target="species", models=("linear", "dt", "rf"), folds=5)
        for ws, size in ((many_ws, many), (few_ws, SMALL)):
            dataset = load_sample(ws, "iris")
            train_dataset(ws, dataset.dataset_id, settings)
            _fill(ws, dataset, size)

        many_compare, many_detail = _page_times("bench_many", reruns)
        few_compare, few_detail = _page_times("bench_few", reruns)

        dataset_id = many_ws.datasets()[0].dataset_id
        times = []
        for _ in range(reruns):
            start = time.perf_counter()
            listed = many_ws.runs(dataset_id)
            core_runs.leaderboard(listed, "f1_macro")
            times.append(time.perf_counter() - start)
        one_query = statistics.median(times)
        start = time.perf_counter()
        for r in listed:  # what a leaderboard built from each run's own records would cost
            many_ws.run(r.run_id)
            many_ws.fold_metrics(r.run_id)
        per_run = time.perf_counter() - start
        del os.environ["ANYML_DATA_DIR"]
    return [
        {"figure": f"Runs page rerun, {many} runs (compare view)", "ours": many_compare,
         "baseline_label": f"same page, {SMALL} runs", "baseline": few_compare, "unit": "s", "target": "< 1 s"},
        {"figure": f"Runs page rerun, {many} runs (one run in detail)", "ours": many_detail,
         "baseline_label": f"same page, {SMALL} runs", "baseline": few_detail, "unit": "s", "target": "< 1 s"},
        {"figure": f"leaderboard data for {many} runs", "ours": one_query,
         "baseline_label": "loading each run and its folds", "baseline": per_run, "unit": "s", "target": "< 0.2×"},
    ]


if __name__ == "__main__":
    for row in run(quick="--quick" in sys.argv):
        print(row)
