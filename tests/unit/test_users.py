"""Accounts: registration rules, sign-in throttling, own-account and admin actions, quotas, the audit log."""
from __future__ import annotations

import pickle
from datetime import datetime, timedelta

import duckdb
import pandas as pd
import pytest

from core import config
from core.data import ingest_file
from storage import paths, users
from storage.errors import UserError
from storage.users import (AccountLocked, LoginFailed, NotAllowed, QuotaExceeded, RegistrationPolicy,
                           RegistrationRefused, UnknownUser, UserExists, UserStore, WeakPassword, WrongPassword)
from storage.workspace import Workspace
from texts import LANGUAGES, STRINGS

PASSWORD = "Maple#Kite42"


class Clock:
    """A settable clock for stepping past a lockout without waiting."""

    def __init__(self):
        self.now = datetime(2026, 3, 5, 14, 0, 0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


pytestmark = pytest.mark.usefixtures("fast_bcrypt")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(data_dir, clock) -> UserStore:
    return UserStore(data_dir, clock=clock)


def register(store: UserStore, username: str, email: str | None = None, password: str = PASSWORD, **kw):
    return store.register(username, username.title(), email or f"{username}@example.com", password, **kw)


def english(err: UserError) -> str:
    """The catalogue's English text for ``err`` — what a page shows an English reader."""
    return STRINGS[err.key]["en"].format(**err.params)


# -- registration ------------------------------------------------------------------------------------

def test_the_first_account_is_the_admin_and_names_are_normalised(store):
    first = store.register("  Alice ", "  Kim   Alice ", "alice@example.com", PASSWORD)
    second = register(store, "bob")
    assert (first.username, first.name, first.is_admin) == ("alice", "Kim Alice", True)
    assert not second.is_admin
    assert first.password_hash.startswith("$2") and PASSWORD not in first.password_hash
    assert [a for _, _, a, _ in store.audit("alice")] == ["register"]


def test_korean_names_of_one_syllable_are_accepted(store):
    assert store.register("minsu", "김", "minsu@example.com", PASSWORD).name == "김"


@pytest.mark.parametrize("field, value, error, key", [
    ("username", "../alice", paths.InvalidUsername, "error.username_invalid"),
    ("username", "al", paths.InvalidUsername, "error.username_invalid"),
    ("username", "a b c", paths.InvalidUsername, "error.username_invalid"),
    ("name", "", RegistrationRefused, "error.name_invalid"),
    ("name", "<script>alert(1)</script>", RegistrationRefused, "error.name_invalid"),
    ("name", "x" * 101, RegistrationRefused, "error.name_invalid"),
    ("email", "not-an-email", RegistrationRefused, "error.email_invalid"),
    ("email", "a'--@example.com", RegistrationRefused, "error.email_invalid"),
    ("password", "Short#1", WeakPassword, "error.password_weak"),
    ("password", "nouppercase#1", WeakPassword, "error.password_weak"),
    ("password", "NOLOWERCASE#1", WeakPassword, "error.password_weak"),
    ("password", "NoDigits#here", WeakPassword, "error.password_weak"),
    ("password", "NoSymbol123", WeakPassword, "error.password_weak"),
    ("password", "Aa#1" + "x" * 61, WeakPassword, "error.password_weak"),
    ("password", "Aa#1" + "한" * 30, WeakPassword, "error.password_weak"),  # 94 bytes: past bcrypt's 72
])
def test_registration_refuses_each_broken_rule_with_its_message(store, field, value, error, key):
    fields = {"username": "carol", "name": "Carol", "email": "carol@example.com", "password": PASSWORD}
    fields[field] = value
    with pytest.raises(error) as caught:
        store.register(**fields)
    assert caught.value.key == key
    assert english(caught.value) == str(caught.value)
    assert store.count() == 0


def test_duplicate_username_or_email_is_refused_in_any_case(store):
    register(store, "alice")
    with pytest.raises(UserExists):
        register(store, "ALICE", email="other@example.com")
    with pytest.raises(UserExists):
        register(store, "alice2", email="Alice@Example.com")
    assert store.count() == 1


def test_closed_registration_still_lets_the_first_admin_in(store, monkeypatch):
    monkeypatch.setenv(config.REGISTRATION_ENV, "closed")
    assert register(store, "alice").is_admin
    with pytest.raises(RegistrationRefused) as caught:
        register(store, "bob")
    assert caught.value.key == "error.registration_closed"
    assert [u.username for u in store.list()] == ["alice"]


def test_registration_can_be_restricted_to_email_domains(store, monkeypatch):
    monkeypatch.setenv(config.EMAIL_DOMAINS_ENV, " Corp.com, @school.ac.kr ")
    assert RegistrationPolicy.from_env() == RegistrationPolicy(open=True, domains=("corp.com", "school.ac.kr"))
    register(store, "alice", email="alice@CORP.com")
    register(store, "bob", email="bob@school.ac.kr")
    for email in ("eve@gmail.com", "eve@evil.corp.com", "eve@corp.com.evil.io"):
        with pytest.raises(RegistrationRefused) as caught:
            register(store, "eve", email=email)
        assert caught.value.params == {"domains": "corp.com, school.ac.kr"}
        assert "corp.com, school.ac.kr" in str(caught.value)
    assert store.count() == 2


# -- signing in and the lockout ---------------------------------------------------------------------

def test_sign_in_accepts_the_right_password_only_and_never_says_which_part_was_wrong(store, clock):
    register(store, "alice")
    user = store.authenticate(" Alice ", PASSWORD)
    assert user.username == "alice" and user.last_login == clock.now
    wrong_password = pytest.raises(LoginFailed, store.authenticate, "alice", "Wrong#123")
    unknown_user = pytest.raises(LoginFailed, store.authenticate, "nobody", PASSWORD)
    malformed = pytest.raises(LoginFailed, store.authenticate, "../../etc", PASSWORD)
    assert str(wrong_password.value) == str(unknown_user.value) == str(malformed.value)
    assert wrong_password.value.key == "auth.bad_login"
    assert [a for _, _, a, _ in store.audit("alice")] == ["register", "login", "login_failed"]


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(store, clock):
    register(store, "alice")
    for attempt in range(1, 5):
        with pytest.raises(LoginFailed):
            store.authenticate("alice", f"Wrong#{attempt}")
    with pytest.raises(AccountLocked) as fifth:
        store.authenticate("alice", "Wrong#5")
    until = clock.now + timedelta(minutes=15)
    assert store.get("alice").locked_until == until
    # To a visitor the lock reads like any refused sign-in, so it never tells that the account exists.
    unknown = pytest.raises(LoginFailed, store.authenticate, "nobody", PASSWORD).value
    assert fifth.value.key == unknown.key == "auth.bad_login" and str(fifth.value) == str(unknown)
    assert english(fifth.value) == str(fifth.value)
    assert "14:15까지" in STRINGS["error.account_locked"]["ko"].format(until=until)  # for the signed-in owner

    # Locked means locked: the right password is refused too, and the refusal is not counted.
    clock.advance(minutes=14, seconds=59)
    with pytest.raises(AccountLocked):
        store.authenticate("alice", PASSWORD)
    # A new store (another server process, a restart) sees the same lock: it lives in system.duckdb.
    with pytest.raises(AccountLocked):
        UserStore(store.root, clock=clock).authenticate("alice", PASSWORD)

    locks = [(when, detail) for when, _, action, detail in store.audit("alice") if action == "locked"]
    assert locks == [(datetime(2026, 3, 5, 14, 0), "2026-03-05 14:15:00")]

    clock.advance(seconds=2)
    assert store.authenticate("alice", PASSWORD).username == "alice"


def test_the_count_starts_again_after_a_success_or_a_lockout(store, clock):
    register(store, "alice")
    for _ in range(4):
        pytest.raises(LoginFailed, store.authenticate, "alice", "Wrong#1")
    store.authenticate("alice", PASSWORD)
    for _ in range(4):
        pytest.raises(LoginFailed, store.authenticate, "alice", "Wrong#1")
    assert store.get("alice").locked_until is None
    pytest.raises(AccountLocked, store.authenticate, "alice", "Wrong#1")
    clock.advance(minutes=16)
    # Four more tries after the lock ends, not one.
    for _ in range(4):
        pytest.raises(LoginFailed, store.authenticate, "alice", "Wrong#1")
    assert store.authenticate("alice", PASSWORD)


def test_a_locked_account_is_refused_exactly_like_a_wrong_password_or_an_unknown_user(store, clock):
    register(store, "alice")
    register(store, "bob")
    for _ in range(5):
        pytest.raises((LoginFailed, AccountLocked), store.authenticate, "alice", "Wrong#1")
    refusals = [pytest.raises(LoginFailed, store.authenticate, "alice", PASSWORD).value,  # locked, right password
                pytest.raises(LoginFailed, store.authenticate, "bob", "Wrong#1").value,
                pytest.raises(LoginFailed, store.authenticate, "nobody", PASSWORD).value]
    assert len({(r.key, str(r), tuple(r.params.items())) for r in refusals}) == 1, refusals


def test_failures_far_apart_never_add_up_to_a_lock(store, clock):
    register(store, "alice")
    for _ in range(3):
        for _ in range(4):
            pytest.raises(LoginFailed, store.authenticate, "alice", "Wrong#1")
        clock.advance(minutes=15)  # what the sign-in throttle makes one client wait after four
    assert store.get("alice").locked_until is None
    assert store.authenticate("alice", PASSWORD).username == "alice"


@pytest.mark.parametrize("password, key", [
    ("Password1!", "error.password_common"),
    ("P@ssw0rd#2026", "error.password_common"),
    ("Welcome2025!", "error.password_common"),
    ("!Qwerty123", "error.password_common"),
    ("Qwer1234!", "error.password_common"),
    ("Alice#2026x", "error.password_personal"),       # the username
    ("Kim#Family77", "error.password_personal"),        # a word of the name
    ("my#Aliceee1", "error.password_personal"),
])
def test_common_and_personal_passwords_are_refused(store, password, key):
    with pytest.raises(WeakPassword) as caught:
        store.register("alice", "Alice Kim", "alice.kim@example.com", password)
    assert caught.value.key == key and english(caught.value) == str(caught.value)
    assert store.get("alice") is None
    assert register(store, "alice", password="Maple#Kite42").username == "alice"


def test_a_password_change_or_reset_follows_the_same_rules(team):
    with pytest.raises(WeakPassword) as common:
        team.change_password("bob", PASSWORD, "Password1!")
    with pytest.raises(WeakPassword) as personal:
        team.reset_password("alice", "bob", "Bob#Rocks2026")
    assert (common.value.key, personal.value.key) == ("error.password_common", "error.password_personal")


# -- the user's own account ----------------------------------------------------------------------

def test_change_password_needs_the_current_one_and_ends_older_sessions(store, clock):
    register(store, "alice")
    with pytest.raises(WrongPassword):
        store.change_password("alice", "Wrong#123", "Better#456")
    with pytest.raises(WeakPassword):
        store.change_password("alice", PASSWORD, "weak")
    with pytest.raises(WeakPassword) as same:
        store.change_password("alice", PASSWORD, PASSWORD)
    assert same.value.key == "error.password_same"
    clock.advance(minutes=1)
    ended_at = store.change_password("alice", PASSWORD, "Better#456")
    assert ended_at == clock.now == store.get("alice").sessions_valid_after
    assert store.verify("alice", "Better#456") and not store.verify("alice", PASSWORD)
    assert "password_changed" in [a for _, _, a, _ in store.audit("alice")]


def test_wrong_current_passwords_count_towards_the_lockout(store):
    register(store, "alice")
    for _ in range(4):
        pytest.raises(WrongPassword, store.change_password, "alice", "Wrong#123", "Better#456")
    with pytest.raises(AccountLocked):
        store.delete_account("alice", "Wrong#123")
    assert store.get("alice") is not None


def test_delete_own_account_needs_the_password_and_leaves_nothing_behind(store, data_dir):
    register(store, "alice")
    register(store, "bob")
    ws = Workspace("bob", data_dir)
    ws.save_frame(pd.DataFrame({"a": [1, 2]}), "mine")
    paths.models_dir("bob", data_dir).mkdir(parents=True)
    (paths.models_dir("bob", data_dir) / "model.bin").write_bytes(b"x" * 100)
    with pytest.raises(WrongPassword):
        store.delete_account("bob", "Wrong#123")
    assert paths.user_dir("bob", data_dir).exists()
    store.delete_account("bob", PASSWORD)
    assert not paths.user_dir("bob", data_dir).exists()
    assert sorted(p.name for p in paths.users_root(data_dir).iterdir()) == []
    assert store.get("bob") is None
    assert [a for _, _, a, _ in store.audit("bob")][-1] == "deleted"
    # The username is free again, and the new account starts empty.
    register(store, "bob")
    assert Workspace("bob", data_dir).datasets() == []


def test_the_last_admin_cannot_leave_others_without_an_admin(store):
    register(store, "alice")
    register(store, "bob")
    with pytest.raises(NotAllowed) as caught:
        store.delete_account("alice", PASSWORD)
    assert caught.value.key == "error.last_admin"
    store.set_role("alice", "bob", "admin")
    store.delete_account("alice", PASSWORD)
    assert [u.username for u in store.list()] == ["bob"]


def test_a_lone_admin_may_delete_their_account(store):
    register(store, "alice")
    store.delete_account("alice", PASSWORD)
    assert store.count() == 0


def test_language_preference_is_saved_per_user(store):
    register(store, "alice")
    register(store, "bob")
    store.set_language("alice", "en")
    assert (store.get("alice").language, store.get("bob").language) == ("en", None)
    with pytest.raises(ValueError):
        store.set_language("alice", "en'; DROP TABLE users; --")


# -- admin actions --------------------------------------------------------------------------------

@pytest.fixture
def team(store):
    """alice (admin), bob and carol (users)."""
    for name in ("alice", "bob", "carol"):
        register(store, name)
    return store


@pytest.mark.parametrize("action", [
    lambda s: s.reset_password("bob", "carol", "Hacked#123"),
    lambda s: s.set_locked("bob", "carol", True),
    lambda s: s.set_role("bob", "bob", "admin"),
    lambda s: s.set_role("bob", "carol", "admin"),
    lambda s: s.delete_user("bob", "carol"),
    lambda s: s.set_quotas("bob", "bob", 10_000, 10),
    lambda s: s.summaries("bob"),
    lambda s: s.summaries("nobody"),
    lambda s: s.add_account("bob", "mallory", "Mallory", "mallory@example.com", PASSWORD),
])
def test_only_an_admin_may_act_on_accounts(team, action):
    with pytest.raises(NotAllowed) as caught:
        action(team)
    assert caught.value.key == "error.admin_only"
    assert [u.username for u in team.list()] == ["alice", "bob", "carol"]
    assert team.verify("carol", PASSWORD) and not team.get("carol").disabled and not team.get("bob").is_admin


def test_an_admin_creates_accounts_even_while_registration_is_closed(team, monkeypatch):
    monkeypatch.setenv(config.REGISTRATION_ENV, "closed")
    monkeypatch.setenv(config.EMAIL_DOMAINS_ENV, "corp.com")
    pytest.raises(RegistrationRefused, register, team, "dave")
    dave = team.add_account("alice", " Dave ", "Dave Lee", "dave@partner.org", "Temp#Pass1")
    assert (dave.username, dave.role) == ("dave", "user")
    assert team.authenticate("dave", "Temp#Pass1")
    assert ("added_by_admin", "alice") in [(a, d) for _, _, a, d in team.audit("dave")]
    with pytest.raises(WeakPassword):
        team.add_account("alice", "erin", "Erin", "erin@example.com", "weak")
    with pytest.raises(UserExists):
        team.add_account("alice", "dave", "Dave", "dave2@example.com", "Temp#Pass1")


def test_an_admin_uses_the_account_page_for_their_own_account(team):
    for action in (lambda: team.set_locked("alice", "alice", True), lambda: team.delete_user("alice", "alice"),
                   lambda: team.reset_password("alice", "alice", "Other#456")):
        with pytest.raises(NotAllowed, match="Account page"):
            action()
    with pytest.raises(UnknownUser):
        team.set_locked("alice", "nobody", True)


def test_admin_lock_refuses_sign_in_until_unlocked_and_unlock_lifts_a_lockout(team, clock):
    team.set_locked("alice", "bob", True)
    with pytest.raises(AccountLocked) as caught:
        team.authenticate("bob", PASSWORD)
    assert caught.value.key == "auth.bad_login"  # the same refusal as a wrong password, even with the right one
    assert team.get("bob").sessions_valid_after == clock.now
    clock.advance(days=30)
    pytest.raises(AccountLocked, team.authenticate, "bob", PASSWORD)
    team.set_locked("alice", "bob", False)
    assert team.authenticate("bob", PASSWORD)

    for _ in range(5):
        with pytest.raises((LoginFailed, AccountLocked)):
            team.authenticate("carol", "Wrong#123")
    pytest.raises(AccountLocked, team.authenticate, "carol", PASSWORD)
    team.set_locked("alice", "carol", False)
    assert team.authenticate("carol", PASSWORD)
    actions = [(a, d) for _, _, a, d in team.audit("bob")]
    assert ("locked_by_admin", "alice") in actions and ("unlocked", "alice") in actions


def test_admin_password_reset_unlocks_and_ends_sessions(team, clock):
    for _ in range(5):
        with pytest.raises((LoginFailed, AccountLocked)):
            team.authenticate("bob", "Wrong#123")
    with pytest.raises(WeakPassword):
        team.reset_password("alice", "bob", "weak")
    team.reset_password("alice", "bob", "Fresh#2026")
    assert team.authenticate("bob", "Fresh#2026")
    assert team.get("bob").sessions_valid_after == clock.now
    assert ("password_reset", "alice") in [(a, d) for _, _, a, d in team.audit("bob")]


def test_promote_and_demote_keep_at_least_one_admin(team):
    team.set_role("alice", "bob", "admin")
    assert team.get("bob").is_admin
    team.set_role("bob", "alice", "user")
    with pytest.raises(NotAllowed) as caught:
        team.set_role("alice", "bob", "user")  # alice is no longer an admin
    assert caught.value.key == "error.admin_only"
    team.set_role("bob", "carol", "admin")
    team.set_role("carol", "bob", "user")
    assert [u.username for u in team.list() if u.is_admin] == ["carol"]


def test_admin_deletes_a_user_with_all_their_files(team, data_dir):
    Workspace("carol", data_dir).save_frame(pd.DataFrame({"a": range(100)}), "carol's data")
    team.delete_user("alice", "carol")
    assert not paths.user_dir("carol", data_dir).exists()
    assert [u.username for u in team.list()] == ["alice", "bob"]
    assert ("deleted", "alice") in [(a, d) for _, _, a, d in team.audit("carol")]


def test_the_admin_list_shows_storage_use_but_no_user_data(team, data_dir):
    Workspace("bob", data_dir).save_frame(pd.DataFrame({"secret_column": ["secret value"] * 1000}), "bob's secret")
    rows = {s.user.username: s for s in team.summaries("alice")}
    assert list(rows) == ["alice", "bob", "carol"]
    on_disk = sum(p.stat().st_size for p in paths.user_dir("bob", data_dir).rglob("*") if p.is_file())
    assert rows["bob"].storage_bytes == on_disk > 0
    assert rows["carol"].storage_bytes == 0
    assert rows["bob"].storage_quota == config.DEFAULT_STORAGE_QUOTA_MB * users.MB
    shown = repr(rows)
    assert "secret" not in shown


# -- quotas -----------------------------------------------------------------------------------------

def test_storage_quota_refuses_an_ingest_that_would_not_fit_and_saves_nothing(team, data_dir, tmp_path,
                                                                              monkeypatch):
    ws = Workspace("bob", data_dir)
    csv = tmp_path / "big.csv"
    csv.write_text("a,b\n" + "".join(f"{i},{i * 2}\n" for i in range(60_000)))  # about 0.8 MB
    monkeypatch.setenv(config.STORAGE_QUOTA_ENV, "0.5")
    with pytest.raises(QuotaExceeded) as caught:
        ingest_file(ws, csv, "big")
    err = caught.value
    assert err.key == "error.quota_storage" and english(err) == str(err)
    assert "0.5 MB" in str(err) and "ask your administrator" in str(err)
    assert ws.datasets() == []

    team.set_quotas("alice", "bob", 50, None)
    assert users.storage_quota("bob", data_dir) == 50 * users.MB
    assert ingest_file(ws, csv, "big").rows == 60_000
    # Other users keep the configured default.
    assert users.storage_quota("carol", data_dir) == int(0.5 * users.MB)


def test_quotas_default_from_the_environment_and_apply_without_an_account(data_dir, monkeypatch):
    assert users.max_concurrent_jobs("local", data_dir) == config.DEFAULT_MAX_JOBS == 2
    monkeypatch.setenv(config.MAX_JOBS_ENV, "5")
    monkeypatch.setenv(config.STORAGE_QUOTA_ENV, "100")
    assert users.max_concurrent_jobs("local", data_dir) == 5
    assert users.storage_quota("local", data_dir) == 100 * users.MB
    monkeypatch.setenv(config.MAX_JOBS_ENV, "lots")
    assert users.max_concurrent_jobs("local", data_dir) == 2


def test_an_admin_sets_a_users_concurrent_jobs(team, data_dir):
    team.set_quotas("alice", "bob", None, 4)
    assert users.max_concurrent_jobs("bob", data_dir) == 4
    assert users.max_concurrent_jobs("carol", data_dir) == 2
    with pytest.raises(ValueError):
        team.set_quotas("alice", "bob", None, 0)


# -- errors, the catalogue, old files -------------------------------------------------------------

def test_user_errors_keep_their_key_and_params_across_processes():
    err = QuotaExceeded("Not enough storage.", key="error.quota_storage", params={"used_mb": 1.0})
    back = pickle.loads(pickle.dumps(err))
    assert (type(back), str(back), back.key, back.params) == (QuotaExceeded, "Not enough storage.",
                                                              "error.quota_storage", {"used_mb": 1.0})
    plain = UserError("just text")
    assert (plain.key, plain.params, str(pickle.loads(pickle.dumps(plain)))) == (None, {}, "just text")


def test_every_account_error_says_in_english_what_the_catalogue_says(team, monkeypatch):
    """Pages show the catalogue entry, the CLI ``str(err)``: they must tell the same story."""
    from ui.auth import PasswordsDiffer

    monkeypatch.setenv(config.REGISTRATION_ENV, "closed")
    attempts = [
        lambda: team.create("bob", "Bob", "x@example.com", "hash"),
        lambda: register(team, "dave"),
        lambda: team.register("dave", "Dave", "dave@x.com", PASSWORD, RegistrationPolicy(domains=("corp.com",))),
        lambda: team.change_password("bob", PASSWORD, PASSWORD),
        lambda: team.change_password("bob", "Wrong#123", "Other#456"),
        lambda: team.change_password("bob", PASSWORD, "Password1!"),
        lambda: team.change_password("bob", PASSWORD, "Bob#Builder99"),
        lambda: team.authenticate("bob", "Wrong#123"),
        lambda: team.set_locked("alice", "nobody", True),
        lambda: team.set_role("bob", "carol", "admin"),
        lambda: team.delete_user("alice", "alice"),
        lambda: team.delete_account("alice", PASSWORD),
        lambda: paths.user_file("alice", "../x"),
        lambda: paths.check_username("../x"),
    ]
    keys = set()
    for attempt in attempts:
        with pytest.raises(UserError) as caught:
            attempt()
        assert caught.value.key in STRINGS, caught.value
        assert english(caught.value) == str(caught.value)
        keys.add(caught.value.key)
    team.set_locked("alice", "carol", True)
    for error in (pytest.raises(AccountLocked, team.authenticate, "carol", PASSWORD).value,
                  PasswordsDiffer("The two passwords are not the same. Type them again.",
                                  key="error.password_mismatch")):
        assert english(error) == str(error)
        keys.add(error.key)
    assert len(keys) == 15


def test_every_audit_action_and_role_reads_in_both_languages():
    for key in [f"audit.{a}" for a in users.AUDIT_ACTIONS] + [f"account.role_{r}" for r in users.ROLES]:
        assert set(STRINGS[key]) == set(LANGUAGES), key


def test_a_system_database_from_before_the_new_columns_is_upgraded(tmp_path, clock):
    root = tmp_path / "old"
    root.mkdir()
    con = duckdb.connect(str(paths.system_db_path(root)))
    con.execute("CREATE TABLE users (username VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, email VARCHAR NOT NULL, "
                "password_hash VARCHAR NOT NULL, role VARCHAR NOT NULL DEFAULT 'user', "
                "created TIMESTAMP NOT NULL DEFAULT current_timestamp, last_login TIMESTAMP, "
                "failed_logins INTEGER NOT NULL DEFAULT 0)")
    con.execute("INSERT INTO users (username, name, email, password_hash, role) VALUES (?, ?, ?, ?, 'admin')",
                ["alice", "Alice", "a@example.com", users.hash_password(PASSWORD)])
    con.close()
    store = UserStore(root, clock=clock)
    assert store.get("alice").is_admin and store.get("alice").language is None
    for _ in range(4):
        pytest.raises(LoginFailed, store.authenticate, "alice", "Wrong#123")
    pytest.raises(AccountLocked, store.authenticate, "alice", "Wrong#123")


# -- numbers and dates in the chosen language ---------------------------------------------------------

def test_dates_read_the_korean_or_the_english_way():
    from ui.i18n import format_date, format_datetime

    moment = datetime(2026, 3, 5, 14, 7)
    assert format_datetime(moment, "ko") == "2026년 3월 5일 14:07"
    assert format_datetime(moment, "en") == "Mar 5, 2026, 14:07"
    assert format_date(moment.date(), "ko") == "2026년 3월 5일"
    assert format_date(moment.date(), "en") == "Mar 5, 2026"
    assert format_datetime(None, "ko") == format_date(None, "en") == "–"


def test_numbers_sizes_and_percentages():
    from ui.i18n import format_bytes, format_number, format_percent

    assert format_number(1234567) == "1,234,567"
    assert format_number(1234.5678) == "1,234.57"
    assert format_number(0.5, digits=3) == "0.500"
    assert format_number(float("nan")) == format_number(None) == "–"
    assert format_percent(0.1234) == "12.3%"
    assert [format_bytes(n) for n in (0, 1023, 1536, 5 * 1024**3, 3 * 1024**4)] == [
        "0 B", "1,023 B", "1.5 KB", "5.0 GB", "3,072.0 GB"]
