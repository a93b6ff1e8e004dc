"""Tests leave no threads behind: a batch that opens databases, runs pages and trains ends with the threads it began.

Each open DuckDB database holds about eight threads, and `storage.db` keeps a file open for the life of the
process; the suite's ``data_dir`` fixture (tests/conftest.py) closes every file a test opened. Without that, one
pytest worker gathered thousands of threads and the Dask cluster of tests/unit/test_cluster.py could no
longer start its worker processes. The batch runs through pytester with the suite's own conftest, so this
fails if the fixture stops closing them (or if app or job code starts leaving threads of its own).
"""
from __future__ import annotations

import os

import pandas as pd

from storage import db
from storage.workspace import Workspace

pytest_plugins = ["pytester"]

#: Tests in the batch of each kind; each opens two databases (the system file and the user's), ~16 threads if left open.
APP_TESTS = 3
JOB_TESTS = 1
#: Threads the whole batch may add: pools made once per process (a first AnyIO or ScriptRunner worker, a job
#: thread still finishing) but not a thread per test.
ALLOWED_GROWTH = 12

BATCH = f'''
import os

import pandas as pd
import pytest

from core.train import TrainSettings
from core.train.jobs import JobRunner
from storage.users import UserStore, hash_password
from storage.workspace import Workspace
from tests.app.apptest import app, no_errors


def os_threads():
    return len(os.listdir("/proc/self/task"))


def record(name):
    with open(os.environ["LEAK_LOG"], "a") as log:
        log.write(f"{{name}} {{os_threads()}}\\n")


def test_first():  # the process's one-off pools start here, before the counting
    record("start")


@pytest.mark.parametrize("n", range({APP_TESTS}))
def test_a_signed_in_page(n):
    at = app(f"user{{n}}")
    at.switch_page("pages/data.py")
    at.run()
    no_errors(at)


@pytest.mark.parametrize("n", range({JOB_TESTS}))
def test_a_training_job(n, data_dir):
    UserStore(data_dir).create("alice", "Alice", "alice@example.com", hash_password("Secret#123"))
    ws = Workspace("alice", data_dir)
    ds = ws.save_frame(pd.DataFrame({{"x": [n * 0.7 % 5 for n in range(40)], "y": list("aabb") * 10}}), "tiny")
    runner = JobRunner(data_dir)
    job = runner.submit("alice", ds.dataset_id, TrainSettings(target="y", models=("dummy",), folds=2))
    assert runner.wait("alice", job.job_id, timeout=120).state == "finished", job.error


def test_last():
    record("end")
'''


def os_threads() -> int:
    return len(os.listdir("/proc/self/task"))


def test_a_batch_of_tests_leaves_no_threads_behind(pytester, monkeypatch, tmp_path):
    log = tmp_path / "threads.log"
    monkeypatch.setenv("LEAK_LOG", str(log))
    pytester.makeconftest("from tests.conftest import *  # noqa: F401,F403 - the suite's own fixtures\n")
    pytester.makepyfile(test_batch=BATCH)
    result = pytester.runpytest_inprocess("-p", "no:xdist", "-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(passed=2 + APP_TESTS + JOB_TESTS)
    counts = dict(line.split() for line in log.read_text().splitlines())
    start, end = int(counts["start"]), int(counts["end"])
    assert end - start <= ALLOWED_GROWTH, f"{end - start} threads left behind by {APP_TESTS + JOB_TESTS} tests"


def test_the_check_sees_a_database_left_open(tmp_path):
    """The measure the batch relies on: a DuckDB file left open shows as threads, closing it gives them back."""
    before = os_threads()
    Workspace("alice", tmp_path / "data").save_frame(pd.DataFrame({"a": [1, 2]}), "t")
    opened = os_threads()
    db.release_under(tmp_path)
    after = os_threads()
    # Opening a file starts threads (DuckDB's, about eight); closing it stops them (two of slack for a thread of
    # another test's ending or starting meanwhile in this worker).
    assert opened - before >= 4 and after <= before + 2, (before, opened, after)
