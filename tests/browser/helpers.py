"""Browser-test helpers: a Streamlit server per test session, Chromium, and page waits.

The waits copy what Streamlit's own e2e suite does (`e2e_playwright/conftest.py`), because the
`data-test-*` attributes on `stApp` are the only signal the frontend gives that a run finished.
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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from command_line import run_cli
from playwright.sync_api import Locator, Page, expect

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = PROJECT_ROOT / "test-artifacts"
SERVER_LOG_DIR = ARTIFACTS_DIR / "server-logs"
DEFAULT_SCREENSHOT_DIR = ARTIFACTS_DIR / "screenshots"

DESKTOP_VIEWPORT = {"width": 1280, "height": 900}
PHONE_VIEWPORT = {"width": 390, "height": 844}

HEALTH_TIMEOUT_S = 60.0
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# These never reach the network: the browser serves them from memory.
LOCAL_SCHEMES = frozenset({"data", "blob", "about"})
NETWORK_SCHEMES = frozenset({"http", "https", "ws", "wss"})


# --- Where requests may go -------------------------------------------------------------------


def is_loopback_url(url: str) -> bool:
    """True when loading `url` cannot leave this machine.

    Only the exact loopback names count: `127.0.0.2` or `localhost.example.com` would be a sign
    that something builds URLs wrongly, so they are flagged like any other host.
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname  # lower-cased, brackets stripped, userinfo removed
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    if scheme in LOCAL_SCHEMES:
        return True
    return scheme in NETWORK_SCHEMES and host in LOOPBACK_HOSTS


def non_loopback_urls(urls: Iterable[str]) -> list[str]:
    """The URLs of `urls` that would leave the machine, in order, without duplicates."""
    return list(dict.fromkeys(url for url in urls if not is_loopback_url(url)))


def assert_loopback_only(urls: Iterable[str]) -> None:
    """Fail with the offending URLs if any request was meant for a non-loopback host."""
    offenders = non_loopback_urls(urls)
    assert not offenders, (
        f"{len(offenders)} request(s) tried to leave loopback (they were aborted): "
        + ", ".join(offenders[:20])
    )


# --- Streamlit server ------------------------------------------------------------------------


@dataclass
class StreamlitServer:
    """A running `streamlit run` subprocess; `stop()` is safe to call more than once."""

    app_path: Path
    port: int
    log_path: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self, timeout: float = 10.0) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=timeout)


def free_loopback_port() -> int:
    # The port is free only until someone else binds it; start_streamlit_server retries on a clash.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def health_ok(port: int) -> bool:
    """True when the server on `port` answers its health check with "ok"."""
    # An empty ProxyHandler: an http_proxy in the environment must not swallow loopback polls.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except (urllib.error.URLError, OSError):
        return False


def _log_tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(log unreadable)"


