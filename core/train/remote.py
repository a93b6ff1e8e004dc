"""A training job's fits on a Dask cluster: the data sent once, each model × fold a task, steps sent back as events.

Used by the job's worker process when ``$ANYML_DASK_SCHEDULER`` is set (`job_fits`); that process is
the cluster's client. `train` hands each model's fits (joblib ``delayed`` calls of ``fit_fold`` and
``fit_final``) to `ClusterFits`, which runs them as tasks and gives back their results in order, as
the local thread pool does. ``distributed`` is imported only inside these functions, so training
without a cluster never imports it.
"""
from __future__ import annotations

import inspect
import numbers
import os
import signal
import threading
import time
import uuid
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator

import numpy as np
import pandas as pd

from core import config
from core.errors import UserError

#: fits(calls) -> the calls' results in order; a call is joblib's ``(function, args, kwargs)``.
FitRunner = Callable[[list], Iterator]

#: Arrays and tables at least this large go to the cluster once per job (scattered), not with each task.
SCATTER_BYTES = 64 * 1024
#: Seconds to wait for the scheduler when a job starts.
CONNECT_SECONDS = 10
#: Seconds a cancelled job's process gives the scheduler to drop its tasks before it exits anyway.
CANCEL_SECONDS = 1.0


class ClusterError(UserError):
    """The cluster could not run the job: a worker stopped for good, or the scheduler is out of reach."""


def worker_lost() -> ClusterError:
    return ClusterError("A cluster worker stopped during training; try again. If it happens again, the data may be "
                        "too large for one worker: ask the administrator.", key="train.error.cluster_worker_lost")


def cluster_unreachable(address: str) -> ClusterError:
    return ClusterError(f"The training cluster at {address} cannot be reached; try again later or ask the "
                        "administrator.", key="train.error.cluster_unreachable", params={"address": address})


class WallDeadline:
    """A time limit that crosses machines: a wall-clock time, turned into the local ``perf_counter`` clock there."""

    def __init__(self, perf_deadline: float):
        self.wall = time.time() + (perf_deadline - time.perf_counter())

    def local(self) -> float:
        return time.perf_counter() + (self.wall - time.time())


def run_on_worker(function, kwargs: dict, *args):
    """The task a cluster worker runs: ``function(*args, **kwargs)`` with deadlines put on this machine's clock."""
    args = [a.local() if isinstance(a, WallDeadline) else a for a in args]
    kwargs = {k: (v.local() if isinstance(v, WallDeadline) else v) for k, v in kwargs.items()}
    return function(*args, **kwargs)


class StepPublisher:
    """``on_step`` for fits on cluster workers: each epoch or round becomes an event of the job's topic."""

    def __init__(self, topic: str):
        self.topic = topic

    def __call__(self, event: dict) -> None:
        from distributed import get_worker

        get_worker().log_event(self.topic, {k: _plain(v) for k, v in event.items()})


