"""The background job runner: progress, live curves, cancel, queue, two users, restart."""
from __future__ import annotations

import time

import pytest

from core.data import load_sample
from core.errors import UserError
from core.train.jobs import JobRunner
from core.train import TrainSettings
from storage.users import UserStore, hash_password
from storage.workspace import Workspace


@pytest.fixture
def users(data_dir):
    store = UserStore(data_dir)
    for name in ("alice", "bob"):
        store.create(name, name.title(), f"{name}@example.com", hash_password("Secret#123"))
    return {name: load_sample(Workspace(name, data_dir), "breast_cancer") for name in ("alice", "bob")}


def slow_settings(**extra):
    # Enough work to still be running a few seconds after it starts.
    return TrainSettings(target="diagnosis", models=("rf",), folds=5, params={"rf": {"n_estimators": 1000}}, **extra)


def wait_until(predicate, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("condition not reached in time")


def test_job_reports_progress_in_order_and_records_its_runs(data_dir, users):
    runner = JobRunner(data_dir, max_running=1)
    job = runner.submit("alice", users["alice"].dataset_id,
                        TrainSettings(target="diagnosis", models=("linear", "lgbm"), folds=3))
    assert job.state in ("queued", "running")
    assert {r.status for r in Workspace("alice", data_dir).runs()} <= {"queued", "running"}
    seen = []
    while not job.done:
        seen.append(job.fraction)
        time.sleep(0.02)
    assert job.state == "finished", job.error
    assert seen == sorted(seen) and job.fraction == 1.0
    assert job.curves and {p["model"] for p in job.curves} == {"lgbm"}
    runs = {r.run_id: r for r in Workspace("alice", data_dir).runs()}
    assert set(runs) == set(job.run_ids.values())
    assert {r.status for r in runs.values()} == {"finished"}
    assert job.best_run_id in {job.run_ids[m] for m in ("linear", "lgbm", "ensemble") if m in job.run_ids}
    assert list(Workspace("alice", data_dir).events()["outcome"])[:2] == ["finished", "queued"]


def test_cancel_stops_a_running_job_within_seconds(data_dir, users):
    runner = JobRunner(data_dir, max_running=1)
    job = runner.submit("alice", users["alice"].dataset_id, slow_settings())
    wait_until(lambda: getattr(job.message, "model", None) == "rf")
    started = time.time()
    runner.cancel("alice", job.job_id)
    runner.wait("alice", job.job_id, timeout=10)
    assert job.state == "cancelled" and time.time() - started < 3
    assert {r.status for r in Workspace("alice", data_dir).runs()} == {"cancelled"}


def test_second_job_waits_in_the_queue_and_runs_after_the_first(data_dir, users):
    runner = JobRunner(data_dir, max_running=1)
    first = runner.submit("alice", users["alice"].dataset_id, slow_settings())
    second = runner.submit("alice", users["alice"].dataset_id,
                           TrainSettings(target="diagnosis", models=("dt",), folds=3))
    assert first.state == "running" and second.state == "queued"
    runner.cancel("alice", first.job_id)
    runner.wait("alice", second.job_id, timeout=120)
    assert second.state == "finished", second.error


def test_a_queued_job_can_be_cancelled_before_it_starts(data_dir, users):
    runner = JobRunner(data_dir, max_running=1)
    first = runner.submit("alice", users["alice"].dataset_id, slow_settings())
    second = runner.submit("alice", users["alice"].dataset_id, slow_settings())
    runner.cancel("alice", second.job_id)
    assert second.state == "cancelled"
    runner.cancel("alice", first.job_id)
    runner.wait("alice", first.job_id)
    assert second.started is None


def test_users_see_and_cancel_only_their_own_jobs(data_dir, users):
    runner = JobRunner(data_dir, max_running=2)
    a = runner.submit("alice", users["alice"].dataset_id, slow_settings())
    b = runner.submit("bob", users["bob"].dataset_id, slow_settings())
    assert [j.job_id for j in runner.jobs("alice")] == [a.job_id]
    assert [j.job_id for j in runner.jobs("bob")] == [b.job_id]
    assert a.state == b.state == "running"
    with pytest.raises(UserError):
        runner.cancel("bob", a.job_id)
    with pytest.raises(UserError):
        runner.job("bob", a.job_id)
    assert not a.done
    runner.cancel("alice", a.job_id)
    runner.cancel("bob", b.job_id)
    runner.wait("alice", a.job_id)
    runner.wait("bob", b.job_id)


def test_a_server_stop_marks_running_runs_interrupted(data_dir, users):
    runner = JobRunner(data_dir, max_running=1)
    job = runner.submit("alice", users["alice"].dataset_id, slow_settings())
    wait_until(lambda: job.state == "running")
    runner.shutdown()
    runner.wait("alice", job.job_id)
    assert job.state == "interrupted"
    assert {r.status for r in Workspace("alice", data_dir).runs()} == {"interrupted"}


def test_a_restart_after_a_crash_marks_unfinished_runs_interrupted(data_dir, users):
    ws = Workspace("alice", data_dir)
    ws.add_pending_runs({"dummy": "r1", "rf": "r2"}, dataset=users["alice"], target="diagnosis", task="",
                        settings={})
    ws.set_runs_status(["r2"], "running")  # the server died here, without a word
    restarted = JobRunner(data_dir, max_running=1)
    assert restarted.interrupted_on_start == 2
    assert {r.run_id: r.status for r in ws.runs()} == {"r1": "interrupted", "r2": "interrupted"}
    assert "restarted" in ws.run("r2").error


def test_a_failing_job_says_why(data_dir, users):
    runner = JobRunner(data_dir, max_running=1)
    Workspace("alice", data_dir).save_frame(
        __import__("pandas").DataFrame({"x": range(10), "same": [1] * 10}), "flat")
    job = runner.submit("alice", "flat", TrainSettings(target="same", models=("dt",)))
    runner.wait("alice", job.job_id)
    assert job.state == "failed" and "single value" in job.error
    assert {r.status for r in Workspace("alice", data_dir).runs("flat")} == {"failed"}


def test_queued_runs_already_say_what_they_predict(data_dir, users):
    """With the task left to detection, the runs of a job that has not trained yet know their task."""
    runner = JobRunner(data_dir, max_running=1)
    job = runner.submit("alice", users["alice"].dataset_id, TrainSettings(target="diagnosis", models=("dt",), folds=3))
    tasks = {r.task for r in Workspace("alice", data_dir).runs()}
    runner.cancel("alice", job.job_id)
    runner.wait("alice", job.job_id)
    assert tasks == {"binary"}
    assert {r.task for r in Workspace("alice", data_dir).runs()} == {"binary"}  # also once cancelled


def test_a_restart_removes_job_snapshots_a_dead_server_left_behind(data_dir, users):
    from storage.users import storage_used

    before = storage_used("alice", data_dir)
    orphan = data_dir / "users" / "alice" / "jobs" / "0123abcd"
    orphan.mkdir(parents=True)
    (orphan / "snapshot.parquet").write_bytes(b"x" * 2_000_000)
    assert storage_used("alice", data_dir) >= before + 2_000_000
    JobRunner(data_dir, max_running=1)
    assert not orphan.exists()
    assert storage_used("alice", data_dir) < before + 1_000  # the snapshot no longer counts against the quota


def quick_settings():
    return TrainSettings(target="diagnosis", models=("dummy",), folds=2, importance=False)


def test_a_free_slot_goes_to_the_user_who_has_waited_not_to_the_one_with_the_longest_queue(data_dir, users):
    runner = JobRunner(data_dir, max_running=1)
    first = runner.submit("alice", users["alice"].dataset_id, slow_settings())
    alice_more = [runner.submit("alice", users["alice"].dataset_id, quick_settings()) for _ in range(2)]
    bob = runner.submit("bob", users["bob"].dataset_id, quick_settings())  # asked after all of alice's
    assert first.state == "running" and {j.state for j in alice_more + [bob]} == {"queued"}
    runner.cancel("alice", first.job_id)
    for job in alice_more + [bob]:
        assert runner.wait(job.username, job.job_id, timeout=120).state == "finished", job.error
    order = [j.job_id for j in sorted(alice_more + [bob], key=lambda j: j.started)]
    assert order == [bob.job_id, alice_more[0].job_id, alice_more[1].job_id]


def test_a_users_queue_is_bounded_with_a_message_and_others_can_still_queue(data_dir, users, monkeypatch):
    monkeypatch.setenv("ANYML_MAX_QUEUED", "2")
    runner = JobRunner(data_dir, max_running=1)
    first = runner.submit("alice", users["alice"].dataset_id, slow_settings())
    waiting = [runner.submit("alice", users["alice"].dataset_id, quick_settings()) for _ in range(2)]
    runs_before = len(Workspace("alice", data_dir).runs())
    with pytest.raises(UserError) as refused:
        runner.submit("alice", users["alice"].dataset_id, quick_settings())
    assert refused.value.key == "train.error.queue_full" and "2 trainings waiting" in str(refused.value)
    assert len(Workspace("alice", data_dir).runs()) == runs_before  # nothing half-queued was left behind
    bob = runner.submit("bob", users["bob"].dataset_id, quick_settings())
    assert bob.state == "queued"
    for job in [first, *waiting, bob]:
        runner.cancel(job.username, job.job_id)
    runner.wait("alice", first.job_id)