def streamlit_command(app: Path, port: int, extra_args: Sequence[str] = ()) -> list[str]:
    """`streamlit run APP` headless on a loopback port, without telemetry or a file watcher:
    the server every browser test and benchmark starts."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.headless",
        "true",
        "--global.developmentMode",
        "false",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        *extra_args,
    ]


def streamlit_env(env: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """os.environ for a server child with `env` layered over it (a None value removes one)."""
    child_env = dict(os.environ)
    # Unbuffered, so the log already holds the traceback when a health check fails.
    child_env["PYTHONUNBUFFERED"] = "1"
    for key, value in (env or {}).items():
        if value is None:
            child_env.pop(key, None)
        else:
            child_env[key] = value
    return child_env


def launch_streamlit_server(
    app: Path,
    port: int,
    log_path: Path,
    env: Mapping[str, str | None] | None = None,
    extra_args: Sequence[str] = (),
    *,
    cwd: str | os.PathLike[str] = PROJECT_ROOT,
) -> StreamlitServer:
    """Start `streamlit run app` on `port`, its output in `log_path`, without waiting for it.

    `env` is layered over os.environ as in `streamlit_env`. Waiting is left to
    `wait_until_healthy`, so that several servers can start at once (the benchmarks do).
    """
    command = streamlit_command(app, port, extra_args)
    with log_path.open("wb") as log:
        # The child keeps its own copy of the descriptor, so closing ours here is fine.
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=streamlit_env(env),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return StreamlitServer(app_path=app, port=port, log_path=log_path, process=process)


def wait_until_healthy(server: StreamlitServer, deadline: float) -> bool:
    """Poll the server's health check until it answers (True), or until its process has exited
    or time.monotonic() has passed `deadline` (False). The caller decides what failing means."""
    while not health_ok(server.port):
        if server.process.poll() is not None or time.monotonic() >= deadline:
            return False
        time.sleep(0.2)
    return True


def start_streamlit_server(
    app_path: str | os.PathLike[str],
    env: Mapping[str, str | None] | None = None,
    extra_args: Sequence[str] = (),
    *,
    timeout: float = HEALTH_TIMEOUT_S,
) -> StreamlitServer:
    """Start `streamlit run app_path` on a free loopback port and wait until it is healthy.

    Runs from the project root so `.streamlit/config.toml` applies exactly as in `make run`.
    `env` is layered over os.environ; a None value removes a variable. The caller owns the
    server and must call `.stop()` (the `start_streamlit_server` fixture does that for tests).
    """
    app = Path(app_path)
    if not app.is_absolute():
        app = PROJECT_ROOT / app
    if not app.is_file():
        raise FileNotFoundError(f"Streamlit app not found: {app}")

    SERVER_LOG_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    last_error = ""
    for _attempt in range(3):
        port = free_loopback_port()
        log_path = SERVER_LOG_DIR / f"{app.stem}-{stamp}-{port}.log"
        server = launch_streamlit_server(app, port, log_path, env, extra_args)
        if wait_until_healthy(server, time.monotonic() + timeout):
            return server
        server.stop()
        last_error = (
            f"Streamlit ({app.name}) did not answer 'ok' on "
            f"{server.url}/_stcore/health within {timeout:.0f} s "
            f"(exit code {server.process.returncode}). Server log: {log_path}\n"
            f"{_log_tail(log_path)}"
        )
        # Only a lost race for the port is worth another try; anything else fails the same way.
        if not re.search(r"already in use", _log_tail(log_path), re.IGNORECASE):
            break
    raise RuntimeError(last_error)


# --- Chromium --------------------------------------------------------------------------------


def chromium_executable() -> str | None:
    """Debian's Chromium (or $CHROMIUM); None means Playwright's own browser as a last resort.

    Same candidates as scripts/ensure-chromium.sh, so whatever `make test` accepted is used.
    """
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


# --- Page waits and checks -------------------------------------------------------------------


def wait_for_app(page: Page, timeout: float = 30000) -> None:
    """Wait until the Streamlit app is connected and its script run has finished."""
    page.locator("[data-testid='stAppViewContainer']").wait_for(state="attached", timeout=timeout)
    # Debounce: right after load stApp can still say notRunning from before the first run began.
    page.wait_for_timeout(250)
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-connection-state='CONNECTED']",
        state="attached",
        timeout=timeout,
    )
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']",
        state="attached",
        timeout=timeout,
    )
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=timeout)
    # Elements arriving with the last delta still need a frame to lay out.
    page.wait_for_timeout(100)


def goto(page: Page, base_url: str, path_and_query: str = "/", timeout: float = 30000) -> None:
    """Open `path_and_query` (e.g. "stances?actor=x") on the server and wait for the run."""
    page.goto(f"{base_url.rstrip('/')}/{path_and_query.lstrip('/')}", timeout=timeout)
    wait_for_app(page, timeout=timeout)


def expect_no_exception(page: Page) -> None:
    """No stException on screen.

    With `showErrorDetails = "none"` the box still appears but its text is redacted; the
    traceback is only in the server log.
    """
    expect(
        page.get_by_test_id("stException"),
        "the app shows an exception; the traceback is in the server log",
    ).to_have_count(0)


def wait_for_chart(page: Page, index: int = 0, timeout: float = 15000) -> Locator:
    """Wait until the index-th Vega-Lite chart has drawn; returns that chart's locator."""
    chart = page.get_by_test_id("stVegaLiteChart").nth(index)
    # Vega picks svg or canvas per spec/renderer; the toolbar's icons sit outside this element.
    expect(chart.locator("svg, canvas").first).to_be_visible(timeout=timeout)
    return chart


def screenshot_dir() -> Path:
    """$SCREENSHOT_DIR (relative paths are taken from the project root, as `make test` does)."""
    configured = os.environ.get("SCREENSHOT_DIR")
    path = Path(configured) if configured else DEFAULT_SCREENSHOT_DIR
    return path if path.is_absolute() else PROJECT_ROOT / path


