"""The figures measured in Chromium: (c) the time until /stances draws its chart against the
baseline app, and (d) the server's memory with one and with N sessions open, each size on a
fresh pair of servers."""

from __future__ import annotations

import contextlib
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from benchmarks.measure import log, paired
from benchmarks.serving import browser_helpers, server_memory, start_servers, stop_servers

# Vega picks svg or canvas per spec; either one visible means the chart is drawn.
CHART = "[data-testid='stVegaLiteChart'] svg, [data-testid='stVegaLiteChart'] canvas"


def new_context(browser: Any) -> Any:
    """A fresh browser context (no cookies, no cache: a new reader) at the tests' desktop size."""
    return browser.new_context(viewport=browser_helpers().DESKTOP_VIEWPORT)


def open_session(browser: Any, url: str, timeout_s: float) -> tuple[Any, float]:
    """A new browser context on `url`; returns it and the seconds until the chart was drawn."""
    context = new_context(browser)
    page = context.new_page()
    t0 = time.perf_counter()
    try:
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        page.wait_for_selector(CHART, state="visible", timeout=timeout_s * 1000)
    except Exception:
        context.close()
        raise
    return context, time.perf_counter() - t0


def sessions_memory(
    browser: Any,
    server: Any,
    url: str,
    count: int,
    timeout_s: float,
    budget: float,
    settle: float,
) -> dict[str, Any]:
    """(d) The server's memory with 1 session open, then with `count` open at once."""
    result: dict[str, Any] = {"idle": server_memory(server).get("VmRSS")}
    contexts = []
    started = time.perf_counter()
    try:
        context, seconds = open_session(browser, url, timeout_s)
        contexts.append(context)
        result["cold_open"] = seconds
        time.sleep(settle)
        result["one"] = server_memory(server).get("VmRSS")
        batch = 4  # several sessions connect at once, as readers do
        while len(contexts) < count:
            if time.perf_counter() - started > budget:
                result["note"] = f"bounded: {len(contexts)} sessions in {budget:.0f} s"
                break
            pages = []
            for _ in range(min(batch, count - len(contexts))):
                context = new_context(browser)
                page = context.new_page()
                page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
                contexts.append(context)
                pages.append(page)
            for page in pages:
                page.wait_for_selector(CHART, state="visible", timeout=timeout_s * 1000)
        time.sleep(settle)
        memory = server_memory(server)
        result["many"] = memory.get("VmRSS")
        result["peak"] = memory.get("VmHWM")
        result["sessions"] = len(contexts)
    except Exception as exc:
        result["error"] = _failure(exc)
        result["sessions"] = len(contexts)
    finally:
        for context in contexts:
            with contextlib.suppress(Exception):
                context.close()
    return result


def browser_figures(
    dataset: Path, options: dict[str, Any], log_dir: Path, browser: Any, code_root: Path
) -> dict[str, Any]:
    """(c) and (d) for one dataset, on a fresh pair of servers."""
    result: dict[str, Any] = {}
    # An empty parsed cache: the first open of this pair parses the file (and writes the
    # cache), as on a server's first start; a second app server then starts from it.
    cache_dir = log_dir / f"parsed-cache-{dataset.stem}"
    shutil.rmtree(cache_dir, ignore_errors=True)
    try:
        servers = start_servers(
            dataset, log_dir, options["server_timeout"], code_root, cache_dir=cache_dir
        )
    except RuntimeError as exc:
        return {"error": str(exc)}
    log(f"  servers up for {dataset.name}")
    try:
        urls = {"app": servers["app"].url + "/stances", "base": servers["base"].url + "/"}
        memory = {}
        for name in ("app", "base"):
            memory[name] = sessions_memory(
                browser,
                servers[name],
                urls[name],
                options["sessions"],
                options["first_open_timeout"],
                options["budget"],
                options["settle"],
            )
            log(f"  (d) {name}: {memory[name]}")
        result["memory"] = memory
        if options.get("sources_session"):
            result["sources"] = sources_memory(
                browser, servers["app"], servers["app"].url + "/sources", options
            )

        def visit(name: str) -> Callable[[], None]:
            def run() -> None:
                context, _ = open_session(browser, urls[name], options["open_timeout"])
                context.close()

            return run

        log("  (c) timing")
        result["browser"] = paired(
            visit("base"),
            visit("app"),
            repeats=options["browser_repeats"],
            budget=options["budget"],
            min_time=options["min_time"],
            max_repeats=max(options["browser_repeats"], 9),
        )
    except Exception as exc:
        result["error"] = _failure(exc, 300)
    finally:
        stop_servers(servers)
    result["cached_open"] = cached_open(browser, dataset, log_dir, options, code_root, cache_dir)
    return result


def cached_open(
    browser: Any,
    dataset: Path,
    log_dir: Path,
    options: dict[str, Any],
    code_root: Path,
    cache_dir: Path,
) -> dict[str, Any]:
    """A fresh app server on the parsed cache the first pair wrote (the file unchanged), as after
    a restart: the seconds until /stances draws its chart for the first session, and the
    server's memory idle, with that session and with N open at once, as in (d)."""
    try:
        servers = start_servers(
            dataset,
            log_dir,
            options["server_timeout"],
            code_root,
            cache_dir=cache_dir,
            names=("app",),
            tag="-cached",
        )
    except RuntimeError as exc:
        return {"error": str(exc)}
    try:
        memory = sessions_memory(
            browser,
            servers["app"],
            servers["app"].url + "/stances",
            options["sessions"],
            options["first_open_timeout"],
            options["budget"],
            options["settle"],
        )
        log(f"  (d) app from the parsed cache: {memory}")
        if "cold_open" not in memory:
            return {"error": memory.get("error", "no session opened")}
        return {"seconds": memory["cold_open"], **memory}
    finally:
        stop_servers(servers)


def sources_memory(browser: Any, server: Any, url: str, options: dict[str, Any]) -> dict[str, Any]:
    """What one session on the Sources page adds to the server: its downloads are built on
    every run and held in memory for the session."""
    result: dict[str, Any] = {"before": server_memory(server).get("VmRSS")}
    context = new_context(browser)
    try:
        page = context.new_page()
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=options["open_timeout"] * 1000)
        buttons = page.locator("[data-testid='stDownloadButton']")
        buttons.nth(3).wait_for(state="visible", timeout=options["first_open_timeout"] * 1000)
        result["seconds"] = time.perf_counter() - t0
        time.sleep(options["settle"])
        result["after"] = server_memory(server).get("VmRSS")
    except Exception as exc:
        result["error"] = _failure(exc)
    finally:
        context.close()
    return result


def _failure(exc: Exception, limit: int = 200) -> str:
    # The first line only: Playwright's errors go on with a call log the report has no room for.
    return f"{type(exc).__name__}: {str(exc).splitlines()[0][:limit]}"


@contextlib.contextmanager
def chromium(path: str | None) -> Iterator[Any]:
    """Headless Chromium for the whole run (None when there is none to use)."""
    if path is None:
        yield None
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            headless=True, executable_path=path, args=browser_helpers().CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def chromium_path() -> str | None:
    """The Chromium the browser tests use (or $CHROMIUM); None: skip the browser figures."""
    return browser_helpers().chromium_executable()
