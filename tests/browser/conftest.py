"""The customer portal in a real browser: Chromium driven by Playwright against
pytest-django's live server, in the same process (so `django.core.mail.outbox` sees what
the server sends).

Every test gets a fresh browser context whose console errors and page errors fail the
test: a Content Security Policy violation shows up there. `snap()` keeps a desktop and a
phone screenshot of a page and refuses sideways scrolling at 375 px; `check_accessibility()`
runs axe-core on the page and refuses serious and critical violations.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connections
from playwright.sync_api import Browser, ConsoleMessage, Locator, Page, ViewportSize, sync_playwright
from playwright.sync_api import Error as PlaywrightError
from pytest_django.live_server_helper import LiveServer
from pytest_django.plugin import blocking_manager_key

from tests.factories import PASSWORD

# Playwright's sync API keeps an event loop in the test thread, and Django refuses database
# work in a thread with a running loop unless told that it is safe (here it is).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
RESULTS = ROOT / "test-results"
SCREENSHOTS = RESULTS / "screenshots"
AXE_RESULTS = RESULTS / "axe"
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 375, "height": 800}
BLOCKING_IMPACTS = frozenset({"serious", "critical"})


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives the portal in Chromium against a live server")


# --- the database ------------------------------------------------------------------------
#
# The live server needs a transactional database, emptied after each test, migration data
# (ticket types, stages, the on-demand service...) included. Requesting
# `django_db_serialized_rollback` makes pytest-django keep a copy of the database as
# created; these hooks put it back before each browser test (another transactional test
# may have emptied it) and after it (for the tests that follow in this process).
#
# Django cannot reload that copy by itself here: its connections are thread-local only
# while no event loop runs in the thread, and Playwright's sync API runs one from the
# moment the browser starts, so the connection that holds the copy is no longer the one
# the tests see. The copy is therefore taken once, before the browser starts.

_initial_data: list[str] = []


def _remember_initial_data() -> str | None:
    if not _initial_data:
        contents: str | None = getattr(connections["default"], "_test_serialized_contents", None)
        if contents:
            _initial_data.append(contents)
    return _initial_data[0] if _initial_data else None


def _reload_initial_data(config: pytest.Config) -> None:
    """The database as created. A flush re-creates the content types under new ids, which
    would clash with the copy's, so they go first (the copy brings back the originals)."""
    contents = _remember_initial_data()
    if contents is None:  # the test database is not there yet: nothing to put back
        return
    connection = connections["default"]
    with config.stash[blocking_manager_key].unblock():
        try:
            ContentType.objects.all().delete()
            connection.creation.deserialize_db_from_string(contents)
        finally:
            ContentType.objects.clear_cache()
            connection.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    _reload_initial_data(item.config)
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    try:
        return (yield)
    finally:
        if nextitem is not None:  # after the last test the test database is gone
            _reload_initial_data(item.config)


# --- the browser -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser(django_db_setup: None) -> Iterator[Browser]:
    """Chromium, once per session. The test database is created first, outside
    Playwright's event loop (see above)."""
    if not CHROMIUM.exists():
        message = "Chromium is not installed: apt-get install -y chromium"
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing. {message}", pytrace=False)
        pytest.skip(message)
    if _RUNNING:  # tests/security imports this fixture too: one Playwright per process
        yield _RUNNING[0]
        return
    _remember_initial_data()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        _RUNNING.append(chromium)
        try:
            yield chromium
        finally:
            _RUNNING.clear()
            chromium.close()


# The Chromium of this test process: Playwright's sync API cannot run twice in a thread.
_RUNNING: list[Browser] = []


