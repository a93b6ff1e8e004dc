"""The prediction API served by a real uvicorn on 127.0.0.1, called over HTTP as another program would."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from core import config
from storage.users import UserStore
from storage.workspace import Workspace
from tests.helpers.api import account_with_token, train_students

ROOT = Path(__file__).resolve().parents[2]
#: How long the server may take to start before the test gives up (a machine shared by many is slow).
START_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(data_dir):
    """``uvicorn api.app:app`` over this test's data directory; yields its base URL, stopped afterwards."""
    port = free_port()
    env = {**os.environ, "ANYML_DATA_DIR": str(data_dir)}
    process = subprocess.Popen([sys.executable, "-m", "uvicorn", "api.app:app", "--host", "127.0.0.1",
                                "--port", str(port), "--log-level", "warning"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_SECONDS
    try:
        while True:
            assert process.poll() is None, process.stdout.read()
            try:
                if httpx.get(f"{url}/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_train_create_a_token_predict_over_http_revoke_and_be_refused(data_dir, server, monkeypatch):
    # This process plays the web app beside the API server: it closes a file it has not used for 0.2 s,
    # and the server (which closes its files after each request) waits for it meanwhile.
    monkeypatch.setenv(config.DB_IDLE_SECONDS_ENV, "0.2")
    run_id = train_students(Workspace("alice", data_dir))
    token = account_with_token("alice", data_dir, name="nightly script")
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=server, headers=headers, timeout=60) as http:
        listed = http.get("/v1/models").json()
        assert run_id in [m["run_id"] for m in listed["models"]]
        contract = http.get(f"/v1/models/{run_id}").json()
        assert [c["name"] for c in contract["columns"]] == ["signal", "noise", "group"]
        rows = [contract["example"], {**contract["example"], "group": "zzz"}]
        answer = http.post(f"/v1/models/{run_id}/predict", json={"records": rows})
        assert answer.status_code == 200, answer.text
        first, second = answer.json()["predictions"]
        assert first["prediction"] in {"no", "yes"} and first["warnings"] == []
        assert second["warnings"] == ["group: 'zzz' is a category the model never saw"]
        csv = http.post(f"/v1/models/{run_id}/predict", content="signal,noise,group\n0.1,0.2,a\n".encode("cp949"),
                        headers={"Content-Type": "text/csv"})
        assert csv.status_code == 200 and csv.json()["rows"] == 1
        missing = http.post(f"/v1/models/{run_id}/predict", json={"records": [{"noise": 1}]})
        assert missing.status_code == 422 and "'signal'" in missing.json()["detail"]

        store = UserStore(data_dir)  # the Account page's revoke, while the server runs
        (listed_token,) = store.tokens("alice")
        assert listed_token.last_used is not None
        store.revoke_token("alice", listed_token.token_id)
        refused = http.post(f"/v1/models/{run_id}/predict", json={"records": rows})
        assert refused.status_code == 401
        assert refused.json() == {"detail": "The API token is missing, wrong or revoked. Send 'Authorization: "
                                            "Bearer <token>' with a token from your Account page."}
    assert len(Workspace("alice", data_dir).predictions()) == 2  # each prediction is in the user's history
