"""Security: path traversal, SQL injection in everything a user types, and isolation between users.

Each attack goes through the public functions of storage/ and core/ — the ones pages and the CLI
call — and the tests check that it is refused with a plain message (or stored as plain text), that
nothing outside the user's directory is touched, and that every table is still whole afterwards.
"""
from __future__ import annotations

import contextlib
import importlib
import inspect
import os
import pkgutil
import re
import stat
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import core
import storage
from core import cli
from core.data import ingest_file
from core.predict import predict
from core.train import TrainSettings, train_dataset
from core.errors import USER_ERRORS
from storage import bundles, paths, secrets, users
from storage.errors import UserError
from storage.users import UserStore
from storage.workspace import DatasetNotFound, RunNotFound, Workspace

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Maple#Kite42"

TRAVERSAL = ["../alice", "..", ".", "alice/../bob", "/etc/passwd", "..\\alice", "alice/", "alice\x00",
             "~alice", "%2e%2e%2falice", "a/b", "alice\x00.."]
SQL = ["x'; DROP TABLE datasets; --", "' OR '1'='1", "\" OR \"1\"=\"1", "x\"); DROP TABLE runs; --",
       "name'); DELETE FROM users; --", "1; ATTACH '/tmp/evil.duckdb' AS evil; --", "' UNION SELECT * FROM users --",
       "Robert'); DROP TABLE dataset_versions;--", "%' OR name LIKE '%", "\\'; COPY datasets TO '/tmp/x.csv'; --"]


pytestmark = pytest.mark.usefixtures("fast_bcrypt")


def files_under(directory: Path) -> set[str]:
    return {str(p.relative_to(directory)) for p in directory.rglob("*")} if directory.exists() else set()


@pytest.fixture
def alice(data_dir, iris_frame):
    """alice's workspace with one dataset and one finished run (and its model bundle)."""
    ws = Workspace("alice", data_dir)
    ds = ws.save_frame(iris_frame, "alice private flowers")
    outcome = train_dataset(ws, ds.dataset_id, TrainSettings(target="species", models=("dummy",),
                                                             folds=2, importance=False))
    return ws, ds, outcome.run_ids["dummy"]


def assert_alice_intact(ws: Workspace, ds, run_id: str) -> None:
    assert [d.name for d in ws.datasets()] == ["alice private flowers"]
    assert ws.load(ds.dataset_id).shape == (150, 5)
    assert ws.run(run_id).status == "finished"
    bundles.load_bundle("alice", run_id, ws.root)


# -- path traversal ---------------------------------------------------------------------------------

@pytest.mark.parametrize("username", TRAVERSAL)
def test_unsafe_usernames_never_become_paths(username, data_dir, tmp_path):
    before = files_under(tmp_path)
    for attempt in (lambda: Workspace(username, data_dir), lambda: paths.user_dir(username, data_dir),
                    lambda: paths.user_file(username, "x", root=data_dir),
                    lambda: bundles.bundle_dir(username, "abc123", data_dir),
                    lambda: bundles.read_sidecar(username, "abc123", data_dir),
                    lambda: users.storage_used(username, data_dir), lambda: users.storage_quota(username, data_dir),
                    lambda: users.max_concurrent_jobs(username, data_dir),
                    lambda: users.ensure_storage_room(username, 1, data_dir),
                    lambda: UserStore(data_dir).register(username, "Eve", "eve@example.com", PASSWORD)):
        with pytest.raises(paths.InvalidUsername) as caught:
            attempt()
        assert caught.value.key == "error.username_invalid"
    assert files_under(tmp_path) - before <= {"data", "data/system.duckdb", "data/system.duckdb.wal"}