# Streamlit's main area (stMain) and sidebar scroll on their own while the document never does.
# A collapsed sidebar is moved off-screen, not removed, so only scrollers on screen count.
_SCROLLERS_JS = """
() => [document.documentElement, document.body,
       ...[...document.querySelectorAll(
           "[data-testid='stMain'], [data-testid='stSidebarContent']"
       )].filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.right > 0; })]
"""
_VERTICAL_OVERFLOW_JS = (
    f"() => Math.max(0, ...({_SCROLLERS_JS})().map(e => e.scrollHeight - e.clientHeight))"
)
_HORIZONTAL_OVERFLOW_JS = (
    f"() => Math.max(0, ...({_SCROLLERS_JS})().map(e => e.scrollWidth - e.clientWidth))"
)


def screenshot(page: Page, name: str, max_height: int = 15000) -> Path:
    """Write a full-page PNG named `name` to screenshot_dir() and return its path.

    Playwright's full_page only sees the document, which Streamlit never lets scroll, so a plain
    full-page shot is cut at the viewport. The viewport is grown to fit the tallest scrolling
    area for the shot and then restored.
    """
    directory = screenshot_dir()
    directory.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "screenshot"
    path = directory / (safe if safe.endswith(".png") else f"{safe}.png")

    original = page.viewport_size
    if original is None:
        page.screenshot(path=str(path), full_page=True)
        return path
    try:
        # Growing the viewport can reflow content (e.g. vh-sized elements), so re-measure.
        for _ in range(3):
            extra = page.evaluate(_VERTICAL_OVERFLOW_JS)
            current = page.viewport_size or original
            if extra <= 0 or current["height"] >= max_height:
                break
            height = min(max_height, current["height"] + int(extra))
            page.set_viewport_size({"width": original["width"], "height": height})
            page.wait_for_timeout(200)
        page.screenshot(path=str(path), full_page=True)
    finally:
        if page.viewport_size != original:
            page.set_viewport_size(original)
            page.wait_for_timeout(100)
    return path


def horizontal_overflow(page: Page) -> int:
    """Pixels of horizontal scrolling; 0 means nothing sticks out sideways.

    document.documentElement alone always reports 0 in Streamlit, because the overflow happens
    inside stMain (or the sidebar), so the largest overflow of those scroll areas is returned.
    Inner scrollers such as dataframes or code blocks are meant to scroll and are not counted.
    """
    return int(page.evaluate(_HORIZONTAL_OVERFLOW_JS))


def current_query(page: Page) -> dict[str, list[str]]:
    """The page's query string, e.g. {"actor": ["a", "b"]}; blank values are kept."""
    return parse_qs(urlsplit(page.url).query, keep_blank_values=True)


# --- Reading widgets and waiting for the view to settle --------------------------------------


def wait_until(check: Callable[[], object], timeout: float = 10.0, interval: float = 0.2) -> None:
    """Call `check` until it stops raising AssertionError; re-raise its last failure on timeout.

    For state that settles a moment after a run (the address bar after a rerun, Back/Forward).
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            check()
            return
        except AssertionError:
            if time.monotonic() >= deadline:
                raise
        time.sleep(interval)


def multiselect_values(scope: Page | Locator, label: str) -> list[str]:
    """The chips (selected labels, in order) of the multiselect labelled `label` within `scope`.

    Streamlit 1.67's multiselect marks each chip with `data-tag` and names it by aria-label;
    the copy of the chips inside its <template> is not part of the document, so it never counts.
    """
    # A `has=` locator is matched inside each candidate, so it must start from the page.
    root = scope if isinstance(scope, Page) else scope.page
    widget = scope.get_by_test_id("stMultiSelect").filter(
        has=root.get_by_test_id("stWidgetLabel").get_by_text(label, exact=True)
    )
    expect(widget).to_have_count(1)
    return [str(tag.get_attribute("aria-label")) for tag in widget.locator("[data-tag]").all()]


def validate_with_cli(path: str | os.PathLike[str]) -> subprocess.CompletedProcess[str]:
    """`python -m positions validate PATH`, as a curator runs it, with its output as text."""
    return run_cli("validate", str(path), timeout=60)
