"""The prediction API through FastAPI's test client: tokens, predictions with the input contract, refusals."""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from fastapi.testclient import TestClient

from api import Limits, create_app
from core.predict import set_active_run
from storage import db, paths
from storage.users import UserStore
from storage.workspace import Workspace
from tests.helpers import clone, train_once
from tests.helpers.api import account_with_token, train_students

ROWS = [{"signal": 0.3, "noise": -1.0, "group": "a"},
        {"signal": 99.0, "noise": 0.2, "group": "zzz"},
        {"signal": -0.5, "noise": 0.0, "group": "b", "student": "s3"}]


@pytest.fixture(scope="module")
def trained_model(tmp_path_factory):
    return train_once(tmp_path_factory, train_students)


@pytest.fixture
def run_id(trained_model, data_dir):
    root, run_id = trained_model
    clone(root, data_dir)
    return run_id


@pytest.fixture
def token(data_dir, run_id):
    return account_with_token("alice", data_dir)


def client(data_dir, **limits) -> TestClient:
    return TestClient(create_app(data_dir, limits=Limits(**limits) if limits else None))


def auth(token: str, lang: str | None = None) -> dict:
    return {"Authorization": f"Bearer {token}", **({"Accept-Language": lang} if lang else {})}


def test_json_records_are_predicted_with_each_rows_warnings(data_dir, run_id, token):
    answer = client(data_dir).post(f"/v1/models/{run_id}/predict", json={"records": ROWS}, headers=auth(token))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["rows"] == 3 and [p["row"] for p in body["predictions"]] == [1, 2, 3]
    for row in body["predictions"]:
        assert row["prediction"] in {"no", "yes"}
        assert set(row["probabilities"]) == {"no", "yes"}
        assert np.isclose(sum(row["probabilities"].values()), 1.0)
        assert row["prediction"] == max(row["probabilities"], key=row["probabilities"].get)
    first, second, _ = body["predictions"]
    assert first["warnings"] == []
    assert any("signal" in w and "outside the training range" in w for w in second["warnings"])
    assert any("'zzz' is a category the model never saw" in w for w in second["warnings"])
    problems = {(p["column"], p["problem"]): p for p in body["problems"]}
    assert problems[("signal", "out_of_range")]["count"] == 1
    assert problems[("group", "unseen")]["examples"] == [{"row": 2, "value": "zzz"}]
    assert body["ignored_columns"] == ["student"]
    assert body["task"] == "binary" and body["target"] == "label"
    history = Workspace("alice", data_dir).predictions()
    assert list(history["source"]) == ["API"] and list(history["rows"]) == [3]


