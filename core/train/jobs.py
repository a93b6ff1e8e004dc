"""Background training jobs: one runner per server process, each job in its own worker process.

A worker process (not a thread) does the heavy compute, so the server stays responsive and a
Cancel stops any model within a second, even one in the middle of a long fit. The worker sends
progress, live learning-curve points and finally the trained models back through a pipe; the
app process is the only one that writes the user's store. Jobs wait in a queue when the server
or the user is at their limit of concurrent jobs; the server's slots are shared fairly between the
users who have jobs waiting, and each user's queue is bounded (``$ANYML_MAX_QUEUED``). With
``$ANYML_DASK_SCHEDULER`` set, the worker process is a client of that Dask cluster and its model ×
fold fits run there (`core.train.remote`); everything else, writing the store included, stays the same.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from multiprocessing.connection import Connection
import threading
import time
import traceback
import uuid
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path

from core import config
from core.errors import USER_ERRORS, QueueFull, UserError
from core.train import cluster
from core.train.eta import TimeLeft
from core.train.record import record_training, with_column_types
from core.train.remote import job_fits
from core.train.room import ensure_training_room
from core.train.settings import TrainSettings, models_to_train
from core.train.steps import Step
from core.train.task import dataset_task_guess
from storage import handoff
from storage.users import UserStore, max_concurrent_jobs
from storage.workspace import Workspace

CURVE_POINTS_KEPT = 2000
STEP_REPORT_SECONDS = 0.25
FINISHED_STATES = ("finished", "failed", "cancelled", "interrupted")


@dataclass
class Job:
    """What a page shows about one job; updated by the runner's monitor thread."""

    job_id: str
    username: str
    dataset_id: str
    dataset_name: str
    target: str
    models: tuple[str, ...]
    run_ids: dict[str, str]
    state: str = "queued"  # queued, running, finished, failed, cancelled, interrupted
    fraction: float = 0.0
    #: What it is doing: a `core.train.steps.Step` while it runs, then how it ended.
    message: object = ""
    model: str = ""
    error: str | None = None
    error_key: str | None = None  # the catalogue entry of ``error`` when it has one, shown in the user's language
    error_params: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    submitted: float = field(default_factory=time.time)
    started: float | None = None
    ended: float | None = None
    curves: deque = field(default_factory=lambda: deque(maxlen=CURVE_POINTS_KEPT))
    best_run_id: str | None = None
    #: the time-left estimate, fed with the job's progress steps (made when the job starts)
    time_left: TimeLeft | None = field(default=None, repr=False)

    @property
    def done(self) -> bool:
        return self.state in FINISHED_STATES

    @property
    def elapsed(self) -> float:
        if self.started is None:
            return 0.0
        return (self.ended or time.time()) - self.started

    @property
    def remaining(self) -> float | None:
        """Estimated seconds left (`core.train.eta.TimeLeft`), None until a model has measured its first fit."""
        if self.state != "running" or self.time_left is None:
            return None
        return self.time_left.remaining()


def _worker(conn, snapshot: str, settings: dict) -> None:
    """The worker process's work: train on the snapshot, report through ``conn``."""
    from core.train.train import train

    last_sent = [0.0]
    pending: list[dict] = []
    lock = threading.Lock()

    def progress(fraction, message):
        conn.send(("progress", float(fraction), message))  # a core.train.steps.Step, worded by the reader

    def on_step(event):
        with lock:
            pending.append({k: (float(v) if hasattr(v, "__float__") and k in ("train", "valid") else v)
                            for k, v in event.items()})
            now = time.monotonic()
            if now - last_sent[0] >= STEP_REPORT_SECONDS:
                conn.send(("steps", list(pending)))
                pending.clear()
                last_sent[0] = now

    try:
        try:
            frame = handoff.read_snapshot(Path(snapshot))
            with job_fits(on_step) as (fits, step_reporter):  # fits on a Dask cluster, when one is configured
                result = train(frame, TrainSettings.from_dict(settings), progress, step_reporter, fits)
            with lock:
                if pending:
                    conn.send(("steps", list(pending)))
            conn.send(("result", result))
        except USER_ERRORS as err:
            conn.send(("user_error", str(err), getattr(err, "key", None), getattr(err, "params", {})))
        except Exception as err:  # reported to the app, which shows it without a traceback
            conn.send(("error", f"{type(err).__name__}: {err}", traceback.format_exc()))
    except (BrokenPipeError, EOFError):
        pass  # the app went away or cancelled the job: nobody is listening any more
    finally:
        conn.close()


