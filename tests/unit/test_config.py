"""core.config: every environment variable is read there, when asked, with its documented default."""
import ast
import re
from pathlib import Path

from core import config

ROOT = Path(__file__).resolve().parents[2]
APP_DIRS = ("core", "storage", "ui", "pages", "texts", "nn")


def test_settings_are_read_when_asked_so_a_change_shows_at_once(monkeypatch, tmp_path):
    monkeypatch.setenv(config.DATA_DIR_ENV, str(tmp_path))
    assert config.data_dir() == tmp_path
    monkeypatch.setenv(config.DATA_DIR_ENV, "")
    assert config.data_dir() == Path("data")
    monkeypatch.setenv(config.SERVER_JOBS_ENV, "3")
    assert config.server_jobs() == 3
    monkeypatch.setenv(config.CLI_USER_ENV, "alice")
    assert config.cli_user() == "alice"


def test_unset_variables_take_their_defaults(monkeypatch):
    for name in (config.DATA_DIR_ENV, config.COOKIE_KEY_ENV, config.REGISTRATION_ENV, config.EMAIL_DOMAINS_ENV,
                 config.STORAGE_QUOTA_ENV, config.MAX_JOBS_ENV, config.SERVER_JOBS_ENV, config.CLI_USER_ENV):
        monkeypatch.delenv(name, raising=False)
    assert config.data_dir() == Path("data")
    assert config.cookie_key() is None
    assert config.registration_open() and config.email_domains() == ()
    assert config.storage_quota_mb() == 5 * 1024 and config.max_jobs() == 2
    assert config.server_jobs() >= 1
    assert config.cli_user() == "local"


def test_a_blank_cookie_key_counts_as_none(monkeypatch):
    monkeypatch.setenv(config.COOKIE_KEY_ENV, "   ")
    assert config.cookie_key() is None


def test_config_imports_nothing_from_the_project():
    tree = ast.parse((ROOT / "core" / "config.py").read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                 and node.module}
    assert imported <= {"__future__", "os", "pathlib"}


def test_no_other_module_of_the_app_reads_the_environment():
    readers = []
    for path in [ROOT / "Home.py", *(p for d in APP_DIRS for p in (ROOT / d).rglob("*.py"))]:
        if path != ROOT / "core" / "config.py" and re.search(r"\bos\.(environ|getenv)\b|\bgetenv\(",
                                                               path.read_text(encoding="utf-8")):
            readers.append(str(path.relative_to(ROOT)))
    assert readers == []