@dataclass
class BrowserLog:
    """What went wrong in the browser during one test: console errors, uncaught page
    errors and blocking accessibility violations. They fail the test when it ends, so a
    flow still runs to the end and every finding is shown at once."""

    errors: list[str] = field(default_factory=list)
    accessibility: list[str] = field(default_factory=list)
    expected: list[re.Pattern[str]] = field(default_factory=list)
    reported: bool = False

    def expect(self, pattern: str) -> None:
        """Tolerate console errors matching `pattern` (e.g. the browser's note on an expected 404)."""
        self.expected.append(re.compile(pattern))

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url", "")
            self.errors.append(f"console: {message.text} ({where})")

    def on_page_error(self, error: PlaywrightError) -> None:
        self.errors.append(f"page error: {error.message}")

    def problems(self) -> list[str]:
        unexpected = [error for error in self.errors if not any(p.search(error) for p in self.expected)]
        return unexpected + self.accessibility

    def report(self) -> str:
        self.reported = True
        return "The browser found problems:\n" + "\n".join(self.problems())


_logs: dict[Page, BrowserLog] = {}


@pytest.fixture
def browser_log() -> BrowserLog:
    return BrowserLog()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Fail the test itself (not its teardown) on what the browser reported."""
    funcargs: dict[str, Any] = getattr(item, "funcargs", {})
    log = funcargs.get("browser_log")
    try:
        result = yield
    except BaseException as error:
        if isinstance(log, BrowserLog) and log.problems():
            error.add_note(log.report())
        raise
    if isinstance(log, BrowserLog) and log.problems():
        pytest.fail(log.report(), pytrace=False)
    return result


@pytest.fixture
def page(
    browser: Browser,
    live_server: LiveServer,
    django_db_serialized_rollback: None,
    browser_log: BrowserLog,
) -> Iterator[Page]:
    """A fresh context (no cookies) on the live server; CSP stays enforced."""
    cache.clear()  # rate-limit counters and used two-step codes
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, locale="es-CO", timezone_id="America/Bogota"
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    tab.on("console", browser_log.on_console)
    tab.on("pageerror", browser_log.on_page_error)
    _logs[tab] = browser_log
    yield tab
    del _logs[tab]
    context.close()
    # Anything that arrived after the test's own end.
    assert browser_log.reported or not browser_log.problems(), browser_log.report()


# --- helpers -----------------------------------------------------------------------------


def sign_in(page: Page, email: str, password: str = PASSWORD, *, snap_as: str | None = None) -> None:
    """Fill the sign-in form and submit it (the header has a language button too)."""
    page.goto("/accounts/login/")
    if snap_as:
        snap(page, snap_as)
        check_accessibility(page, snap_as)
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main").get_by_role("button").click()
    page.wait_for_load_state()


def reveal(page: Page, role: Literal["link", "button"], name: str) -> Locator:
    """A link or button of the page header, by its exact words, opening first the header
    menu (the desk's *Más*, the account menu, the portal's *Menú* on phones) that holds it,
    as a person would. A menu shown only at the other width is left alone: on wide screens
    the portal's links stand in the header itself."""
    banner = page.get_by_role("banner")
    if banner.get_by_role(role, name=name, exact=True).count():
        return banner.get_by_role(role, name=name, exact=True)
    for menu in banner.locator("details[data-menu]:not([open])").all():
        summary = menu.locator("summary")
        if (
            summary.is_visible()
            and menu.get_by_role(role, name=name, exact=True, include_hidden=True).count()
        ):
            summary.click()
            break
    return banner.get_by_role(role, name=name, exact=True)


def header_link(page: Page, name: str) -> Locator:
    """A link of the page header (the portal's or the desk's navigation)."""
    return reveal(page, "link", name)


def sign_out(page: Page) -> None:
    reveal(page, "button", "Cerrar sesión").click()
    page.wait_for_url("**/accounts/login/**")


_snapped: dict[str, str] = {}


def _current_test() -> str:
    return os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" ", 1)[0]


def snap(page: Page, name: str) -> None:
    """Full-page screenshots at desktop and phone widths, named `<name>-desktop.png` and
    `<name>-phone.png`; at phone width the page must not scroll sideways."""
    owner = _snapped.setdefault(name, _current_test())
    assert owner == _current_test(), f"screenshot name {name!r} is already used by {owner}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size or DESKTOP
    try:
        page.set_viewport_size(DESKTOP)
        page.screenshot(path=SCREENSHOTS / f"{name}-desktop.png", full_page=True, caret="initial")
        page.set_viewport_size(PHONE)
        page.screenshot(path=SCREENSHOTS / f"{name}-phone.png", full_page=True, caret="initial")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (
            f"{name} at {PHONE['width']} px is {width} px wide (sideways scrolling); too wide: "
            + ", ".join(page.evaluate(WIDER_THAN_PHONE, PHONE["width"]))
        )
    finally:
        page.set_viewport_size(size)


