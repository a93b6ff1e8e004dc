"""``python -m core ingest redis://host:port/db --pattern ...`` run as a user types it, against a real redis-server."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from storage.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]


def run(data_dir, *args, **env):
    return subprocess.run([sys.executable, "-m", "core", *map(str, args)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env=dict(os.environ, ANYML_DATA_DIR=str(data_dir), **env))


def test_ingest_redis_hashes_with_pattern_name_limit_and_json(data_dir, redis_db):
    client = redis_db.client()
    for i in range(5):
        client.hset(f"student:{i}", mapping={"name": f"s{i}", "score": str(60 + i)})
    client.hset("teacher:1", mapping={"name": "t"})
    proc = run(data_dir, "ingest", redis_db.url, "--pattern", "student:*", "--name", "students", "--limit", "3",
               "--json")
    assert proc.returncode == 0, proc.stderr
    answer = json.loads(proc.stdout)
    assert (answer["dataset"], answer["rows"], answer["format"]) == ("students", 3, "redis")
    assert answer["redis"]["truncated"] and answer["redis"]["key_types"] == {"hash": 5}
    assert any("first 3 rows" in note for note in answer["notes"])
    frame = Workspace("local", data_dir).load("students")
    assert set(frame.columns) == {"key", "name", "score"} and frame["key"].str.startswith("student:").all()
    assert str(frame["score"].dtype) == "int64"


def test_the_password_comes_from_the_environment_and_a_wrong_one_is_one_line(data_dir, tmp_path):
    from tests.helpers.redis_server import redis_server

    with redis_server(tmp_path / "locked", password="pw-cli-1") as server:
        server.client().rpush("rows", json.dumps({"a": 1}), json.dumps({"a": 2}))
        refused = run(data_dir, "ingest", server.url, "--pattern", "rows", REDISCLI_AUTH="nope")
        assert refused.returncode == 2 and refused.stdout == ""
        assert refused.stderr.count("\n") == 1 and "refused the password" in refused.stderr
        ok = run(data_dir, "ingest", server.url, "--pattern", "rows", "--json", REDISCLI_AUTH="pw-cli-1")
        assert ok.returncode == 0, ok.stderr
        assert json.loads(ok.stdout)["rows"] == 2 and "pw-cli-1" not in ok.stdout


def test_a_file_refuses_the_redis_options(data_dir, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("x,y\n1,2\n")
    proc = run(data_dir, "ingest", path, "--pattern", "x*")
    assert proc.returncode == 2 and "--pattern and --limit are for a Redis address" in proc.stderr
    assert run(data_dir, "ingest", path, "--json").returncode == 0
