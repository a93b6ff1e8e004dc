"""Shared fixtures: every test gets its own empty data directory and a cookie key, and leaves no database open."""
from __future__ import annotations

import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer

from storage import db
from storage.users import passwords
from storage.workspace import Workspace
from tests.helpers import frames


def pytest_configure(config):
    # pytest-xdist's marker, named here too so that `-p no:xdist` with --strict-markers still runs the suite.
    config.addinivalue_line("markers", "xdist_group(name): run these tests on one xdist worker (--dist loadgroup)")


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    """The test's own data directory; every DuckDB file opened in ``tmp_path`` is closed after the test.

    `storage.db` keeps a file open for the life of the process (as the server does), and each open DuckDB
    database holds about eight threads: left open, a test process gathered thousands of them (tests/unit/
    test_thread_leak.py checks that a test leaves none).
    """
    root = tmp_path / "data"
    monkeypatch.setenv("ANYML_DATA_DIR", str(root))
    monkeypatch.setenv("ANYML_COOKIE_KEY", "test-cookie-key-not-secret")
    yield root
    db.release_under(tmp_path)


@pytest.fixture(scope="module", autouse=True)
def _close_module_databases():
    """After a module, every DuckDB file still open (a module's shared trained workspace) is closed too."""
    yield
    db.release_all()


@pytest.fixture
def ws(data_dir) -> Workspace:
    return Workspace("alice", data_dir)


@pytest.fixture
def iris_frame() -> pd.DataFrame:
    return frames.iris_frame()


@pytest.fixture
def cancer_frame() -> pd.DataFrame:
    return load_breast_cancer(as_frame=True).frame



@pytest.fixture
def fast_bcrypt(monkeypatch):
    """The lowest work factor bcrypt accepts: tests of accounts check behaviour, not hashing cost."""
    monkeypatch.setattr(passwords, "BCRYPT_ROUNDS", 4)


@pytest.fixture(scope="session")
def redis_service(tmp_path_factory):
    """One real redis-server for the session (see tests/helpers/redis_server.py); tests empty it with `redis_db`."""
    from tests.helpers.redis_server import redis_server

    with redis_server(tmp_path_factory.mktemp("redis")) as server:
        yield server


@pytest.fixture
def redis_db(redis_service):
    """The shared redis-server, emptied before the test."""
    redis_service.client().flushall()
    return redis_service
