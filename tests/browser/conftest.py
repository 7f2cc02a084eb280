"""Fixtures for the browser tests: a real Streamlit server, Debian's Chromium, guarded pages.

Every page records the URLs it asks for and aborts any that would leave loopback, and the test
fails at teardown if there were such requests: the dashboard must work with no network at all.
"""

from __future__ import annotations

import contextlib
import re
import shutil
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from helpers import (
    ARTIFACTS_DIR,
    CHROMIUM_ARGS,
    DESKTOP_VIEWPORT,
    PHONE_VIEWPORT,
    PROJECT_ROOT,
    StreamlitServer,
    chromium_executable,
    is_loopback_url,
    non_loopback_urls,
)
from helpers import start_streamlit_server as _start_server
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    Route,
    WebSocketRoute,
    sync_playwright,
)

BROWSER_TESTS_DIR = Path(__file__).resolve().parent
DASHBOARD = PROJECT_ROOT / "dashboard.py"
FAILURE_SHOTS_DIR = ARTIFACTS_DIR / "failures"

ServerFactory = Callable[..., StreamlitServer]
PageFactory = Callable[..., Page]

_CALL_REPORT = pytest.StashKey[pytest.TestReport]()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # This hook sees the whole session's items, not just this folder's, hence the path check.
    for item in items:
        if BROWSER_TESTS_DIR in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    # Kept so the page fixtures can tell at teardown whether the test body failed.
    report = yield
    if report.when == "call":
        item.stash[_CALL_REPORT] = report
    return report


# --- Servers ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def streamlit_server() -> Iterator[StreamlitServer]:
    """The dashboard, shared by the whole session (`.url`, `.log_path`)."""
    server = _start_server(DASHBOARD)
    yield server
    server.stop()


def curate_data_copy(folder: Path) -> Path:
    """A copy of the bundled dataset and its evidence in `folder`, for a server in curate mode:
    whatever a test saves there never reaches data/positions.yaml."""
    shutil.copy(PROJECT_ROOT / "data" / "positions.yaml", folder / "positions.yaml")
    shutil.copytree(PROJECT_ROOT / "data" / "evidence", folder / "evidence")
    return folder / "positions.yaml"


def curate_args(data: Path) -> list[str]:
    """The arguments that start the dashboard as `make curate` does, on `data`."""
    return ["--", "--curate", "--data", str(data)]


@pytest.fixture(scope="session")
def curate_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    """The dashboard in curate mode (its Curate page served) on a copy of the bundled dataset,
    shared by the session's tests that only look at it."""
    data = curate_data_copy(tmp_path_factory.mktemp("curate-data"))
    server = _start_server(DASHBOARD, extra_args=curate_args(data))
    yield server
    server.stop()


@pytest.fixture
def start_streamlit_server() -> Iterator[ServerFactory]:
    """Factory for a fresh server, e.g. to open a deep link as a server's very first request.

    Signature: start_streamlit_server(app_path, env=None, extra_args=()) -> StreamlitServer.
    Servers still running when the test ends are stopped.
    """
    started: list[StreamlitServer] = []

    def start(
        app_path: str | Path,
        env: Mapping[str, str | None] | None = None,
        extra_args: Sequence[str] = (),
    ) -> StreamlitServer:
        server = _start_server(app_path, env=env, extra_args=extra_args)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


# --- Browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Headless Chromium; Playwright's own download is only used when no system one exists."""
    launched = playwright.chromium.launch(
        headless=True, executable_path=chromium_executable(), args=CHROMIUM_ARGS
    )
    yield launched
    launched.close()


@dataclass
class _GuardedContext:
    context: BrowserContext
    requests_seen: list[str]
    check_loopback: bool
    pages: list[Page] = field(default_factory=list)


def _abort(route: Route) -> None:
    route.abort("blockedbyclient")


def _failure_name(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", nodeid).strip("_")


@pytest.fixture
def page_factory(browser: Browser, request: pytest.FixtureRequest) -> Iterator[PageFactory]:
    """Factory: page_factory(viewport=None, *, check_loopback=True) -> Page.

    Each page gets its own context and a `requests_seen` list of every URL the context asked
    for (HTTP requests and WebSockets). Non-loopback requests are aborted; unless
    check_loopback=False the test fails at teardown if any was made.
    """
    guarded: list[_GuardedContext] = []

    def make(viewport: Mapping[str, int] | None = None, *, check_loopback: bool = True) -> Page:
        size = dict(viewport or DESKTOP_VIEWPORT)
        # Service workers would bypass routing; Streamlit does not use any.
        context = browser.new_context(
            viewport={"width": size["width"], "height": size["height"]},
            service_workers="block",
        )
        entry = _GuardedContext(context, [], check_loopback)
        # A context-level listener also catches popups and iframes the page opens.
        context.on("request", lambda req: entry.requests_seen.append(req.url))
        context.route(lambda url: not is_loopback_url(url), _abort)

        def close_socket(ws: WebSocketRoute) -> None:
            # Routed sockets raise no "websocket" event, so they are recorded here. Without
            # connect_to_server() no connection is made; closing tells the page so.
            entry.requests_seen.append(ws.url)
            ws.close()

        context.route_web_socket(lambda url: not is_loopback_url(url), close_socket)
        page = context.new_page()
        page.on("websocket", lambda ws: entry.requests_seen.append(ws.url))
        page.requests_seen = entry.requests_seen  # type: ignore[attr-defined]
        entry.pages.append(page)
        guarded.append(entry)
        return page

    yield make

    report = request.node.stash.get(_CALL_REPORT, None)
    if report is not None and report.failed:
        FAILURE_SHOTS_DIR.mkdir(parents=True, exist_ok=True)
        for n, entry in enumerate(guarded):
            for m, page in enumerate(entry.pages):
                target = FAILURE_SHOTS_DIR / f"{_failure_name(request.node.nodeid)}-{n}-{m}.png"
                # A crashed page must not hide the test's own failure.
                with contextlib.suppress(Exception):
                    page.screenshot(path=str(target))
    offenders: list[str] = []
    for entry in guarded:
        # Closing first flushes request events that were still in flight.
        entry.context.close()
        if entry.check_loopback:
            offenders += non_loopback_urls(entry.requests_seen)
    if offenders:
        pytest.fail(
            f"{len(offenders)} request(s) tried to leave loopback (aborted): "
            + ", ".join(dict.fromkeys(offenders)),
            pytrace=False,
        )


@pytest.fixture
def page(page_factory: PageFactory) -> Page:
    """A 1280x900 page; `page.requests_seen` lists every URL it asked for."""
    return page_factory(DESKTOP_VIEWPORT)


@pytest.fixture
def requests_seen(page: Page) -> list[str]:
    """The live list of URLs `page` asked for so far."""
    return page.requests_seen  # type: ignore[attr-defined,no-any-return]


@pytest.fixture
def phone_page(page_factory: PageFactory) -> Page:
    """A 390x844 page (a phone held upright), guarded like `page`."""
    return page_factory(PHONE_VIEWPORT)
