"""The Dask cluster training uses when ``$ANYML_DASK_SCHEDULER`` is set: its address, and what it is doing now.

``local`` starts a cluster of this machine once per app process (worker processes on half the cores),
closed when the process exits. ``distributed`` is imported only when a cluster is configured.
"""
from __future__ import annotations

import atexit
import os
import threading
from dataclasses import dataclass

from core import config
from core.train.remote import CONNECT_SECONDS, cluster_unreachable

_lock = threading.Lock()
_local_cluster = None
_clients: dict[str, object] = {}


def local_cluster_size() -> int:
    """Worker processes of a ``local`` cluster: half the cores, at least one."""
    return max(1, (os.cpu_count() or 2) // 2)


def scheduler_address() -> str | None:
    """The address of the scheduler training sends its fits to, or None when training stays on this server.

    For ``local`` the app's own cluster is started on the first call.
    """
    setting = config.dask_scheduler()
    if setting is None or setting.lower() != "local":
        return setting
    global _local_cluster
    with _lock:
        if _local_cluster is None:
            from distributed import LocalCluster

            _local_cluster = LocalCluster(n_workers=local_cluster_size(), threads_per_worker=1, processes=True)
            atexit.register(_local_cluster.close)
        return _local_cluster.scheduler_address


def client(address: str):
    """This process's own client of the scheduler at ``address`` (for the admin page), made once."""
    with _lock:
        existing = _clients.get(address)
        if existing is not None and existing.status == "running":
            return existing
    from distributed import Client

    try:
        made = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError):
        raise cluster_unreachable(address) from None
    with _lock:
        _clients[address] = made
    return made


@dataclass(frozen=True)
class WorkerStatus:
    """One worker of the cluster: where it runs, its cores and memory, the fits it is running now."""

    address: str
    name: str
    cores: int
    memory_limit: int
    memory_used: int
    tasks_running: int


@dataclass(frozen=True)
class ClusterStatus:
    """The cluster as the admin page shows it."""

    address: str
    dashboard: str | None
    workers: tuple[WorkerStatus, ...]

    @property
    def cores(self) -> int:
        return sum(w.cores for w in self.workers)

    @property
    def memory_limit(self) -> int:
        return sum(w.memory_limit for w in self.workers)

    @property
    def tasks_running(self) -> int:
        return sum(w.tasks_running for w in self.workers)


def cluster_status() -> ClusterStatus | None:
    """What the configured cluster is doing, or None when none is configured.

    Raises `ClusterError` when the scheduler cannot be reached.
    """
    address = scheduler_address()
    if address is None:
        return None
    connected = client(address)
    try:
        info = connected.scheduler_info(n_workers=-1)
        processing = connected.processing()
    except (OSError, TimeoutError):
        raise cluster_unreachable(address) from None
    workers = tuple(sorted((
        WorkerStatus(address=worker, name=str(details.get("name", worker)), cores=int(details.get("nthreads", 0)),
                     memory_limit=int(details.get("memory_limit") or 0),
                     memory_used=int((details.get("metrics") or {}).get("memory") or 0),
                     tasks_running=len(processing.get(worker, ())))
        for worker, details in info.get("workers", {}).items()), key=lambda w: w.address))
    try:
        dashboard = connected.dashboard_link
    except KeyError:  # the scheduler serves no dashboard (bokeh is not installed there)
        dashboard = None
    return ClusterStatus(address=address, dashboard=dashboard, workers=workers)


__all__ = ["ClusterStatus", "WorkerStatus", "cluster_status", "client", "local_cluster_size", "scheduler_address"]