WIDER_THAN_PHONE = """(limit) => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > limit)
  .slice(0, 10)
  .map(el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : ''))"""

AXE_RUN = """async () => (await axe.run(document)).violations.map(v => ({
  id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help,
  targets: v.nodes.slice(0, 3).map(n => n.target.join(' ')),
}))"""


def check_accessibility(page: Page, name: str = "") -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now; serious and critical violations fail the
    test when it ends (at once outside the `page` fixture).

    The script goes in through the DevTools protocol (`evaluate`), which the page's Content
    Security Policy does not govern: the policy stays enforced for everything else, so an
    inline script of the product's own would still be refused and fail the test. Every
    violation found is kept in test-results/axe/<name>.json.
    """
    if page.evaluate("() => typeof axe === 'undefined'"):
        page.evaluate(_axe_source())
    version = page.evaluate("() => typeof axe === 'undefined' ? null : axe.version")
    assert version, "axe-core did not load"
    violations: list[dict[str, Any]] = page.evaluate(AXE_RUN)
    AXE_RESULTS.mkdir(parents=True, exist_ok=True)
    label = name or re.sub(r"\W+", "-", page.url.split("//", 1)[-1].split("/", 1)[-1]).strip("-")
    (AXE_RESULTS / f"{label or 'root'}.json").write_text(
        json.dumps({"url": page.url, "axe": version, "violations": violations}, indent=2, ensure_ascii=False),
        encoding="utf-8",
    )
    blocking = [
        f"accessibility on {page.url}: [{v['impact']}] {v['id']}: {v['help']} "
        f"({v['nodes']} element(s): {', '.join(v['targets'])})"
        for v in violations
        if v["impact"] in BLOCKING_IMPACTS
    ]
    log = _logs.get(page)
    if log is None:
        assert not blocking, "\n".join(blocking)
    else:
        log.accessibility.extend(blocking)
    return violations


_axe_cache: list[str] = []


def _axe_source() -> str:
    if not _axe_cache:
        assert AXE.exists(), f"{AXE} is missing: run npm install"
        _axe_cache.append(AXE.read_text(encoding="utf-8"))
    return _axe_cache[0]


# --- the agent desk ----------------------------------------------------------------------


@pytest.fixture
def another_page(
    browser: Browser, live_server: LiveServer, page: Page, browser_log: BrowserLog
) -> Iterator[Callable[[], Page]]:
    """A second person beside `page`, in a browser of their own: each call opens a fresh
    context (its own cookies) set up like `page`'s, whose console and page errors go to
    the same log."""
    tabs: list[Page] = []

    def open_page() -> Page:
        context = browser.new_context(
            base_url=live_server.url, viewport=DESKTOP, locale="es-CO", timezone_id="America/Bogota"
        )
        context.set_default_timeout(10_000)
        tab = context.new_page()
        tabs.append(tab)
        tab.on("console", browser_log.on_console)
        tab.on("pageerror", browser_log.on_page_error)
        _logs[tab] = browser_log
        return tab

    yield open_page
    for tab in tabs:
        _logs.pop(tab, None)
        tab.context.close()


def forget_session(page: Page) -> None:
    """Another person takes the browser: the page is left first, so none of its own
    requests (a presence ping, a refresh) lands after the cookies are cleared and hands
    the next sign-in form a stale CSRF cookie, then every cookie goes."""
    page.goto("about:blank")
    page.context.clear_cookies()


def sign_in_to_desk(page: Page, email: str, *, snap_as: str | None = None) -> None:
    """Sign an agent in; agents land on the desk's *Mis tickets*."""
    sign_in(page, email, snap_as=snap_as)
    page.wait_for_url(re.compile(r"/desk/$"))
