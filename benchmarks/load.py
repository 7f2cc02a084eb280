"""Load test: many browser sessions at once go through every page with filters.

    .venv/bin/python -m benchmarks.load [--sessions 20] [--write]

Starts `streamlit run dashboard.py` on loopback, opens one session alone, then N sessions at
once (Playwright contexts in one Chromium), each visiting every page with a filtered view and
waiting until the page is drawn. Reports errors (an exception on a page, a chart not drawn, a
time-out) and the time to draw per session under load against one session alone, measured in
the same run. With --write, the table goes into BENCHMARKS.md between the load markers.
Everything is bounded: a time-out per page and for the whole run. No request leaves loopback.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.measure import cpu_name

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "browser")]

from helpers import (  # noqa: E402  (the browser tests' server helpers)
    CHROMIUM_ARGS,
    chromium_executable,
    is_loopback_url,
    start_streamlit_server,
)
from playwright.async_api import async_playwright  # noqa: E402

# Every page, each with a filtered view that has something to draw.
VISITS = [
    "/?actor=united-states",
    "/stances?actor=united-states&topic=ns2-ag-sanctions-waiver&topic=nord-stream-2",
    "/alignment?actor=us-congress&a=menendez&b=risch",
    "/agenda?actor=blinken",
    "/sanctions?topic=nord-stream-2",
    "/timeline?topic=nord-stream-2",
    "/prospects",
    "/sources?actor=germany",
]
CHART_PAGES = ("/stances", "/alignment", "/sanctions", "/timeline", "/prospects")
PAGE_TIMEOUT_MS = 60_000
RUN_TIMEOUT_S = 600
MARKERS = ("<!-- load:begin -->", "<!-- load:end -->")


@dataclass
class Session:
    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    off_loopback: list[str] = field(default_factory=list)


async def _drawn(page, path: str) -> None:
    await page.wait_for_selector("[data-testid='stAppViewContainer']", state="attached")
    await page.wait_for_timeout(200)
    await page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=PAGE_TIMEOUT_MS
    )
    if path.split("?")[0] in CHART_PAGES:
        await page.wait_for_selector(
            "[data-testid='stVegaLiteChart'] svg, [data-testid='stVegaLiteChart'] canvas",
            timeout=PAGE_TIMEOUT_MS,
        )
    if await page.locator("[data-testid='stException']").count():
        raise RuntimeError("the page shows an exception")


async def run_session(browser, base_url: str, visits: list[str] | None = None) -> Session:
    result = Session()
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)

    def record(request) -> None:
        if not is_loopback_url(request.url):
            result.off_loopback.append(request.url)

    page.on("request", record)
    await context.route(
        "**/*",
        lambda route: route.continue_() if is_loopback_url(route.request.url) else route.abort(),
    )
    for path in visits or VISITS:
        started = time.perf_counter()
        try:
            await page.goto(base_url + path)
            await _drawn(page, path)
        except Exception as exc:  # any failure is an error of this session, reported below
            result.errors.append(f"{path}: {type(exc).__name__}: {str(exc)[:120]}")
        result.seconds.append(time.perf_counter() - started)
    await context.close()
    return result


async def measure(
    base_url: str, sessions: int, visits: list[str] | None = None
) -> tuple[Session, list[Session]]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium_executable(),
            args=CHROMIUM_ARGS,
        )
        await run_session(browser, base_url, visits)  # warm the server's caches first
        alone = await run_session(browser, base_url, visits)
        together = await asyncio.wait_for(
            asyncio.gather(*(run_session(browser, base_url, visits) for _ in range(sessions))),
            timeout=RUN_TIMEOUT_S,
        )
        await browser.close()
    return alone, list(together)


def report(alone: Session, together: list[Session]) -> str:
    alone_total = sum(alone.seconds)
    totals = [sum(s.seconds) for s in together]
    errors = [e for s in together for e in s.errors] + alone.errors
    off = [u for s in together for u in s.off_loopback] + alone.off_loopback
    per_page_alone = statistics.median(alone.seconds)
    per_page_load = statistics.median([t for s in together for t in s.seconds])
    lines = [
        MARKERS[0],
        "## Load: concurrent browser sessions",
        "",
        f"Command: `.venv/bin/python -m benchmarks.load --sessions {len(together)} --write`. "
        f"Each session visits all {len(VISITS)} pages with a filtered view and waits until the "
        "page is drawn (charts included); one session alone is measured in the same run.",
        "",
        f"Machine: {platform.machine()}, {cpu_name()}, "
        f"Python {platform.python_version()}, run {time.strftime('%Y-%m-%d %H:%M')}.",
        "",
        "| figure | one session alone | under load | ratio |",
        "|---|---|---|---|",
        f"| time to draw all pages, per session (median of {len(together)}) | "
        f"{alone_total:.1f} s | {statistics.median(totals):.1f} s | "
        f"{statistics.median(totals) / alone_total:.1f}× |",
        f"| slowest session | {alone_total:.1f} s | {max(totals):.1f} s | "
        f"{max(totals) / alone_total:.1f}× |",
        f"| time to draw one page (median) | {per_page_alone:.2f} s | {per_page_load:.2f} s | "
        f"{per_page_load / per_page_alone:.1f}× |",
        "",
        f"Errors: {len(errors)}. Requests off loopback: {len(off)}.",
    ]
    lines += [f"- {e}" for e in errors[:20]]
    lines += [
        "",
        f"The {len(together)} browser contexts and the server share this machine's cores, so "
        "the time per session grows with the number of sessions; the errors line above says "
        "whether any session failed, showed an exception or sent a request off loopback.",
        MARKERS[1],
    ]
    return "\n".join(lines)


def write(section: str, path: Path) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if MARKERS[0] in text and MARKERS[1] in text:
        before = text.split(MARKERS[0])[0]
        after = text.split(MARKERS[1], 1)[1]
        text = before + section + after
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__)
    parser.add_argument("--sessions", type=int, default=20, help="concurrent sessions")
    parser.add_argument("--write", action="store_true", help="update BENCHMARKS.md")
    args = parser.parse_args(argv)
    server = start_streamlit_server(ROOT / "dashboard.py")
    try:
        alone, together = asyncio.run(measure(server.url, args.sessions))
    finally:
        server.stop()
    section = report(alone, together)
    print(section)
    if args.write:
        write(section, ROOT / "BENCHMARKS.md")
    failed = alone.errors or any(s.errors or s.off_loopback for s in together)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
