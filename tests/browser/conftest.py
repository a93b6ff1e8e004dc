"""Fixtures for the browser tests: a real `streamlit run Home.py` server and the system Chromium.

The server runs as a subprocess on 127.0.0.1 on a free port, with its own data directory and cookie
key, for the whole session. Its output goes to a log file that is attached to every failing test's
report. A failing test also leaves a screenshot in /tmp (see ``SCREENSHOT_DIR``).

No browser is ever downloaded: the tests use Debian's Chromium at ``/usr/bin/chromium`` and fail
(not skip) when it is missing.
"""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SERVER_START_TIMEOUT = 60.0
SCREENSHOT_DIR = Path("/tmp")
TEST_COOKIE_KEY = "anyml-browser-test-cookie-key-0123456789abcdef"
LOG_TAIL_CHARS = 20_000
# Playwright's default of 5 s is short for a page's first visit (it imports the ML stack) on a busy machine.
EXPECT_TIMEOUT_MS = 15_000

_server_log_key = pytest.StashKey[Path]()


@dataclass(frozen=True)
class AnyMLServer:
    url: str
    data_dir: Path
    log_path: Path
    process: subprocess.Popen

    def log_tail(self, chars: int = LOG_TAIL_CHARS) -> str:
        return _tail(self.log_path, chars)


def _tail(path: Path, chars: int) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as err:
        return f"<could not read {path}: {err}>"
    return text if len(text) <= chars else "…" + text[-chars:]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)


@pytest.fixture(scope="session")
def anyml_server(tmp_path_factory, request) -> AnyMLServer:
    """`streamlit run Home.py` on a free local port with a fresh data directory."""
    data_dir = tmp_path_factory.mktemp("anyml-data")
    log_path = tmp_path_factory.mktemp("anyml-server") / "streamlit.log"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    # The browsers reach the server from this machine, as through a reverse proxy on it: a test context may send
    # X-Forwarded-For to be a device of its own (the sign-in throttle counts per device).
    env = dict(os.environ, ANYML_DATA_DIR=str(data_dir), ANYML_COOKIE_KEY=TEST_COOKIE_KEY,
               ANYML_TRUSTED_PROXIES="127.0.0.1", PYTHONUNBUFFERED="1")
    cmd = [sys.executable, "-m", "streamlit", "run", "Home.py",
           "--server.address", "127.0.0.1", "--server.port", str(port),
           "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    with open(log_path, "wb") as log:
        # A file, not a pipe: a full pipe buffer would block the server.
        process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                   stdout=log, stderr=subprocess.STDOUT)
    request.config.stash[_server_log_key] = log_path
    server = AnyMLServer(url, data_dir, log_path, process)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not _healthy(url):
            if process.poll() is not None:
                pytest.fail(f"`streamlit run Home.py` exited with code {process.returncode} before "
                            f"answering on {url}/_stcore/health.\n--- server log ---\n{server.log_tail()}",
                            pytrace=False)
            if time.monotonic() > deadline:
                pytest.fail(f"`streamlit run Home.py` did not answer on {url}/_stcore/health within "
                            f"{SERVER_START_TIMEOUT:.0f} s.\n--- server log ---\n{server.log_tail()}",
                            pytrace=False)
            time.sleep(0.25)
        yield server
    finally:
        _stop(process)
        if request.session.testsfailed:
            sys.stderr.write(f"\n--- streamlit server log ({log_path}) ---\n{server.log_tail()}\n")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item (for screenshots) and attach the server log to failures."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    log_path = item.config.stash.get(_server_log_key, None)
    if report.failed and log_path is not None and "browser" in item.keywords:
        report.sections.append(("streamlit server log", _tail(log_path, LOG_TAIL_CHARS)))
    return report


@pytest.fixture(scope="session")
def browser():
    """The system Chromium, headless. Missing Chromium is a failure, never a skip or a download."""
    if not CHROMIUM.is_file() or not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing or not executable: the browser tests need Debian's Chromium "
                    "(apt-get install chromium). No browser is downloaded.", pytrace=False)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def context(browser):
    """A fresh browser profile (no cookies) with an English locale, so the app shows English labels."""
    ctx = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000},
                              accept_downloads=True)
    ctx.set_default_timeout(EXPECT_TIMEOUT_MS)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context, request):
    """A page of ``context``; its JS errors are collected, and a failing test leaves a screenshot."""
    pg = context.new_page()
    pg.js_errors = []
    pg.on("pageerror", lambda err: pg.js_errors.append(str(err)))
    yield pg
    failed = any(getattr(request.node, f"rep_{when}", None) is not None
                 and getattr(request.node, f"rep_{when}").failed for when in ("setup", "call"))
    if failed and not pg.is_closed():
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        shot = SCREENSHOT_DIR / f"anyml-browser-{name}.png"
        try:
            pg.screenshot(path=str(shot), full_page=True)
            sys.stderr.write(f"\nscreenshot of the failing page: {shot}\n")
        except Exception as err:  # the screenshot is a debugging aid, never the failure itself
            sys.stderr.write(f"\ncould not take a screenshot: {err}\n")
