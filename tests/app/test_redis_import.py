"""AppTest of the Data page's Redis source: preview (rows, columns, key types, limit) and save, in both languages."""
from __future__ import annotations

from storage.workspace import Workspace
from tests.app.apptest import app, no_errors, page_text
from tests.helpers.markdown import unescaped


def fill(client, n=4):
    for i in range(n):
        client.hset(f"student:{i}", mapping={"name": f"학생{i}", "score": str(70 + i), "class": "AB"[i % 2]})
    client.hset("other:1", mapping={"x": "1"})


def open_panel(at, url, pattern, limit=None, password=None):
    at.switch_page("pages/data.py").run()
    at.toggle(key="data.redis").set_value(True).run()
    at.text_input(key="data.redis.address").input(url)
    at.text_input(key="data.redis.pattern").input(pattern)
    if password:
        at.text_input(key="data.redis.password").input(password)
    if limit:
        at.number_input(key="data.redis.limit").set_value(limit)
    at.button(key="data.redis.preview").click().run()


def test_preview_then_save_a_dataset_from_redis_hashes(redis_db):
    fill(redis_db.client())
    at = app()
    open_panel(at, redis_db.url, "student:*")
    no_errors(at)
    preview = next(d.value for d in at.dataframe if d.editing_mode == "read_only")
    assert len(preview) == 4 and set(preview.columns) == {"key", "name", "score", "class"}
    assert "4 rows × 4 columns from 4 keys (hash 4)" in page_text(at)
    assert not at.warning  # nothing was cut by the row limit
    types = next(e for e in at.data_editor if e.key.startswith("data.redis.types.")).value
    assert dict(zip(types.iloc[:, 0], types.iloc[:, 1]))["score"] == "number"  # the headers in words
    assert at.text_input(key="data.redis.name.1").value == "student"
    at.button(key="data.redis.save").click().run()
    no_errors(at)
    assert at.success[0].value == "Saved 'student': 4 rows × 4 columns."
    saved = Workspace("alice").load("student")
    assert sorted(saved["score"].tolist()) == [70, 71, 72, 73]
    assert list(Workspace("alice").staging_dir().iterdir()) == []


def test_the_row_limit_is_said_and_a_wrong_password_is_a_message_in_korean(redis_db, tmp_path):
    fill(redis_db.client(), n=6)
    at = app(lang="ko")
    open_panel(at, redis_db.url, "student:*", limit=2)
    no_errors(at)
    assert "행 수 제한 때문에 처음 2행만 읽었습니다" in at.warning[0].value
    from tests.helpers.redis_server import redis_server

    with redis_server(tmp_path / "locked", password="right-pw") as server:
        fill(server.client())
        locked = app("bob", lang="ko")
        open_panel(locked, server.url, "student:*", password="wrong-pw")
        assert not locked.exception
        assert "비밀번호(또는 사용자 이름)를 거부했습니다" in locked.error[0].value
        assert "wrong-pw" not in page_text(locked) and Workspace("bob").datasets() == []


def test_a_refused_address_is_a_message_not_a_traceback():
    at = app()
    open_panel(at, "redis://127.0.0.1:1/0", "*")
    assert not at.exception
    assert "Could not connect to a Redis server at redis://127.0.0.1:1/0" in unescaped(at.error[0].value)


def test_switching_the_source_off_drops_the_staged_rows(redis_db):
    fill(redis_db.client())
    at = app()
    open_panel(at, redis_db.url, "student:*")
    staging = Workspace("alice").staging_dir()
    assert len(list(staging.iterdir())) == 1
    at.toggle(key="data.redis").set_value(False).run()
    no_errors(at)
    assert list(staging.iterdir()) == [] and Workspace("alice").datasets() == []
