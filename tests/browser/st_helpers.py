"""Small Playwright helpers for driving a Streamlit app like a user does."""
from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

UNEXPECTED_ERROR_TEXT = "Something went wrong on our side"


def live(page: Page) -> Locator:
    """The app's elements of the current script run: while Streamlit reruns, the previous run's
    elements stay on the page, marked stale, until the run replaces or removes them."""
    return page.locator('[data-testid="stElementContainer"]:not([data-stale="true"])')


def keyed(page: Page, key: str) -> Locator:
    """The current element made with ``key=key`` (Streamlit gives its container the class ``st-key-<key>``).

    Only elements whose key is part of their identity get the class: widgets, ``st.data_editor``,
    charts and dataframes with selections, but not a plain ``st.dataframe`` (see `grid_after`).
    """
    css = "st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key.strip())
    return page.locator(f'[data-testid="stElementContainer"].{css}:not([data-stale="true"])')


def grid_after(element: Locator) -> Locator:
    """The first data grid (``st.dataframe``) shown after ``element``, at the same level of the page."""
    return element.locator(
        "xpath=ancestor::div[@data-testid='stElementContainer'][1]"
        "/following-sibling::div[@data-testid='stElementContainer'][not(@data-stale='true')]"
        "[.//*[@data-testid='stDataFrame']][1]").get_by_test_id("stDataFrame")


def heading(page: Page, name: str | re.Pattern) -> Locator:
    """A current heading (``st.title``, ``st.header``, ``st.subheader``) named ``name``."""
    return live(page).get_by_role("heading", name=name, exact=True if isinstance(name, str) else None)


_IDLE_SCRIPT = """([quietMs]) => {
    const app = document.querySelector('[data-testid="stApp"]');
    const idle = app !== null && app.dataset.testConnectionState === 'CONNECTED'
        && app.dataset.testScriptState === 'notRunning';
    const now = performance.now();
    if (!idle) { window.__anymlIdleSince = undefined; return false; }
    if (window.__anymlIdleSince === undefined) window.__anymlIdleSince = now;
    return now - window.__anymlIdleSince >= quietMs;
}"""


def wait_until_idle(page: Page, timeout: float = 30_000, quiet: float = 400) -> None:
    """Wait until the app is connected and no script run is going on or asked for, for ``quiet`` ms.

    Streamlit marks its root element with ``data-test-script-state`` (what its own end-to-end tests
    wait on). The quiet period catches the rerun that follows a click or a component's first value
    (the cookie component sends one right after a page load), which starts a moment later.
    """
    page.evaluate("() => { window.__anymlIdleSince = undefined; }")
    page.wait_for_function(_IDLE_SCRIPT, arg=[quiet], timeout=timeout, polling=50)


def assert_no_error_box(page: Page) -> None:
    """No Streamlit exception box and no "something went wrong" message from ``ui.session.user_errors``."""
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_text(UNEXPECTED_ERROR_TEXT)).to_have_count(0)
    assert not getattr(page, "js_errors", []), f"JavaScript errors on the page: {page.js_errors}"


def sidebar_link(page: Page, label: str) -> Locator:
    """The sidebar navigation link named ``label``."""
    return page.get_by_test_id("stSidebarNav").get_by_role("link", name=label, exact=True)


def go_to(page: Page, label: str, title: str | None = None) -> None:
    """Click ``label`` in the sidebar navigation and wait for the page's title heading.

    The click waits for the page to be idle first: one made while a rerun is on its way (the cookie
    component's, right after signing in) can be undone by that rerun, which redraws the page it started on.
    """
    wait_until_idle(page)
    sidebar_link(page, label).click()
    expect(heading(page, title or label)).to_be_visible(timeout=60_000)  # a first visit imports the page's modules
    wait_until_idle(page)


def form(page: Page, heading: str) -> Locator:
    """The visible ``st.form`` whose subheader is ``heading``."""
    return page.get_by_test_id("stForm").filter(
        has=page.get_by_role("heading", name=heading, exact=True)).filter(visible=True)


def selectbox(page: Page, label: str) -> Locator:
    """The input of the ``st.selectbox`` labelled ``label``; its value is the shown option."""
    return live(page).get_by_test_id("stSelectbox").get_by_role("combobox", name=label, exact=True)


def upload(page: Page, uploader: Locator, path) -> None:
    """Give ``path`` to an ``st.file_uploader`` and wait until it lists the file."""
    uploader.locator("input[type=file]").set_input_files(str(path))
    expect(uploader.get_by_text(path.name, exact=True)).to_be_visible()
    wait_until_idle(page)


def success(page: Page, text: str | re.Pattern) -> Locator:
    """The green success box containing ``text``."""
    return live(page).get_by_test_id("stAlertContentSuccess").filter(has_text=text)


def wait_for_cookie(page: Page, name: str, present: bool = True, timeout: float = 10_000) -> None:
    """Wait until the browser has (or no longer has) cookie ``name`` for the app.

    Streamlit apps write cookies from a component iframe, a moment after the page shows.
    """
    script = "([name, present]) => document.cookie.split('; ').some(c => c.startsWith(name + '=')) === present"
    page.wait_for_function(script, arg=[name, present], timeout=timeout)
