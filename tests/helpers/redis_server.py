"""A real redis-server for tests: started on a free port of 127.0.0.1, waited for, and stopped.

Nothing is written to disk (``--save '' --appendonly no``), and ``KEYS`` is renamed away so a reader that
uses it instead of SCAN fails. A missing redis-server is a failure, not a skip.
"""
from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import redis

REDIS_SERVER = "/usr/bin/redis-server"
START_SECONDS = 15.0


@dataclass(frozen=True)
class RedisServer:
    """A running server: where it listens, and a client to fill it."""

    port: int
    password: str | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self, db: int = 0) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, db=db, password=self.password)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def redis_server(workdir: Path, password: str | None = None) -> Iterator[RedisServer]:
    """Run ``redis-server`` until the block ends."""
    binary = REDIS_SERVER if Path(REDIS_SERVER).exists() else shutil.which("redis-server")
    assert binary, "redis-server is not installed: apt-get install redis-server (.ci/run does it)"
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
               "--dir", str(workdir), "--rename-command", "KEYS", ""]
    if password:
        command += ["--requirepass", password]
    log = open(workdir / "redis.log", "wb")
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    server = RedisServer(port, password)
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            assert proc.poll() is None, (workdir / "redis.log").read_text(errors="replace")
            try:
                if server.client().ping():
                    break
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@contextlib.contextmanager
def silent_server() -> Iterator[int]:
    """A port that accepts connections and never answers (a server that hangs): for the timeout test."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield sock.getsockname()[1]
