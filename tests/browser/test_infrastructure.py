"""Tests of the browser-test machinery itself, against tests/browser/apps/mini_app.py."""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers import (
    PHONE_VIEWPORT,
    SERVER_LOG_DIR,
    StreamlitServer,
    assert_loopback_only,
    current_query,
    expect_no_exception,
    goto,
    health_ok,
    horizontal_overflow,
    is_loopback_url,
    non_loopback_urls,
    screenshot,
    start_streamlit_server,
    wait_for_chart,
)
from playwright.sync_api import Page, expect

MINI_APP = Path(__file__).resolve().parent / "apps" / "mini_app.py"


@pytest.fixture(scope="module")
def mini_server() -> Iterator[StreamlitServer]:
    server = start_streamlit_server(MINI_APP)
    yield server
    server.stop()


def png_size(path: Path) -> tuple[int, int]:
    # Width and height sit at fixed offsets in the IHDR chunk; no imaging library needed.
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_every_test_here_is_marked_browser(request: pytest.FixtureRequest) -> None:
    assert request.node.get_closest_marker("browser") is not None


def test_server_is_healthy_and_renders_chart(mini_server: StreamlitServer, page: Page) -> None:
    assert health_ok(mini_server.port)
    goto(page, mini_server.url, "/")
    chart = wait_for_chart(page)
    expect(chart.locator("svg, canvas")).to_have_count(1)
    expect(page.get_by_test_id("stMarkdownContainer").filter(has_text="chart page")).to_be_visible()
    expect_no_exception(page)
    # The guard saw the app's own traffic, all of it on loopback (the teardown re-checks).
    assert any(url.startswith(f"{mini_server.url}/static/") for url in page.requests_seen)  # type: ignore[attr-defined]
    assert any(url.startswith("ws://127.0.0.1:") for url in page.requests_seen)  # type: ignore[attr-defined]


def test_navigation_reaches_second_page(mini_server: StreamlitServer, page: Page) -> None:
    goto(page, mini_server.url, "/")
    page.get_by_test_id("stSidebarNavLink").filter(has_text="Text").click()
    expect(page.get_by_text("Mini app: text page")).to_be_visible()
    assert page.url == f"{mini_server.url}/text"
    assert current_query(page) == {}


def test_server_log_file_exists(mini_server: StreamlitServer) -> None:
    assert mini_server.log_path.is_file()
    assert mini_server.log_path.parent == SERVER_LOG_DIR
    assert mini_server.log_path.stat().st_size > 0


def test_deep_link_on_a_fresh_server(
    start_streamlit_server: Callable[..., StreamlitServer], page: Page
) -> None:
    server = start_streamlit_server(MINI_APP)
    goto(page, server.url, "text?x=1&x=2&empty=")
    expect(page.get_by_text("Mini app: text page")).to_be_visible()
    assert current_query(page) == {"x": ["1", "2"], "empty": [""]}
    expect_no_exception(page)
    server.stop()
    assert server.process.returncode is not None
    assert not health_ok(server.port)


def test_failed_start_names_the_log(start_streamlit_server: Callable[..., StreamlitServer]) -> None:
    # An unknown option makes `streamlit run` exit at once, before it ever answers a health check.
    with pytest.raises(RuntimeError, match=r"server-logs/mini_app-.*\.log") as excinfo:
        start_streamlit_server(MINI_APP, extra_args=["--server.noSuchOption", "1"])
    log_path = Path(str(excinfo.value).split("Server log: ")[1].split("\n")[0])
    assert log_path.is_file()


def test_non_loopback_request_is_aborted_and_flagged(
    mini_server: StreamlitServer, page_factory: Callable[..., Page]
) -> None:
    # check_loopback=False: this test makes the forbidden requests on purpose.
    page = page_factory(check_loopback=False)
    failures: dict[str, str | None] = {}
    page.on("requestfailed", lambda req: failures.__setitem__(req.url, req.failure))
    goto(page, mini_server.url, "/")

    outcome = page.evaluate(
        "() => fetch('http://example.invalid/').then(() => 'loaded', () => 'blocked')"
    )
    socket_outcome = page.evaluate(
        """() => new Promise(resolve => {
            const socket = new WebSocket('ws://example.invalid/socket');
            socket.onclose = () => resolve('closed');
            setTimeout(() => resolve('still open'), 5000);
        })"""
    )

    assert outcome == "blocked"
    assert socket_outcome == "closed"
    # ERR_BLOCKED_BY_CLIENT (Chromium appends ".Inspector") is the route's abort, not a DNS
    # failure: the request never left.
    assert (failures["http://example.invalid/"] or "").startswith("net::ERR_BLOCKED_BY_CLIENT")
    assert non_loopback_urls(page.requests_seen) == [  # type: ignore[attr-defined]
        "http://example.invalid/",
        "ws://example.invalid/socket",
    ]
    with pytest.raises(AssertionError, match=r"example\.invalid"):
        assert_loopback_only(page.requests_seen)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:8501/", True),
        ("http://localhost:8501/_stcore/health", True),
        ("http://LOCALHOST/", True),
        ("http://[::1]:8501/static/x.js", True),
        ("ws://127.0.0.1:8501/_stcore/stream", True),
        ("https://localhost/", True),
        ("data:image/png;base64,iVBORw0KGgo=", True),
        ("blob:http://127.0.0.1:8501/0b6c7f6e", True),
        ("about:blank", True),
        ("http://example.invalid/", False),
        ("https://fonts.googleapis.com/css2?family=Source+Sans", False),
        ("wss://example.com/socket", False),
        ("http://127.0.0.2/", False),
        ("http://localhost.example.com/", False),
        ("http://127.0.0.1@example.com/", False),
        ("http://[::2]/", False),
        ("http://[::1/", False),
        ("ftp://127.0.0.1/", False),
        ("//127.0.0.1/", False),
        ("", False),
    ],
)
def test_is_loopback_url(url: str, expected: bool) -> None:
    assert is_loopback_url(url) is expected


def test_phone_page_overflow_and_full_page_screenshot(
    mini_server: StreamlitServer,
    phone_page: Page,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert phone_page.viewport_size == PHONE_VIEWPORT
    goto(phone_page, mini_server.url, "/")
    wait_for_chart(phone_page)
    assert horizontal_overflow(phone_page) == 0

    # The wide block overflows inside stMain, which a document-only measure would miss.
    goto(phone_page, mini_server.url, "text?wide=1")
    assert horizontal_overflow(phone_page) > 0

    monkeypatch.setenv("SCREENSHOT_DIR", str(tmp_path / "shots"))
    goto(phone_page, mini_server.url, "text?rows=60")
    path = screenshot(phone_page, "mini text/tall")
    assert path == tmp_path / "shots" / "mini_text_tall.png"
    width, height = png_size(path)
    assert width == PHONE_VIEWPORT["width"]
    assert height > PHONE_VIEWPORT["height"]
    expect(phone_page.get_by_text("Row 59")).to_be_attached()
    assert phone_page.viewport_size == PHONE_VIEWPORT
