"""Import from Redis against a real redis-server: every kind of key, the pattern, the limit and each failure."""
from __future__ import annotations

import json

import pytest
import redis

from core.data import dataset_types
from core.data.redis_import import ingest_redis, preview_redis
from storage.ingest.redis_source import RedisSourceError, parse_address, read_redis
from tests.helpers.redis_server import free_port, redis_server, silent_server

STUDENTS = [{"name": "김민준", "score": "91", "class": "A", "joined": "2025-03-02"},
            {"name": "이서연", "score": "78.5", "class": "B", "joined": "2025-03-03"},
            {"name": "박지호", "score": "64", "class": "A", "joined": "2025-03-04"}]


def fill_hashes(client, prefix="student", rows=STUDENTS):
    for i, row in enumerate(rows, start=1):
        client.hset(f"{prefix}:{i}", mapping=row)


def by_key(read):
    return {row[0]: dict(zip(read.columns, row)) for row in read.rows}


def test_hashes_are_one_row_per_key_with_a_key_column(redis_db):
    fill_hashes(redis_db.client())
    read = read_redis(redis_db.url, "student:*")
    assert read.columns[0] == "key" and set(read.columns) == {"key", "name", "score", "class", "joined"}
    assert by_key(read)["student:2"]["name"] == "이서연"
    assert (len(read.rows), read.key_types, read.truncated) == (3, {"hash": 3}, False)


def test_saved_hashes_get_the_types_a_csv_would(ws, redis_db):
    fill_hashes(redis_db.client())
    saved, _ = ingest_redis(ws, redis_db.url, "student:*")
    frame = ws.load(saved.dataset.dataset_id).sort_values("key")
    assert frame["score"].tolist() == [91.0, 78.5, 64.0]
    assert frame["joined"].dt.strftime("%Y-%m-%d").tolist() == ["2025-03-02", "2025-03-03", "2025-03-04"]
    assert dataset_types(ws, saved.dataset.dataset_id)["score"] == "number"
    assert saved.dataset.name == "student" and saved.dataset.source == f"{redis_db.url} student:*"
    assert list(ws.staging_dir().iterdir()) == []  # the staged rows are gone once saved


def test_lists_of_json_objects_are_one_row_per_item(redis_db):
    client = redis_db.client()
    client.rpush("scores", *[json.dumps({"name": f"s{i}", "score": i * 1.5, "passed": i > 1,
                                          "tags": ["x", "y"]}) for i in range(4)])
    read = read_redis(redis_db.url, "scores")
    assert read.columns == ("name", "score", "passed", "tags")  # one key: no key column
    assert read.rows[1] == ("s1", "1.5", "false", '["x", "y"]')
    assert read.key_types == {"list": 1}


def test_streams_read_json_entries_and_field_entries(redis_db):
    client = redis_db.client()
    client.xadd("events:json", {"data": json.dumps({"user": "kim", "minutes": 30})})
    client.xadd("events:fields", {"user": "lee", "minutes": "45"})
    read = read_redis(redis_db.url, "events:*")
    rows = by_key(read)
    assert rows["events:json"]["user"] == "kim" and rows["events:json"]["minutes"] == "30"
    assert rows["events:fields"]["user"] == "lee" and rows["events:fields"]["minutes"] == "45"
    assert read.key_types == {"stream": 2}


def test_strings_hold_a_json_object_or_an_array_of_them(redis_db):
    client = redis_db.client()
    client.set("doc:1", json.dumps({"name": "kim", "score": 90}))
    client.set("doc:2", json.dumps([{"name": "lee", "score": 80}, {"name": "park", "score": 70}]))
    read = read_redis(redis_db.url, "doc:*")
    assert sorted(dict(zip(read.columns, r))["name"] for r in read.rows) == ["kim", "lee", "park"]
    assert read.key_types == {"string": 2}


def test_the_pattern_chooses_the_keys(redis_db):
    client = redis_db.client()
    fill_hashes(client, "student")
    fill_hashes(client, "teacher", [{"name": "최선생", "subject": "math"}])
    read = read_redis(redis_db.url, "teacher:*")
    assert [r[:2] for r in read.rows] == [("teacher:1", "최선생")]


