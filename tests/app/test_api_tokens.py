"""AppTest of the Account page's API tokens: create (the secret shown once), list, revoke, and the curl example."""
from __future__ import annotations

import shlex

import pytest
from fastapi.testclient import TestClient

from api import create_app
from core import config
from storage.users import UserStore, token_hash
from storage.workspace import Workspace
from tests.app.apptest import ROOT, no_errors, page_text, signed_in
from tests.helpers.api import train_students

ACCOUNT = str(ROOT / "pages/account.py")


def _create(at, name: str) -> None:
    at.text_input(key="account.token_name").input(name)
    at.button(key="account.token_create").click()
    at.run()


def test_a_token_is_shown_once_listed_and_revoked(data_dir):
    at = signed_in("alice", script=ACCOUNT)
    at.run()
    no_errors(at)
    assert "You have no API tokens yet." in page_text(at)
    _create(at, "CRM")
    no_errors(at)
    (code,) = [c.value for c in at.code if c.value.startswith("anyml_")]
    assert "it is shown only this once" in at.warning[0].value
    (token,) = UserStore().tokens("alice")
    assert token.name == "CRM" and code.startswith(token.prefix)
    assert UserStore().token_user(code)[0].username == "alice"  # the secret shown is the one that works
    assert "CRM" in page_text(at) and "last used" in page_text(at)
    at.run()  # any later run of the page: the secret is gone for good, the token stays listed
    assert not [c.value for c in at.code if c.value.startswith("anyml_")]
    assert code not in page_text(at) and "CRM" in page_text(at)
    at.button(key=f"account.revoke.{token.token_id}").click()
    at.run()
    no_errors(at)
    assert at.success[0].value == "Token 'CRM' revoked: programs using it are refused from now on."
    assert UserStore().tokens("alice") == [] and "You have no API tokens yet." in page_text(at)
    assert not any(token_hash(code) in str(row) or code in str(row) for row in UserStore().audit("alice"))


def test_a_token_without_a_name_is_refused_in_korean_too(data_dir):
    at = signed_in("alice", lang="ko", script=ACCOUNT)
    at.run()
    _create(at, "   ")
    assert at.error[0].value.startswith("토큰 이름을 1~60자로 정하세요")
    assert UserStore().tokens("alice") == []


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_curl_example_uses_the_users_model_and_the_configured_address(data_dir, monkeypatch, lang):
    monkeypatch.setenv(config.API_URL_ENV, "http://models.example:8502/")
    at = signed_in("alice", lang=lang, script=ACCOUNT)
    at.run()
    assert [c for c in at.code if "curl" in c.value] == []
    run_id = train_students(Workspace("alice"))
    at.run()
    no_errors(at)
    (example,) = [c.value for c in at.code if "curl" in c.value]
    assert f"http://models.example:8502/v1/models/{run_id}/predict" in example
    assert "Authorization: Bearer $ANYML_TOKEN" in example
    # The example's body is what the API takes: sent as it stands, it predicts without a warning.
    body = shlex.split(example.split(" -d ", 1)[1])[0]
    secret = UserStore().create_token("alice", "test")[1]
    answer = TestClient(create_app(data_dir)).post(
        f"/v1/models/{run_id}/predict", content=body.encode(),
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"})
    assert answer.status_code == 200 and answer.json()["predictions"][0]["warnings"] == []
