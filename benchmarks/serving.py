"""Real servers for the browser figures: the dashboard and the baseline app, each in its own
`streamlit run` on a loopback port, started as the browser tests start theirs."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.measure import BASELINE, DASHBOARD, ROOT, dataset_variables, rss_mb

STOP_TIMEOUT_S = 15.0  # a server holding a large dataset can take a while to shut down


def browser_helpers() -> Any:
    """The test suite's browser helpers (tests/browser/helpers.py), so that the benchmarks start
    servers and browsers as the tests do. Imported when needed: they import Playwright, and the
    workers run from a snapshot without the tests."""
    for folder in (ROOT / "tests", ROOT / "tests" / "browser"):
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
    import helpers

    return helpers


def start_servers(
    dataset: Path,
    log_dir: Path,
    timeout: float,
    code_root: Path = ROOT,
    cache_dir: Path | None = None,
    names: tuple[str, ...] = ("app", "base"),
    tag: str = "",
) -> dict[str, Any]:
    """The dashboard ("app") and the baseline ("base") on `dataset` (or those of `names`), each
    in its own `streamlit run` from `code_root`, started together and then waited for; a
    helpers.StreamlitServer each. The app keeps its parsed cache in `cache_dir` (None: none);
    `tag` tells the servers' logs apart from those of an earlier pair on the same dataset."""
    helpers = browser_helpers()
    variables = dataset_variables(dataset, cache_dir)
    servers: dict[str, Any] = {}
    for name, script in (("app", DASHBOARD), ("base", BASELINE)):
        if name not in names:
            continue
        servers[name] = helpers.launch_streamlit_server(
            code_root / script.relative_to(ROOT),
            helpers.free_loopback_port(),
            log_dir / f"server-{name}-{dataset.stem}{tag}.log",
            variables,
            cwd=code_root,
        )
    # One deadline for both: they were started together.
    deadline = time.monotonic() + timeout
    for name, server in servers.items():
        if not helpers.wait_until_healthy(server, deadline):
            stop_servers(servers)
            raise RuntimeError(f"{name} server did not start; see {server.log_path}")
    return servers


def stop_servers(servers: dict[str, Any]) -> None:
    """Stop every server of `servers` (stopping one already stopped does nothing)."""
    for server in servers.values():
        server.stop(timeout=STOP_TIMEOUT_S)


def server_memory(server: Any) -> dict[str, float]:
    """VmRSS and VmHWM of a server's process in MB."""
    return rss_mb(server.process.pid)