def test_the_cli_refuses_a_traversing_user_with_one_line(data_dir, capsys):
    assert cli.main(["--data-dir", str(data_dir), "--user", "../alice", "datasets"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "username" in err and "Traceback" not in err
    assert not (data_dir.parent / "alice").exists()


@pytest.mark.parametrize("part", ["..", "../bob", "a/b", "a\\b", ".hidden", "", "/etc/passwd", "x\x00y", "a/../..",
                                  "name with space", "~", "é"])
def test_user_files_are_plain_names_inside_the_users_directory(part, data_dir):
    with pytest.raises(paths.UnsafePath) as caught:
        paths.user_file("alice", "exports", part, root=data_dir)
    assert caught.value.key == "error.unsafe_path"


def test_a_symbolic_link_cannot_lead_out_of_the_users_directory(data_dir, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    home = paths.user_dir("alice", data_dir)
    home.mkdir(parents=True)
    os.symlink(outside, home / "exports")
    with pytest.raises(paths.UnsafePath):
        paths.user_file("alice", "exports", "report.html", root=data_dir)
    assert paths.user_file("alice", "models", "report.html", root=data_dir) == home / "models" / "report.html"


@pytest.mark.parametrize("name", ["../../../etc/passwd", "..\\..\\boot.ini", "/tmp/evil", "a/b/c",
                                  "users/bob/workspace", "con", "x" * 120])
def test_dataset_and_file_names_are_only_ever_text(name, data_dir, tmp_path):
    ws = Workspace("alice", data_dir)
    upload = tmp_path / "upload"
    upload.write_text("a,b\n1,2\n3,4\n")
    before = files_under(tmp_path)
    ds = ingest_file(ws, upload, name, original_name=f"{name}.csv")
    saved = ws.save_frame(pd.DataFrame({"v": [1]}), name)
    assert (ds.name, ds.source) == (name, f"{name}.csv")
    assert saved.name == f"{name} (2)"
    assert ws.load(name)["a"].tolist() == [1, 3]
    # Nothing new on disk but the data directory itself and the user's own database.
    new = files_under(tmp_path) - before
    assert new <= {"data", "data/system.duckdb", "data/system.duckdb.wal", "data/users", "data/users/alice",
                   "data/users/alice/workspace.duckdb", "data/users/alice/workspace.duckdb.wal"}
    ws.delete_dataset(ds.dataset_id)
    assert [d.name for d in ws.datasets()] == [saved.name]


def test_run_ids_never_become_paths(alice):
    ws, _, run_id = alice
    for bad in ("../alice/models/" + run_id, "..", "abc/../../x", "abc 123", ""):
        with pytest.raises(bundles.BundleError):
            bundles.bundle_dir("alice", bad, ws.root)


# -- SQL injection in everything a user types -------------------------------------------------------

def test_dataset_names_and_keys_are_never_sql(alice):
    ws, ds, run_id = alice
    for text in SQL:
        _dataset_name_round_trip(ws, text)
    assert_alice_intact(ws, ds, run_id)


def _dataset_name_round_trip(ws: Workspace, text: str) -> None:
    saved = ws.save_frame(pd.DataFrame({"v": [1, 2]}), text)
    assert saved.name == text and ws.dataset(text).dataset_id == saved.dataset_id
    assert ws.load(text)["v"].tolist() == [1, 2]
    assert ws.column_names(text) == ["v"]
    assert ws.runs(text) == []
    for lookup in (ws.dataset, ws.load, ws.column_names, ws.delete_dataset, ws.runs):
        with pytest.raises(DatasetNotFound):
            lookup(text + "?")
    for lookup in (ws.run, lambda k: predict(ws, k, pd.DataFrame())):
        with pytest.raises(RunNotFound):
            lookup(text)
    assert ws.fold_metrics(text).empty
    ws.delete_dataset(text)


def test_column_and_target_names_are_quoted_and_checked(data_dir):
    ws = Workspace("alice", data_dir)
    rng = np.random.default_rng(0)
    columns = SQL + ['a"b', '"', "*", "select", "; --"]
    frame = pd.DataFrame({c: rng.normal(size=60) for c in columns})
    frame["label"] = np.where(frame[columns[0]] + rng.normal(size=60) > 0, "yes", "no")
    ds = ws.save_frame(frame, "weird columns")
    assert ws.column_names(ds.dataset_id) == columns + ["label"]
    for column in columns:
        assert ws.load(ds.dataset_id, columns=[column])[column].tolist() == frame[column].tolist()
        with pytest.raises(UserError, match="has no column"):
            ws.load(ds.dataset_id, columns=[column + "'"])
    for column in columns[:3]:
        with pytest.raises(USER_ERRORS):
            train_dataset(ws, ds.dataset_id, TrainSettings(target=column + "x", models=("dummy",), folds=2))
    # Every weird column as a feature of a real training, then as input to predict.
    outcome = train_dataset(ws, ds.dataset_id, TrainSettings(target="label", models=("dummy",), folds=2,
                                                             importance=False))
    run = ws.run(outcome.run_ids["dummy"])
    assert run.status == "finished"
    assert len(predict(ws, run.run_id, frame.drop(columns=["label"])).frame) == 60
    # ...and as the target.
    weird_target = frame.assign(**{SQL[1]: frame["label"]}).drop(columns=["label"])
    ds2 = ws.save_frame(weird_target, "weird target")
    outcome = train_dataset(ws, ds2.dataset_id, TrainSettings(target=SQL[1], models=("dummy",), folds=2,
                                                              importance=False))
    assert ws.run(outcome.run_ids["dummy"]).target == SQL[1]
    assert [d.name for d in ws.datasets()] == ["weird target", "weird columns"]
    assert len(ws.runs()) == 2


@pytest.mark.parametrize("text", SQL)
def test_account_fields_are_never_sql(text, data_dir):
    store = UserStore(data_dir)
    store.register("alice", "Alice", "alice@example.com", PASSWORD)
    with pytest.raises(USER_ERRORS):
        store.register(text, "Eve", "eve@example.com", PASSWORD)
    with pytest.raises(USER_ERRORS):
        store.register("eve", text, "eve@example.com", PASSWORD)
    with pytest.raises(USER_ERRORS):
        store.register("eve", "Eve", text, PASSWORD)
    with pytest.raises(users.LoginFailed):
        store.authenticate(text, text)
    with pytest.raises(users.LoginFailed):
        store.authenticate("alice", text)
    assert store.get(text) is None
    # A password is only ever hashed: SQL in it is just characters.
    bob = store.register("bob", "Bob O'Brien", "bob@example.com", "Aa1" + text[:40])
    assert bob.name == "Bob O'Brien" and store.authenticate("bob", "Aa1" + text[:40]).username == "bob"
    assert [u.username for u in store.list()] == ["alice", "bob"]


# -- isolation: user B never reaches user A's dataset or run ------------------------------------------

def test_b_cannot_reach_as_dataset_or_run_by_id_or_name(alice, data_dir):
    ws_a, ds, run_id = alice
    ws_b = Workspace("bob", data_dir)
    ws_b.save_frame(pd.DataFrame({"v": [1]}), "bob's own")
    assert [d.name for d in ws_b.datasets()] == ["bob's own"]
    assert ws_b.runs() == [] and ws_b.predictions().empty
    for key in (ds.dataset_id, ds.name, ds.table_name):
        for lookup in (ws_b.dataset, ws_b.load, ws_b.column_names, ws_b.delete_dataset, ws_b.runs):
            with pytest.raises(DatasetNotFound):
                lookup(key)
        with pytest.raises(DatasetNotFound):
            train_dataset(ws_b, key, TrainSettings(target="species", models=("dummy",), folds=2))
    with pytest.raises(RunNotFound):
        ws_b.run(run_id)
    assert ws_b.fold_metrics(run_id).empty
    with pytest.raises(RunNotFound):
        predict(ws_b, run_id, ws_a.load(ds.dataset_id))
    for attempt in (lambda: bundles.read_sidecar("bob", run_id, data_dir),
                    lambda: bundles.load_bundle("bob", run_id, data_dir),
                    lambda: bundles.update_sidecar("bob", run_id, {"decision": {"threshold": 0.1}}, data_dir)):
        with pytest.raises(bundles.BundleError):
            attempt()
    assert bundles.delete_bundle("bob", run_id, data_dir) is False
    for bad in (f"../../alice/models/{run_id}", ".."):
        with pytest.raises(bundles.BundleError):
            bundles.delete_bundle("bob", bad, data_dir)
    assert_alice_intact(ws_a, ds, run_id)


def test_paths_of_b_never_point_into_as_directory(data_dir):
    a = paths.user_dir("alice", data_dir)
    for path in (paths.user_dir("bob", data_dir), paths.workspace_db_path("bob", data_dir),
                 paths.models_dir("bob", data_dir), paths.user_file("bob", "models", "x", root=data_dir),
                 bundles.bundle_dir("bob", "abc123", data_dir), Workspace("bob", data_dir).path):
        assert not paths.is_inside(path, a)
        assert paths.is_inside(path, paths.user_dir("bob", data_dir))


def test_storage_use_and_quotas_are_per_user(alice, data_dir):
    ws_a, *_ = alice
    assert users.storage_used("alice", data_dir) > 0
    assert users.storage_used("bob", data_dir) == 0
    users.ensure_storage_room("bob", 1, data_dir)


def test_b_cannot_act_on_as_account(data_dir):
    store = UserStore(data_dir)
    store.register("alice", "Alice", "alice@example.com", PASSWORD)
    store.register("bob", "Bob", "bob@example.com", "Tulip#Rain71")
    store.register("carol", "Carol", "carol@example.com", "Cedar#Moon83")
    with pytest.raises(users.WrongPassword):
        store.change_password("carol", "Tulip#Rain71", "Taken#Over1")
    with pytest.raises(users.WrongPassword):
        store.delete_account("carol", "Tulip#Rain71")
    for attempt in (lambda: store.reset_password("bob", "carol", "Taken#Over1"),
                    lambda: store.set_locked("bob", "carol", True),
                    lambda: store.set_role("bob", "bob", "admin"), lambda: store.delete_user("bob", "carol"),
                    lambda: store.set_quotas("bob", "bob", 1e6, 64), lambda: store.summaries("bob"),
                    lambda: store.add_account("bob", "bob2", "Bob", "bob2@example.com", "Tulip#Rain71")):
        with pytest.raises(users.NotAllowed):
            attempt()
    assert store.authenticate("carol", "Cedar#Moon83").role == "user"
    assert not store.get("bob").is_admin


def test_b_cannot_see_revoke_or_use_as_api_tokens(data_dir):
    store = UserStore(data_dir)
    for name in ("alice", "bob"):
        store.create(name, name.title(), f"{name}@example.com", "no-password-hash", role="user")
    token, secret = store.create_token("alice", "CRM")
    assert [t.token_id for t in store.tokens("alice")] == [token.token_id]
    assert store.tokens("bob") == []
    with pytest.raises(users.UnknownToken):
        store.revoke_token("bob", token.token_id)
    assert store.token_user(secret)[0].username == "alice"  # still alice's, still working
    with pytest.raises(users.UnknownUser):
        store.create_token("nobody", "CRM")
    # The API answers another user's run as unknown: tests/unit/test_api.py (404, not 403).


def test_b_cannot_see_wait_for_or_cancel_as_training_job(data_dir):
    from core.train.jobs import JobRunner

    ws_a = Workspace("alice", data_dir)
    rng = np.random.default_rng(0)
    ds = ws_a.save_frame(pd.DataFrame({"x": rng.normal(size=40), "y": rng.choice(["a", "b"], size=40)}), "tiny")
    runner = JobRunner(data_dir)
    try:
        job = runner.submit("alice", ds.dataset_id, TrainSettings(target="y", models=("dummy",), folds=2,
                                                                  importance=False))
        assert runner.jobs("bob") == []
        for attempt in (runner.job, runner.cancel, lambda u, j: runner.wait(u, j, timeout=1)):
            with pytest.raises(USER_ERRORS):
                attempt("bob", job.job_id)
        with pytest.raises(DatasetNotFound):
            runner.submit("bob", ds.dataset_id, TrainSettings(target="y", models=("dummy",), folds=2))
        assert runner.wait("alice", job.job_id, timeout=120).state == "finished"
    finally:
        runner.shutdown()
    assert [r.status for r in ws_a.runs()] == ["finished"]
    assert Workspace("bob", data_dir).runs() == []


def test_job_scratch_directories_stay_inside_their_users_directory(data_dir):
    from storage import handoff

    alice = paths.user_dir("alice", data_dir)
    (alice / "models").mkdir(parents=True)
    assert paths.is_inside(handoff.job_dir("bob", "abc123", data_dir), paths.user_dir("bob", data_dir))
    with pytest.raises(paths.InvalidUsername):
        handoff.job_dir("../alice", "abc123", data_dir)
    for bad in ("../../alice", "..", "a/b"):
        with pytest.raises((ValueError, UserError)):
            handoff.job_dir("bob", bad, data_dir)
        with contextlib.suppress(ValueError, UserError):
            handoff.remove_job_dir("bob", bad, data_dir)
        assert (alice / "models").is_dir(), f"remove_job_dir('bob', {bad!r}) deleted alice's files"


def test_the_cli_shows_only_the_chosen_users_datasets(alice, data_dir, capsys):
    assert cli.main(["--data-dir", str(data_dir), "--user", "bob", "--json", "datasets"]) == 0
    assert '"datasets": []' in capsys.readouterr().out
    assert cli.main(["--data-dir", str(data_dir), "--user", "bob", "--json", "runs"]) == 0
    assert alice[2] not in capsys.readouterr().out


#: Every public function of storage/ and core/ that takes a username, and the test above that shows it
#: keeps users apart (or why it needs none). A new one fails the test below until it is listed here.
USERNAME_FUNCTIONS = {
    "storage.paths.check_username": "test_unsafe_usernames_never_become_paths",
    "storage.paths.user_dir": "test_paths_of_b_never_point_into_as_directory",
    "storage.paths.workspace_db_path": "test_paths_of_b_never_point_into_as_directory",
    "storage.paths.models_dir": "test_paths_of_b_never_point_into_as_directory",
    "storage.paths.user_file": "test_user_files_are_plain_names_inside_the_users_directory",
    "storage.bundles.bundle_dir": "test_paths_of_b_never_point_into_as_directory",
    "storage.bundles.save_bundle": "writes under bundle_dir (tested) of the caller's own username",
    "storage.bundles.read_sidecar": "test_b_cannot_reach_as_dataset_or_run_by_id_or_name",
    "storage.bundles.load_bundle": "test_b_cannot_reach_as_dataset_or_run_by_id_or_name",
    "storage.bundles.update_sidecar": "test_b_cannot_reach_as_dataset_or_run_by_id_or_name",
    "storage.bundles.delete_bundle": "test_b_cannot_reach_as_dataset_or_run_by_id_or_name",
    "storage.workspace.Workspace.__init__": "test_b_cannot_reach_as_dataset_or_run_by_id_or_name",
    "storage.handoff.job_dir": "test_job_scratch_directories_stay_inside_their_users_directory",
    "storage.handoff.remove_job_dir": "test_job_scratch_directories_stay_inside_their_users_directory",
    "core.train.jobs.JobRunner.submit": "test_b_cannot_see_wait_for_or_cancel_as_training_job",
    "core.train.jobs.JobRunner.jobs": "test_b_cannot_see_wait_for_or_cancel_as_training_job",
    "core.train.jobs.JobRunner.job": "test_b_cannot_see_wait_for_or_cancel_as_training_job",
    "core.train.jobs.JobRunner.cancel": "test_b_cannot_see_wait_for_or_cancel_as_training_job",
    "core.train.jobs.JobRunner.wait": "test_b_cannot_see_wait_for_or_cancel_as_training_job",
    "core.train.jobs.Job.__init__": "a record",
    "storage.users.quotas.storage_used": "test_storage_use_and_quotas_are_per_user",
    "storage.users.quotas.storage_quota": "test_storage_use_and_quotas_are_per_user",
    "storage.users.quotas.max_concurrent_jobs": "test_storage_use_and_quotas_are_per_user",
    "storage.users.quotas.ensure_storage_room": "test_storage_use_and_quotas_are_per_user",
    "storage.users.records.normalise_username": "text only",
    "storage.users.quotas.quota_of": "reads a given account record, no lookup",
    "storage.users.quotas.jobs_of": "reads a given account record, no lookup",
    "storage.users.records.User.__init__": "a record", "storage.users.records.AccountSummary.__init__": "a record",
    "storage.users.store.UserStore.change_password": "test_b_cannot_act_on_as_account",
    "storage.users.store.UserStore.delete_account": "test_b_cannot_act_on_as_account",
    "storage.users.admin.AdminMixin.reset_password": "test_b_cannot_act_on_as_account",
    "storage.users.admin.AdminMixin.set_locked": "test_b_cannot_act_on_as_account",
    "storage.users.admin.AdminMixin.set_role": "test_b_cannot_act_on_as_account",
    "storage.users.admin.AdminMixin.delete_user": "test_b_cannot_act_on_as_account",
    "storage.users.admin.AdminMixin.set_quotas": "test_b_cannot_act_on_as_account",
    "storage.users.admin.AdminMixin.summaries": "test_b_cannot_act_on_as_account",
    "storage.users.admin.AdminMixin.add_account": "test_b_cannot_act_on_as_account",
    "storage.users.store.UserStore.authenticate": "test_account_fields_are_never_sql",
    "storage.users.store.UserStore.register": "test_account_fields_are_never_sql",
    "storage.users.tokens.TokenMixin.create_token": "test_b_cannot_see_revoke_or_use_as_api_tokens",
    "storage.users.tokens.TokenMixin.tokens": "test_b_cannot_see_revoke_or_use_as_api_tokens",
    "storage.users.tokens.TokenMixin.revoke_token": "test_b_cannot_see_revoke_or_use_as_api_tokens",
    "storage.users.tokens.ApiToken.__init__": "a record",
    "storage.users.store.UserStore.get": "account record only, no data",
    "storage.users.store.UserStore.audit": "account record only, no data",
    "storage.users.schema.read_user": "account record only, no data (the query behind UserStore.get)",
    "storage.users.store.UserStore.set_language": "the signed-in user's own preference (ui.session)",
    "storage.users.store.UserStore.record_logout": "the signed-in user's own sign-out (ui.auth)",
    # Unchecked low-level calls for scripts, tests and the checked methods above; no page calls them.
    "storage.users.store.UserStore.create": "low level", "storage.users.store.UserStore.verify": "low level",
    "storage.users.store.UserStore.record_login": "low level",
    "storage.users.store.UserStore.set_password_hash": "low level",
    "storage.users.store.UserStore.delete": "low level",
}


def _functions_taking_a_username() -> set[str]:
    found = set()
    for package in (storage, core):
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}."):
            if info.name.rsplit(".", 1)[-1].startswith("_"):
                continue
            module = importlib.import_module(info.name)
            for name, obj in vars(module).items():
                if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                    continue
                members = [(name, obj)] if inspect.isfunction(obj) else [
                    (f"{name}.{m}", f) for m, f in vars(obj).items()
                    if inspect.isfunction(f) and (not m.startswith("_") or m == "__init__")
                ] if inspect.isclass(obj) else []
                for qualname, function in members:
                    if {"username", "user", "owner"} & set(inspect.signature(function).parameters):
                        found.add(f"{module.__name__}.{qualname}")
    return found


def test_every_function_that_takes_a_username_is_covered_here():
    missing = sorted(_functions_taking_a_username() - set(USERNAME_FUNCTIONS))
    assert missing == [], ("These functions take a username but no test shows they keep users apart: "
                           f"{missing}. Add a test to tests/unit/test_security.py and list them in USERNAME_FUNCTIONS.")


# -- the cookie key ----------------------------------------------------------------------------------

def test_the_secrets_file_is_generated_once_private_and_random(tmp_path):
    first, second = tmp_path / "a" / "secrets.toml", tmp_path / "b" / "secrets.toml"
    assert secrets.ensure_secrets_file(first) and secrets.ensure_secrets_file(second)
    text = first.read_text()
    assert not secrets.ensure_secrets_file(first) and first.read_text() == text  # never overwritten
    key = re.search(r'cookie_key = "([0-9a-f]{64})"', text).group(1)
    assert key not in second.read_text()
    assert stat.S_IMODE(first.stat().st_mode) == 0o600


def test_no_cookie_key_is_written_in_the_code():
    sources = [p for p in ROOT.rglob("*.py") if not {".venv", "tests"} & set(p.relative_to(ROOT).parts)]
    assert sources
    for path in sources:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"cookie_key\s*[:=]\s*['\"][^'\"{}]{8,}['\"]", text), path
        assert not re.search(r"Authenticate\([^)]*['\"][^'\"]{8,}['\"]", text), path


# -- sign-in throttling per client -----------------------------------------------------------------------

class _Ticks:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_one_client_is_held_back_before_it_can_lock_an_account_and_others_are_not():
    from ui.throttle import HOLD, PER_ACCOUNT, SignInThrottle

    ticks = _Ticks()
    throttle = SignInThrottle(clock=ticks)
    assert PER_ACCOUNT < users.MAX_FAILED_LOGINS
    for _ in range(PER_ACCOUNT):
        assert throttle.wait_seconds("203.0.113.9", "root") == 0
        throttle.failed("203.0.113.9", "root")
    assert throttle.wait_seconds("203.0.113.9", "root") == HOLD
    assert throttle.wait_seconds("203.0.113.9", " ROOT ") == HOLD      # the same account however typed
    assert throttle.wait_seconds("198.51.100.4", "root") == 0          # the admin's own browser is not held
    assert throttle.wait_seconds("203.0.113.9", "alice") == 0          # nor other accounts from that client
    ticks.now += HOLD - 1
    assert throttle.wait_seconds("203.0.113.9", "root") == 1
    ticks.now += 1
    assert throttle.wait_seconds("203.0.113.9", "root") == 0


def test_a_client_spraying_many_accounts_is_held_back_on_all_of_them():
    from ui.throttle import HOLD, PER_CLIENT, SignInThrottle

    throttle = SignInThrottle(clock=_Ticks())
    for i in range(PER_CLIENT):
        throttle.failed("203.0.113.9", f"user{i}")
    assert throttle.wait_seconds("203.0.113.9", "someone_new") == HOLD
    assert throttle.wait_seconds("198.51.100.4", "someone_new") == 0


def test_the_throttle_fails_closed():
    from ui import throttle as module

    ticks = _Ticks()
    throttle = module.SignInThrottle(clock=ticks)
    # No address known: every such client shares one count, so none can slip through.
    for _ in range(module.PER_ACCOUNT):
        throttle.failed(None, "root")
    assert throttle.wait_seconds(None, "root") == module.HOLD
    assert throttle.wait_seconds("", "root") == module.HOLD
    # A full table of clients holds back a newcomer rather than forgetting someone who is held back.
    throttle.clear()
    for i in range(module.MAX_CLIENTS // 2):
        throttle.failed(f"10.0.{i // 250}.{i % 250}", "root")
    assert throttle.wait_seconds("192.0.2.1", "root") == module.HOLD
    assert throttle.wait_seconds("10.0.0.1", "root") == 0              # a known client still may try
    ticks.now += module.HOLD
    assert throttle.wait_seconds("192.0.2.1", "root") == 0             # once the old entries have expired