def test_a_json_body_sent_with_curls_default_form_type_is_read_as_json(data_dir, run_id, token):
    answer = client(data_dir).post(f"/v1/models/{run_id}/predict", content=json.dumps({"records": ROWS}),
                                   headers={**auth(token), "Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 200 and answer.json()["rows"] == 3


def test_the_same_rows_as_csv_give_the_same_predictions_in_utf8_and_cp949(data_dir, run_id, token):
    api = client(data_dir)
    as_json = api.post(f"/v1/models/{run_id}/predict", json={"records": ROWS[:2]}, headers=auth(token)).json()
    csv = "signal,noise,group,이름\n0.3,-1.0,a,김민지\n99,0.2,zzz,박서준\n"
    for encoding in ("utf-8", "cp949"):
        answer = api.post(f"/v1/models/{run_id}/predict", content=csv.encode(encoding),
                          headers={**auth(token), "Content-Type": "text/csv"})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["ignored_columns"] == ["이름"]  # the Korean header was decoded
        assert body["predictions"] == as_json["predictions"]


def test_korean_is_answered_with_accept_language_ko(data_dir, run_id, token):
    api = client(data_dir)
    answer = api.post(f"/v1/models/{run_id}/predict", json={"records": ROWS}, headers=auth(token, "ko-KR,ko;q=0.9"))
    warnings = answer.json()["predictions"][1]["warnings"]
    assert any("학습 범위" in w for w in warnings) and any("보지 못한 범주" in w for w in warnings)
    refused = api.post(f"/v1/models/{run_id}/predict", json={"records": [{"noise": 1}]},
                       headers=auth(token, "ko"))
    assert refused.status_code == 422 and "'signal'" in refused.json()["detail"] and "열" in refused.json()["detail"]
    english = api.post(f"/v1/models/{run_id}/predict", json={"records": [{"noise": 1}]},
                       headers=auth(token, "en-US,ko;q=0.5"))
    assert "The rows lack column(s) the model needs" in english.json()["detail"]


@pytest.mark.parametrize("body, content_type, status, words", [
    ({"records": [{"noise": 1, "group": "a"}]}, None, 422, ["'signal'", "Add them"]),
    ({"records": [{"signal": {"value": 1}, "noise": 1, "group": "a"}]}, None, 422, ["Record 1", "'signal'",
                                                                                  "an object"]),
    ({"records": [{"signal": 1, "noise": [1, 2], "group": "a"}]}, None, 422, ["'noise'", "a list"]),
    ({"records": ["signal=1"]}, None, 422, ["Record 1", "not an object"]),
    ({"rows": []}, None, 422, ["'records' list"]),
    ({"records": []}, None, 422, ["no rows"]),
    (b"", "application/json", 400, ["no rows", "text/csv"]),
    (b'{"records": [{"signal": 1,}]}', "application/json", 400, ["not valid JSON", "line 1"]),
    (b"", "text/csv", 400, ["no rows"]),
    (b"signal,noise,group\n", "text/csv", 400, ["header but no rows"]),
    (b"signal,noise,group\n1,2,a\n3,4,b,extra,more\n", "text/csv", 400, ["Line 3"]),
    (b"signal,noise\n1,2\n", "text/csv", 422, ["'group'"]),
    (b"<xml/>", "application/xml", 415, ["application/xml"]),
])
def test_anything_that_cannot_be_predicted_is_a_4xx_with_one_sentence(data_dir, run_id, token, body, content_type,
                                                                      status, words):
    headers = {**auth(token), **({"Content-Type": content_type} if content_type else {})}
    api = client(data_dir)
    if isinstance(body, dict):
        answer = api.post(f"/v1/models/{run_id}/predict", json=body, headers=headers)
    else:
        answer = api.post(f"/v1/models/{run_id}/predict", content=body, headers=headers)
    assert answer.status_code == status, answer.text
    detail = answer.json()["detail"]
    assert isinstance(detail, str) and "Traceback" not in detail
    assert all(w in detail for w in words), detail


def test_an_unknown_run_is_404_and_another_users_run_looks_the_same(data_dir, run_id, token):
    api = client(data_dir)
    unknown = api.post("/v1/models/abc123abc123/predict", json={"records": ROWS}, headers=auth(token))
    assert unknown.status_code == 404 and "abc123abc123" in unknown.json()["detail"]
    bob = account_with_token("bob", data_dir)
    for answer in (api.post(f"/v1/models/{run_id}/predict", json={"records": ROWS}, headers=auth(bob)),
                   api.get(f"/v1/models/{run_id}", headers=auth(bob))):
        assert answer.status_code == 404
        assert answer.json()["detail"] == unknown.json()["detail"].replace("abc123abc123", run_id)
    assert api.get("/v1/models", headers=auth(bob)).json() == {"models": [], "datasets": []}
    assert Workspace("alice", data_dir).predictions().empty  # nothing was predicted with alice's model


def test_no_token_a_wrong_one_and_a_revoked_one_are_401(data_dir, run_id, token):
    api = client(data_dir)
    path = f"/v1/models/{run_id}/predict"
    assert api.post(path, json={"records": ROWS}, headers=auth(token)).status_code == 200
    for headers in ({}, auth("anyml_" + "x" * 43), auth(token[:-1]), {"Authorization": f"Basic {token}"}):
        answer = api.post(path, json={"records": ROWS}, headers=headers)
        assert answer.status_code == 401 and answer.headers["WWW-Authenticate"] == "Bearer"
        assert "Bearer" in answer.json()["detail"]
    store = UserStore(data_dir)
    (listed,) = store.tokens("alice")
    assert listed.last_used is not None and token.startswith(listed.prefix) and listed.prefix != token
    store.revoke_token("alice", listed.token_id)
    revoked = api.post(path, json={"records": ROWS}, headers=auth(token))
    assert revoked.status_code == 401 and "revoked" in revoked.json()["detail"]
    assert [a[2] for a in store.audit("alice") if a[2].startswith("token")] == ["token_created", "token_revoked"]


def test_a_body_or_row_count_past_the_limit_is_413(data_dir, run_id, token):
    api = client(data_dir, max_bytes=2000, max_rows=3)
    path = f"/v1/models/{run_id}/predict"
    big = api.post(path, json={"records": ROWS * 20}, headers=auth(token))
    assert big.status_code == 413 and "larger than the 2,000 bytes" in big.json()["detail"]
    many = api.post(path, json={"records": ROWS + ROWS[:1]}, headers=auth(token))
    assert many.status_code == 413 and "more than 3 rows" in many.json()["detail"]
    csv = "signal,noise,group\n" + "1,2,a\n" * 4
    many_csv = api.post(path, content=csv, headers={**auth(token), "Content-Type": "text/csv"})
    assert many_csv.status_code == 413 and "more than 3 rows" in many_csv.json()["detail"]
    assert api.post(path, json={"records": ROWS}, headers=auth(token)).status_code == 200


def test_past_the_rate_a_token_gets_429_with_retry_after_until_the_minute_has_passed(data_dir, run_id, token):
    now = [1000.0]
    api = client(data_dir, rate=2, clock=lambda: now[0])
    other = account_with_token("alice", data_dir, name="second")
    assert [api.get("/v1/models", headers=auth(token)).status_code for _ in range(2)] == [200, 200]
    now[0] += 10
    refused = api.get("/v1/models", headers=auth(token))
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "50"
    assert "2 a minute" in refused.json()["detail"] and "50 seconds" in refused.json()["detail"]
    assert api.get("/v1/models", headers=auth(other)).status_code == 200  # the limit is per token
    now[0] += 51
    assert api.get("/v1/models", headers=auth(token)).status_code == 200


def test_the_contract_says_what_a_request_needs_and_its_example_predicts_cleanly(data_dir, run_id, token):
    api = client(data_dir)
    contract = api.get(f"/v1/models/{run_id}", headers=auth(token)).json()
    columns = {c["name"]: c for c in contract["columns"]}
    assert list(columns) == ["signal", "noise", "group"]
    assert columns["signal"]["kind"] == "number" and columns["signal"]["min"] < columns["signal"]["max"]
    assert columns["signal"]["typical_low"] >= columns["signal"]["min"]
    assert columns["group"]["kind"] == "category" and sorted(columns["group"]["categories"]) == ["a", "b", "c"]
    assert contract["classes"] == ["no", "yes"] and contract["task"] == "binary"
    answer = api.post(f"/v1/models/{run_id}/predict", json={"records": [contract["example"]]}, headers=auth(token))
    assert answer.json()["predictions"][0]["warnings"] == [] and answer.json()["problems"] == []


def test_the_model_list_has_the_users_runs_and_the_active_one_per_dataset(data_dir, run_id, token):
    api = client(data_dir)
    listed = api.get("/v1/models", headers=auth(token)).json()
    assert {m["model"] for m in listed["models"]} == {"dt", "dummy"}  # the do-nothing baseline is a run too
    (model,) = [m for m in listed["models"] if m["run_id"] == run_id]
    assert model["model"] == "dt" and model["dataset"] == "students" and model["target"] == "label"
    assert model["active"] is False and isinstance(model["score"], float)
    assert listed["datasets"][0]["active_run_id"] is None and listed["datasets"][0]["default_run_id"] == run_id
    set_active_run(Workspace("alice", data_dir), run_id)
    listed = api.get("/v1/models", headers=auth(token)).json()
    assert [m["run_id"] for m in listed["models"] if m["active"]] == [run_id]
    assert listed["datasets"][0]["active_run_id"] == run_id


def test_the_openapi_page_documents_both_bodies_the_token_and_the_refusals(data_dir):
    api = client(data_dir)
    spec = api.get("/openapi.json").json()
    predict = spec["paths"]["/v1/models/{run_id}/predict"]["post"]
    assert set(predict["requestBody"]["content"]) == {"application/json", "text/csv"}
    assert predict["requestBody"]["content"]["application/json"]["example"]["records"]
    assert {"200", "401", "404", "413", "422", "429"} <= set(predict["responses"])
    assert predict["security"] and "PredictResponse" in spec["components"]["schemas"]
    assert "ModelContract" in spec["components"]["schemas"] and "ModelList" in spec["components"]["schemas"]
    assert api.get("/docs").status_code == 200


def _hold(path, seconds: float) -> subprocess.Popen:
    """Another process (as the web app would be) holding the DuckDB file ``path`` for ``seconds``."""
    script = ("import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('held', flush=True); "
              "time.sleep(float(sys.argv[2]))")
    holder = subprocess.Popen([sys.executable, "-c", script, str(path), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_a_request_waits_for_a_file_another_program_holds_briefly(data_dir, run_id, token):
    api = client(data_dir)
    db.release_under(data_dir)
    holder = _hold(paths.system_db_path(data_dir), 0.5)
    try:
        answer = api.get("/v1/models", headers=auth(token))
    finally:
        holder.wait()
    assert answer.status_code == 200 and answer.json()["models"]


def test_while_another_program_keeps_the_data_the_answer_is_503_with_retry_after(data_dir, run_id, token,
                                                                               monkeypatch):
    monkeypatch.setattr(db, "LOCK_WAIT_SECONDS", 0.3)
    api = client(data_dir)
    db.release_under(data_dir)
    holder = _hold(paths.system_db_path(data_dir), 60)
    try:
        busy = api.get("/v1/models", headers=auth(token, "ko"))
    finally:
        holder.kill()
        holder.wait()
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "2"
    assert "다른 AnyML 프로그램" in busy.json()["detail"]
    assert api.get("/v1/models", headers=auth(token)).status_code == 200
