"""API tokens in system.duckdb: the secret is returned once and stored only as its SHA-256; listing, revoking."""
from __future__ import annotations

import hashlib

import pytest

from storage import paths
from storage.db import connect
from storage.users import MAX_TOKENS, InvalidToken, TokenRefused, UserStore


@pytest.fixture
def store(data_dir) -> UserStore:
    store = UserStore(data_dir)
    store.create("alice", "Alice", "alice@example.com", "no-password-hash", role="user")
    return store


def test_only_the_hash_of_a_token_is_stored_and_the_list_shows_its_first_characters(store, data_dir):
    token, secret = store.create_token("alice", "  nightly   script ")
    assert token.name == "nightly script" and secret.startswith("anyml_") and len(secret) >= 6 + 43
    with connect(paths.system_db_path(data_dir)) as con:
        stored = con.execute("SELECT * FROM api_tokens").fetchall()
        audit = con.execute("SELECT action, detail FROM audit_log WHERE action LIKE 'token%'").fetchall()
    assert not any(secret in str(value) for row in stored for value in row)
    assert hashlib.sha256(secret.encode()).hexdigest() in stored[0]
    assert audit == [("token_created", f"nightly script ({token.prefix}…)")]
    (listed,) = store.tokens("alice")
    assert listed == token and secret.startswith(listed.prefix) and len(listed.prefix) < 16
    assert store.create_token("alice", "other")[1] != secret


def test_a_token_names_its_owner_until_revoked_or_the_account_is_locked_or_gone(store):
    _, secret = store.create_token("alice", "CRM")
    user, _ = store.token_user(secret)
    assert user.username == "alice" and store.tokens("alice")[0].last_used is not None
    for wrong in ("", "anyml_", secret + "x", secret.upper(), "Bearer " + secret, None):
        with pytest.raises(InvalidToken):
            store.token_user(wrong)
    store.create("root", "Root", "root@example.com", "no-password-hash", role="admin")
    store.set_locked("root", "alice", True)
    with pytest.raises(InvalidToken):
        store.token_user(secret)
    store.set_locked("root", "alice", False)
    assert store.token_user(secret)[0].username == "alice"
    store.delete("alice")
    with pytest.raises(InvalidToken):
        store.token_user(secret)
    assert store.tokens("alice") == []


def test_a_token_needs_a_name_and_an_account_holds_a_limited_number(store):
    for name in ("", "   ", "x" * 61, "nul\x00name"):
        with pytest.raises(TokenRefused, match="1 to 60 characters"):
            store.create_token("alice", name)
    for i in range(MAX_TOKENS):
        store.create_token("alice", f"t{i}")
    with pytest.raises(TokenRefused, match=f"at most {MAX_TOKENS} tokens"):
        store.create_token("alice", "one more")
    store.revoke_token("alice", store.tokens("alice")[0].token_id)
    store.create_token("alice", "one more")