def test_the_row_limit_stops_the_read_and_says_so(redis_db):
    client = redis_db.client()
    fill_hashes(client, "s", [{"n": str(i)} for i in range(30)])
    client.rpush("items", *[json.dumps({"n": i}) for i in range(30)])
    read = read_redis(redis_db.url, "s:*", limit=10)
    assert (len(read.rows), read.truncated, read.limit) == (10, True, 10)
    items = read_redis(redis_db.url, "items", limit=12)
    assert ([r[0] for r in items.rows], items.truncated) == ([str(i) for i in range(12)], True)
    whole = read_redis(redis_db.url, "items", limit=30)
    assert (len(whole.rows), whole.truncated) == (30, False)


def test_scan_is_used_never_keys(redis_db):
    # The test server renames KEYS away, so a reader that used it would fail here.
    with pytest.raises(redis.exceptions.ResponseError):
        redis_db.client().execute_command("KEYS", "*")
    fill_hashes(redis_db.client())
    assert len(read_redis(redis_db.url, "*").rows) == 3


@pytest.mark.parametrize("setup, pattern, key, words", [
    (lambda c: (c.hset("h:1", "a", "1"), c.rpush("h:2", "{}")), "h:*", "data.redis.error.mixed",
     ["different kinds", "hash 1", "list 1"]),
    (lambda c: c.sadd("tags", "a", "b"), "tags", "data.redis.error.unsupported", ["'tags'", "set"]),
    (lambda c: c.rpush("bad", json.dumps([1, 2])), "bad", "data.redis.error.not_object", ["'bad'", "[1, 2]"]),
    (lambda c: c.set("text", "hello"), "text", "data.redis.error.not_object", ["'text'", "hello"]),
    (lambda c: None, "nothing:*", "data.redis.error.no_keys", ["nothing:*"]),
])
def test_keys_that_are_not_a_table_get_a_message(redis_db, setup, pattern, key, words):
    setup(redis_db.client())
    with pytest.raises(RedisSourceError) as caught:
        read_redis(redis_db.url, pattern)
    assert caught.value.key == key
    assert all(w in str(caught.value) for w in words), str(caught.value)


def test_nothing_listening_is_a_connection_message():
    with pytest.raises(RedisSourceError) as caught:
        read_redis(f"redis://127.0.0.1:{free_port()}/0")
    assert caught.value.key == "data.redis.error.refused"


def test_a_server_that_never_answers_is_a_timeout_message():
    with silent_server() as port, pytest.raises(RedisSourceError) as caught:
        read_redis(f"redis://127.0.0.1:{port}/0", timeout=0.3)
    assert caught.value.key == "data.redis.error.timeout" and caught.value.params["seconds"] == "0.3"


@pytest.mark.parametrize("address", ["localhost:6379", "http://localhost/0", "redis://", "redis://h:99999/0",
                                     "redis://h:1/abc"])
def test_an_address_that_is_not_redis_is_refused_with_the_form_to_use(address):
    with pytest.raises(RedisSourceError) as caught:
        read_redis(address)
    assert caught.value.key == "data.redis.error.address"


def test_the_password_is_used_and_never_shown(tmp_path, ws):
    with redis_server(tmp_path / "locked", password="s3cret-pw") as server:
        fill_hashes(server.client())
        for password, key in ((None, "data.redis.error.needs_password"), ("wrong", "data.redis.error.password")):
            with pytest.raises(RedisSourceError) as caught:
                read_redis(server.url, password=password)
            assert caught.value.key == key and "s3cret" not in str(caught.value)
        url_with_password = f"redis://:s3cret-pw@127.0.0.1:{server.port}/0"
        assert len(read_redis(url_with_password).rows) == 3
        saved, _ = ingest_redis(ws, server.url, "student:*", password="s3cret-pw")
        assert "s3cret" not in saved.dataset.source and "s3cret" not in json.dumps(saved.to_json())
    assert "s3cret" not in repr(parse_address(url_with_password))


def test_the_preview_stages_rows_and_shows_the_first_ones(ws, redis_db):
    fill_hashes(redis_db.client())
    preview = preview_redis(ws, redis_db.url, "student:*")
    assert preview.path.exists() and preview.path.parent == ws.staging_dir()
    assert len(preview.inspection.preview) == 3 and preview.inspection.types["score"] == "number"
    assert preview.summary()["key_types"] == {"hash": 3} and ws.datasets() == []
