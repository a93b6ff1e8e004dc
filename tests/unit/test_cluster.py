"""Training on a Dask cluster: a real two-process LocalCluster runs jobs as the local path does, through trouble."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from distributed import Client, LocalCluster

from core import config
from core.data import load_sample
from core.train import TrainSettings, train
from core.train.jobs import JobRunner
from core.train.remote import ClusterError, ClusterFits, StepPublisher, WallDeadline, run_on_worker
from storage.users import UserStore, hash_password
from storage.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
# The whole module on one xdist worker (`make test` runs `--dist loadgroup`): one LocalCluster, not one per worker.
pytestmark = pytest.mark.xdist_group("dask-cluster")


@pytest.fixture(scope="module")
def cluster():
    local = LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None)
    client = Client(local, set_as_default=False)
    yield client
    client.close()
    local.close()


@pytest.fixture
def on_cluster(cluster, monkeypatch):
    monkeypatch.setenv(config.DASK_SCHEDULER_ENV, cluster.scheduler.address)
    return cluster


@pytest.fixture
def cancer(data_dir):
    UserStore(data_dir).create("alice", "Alice", "alice@example.com", hash_password("Secret#123"))
    return load_sample(Workspace("alice", data_dir), "breast_cancer")


def wait_until(predicate, timeout=60.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("condition not reached in time")


def scheduler_tasks(client: Client) -> int:
    return client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks))


def stored_fold_metrics(data_dir, job) -> dict[str, pd.DataFrame]:
    ws = Workspace("alice", data_dir)
    return {model: ws.fold_metrics(run_id) for model, run_id in job.run_ids.items()}


def test_the_scheduler_setting_is_an_address_local_or_nothing(monkeypatch):
    for value, expected in (("", None), ("  ", None), ("local", "local"),
                            (" tcp://10.0.0.5:8786 ", "tcp://10.0.0.5:8786")):
        monkeypatch.setenv(config.DASK_SCHEDULER_ENV, value)
        assert config.dask_scheduler() == expected
    monkeypatch.delenv(config.DASK_SCHEDULER_ENV)
    assert config.dask_scheduler() is None


def test_without_a_cluster_nothing_of_dask_is_imported(tmp_path):
    script = textwrap.dedent("""
        import sys
        from sklearn.datasets import load_breast_cancer
        from core.train import TrainSettings, train
        from core.train import cluster, jobs  # the runner, as the app imports it
        from core.train.remote import job_fits
        from ui import admin  # the admin page's module, with its Cluster section
        assert cluster.scheduler_address() is None and cluster.cluster_status() is None
        frame = load_breast_cancer(as_frame=True).frame
        with job_fits(lambda event: None) as (fits, on_step):  # what a job's worker process runs
            assert fits is None
            result = train(frame, TrainSettings(target="target", models=("linear",), folds=2), None, on_step, fits)
        assert [r.status for r in result.results] == ["finished", "finished"]
        print(sorted(m for m in sys.modules if m.split(".")[0] in ("dask", "distributed")))
    """)
    env = {k: v for k, v in os.environ.items() if k != config.DASK_SCHEDULER_ENV}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def same_fold_metrics(got: pd.DataFrame, expected: list[tuple[int, str, str, float]]) -> None:
    expected = pd.DataFrame(expected, columns=["fold", "split", "metric", "value"]) \
        .sort_values(["fold", "split", "metric"]).reset_index(drop=True)
    got = got.sort_values(["fold", "split", "metric"]).reset_index(drop=True)
    assert got[["fold", "split", "metric"]].astype(str).equals(expected[["fold", "split", "metric"]].astype(str))
    np.testing.assert_allclose(got["value"].to_numpy(float), expected["value"].to_numpy(float), rtol=0, atol=1e-9)


def test_fits_on_the_cluster_score_exactly_as_in_threads_and_send_their_steps(cluster, cancer_frame):
    settings = TrainSettings(target="target", models=("linear", "lgbm"), folds=3, seed=7)
    steps, fractions = [], []
    cluster.subscribe_topic("test-steps", lambda event: steps.append(event[1]))
    fits = ClusterFits(cluster)
    try:
        remote = train(cancer_frame, settings, lambda fraction, message: fractions.append(fraction),
                       StepPublisher("test-steps"), fits)
    finally:
        fits.close()
    local = train(cancer_frame, settings)
    # the slowest model trains first (core.train.settings.models_to_train), on the cluster as in threads
    assert [r.model for r in remote.results] == [r.model for r in local.results] == ["dummy", "lgbm", "linear"]
    for ours, theirs in zip(remote.results, local.results):
        assert ours.status == theirs.status == "finished"
        same_fold_metrics(pd.DataFrame(ours.fold_metrics, columns=["fold", "split", "metric", "value"]),
                          theirs.fold_metrics)
        assert ours.params == theirs.params
    assert fractions == sorted(fractions) and len(set(fractions)) > 3 and fractions[-1] == 1.0
    wait_until(lambda: {s["fold"] for s in steps if s["model"] == "lgbm"} >= {0, 1, 2, "final"})


def test_a_job_survives_a_worker_killed_mid_job_or_fails_cleanly(data_dir, cancer, on_cluster):
    settings = TrainSettings(target="diagnosis", models=("lgbm", "rf"), folds=3, seed=7,
                             params={"rf": {"n_estimators": 400}})
    runner = JobRunner(data_dir, max_running=1)
    job = runner.submit("alice", cancer.dataset_id, settings)
    seen, killed = [], None
    while not job.done:
        seen.append(job.fraction)
        if killed is None and getattr(job.message, "model", None) == "rf":
            busy = [worker for worker, keys in on_cluster.processing().items() if keys]
            if busy:  # a worker in the middle of a fit of the random forest dies
                killed = on_cluster.run(os.getpid, workers=busy[:1])[busy[0]]
                os.kill(killed, signal.SIGKILL)
        time.sleep(0.02)
    assert killed is not None
    assert seen == sorted(seen) and len(set(seen)) > 2
    # Learning-curve points of the boosted model came back from the cluster's workers, as they do locally.
    assert job.curves and {p["model"] for p in job.curves} == {"lgbm"}
    assert set(job.curves[0]) == {"model", "fold", "step", "train", "valid", "metric"}
    runs = Workspace("alice", data_dir).runs()
    stored = stored_fold_metrics(data_dir, job)
    if job.state == "finished":  # the killed worker's fits ran again on the other: every fold, written once
        assert {r.status for r in runs} == {"finished"}
        local = train(Workspace("alice", data_dir).load(cancer.dataset_id), settings)
        for result in local.results:
            same_fold_metrics(stored[result.model], result.fold_metrics)
    else:  # or the job ends with the clear reason and nothing of it in the store
        assert job.state == "failed" and job.error_key == "train.error.cluster_worker_lost", job.error
        assert {r.status for r in runs} == {"failed"}
        assert all(frame.empty for frame in stored.values())


def test_the_time_limit_skips_models_and_drops_their_tasks(cancer, data_dir, cluster):
    frame = Workspace("alice", data_dir).load(cancer.dataset_id)
    settings = TrainSettings(target="diagnosis", models=("rf", "et"), folds=5, time_limit=0.5,
                             params={"rf": {"n_estimators": 800}, "et": {"n_estimators": 800}})
    fits = ClusterFits(cluster)
    try:
        result = train(frame, settings, fits=fits)
    finally:
        fits.close()
    by_model = {r.model: r for r in result.results}
    assert by_model["et"].status == "skipped" and "time limit" in by_model["et"].error
    wait_until(lambda: scheduler_tasks(cluster) == 0)  # nothing of the job is left on the cluster


def test_a_deadline_keeps_its_meaning_on_another_machine():
    remaining = 30.0
    deadline = WallDeadline(time.perf_counter() + remaining)
    seen = run_on_worker(lambda limit: limit - time.perf_counter(), {}, deadline)
    assert remaining - 1 < seen <= remaining


def test_cancel_drops_the_job_from_the_cluster_and_marks_its_runs_cancelled(data_dir, cancer, on_cluster):
    runner = JobRunner(data_dir, max_running=1)
    job = runner.submit("alice", cancer.dataset_id, TrainSettings(
        target="diagnosis", models=("rf",), folds=5, params={"rf": {"n_estimators": 1000}}))
    wait_until(lambda: getattr(job.message, "model", None) == "rf"
               and sum(map(len, on_cluster.processing().values())) > 0)
    asked = time.perf_counter()
    runner.cancel("alice", job.job_id)
    runner.wait("alice", job.job_id, timeout=30)
    print(f"cancelled {time.perf_counter() - asked:.2f} s after Cancel")  # the figure for the report, not a test
    assert job.state == "cancelled"
    assert {r.status for r in Workspace("alice", data_dir).runs()} == {"cancelled"}
    wait_until(lambda: scheduler_tasks(on_cluster) == 0)


def test_a_fit_that_keeps_killing_its_worker_fails_the_job_with_a_clear_reason(cluster):
    fits = ClusterFits(cluster)
    allowed = cluster.run_on_scheduler(lambda dask_scheduler: dask_scheduler.allowed_failures)
    cluster.run_on_scheduler(lambda dask_scheduler: setattr(dask_scheduler, "allowed_failures", 0))
    try:  # no second chance, so one death is enough to see the job end
        with pytest.raises(ClusterError) as caught:
            list(fits([(os._exit, (3,), {})]))
    finally:
        cluster.run_on_scheduler(lambda dask_scheduler: setattr(dask_scheduler, "allowed_failures", allowed))
    assert caught.value.key == "train.error.cluster_worker_lost"
    assert "worker stopped during training; try again" in str(caught.value)
    wait_until(lambda: len(cluster.scheduler_info()["workers"]) == 2)  # the nannies bring the workers back