class JobRunner:
    """Starts, tracks and cancels training jobs for every user of one server process.

    Parameters
    ----------
    root : Path, optional
        The data directory (default: ``$ANYML_DATA_DIR``).
    max_running : int, optional
        Jobs running at once on this server (default ``$ANYML_SERVER_JOBS`` or half the cores, at
        least 1); each job uses up to all cores for its folds.
    """

    def __init__(self, root: Path | None = None, max_running: int | None = None):
        self.root = root
        self.max_running = max_running or config.server_jobs()
        self._jobs: dict[str, Job] = {}
        self._settings: dict[str, dict] = {}
        self._processes: dict[str, subprocess.Popen] = {}
        self._cancel: set[str] = set()
        self._closed = False
        self._finishing: set[str] = set()
        self._last_served: dict[str, int] = {}  # user -> when a slot last went to them (a running count)
        self._serves = 0
        self._lock = threading.RLock()
        self.interrupted_on_start = self._mark_interrupted()
        self.snapshots_removed_on_start = handoff.remove_all_job_dirs(self.root)

    def _mark_interrupted(self) -> int:
        """Runs left queued or running by a previous server process can never finish: say so."""
        count = 0
        for user in UserStore(self.root).list():
            try:
                count += Workspace(user.username, self.root).mark_unfinished_runs("interrupted")
            except Exception:  # one damaged workspace must not stop the server from starting
                continue
        return count

    # -- public API -----------------------------------------------------------------------------

    def submit(self, username: str, dataset_key: str, settings: TrainSettings) -> Job:
        """Queue a training of ``settings`` on the user's dataset; returns at once."""
        ws = Workspace(username, self.root)
        dataset = ws.dataset(dataset_key)
        ensure_training_room(ws)
        settings = with_column_types(ws, dataset, settings)
        if settings.target not in ws.column_names(dataset.dataset_id):
            raise UserError(f"There is no column '{settings.target}'. Choose the target from the table's columns.")
        models = models_to_train(settings)
        job_id = uuid.uuid4().hex[:12]
        run_ids = {m: uuid.uuid4().hex[:12] for m in models}
        job = Job(job_id, username, dataset.dataset_id, dataset.name, settings.target, models, run_ids)
        # The task is settled now, by the rule training uses, so the queued runs already say what they
        # predict and sit beside the finished runs of the same target on the Runs page.
        task = settings.task or _detected_task(ws, dataset.dataset_id, settings.target)
        with self._lock:  # the check and the queueing as one step, so two quick clicks cannot both pass
            limit = config.max_queued()
            if sum(1 for j in self._jobs.values() if j.username == username and j.state == "queued") >= limit:
                raise QueueFull(f"You already have {limit} trainings waiting for a free slot. Wait until one "
                                "starts, or cancel one of them, then start this one again.",
                                key="train.error.queue_full", params={"limit": limit})
            ws.add_pending_runs(run_ids, dataset=dataset, target=settings.target, task=task,
                                settings=settings.to_dict())
            ws.log_event("train", f"queued {', '.join(models)} on '{dataset.name}' → {settings.target}", "queued")
            self._jobs[job_id] = job
            self._settings[job_id] = settings.to_dict()
        self._dispatch()
        return job

    def jobs(self, username: str) -> list[Job]:
        """The user's jobs, newest first (never anyone else's)."""
        with self._lock:
            return sorted((j for j in self._jobs.values() if j.username == username), key=lambda j: -j.submitted)

    def job(self, username: str, job_id: str) -> Job:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None or job.username != username:
            raise UserError("That training job does not exist (or is not yours).")
        return job

    def cancel(self, username: str, job_id: str) -> Job:
        """Stop a queued or running job; its runs are recorded as cancelled."""
        job = self.job(username, job_id)
        with self._lock:
            if job.done:
                return job
            self._cancel.add(job_id)
            process = self._processes.get(job_id)
            if job.state == "queued":
                self._finish(job, "cancelled", "cancelled before it started")
        if process is not None and process.poll() is None:
            process.terminate()
        return job

    def wait(self, username: str, job_id: str, timeout: float = 600) -> Job:
        """Block until the job ends (for tests and the CLI)."""
        deadline = time.time() + timeout
        job = self.job(username, job_id)
        while not job.done and time.time() < deadline:
            time.sleep(0.05)
        return job

    def shutdown(self) -> None:
        """Stop every worker (the server is going away); their runs are recorded as interrupted."""
        with self._lock:
            self._closed = True
            processes = list(self._processes.values())
        for process in processes:
            if process.poll() is None:
                process.terminate()

    # -- internals ------------------------------------------------------------------------------

    def _dispatch(self) -> None:
        """Start queued jobs while the server has free slots, sharing the slots fairly between users.

        Each free slot goes to the user with the fewest jobs running, among those to the one served
        longest ago (round-robin between the users who have jobs waiting), and within a user to their
        oldest job; a user at their own limit of running jobs waits. So one user's queue never
        holds up another user's first job for longer than one job takes to end.
        """
        with self._lock:
            if self._closed:
                return
            running = Counter(j.username for j in self._jobs.values() if j.state == "running")
            waiting: dict[str, deque[Job]] = {}
            for job in sorted((j for j in self._jobs.values() if j.state == "queued"), key=lambda j: j.submitted):
                waiting.setdefault(job.username, deque()).append(job)
            limits = {user: max_concurrent_jobs(user, self.root) for user in waiting}
            while sum(running.values()) < self.max_running:
                ready = [user for user, jobs in waiting.items() if jobs and running[user] < limits[user]]
                if not ready:
                    break
                user = min(ready, key=lambda u: (running[u], self._last_served.get(u, -1), waiting[u][0].submitted))
                job = waiting[user].popleft()
                self._serves += 1
                self._last_served[user] = self._serves
                running[user] += 1
                job.state, job.started, job.message = "running", time.time(), Step("train.progress.starting")
                threading.Thread(target=self._run, args=(job,), name=f"job-{job.job_id}", daemon=True).start()

    def _run(self, job: Job) -> None:
        ws = Workspace(job.username, self.root)
        ws.set_runs_status(list(job.run_ids.values()), "running")
        directory = handoff.job_dir(job.username, job.job_id, self.root)
        receiver = None
        try:
            snapshot = ws.export(job.dataset_id, "parquet", target=directory / "snapshot.parquet")
            settings_file = directory / "settings.json"
            settings_file.write_text(json.dumps(self._settings[job.job_id], default=str), encoding="utf-8")
            environment = _worker_environment()
            read_fd, write_fd = os.pipe()
            receiver = Connection(read_fd, writable=False)
            with self._lock:
                if job.job_id in self._cancel:
                    os.close(write_fd)
                    raise _Cancelled()
                if self._closed:
                    os.close(write_fd)
                    self._finish(job, "interrupted", "the server stopped before it started")
                    return
                # A fresh interpreter (not a fork of the server): nothing of the server's threads or
                # open databases leaks into it, and terminating it stops any model at once.
                process = subprocess.Popen([sys.executable, "-m", "core.train.jobs", str(write_fd), str(snapshot),
                                            str(settings_file)], pass_fds=(write_fd,), cwd=_PROJECT_ROOT,
                                           stdin=subprocess.DEVNULL, env=environment)
                self._processes[job.job_id] = process
            os.close(write_fd)
            self._listen(job, ws, receiver)
        except _Cancelled:
            self._finish(job, "cancelled", "cancelled")
        except USER_ERRORS as err:
            job.error_key, job.error_params = getattr(err, "key", None), getattr(err, "params", {})
            self._finish(job, "failed", str(err))
        except Exception as err:  # the job fails visibly; the server goes on
            self._finish(job, "failed", f"{type(err).__name__}: {err}")
        finally:
            if receiver is not None:
                receiver.close()
            with self._lock:
                process = self._processes.pop(job.job_id, None)
            if process is not None:
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    process.kill()
            handoff.remove_job_dir(job.username, job.job_id, self.root)
            self._dispatch()

    def _listen(self, job: Job, ws: Workspace, receiver) -> None:
        while True:
            try:
                message = receiver.recv()
            except (EOFError, OSError):
                if job.job_id in self._cancel:
                    raise _Cancelled() from None
                if self._closed:
                    self._finish(job, "interrupted", "the server stopped before it finished")
                    return
                raise RuntimeError("the training process stopped unexpectedly (out of memory?)") from None
            kind = message[0]
            if kind == "progress":
                job.fraction, job.message = message[1], message[2]
                if job.time_left is None:
                    job.time_left = TimeLeft(job.models)
                job.time_left.observe(message[2])
                job.model = getattr(message[2], "model", None) or job.model
            elif kind == "steps":
                job.curves.extend(message[1])
            elif kind == "user_error":
                job.error_key, job.error_params = message[2], message[3]
                self._finish(job, "failed", message[1])
                return
            elif kind == "error":
                self._finish(job, "failed", message[1])
                return
            elif kind == "result":
                result = message[1]
                outcome = record_training(ws, ws.dataset(job.dataset_id),
                                          TrainSettings.from_dict(self._settings[job.job_id]),
                                          result, job.run_ids)
                job.run_ids.update(outcome.run_ids)  # runs made after the models (the ensemble) too
                job.notes = result.notes
                job.best_run_id = outcome.to_json()["best_run_id"]
                self._finish(job, "finished", "done")
                return

    def _finish(self, job: Job, state: str, message: str) -> None:
        """Record how the job ended, in the store first, so whoever sees it done also sees its runs."""
        with self._lock:
            if job.done or job.job_id in self._finishing:
                return
            self._finishing.add(job.job_id)
        ws = Workspace(job.username, self.root)
        if state != "finished":
            ws.set_runs_status(list(job.run_ids.values()), state, message)
        ws.log_event("train", f"{', '.join(job.models)} on '{job.dataset_name}' → {job.target}", state)
        with self._lock:
            job.ended, job.message = time.time(), message
            if state == "finished":
                job.fraction = 1.0
            elif state == "failed":
                job.error = message
            job.state = state


def _detected_task(ws: Workspace, dataset_id: str, target: str) -> str:
    """The task training will infer from the target ("" when every value is missing: training says why)."""
    guess = dataset_task_guess(ws, dataset_id, target)
    return guess.task if guess else ""


def _worker_environment() -> dict[str, str] | None:
    """The worker's environment: the server's (None), or with the cluster's address when training goes to one.

    A ``local`` cluster is this server's own, started here on the first job; the worker connects to it.
    """
    address = cluster.scheduler_address()
    return None if address is None else config.child_environment(**{config.DASK_SCHEDULER_ENV: address})


class _Cancelled(Exception):
    pass


_PROJECT_ROOT = str(Path(__file__).resolve().parents[2])


if __name__ == "__main__":
    # python -m core.train.jobs FD SNAPSHOT SETTINGS_JSON — started by JobRunner, never by hand.
    _fd, _snapshot, _settings_path = sys.argv[1:4]
    _worker(Connection(int(_fd), readable=False), _snapshot,
            json.loads(Path(_settings_path).read_text(encoding="utf-8")))