def _plain(value):
    """A value events can carry (msgpack takes exact Python types only): numbers as Python numbers, the rest as text."""
    if value is None or isinstance(value, (bool, str)):
        return value if type(value) in (bool, str) or value is None else str(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    return str(value)


class ClusterFits:
    """Runs a job's fits as tasks on the cluster; gives each model's results back in the order asked.

    Arrays and tables (the training rows, the fold indices) are scattered to every worker the first
    time a fit needs them and reused by every later fit of the job, so the data crosses the network
    once per job and worker. A task is retried once if it raises; a task whose worker died is moved
    to another worker by the scheduler, and when that keeps happening (`KilledWorker`) the job fails
    with `worker_lost`. If a dying worker held the only copy of the data (Dask keeps one copy once no
    fit waits for it), the data is scattered again and the fits still to come are submitted again, once.
    """

    def __init__(self, client):
        self.client = client
        self._scattered: dict[int, tuple[object, object]] = {}  # id -> (the object, kept alive; its future)
        self._outstanding: set = set()
        self._lock = threading.Lock()

    def __call__(self, calls: Iterable) -> Iterator:
        calls = list(calls)
        futures = [self._submit(*call) for call in calls]
        with self._lock:
            self._outstanding.update(futures)
        return self._results(calls, futures)

    def _submit(self, function, args, kwargs):
        bound = inspect.signature(function).bind(*args, **kwargs)
        deadline = bound.arguments.get("deadline")
        if deadline is not None:  # a perf_counter value means nothing on another machine
            bound.arguments["deadline"] = WallDeadline(deadline)
        payload = [self._scatter(a) for a in bound.args]
        return self.client.submit(run_on_worker, function, bound.kwargs, *payload, retries=1, pure=False,
                                  key=f"{function.__name__}-{uuid.uuid4().hex}")

    def _scatter(self, value):
        if not isinstance(value, (np.ndarray, pd.DataFrame, pd.Series)) or _nbytes(value) < SCATTER_BYTES:
            return value
        held = self._scattered.get(id(value))
        if held is None:
            # Sent to every worker at once, so none waits for it at its first fit.
            [future] = self.client.scatter([value], hash=False, broadcast=True)
            held = self._scattered[id(value)] = (value, future)
        return held[1]

    def _results(self, calls: list, futures: list) -> Iterator:
        from concurrent.futures import CancelledError

        from distributed import KilledWorker

        sent_again, i = False, 0
        try:
            while i < len(futures):
                try:
                    value = futures[i].result()
                except KilledWorker:  # a fit that kept killing its worker
                    raise worker_lost() from None
                except CancelledError:  # a worker died with the only copy of the job's data: send it once more
                    if sent_again:
                        raise worker_lost() from None
                    sent_again = True
                    self._resubmit(calls, futures, i)
                    continue
                yield value
                i += 1
        finally:  # an error, the time limit, or a caller that stopped reading: drop the fits not yet done
            pending = [f for f in futures if not f.done()]
            if pending:
                self.client.cancel(pending, force=True)
            with self._lock:
                self._outstanding.difference_update(futures)
            for future in futures:  # now, not when a failed fit's traceback is collected at last
                future.release()

    def _resubmit(self, calls: list, futures: list, start: int) -> None:
        """Scatter the data again and submit once more the fits from ``start`` on that have no result."""
        self._scattered.clear()
        for j in range(start, len(futures)):
            if futures[j].status in ("finished", "error"):
                continue
            old, futures[j] = futures[j], self._submit(*calls[j])
            self.client.cancel([old], force=True)
            old.release()
            with self._lock:
                self._outstanding.discard(old)
                self._outstanding.add(futures[j])

    def cancel_all(self) -> None:
        """Drop every fit of the job that has not finished (Cancel)."""
        with self._lock:
            pending = list(self._outstanding)
        if pending:
            self.client.cancel(pending, force=True)

    def close(self) -> None:
        """Release the job's scattered data."""
        futures = [future for _, future in self._scattered.values()]
        self._scattered.clear()
        for future in futures:
            future.release()


def _nbytes(value) -> int:
    if isinstance(value, np.ndarray):
        return value.nbytes
    return int(value.memory_usage(index=False, deep=False).sum()) if isinstance(value, pd.DataFrame) \
        else int(value.memory_usage(index=False, deep=False))


@contextmanager
def job_fits(on_step) -> Iterator[tuple[FitRunner | None, object]]:
    """``(fits, on_step)`` for `train` in a job's worker process.

    Without a cluster this is ``(None, on_step)`` and nothing of Dask is imported. With one, ``fits``
    runs the fits there and the returned ``on_step`` publishes each step as an event that comes back
    to the given ``on_step`` here. While the block runs, SIGTERM (the runner's Cancel) cancels the
    job's tasks on the cluster and ends the process.
    """
    address = config.dask_scheduler()
    if address is None:
        yield None, on_step
        return
    # SIGTERM is waited for by a thread of its own (blocked everywhere else, before the client starts
    # its threads), so Cancel acts at once even while this process's main thread is busy.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    started: list[ClusterFits] = []  # empty while connecting: a Cancel then simply ends the process
    threading.Thread(target=_cancel_on_sigterm, args=(started,), name="cancel-on-sigterm", daemon=True).start()
    from distributed import Client

    try:
        client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError):
        raise cluster_unreachable(address) from None
    fits = ClusterFits(client)
    started.append(fits)
    topic = f"anyml-steps-{uuid.uuid4().hex}"
    client.subscribe_topic(topic, lambda event: on_step({k: v for k, v in event[1].items() if k != "worker"}))
    try:
        yield fits, StepPublisher(topic)
    finally:
        fits.close()
        client.close()


def _cancel_on_sigterm(started: list[ClusterFits]) -> None:
    signal.sigwait({signal.SIGTERM})
    threading.Timer(CANCEL_SECONDS, os._exit, (0,)).start()  # an unreachable scheduler must not hold the exit
    try:
        for fits in list(started):
            fits.cancel_all()
    finally:
        os._exit(0)


__all__ = ["ClusterError", "ClusterFits", "FitRunner", "StepPublisher", "job_fits", "worker_lost",
           "cluster_unreachable"]
