"""Capacity without browsers: many sessions speak Streamlit's own protocol to the server.

    .venv/bin/python -m benchmarks.capacity --sessions 10 --replicas 2 --seconds 20
    .venv/bin/python -m benchmarks.capacity --sessions 1,10,50 --replicas 1,2 --seconds 20 --write

Each session does what a browser tab does over its WebSocket (`/_stcore/stream`): it sends a
BackMsg `rerun_script` with the page and its query string (the filters), reads the ForwardMsgs
that come back (new_session, deltas, …) until `script_finished`, and goes on: every page of the
registry in turn, each opened with a filtered view and then rerun once, until the time is up.
A rerun's latency is from sending `rerun_script` to receiving `script_finished` (successfully).
Errors are exception elements in the deltas, a page not found, a script that did not finish,
a disconnect or a time-out.

For every replica count R, R `streamlit run dashboard.py` servers start on loopback ports, all
reading the same dataset file, behind one nginx (benchmarks/proxy.py) with sticky sessions; one
replica goes through nginx too, so that 1 and 2 replicas are compared on the same path. Sizes
are interleaved (1 then 2 replicas at each number of sessions) on this shared, noisy machine.
The last line is `sessions N replicas R: p50 … ms, p95 … ms, X reruns/s, errors E`.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException

import page_registry
from benchmarks.measure import DASHBOARD, ROOT, cpu_name, dataset_variables, log
from benchmarks.proxy import (
    ROUTE_COOKIE,
    Proxy,
    nginx_executable,
    proxy_log_tail,
    start_proxy,
    wait_for_proxy,
)
from benchmarks.serving import STOP_TIMEOUT_S, browser_helpers

RERUN_TIMEOUT_S = 120.0  # one rerun under 100 sessions on two cores can take tens of seconds
SERVER_TIMEOUT_S = 90.0
MARKERS = ("<!-- capacity:begin -->", "<!-- capacity:end -->")
TARGET_RATIO = 1.3  # the target for 2 replicas against 1 on two cores
MIN_TARGET_SESSIONS = 10  # one session cannot use a second replica: the target starts here
NGINX_MISSING = (
    "nginx is not installed: the capacity benchmark runs the replicas behind nginx "
    "(Debian's package: apt-get install nginx; `make test` installs it when it can)"
)

# A filtered view for each page that has filters worth setting; the others open as they are.
FILTERS = {
    "overview": "actor=united-states",
    "stances": "actor=blinken",
    "alignment": "actor=us-congress&a=menendez&b=risch",
    "agenda": "actor=blinken",
    "sanctions": "topic=nord-stream-2",
    "timeline": "topic=nord-stream-2",
    "sources": "actor=germany",
}


@dataclass(frozen=True)
class Visit:
    """One page as a session opens it: the registry's address and a query string."""

    page: str  # the url_path sent as ClientState.page_name
    query: str


def visits() -> list[Visit]:
    """Every public page of the registry, in menu order, each with its filtered view."""
    return [Visit(p.url_path, FILTERS.get(p.key, "")) for p in page_registry.pages()]


@dataclass
class SessionResult:
    latencies: list[float] = field(default_factory=list)  # seconds, one per finished rerun
    errors: list[str] = field(default_factory=list)
    replica: str = ""  # the upstream nginx chose, from the handshake's X-Upstream header


class RerunError(Exception):
    """A rerun that did not finish cleanly: the message says how."""


def client_state(visit: Visit, cached: set[str]) -> ClientState:
    """What the frontend sends for a rerun of `visit`: page, query and the messages it holds."""
    state = ClientState(query_string=visit.query, page_name=visit.page)
    # The browser lists the messages it has cached, and the server sends a reference for them
    # rather than the whole message again; doing the same keeps the traffic the browser's.
    state.cached_message_hashes.extend(sorted(cached))
    return state


async def rerun(ws: ClientConnection, state: ClientState, cached: set[str]) -> float:
    """Send one rerun_script and read until its script_finished; the latency in seconds."""
    message = BackMsg()
    message.rerun_script.CopyFrom(state)
    started = time.perf_counter()
    await ws.send(message.SerializeToString())
    problems: list[str] = []
    async with asyncio.timeout(RERUN_TIMEOUT_S):
        while True:
            raw = await ws.recv()
            forward = ForwardMsg()
            forward.ParseFromString(raw)
            kind = forward.WhichOneof("type")
            if forward.metadata.cacheable and forward.hash:
                cached.add(forward.hash)
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                if forward.delta.new_element.WhichOneof("type") == "exception":
                    problems.append(f"exception: {forward.delta.new_element.exception.message}")
            elif kind == "page_not_found":
                problems.append(f"page not found: {forward.page_not_found.page_name}")
            elif kind == "script_finished":
                status = forward.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # the script asked for another run (st.rerun): wait for it
                if status != ForwardMsg.FINISHED_SUCCESSFULLY:
                    problems.append(
                        f"script finished with {ForwardMsg.ScriptFinishedStatus.Name(status)}"
                    )
                break
    if problems:
        raise RerunError("; ".join(problems)[:300])
    return time.perf_counter() - started


async def run_session(ws_url: str, number: int, stop_at: float, at_least: int = 0) -> SessionResult:
    """One reader: connect, then open and rerun every page in turn until `stop_at` (and at
    least `at_least` pages, however late)."""
    result = SessionResult()
    cached: set[str] = set()
    # The route cookie a browser would have been given by nginx on its first request.
    cookie = f"{ROUTE_COOKIE}=bench-{number}-{uuid.uuid4().hex[:8]}"
    pages = visits()
    try:
        async with connect(
            ws_url,
            subprotocols=["streamlit"],  # type: ignore[list-item]
            additional_headers={"Cookie": cookie},
            max_size=None,  # a page's deltas can be large; the server bounds them itself
            open_timeout=RERUN_TIMEOUT_S,
            ping_interval=None,  # a server busy for seconds must not look like a dead one
            close_timeout=5,
        ) as ws:
            if ws.response is not None:
                result.replica = ws.response.headers.get("X-Upstream", "")
            step = number  # sessions start at different pages, as readers would
            while step - number < at_least or time.monotonic() < stop_at:
                visit = pages[step % len(pages)]
                step += 1
                # Open the page with its filters, then rerun it as a widget change would.
                for _ in range(2):
                    try:
                        result.latencies.append(
                            await rerun(ws, client_state(visit, cached), cached)
                        )
                    except RerunError as exc:
                        result.errors.append(f"/{visit.page}?{visit.query}: {exc}")
                    if time.monotonic() >= stop_at and step - number >= at_least:
                        break
    except TimeoutError:
        result.errors.append(f"session {number}: time-out after {RERUN_TIMEOUT_S:.0f} s")
    except (OSError, WebSocketException) as exc:
        result.errors.append(f"session {number}: disconnected ({type(exc).__name__}: {exc})")
    return result


async def drive(
    ws_url: str, sessions: int, seconds: float, at_least: int = 0
) -> tuple[list[SessionResult], float, float]:
    """`sessions` readers at once for `seconds`: their results, the wall time they took and the
    CPU time this client used (it shares the cores with the servers, so it is reported)."""
    started, cpu = time.monotonic(), time.process_time()
    stop_at = started + seconds
    results = await asyncio.gather(
        *(run_session(ws_url, i, stop_at, at_least) for i in range(sessions))
    )
    # Reruns still under way at `stop_at` are waited for, so the rate divides by the real time.
    return list(results), time.monotonic() - started, time.process_time() - cpu


def percentile(values: list[float], share: float) -> float:
    """The `share` quantile of `values` (nearest rank), or NaN for none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def summary(results: list[SessionResult], wall: float, client_cpu: float = 0.0) -> dict[str, Any]:
    """The figures of one run: latency quantiles in ms, reruns per second, errors."""
    latencies = [t for r in results for t in r.latencies]
    return {
        "sessions": len(results),
        "reruns": len(latencies),
        "p50_ms": percentile(latencies, 0.5) * 1000,
        "p95_ms": percentile(latencies, 0.95) * 1000,
        "reruns_per_s": len(latencies) / wall if wall > 0 else 0.0,
        "errors": sum(len(r.errors) for r in results),
        "error_samples": [e for r in results for e in r.errors][:10],
        "spread": dict(Counter(r.replica for r in results)),
        "seconds": wall,
        "client_cpu_share": client_cpu / wall if wall > 0 else 0.0,
    }


def result_line(figures: dict[str, Any], replicas: int) -> str:
    """`sessions N replicas R: p50 … ms, p95 … ms, X reruns/s, errors E`."""
    return (
        f"sessions {figures['sessions']} replicas {replicas}: "
        f"p50 {figures['p50_ms']:.0f} ms, p95 {figures['p95_ms']:.0f} ms, "
        f"{figures['reruns_per_s']:.2f} reruns/s, errors {figures['errors']}"
    )


@dataclass
class Deployment:
    """R replicas and the nginx in front of them."""

    replicas: int
    servers: list[Any]
    proxy: Proxy

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.proxy.port}/_stcore/stream"

    def stop(self) -> None:
        self.proxy.stop()
        for server in self.servers:
            server.stop(timeout=STOP_TIMEOUT_S)


def deploy(nginx: str, replicas: int, dataset: Path | None, work: Path) -> Deployment:
    """Start `replicas` servers of the dashboard and nginx in front; wait until both answer."""
    helpers = browser_helpers()
    # Every replica reads the same file; each parses it once into its own cache.
    env = dataset_variables(dataset) if dataset else None
    servers = [
        helpers.launch_streamlit_server(
            DASHBOARD,
            helpers.free_loopback_port(),
            work / f"server-r{replicas}-{i}.log",
            env,
        )
        for i in range(replicas)
    ]
    proxy = start_proxy(
        nginx, helpers.free_loopback_port(), [s.port for s in servers], work / f"nginx-r{replicas}"
    )
    deployment = Deployment(replicas, servers, proxy)
    deadline = time.monotonic() + SERVER_TIMEOUT_S
    for server in servers:
        if not helpers.wait_until_healthy(server, deadline):
            deployment.stop()
            raise RuntimeError(f"a replica did not start; see {server.log_path}")
    if not wait_for_proxy(proxy, deadline):
        tail = proxy_log_tail(proxy)
        deployment.stop()
        raise RuntimeError(f"nginx did not start:\n{tail}")
    return deployment


def warm(deployment: Deployment) -> None:
    """Open every page once on every replica, so that no run pays for the first parse."""
    # One session per replica at least: with random route cookies, a few more make it likely
    # that each replica is reached; a replica still cold only makes its first figures worse.
    results, _, _ = asyncio.run(
        drive(deployment.ws_url, 4 * deployment.replicas, 0.0, at_least=len(visits()))
    )
    for result in results:
        if result.errors:
            raise RuntimeError(f"warming up failed: {result.errors[0]}")


def parse_counts(text: str) -> list[int]:
    """`1,10,50` as [1, 10, 50]."""
    counts = [int(part) for part in text.split(",") if part.strip()]
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError(f"expected positive counts like 1,10,50: {text!r}")
    return counts


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.capacity", description=__doc__)
    parser.add_argument("--sessions", type=parse_counts, default=[10], help="e.g. 1,10,50")
    parser.add_argument("--replicas", type=parse_counts, default=[1], help="e.g. 1,2")
    parser.add_argument("--seconds", type=float, default=20.0, help="per run (default 20)")
    parser.add_argument("--data", type=Path, help="a dataset file (default: the bundled one)")
    parser.add_argument("--write", action="store_true", help="update BENCHMARKS.md's section")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    nginx = nginx_executable()
    if nginx is None:
        print(f"capacity: {NGINX_MISSING}", file=sys.stderr)
        return 2
    command = "python -m benchmarks.capacity " + shown_arguments(
        argv if argv is not None else sys.argv[1:]
    )
    runs: list[tuple[int, dict[str, Any]]] = []
    load_start = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="capacity-") as tmp:
        deployments: dict[int, Deployment] = {}
        try:
            for replicas in args.replicas:
                log(f"starting {replicas} replica(s) behind nginx")
                deployments[replicas] = deploy(nginx, replicas, args.data, Path(tmp))
                warm(deployments[replicas])
            for sessions in args.sessions:
                for replicas in args.replicas:
                    log(f"{sessions} session(s), {replicas} replica(s), {args.seconds:.0f} s")
                    results, wall, cpu = asyncio.run(
                        drive(deployments[replicas].ws_url, sessions, args.seconds)
                    )
                    figures = summary(results, wall, cpu)
                    runs.append((replicas, figures))
                    for sample in figures["error_samples"]:
                        log(f"  error: {sample}")
                    log(f"  spread over replicas: {figures['spread']}")
        finally:
            for deployment in deployments.values():
                deployment.stop()
    for line in ratio_lines(runs):
        print(line)
    if args.write:
        loads = (load_start, os.getloadavg())
        write_section(report(runs, command, args.seconds, loads), args.output)
    for replicas, figures in runs:
        print(result_line(figures, replicas), flush=True)
    return 1 if any(figures["errors"] for _, figures in runs) else 0


def shown_arguments(argv: list[str]) -> str:
    """The arguments as the report shows them: without `--output FILE`, which only says where
    this copy of the report went."""
    shown, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--output":
            skip = True
        elif not arg.startswith("--output="):
            shown.append(arg)
    return " ".join(shown)


def ratio_lines(runs: list[tuple[int, dict[str, Any]]]) -> list[str]:
    """At each number of sessions, each replica count's reruns/s against the fewest replicas'."""
    lines = []
    for sessions in dict.fromkeys(f["sessions"] for _, f in runs):
        same = [(r, f) for r, f in runs if f["sessions"] == sessions]
        base_replicas, base = min(same, key=lambda pair: pair[0])
        for replicas, figures in same:
            if replicas != base_replicas and base["reruns_per_s"] > 0:
                ratio = figures["reruns_per_s"] / base["reruns_per_s"]
                lines.append(
                    f"sessions {sessions}: replicas {replicas} / replicas {base_replicas} = "
                    f"{ratio:.2f}× reruns/s"
                )
    return lines


def target_verdict(runs: list[tuple[int, dict[str, Any]]]) -> str:
    """Whether 2 replicas give at least TARGET_RATIO times 1 replica's reruns/s at every size
    of MIN_TARGET_SESSIONS sessions or more, with no errors anywhere."""
    one = {f["sessions"]: f for r, f in runs if r == 1}
    pairs = [(one[f["sessions"]], f) for r, f in runs if r == 2 and f["sessions"] in one]
    pairs = [(a, b) for a, b in pairs if b["sessions"] >= MIN_TARGET_SESSIONS]
    if not pairs:
        return "not measured (needs 1 and 2 replicas at 10 sessions or more)"
    ratios = [b["reruns_per_s"] / a["reruns_per_s"] for a, b in pairs if a["reruns_per_s"] > 0]
    errors = sum(f["errors"] for _, f in runs)
    met = len(ratios) == len(pairs) and min(ratios) >= TARGET_RATIO and errors == 0
    return (
        f"{'meets' if met else '**misses**'}: {min(ratios, default=0):.2f}× to "
        f"{max(ratios, default=0):.2f}× at {MIN_TARGET_SESSIONS}+ sessions, errors {errors}"
    )


def report(
    runs: list[tuple[int, dict[str, Any]]],
    command: str,
    seconds: float,
    loads: tuple[tuple[float, ...], tuple[float, ...]] | None = None,
) -> str:
    """The Capacity section of BENCHMARKS.md, between its markers."""
    replica_counts = sorted({r for r, _ in runs})
    lines = [
        MARKERS[0],
        "## Capacity: sessions over Streamlit's protocol, 1 and 2 replicas",
        "",
        f"Command: `.venv/bin/python -m {command.removeprefix('python -m ')}`, "
        f"run {time.strftime('%Y-%m-%d %H:%M')} on {cpu_name()}, Python {sys.version.split()[0]}.",
        "",
        "No browser: each session speaks Streamlit's WebSocket protocol (`/_stcore/stream`, the "
        "`BackMsg`/`ForwardMsg` protobufs of the installed `streamlit`) and goes through every "
        "page of the registry with a filtered view, opening it and rerunning it, for "
        f"{seconds:.0f} s. Latency: `rerun_script` sent to `script_finished` received. Every "
        "replica count goes through the same nginx configuration (docs/deploy.md), one replica "
        "included; the runs at each number of sessions are back to back.",
        "",
        f"Target: 2 replicas give at least {TARGET_RATIO}× the reruns/s of 1 at "
        f"{MIN_TARGET_SESSIONS} sessions or more, with zero errors: {target_verdict(runs)}.",
        "",
        "| sessions | replicas | p50 | p95 | reruns/s | vs "
        f"{replica_counts[0]} replica | errors | sessions per replica | client CPU |",
        "|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    base = {f["sessions"]: f for r, f in runs if r == replica_counts[0]}
    for replicas, f in runs:
        first = base.get(f["sessions"])
        ratio = (
            f"{f['reruns_per_s'] / first['reruns_per_s']:.2f}×"
            if first and first["reruns_per_s"] > 0
            else "–"
        )
        spread = " / ".join(str(n) for _, n in sorted(f["spread"].items()))
        lines.append(
            f"| {f['sessions']} | {replicas} | {f['p50_ms']:.0f} ms | {f['p95_ms']:.0f} ms | "
            f"{f['reruns_per_s']:.2f} | {ratio} | {f['errors']} | {spread} | "
            f"{f['client_cpu_share']:.0%} |"
        )
    lines += [
        "",
        "Sessions per replica: how nginx's cookie hash spread them (random cookies, so uneven "
        "at small numbers). Client CPU: the share of one core this benchmark's own client used; "
        "it runs on the same cores as the servers.",
    ]
    if loads:
        start, end = (", ".join(f"{x:.1f}" for x in load) for load in loads)
        lines += [
            "",
            f"Load average (1, 5, 15 min): {start} at the start, {end} at the end. The machine "
            "is shared: where other processes keep its cores busy, two replicas also win a "
            "larger share of them than one does, so the ratio can be above what a quiet "
            "machine would give.",
        ]
    lines.append(MARKERS[1])
    return "\n".join(lines)


def write_section(section: str, path: Path) -> None:
    """Put `section` between the capacity markers, inside the notes the report keeps."""
    from benchmarks.report import NOTES_END

    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if MARKERS[0] in text and MARKERS[1] in text:
        before, rest = text.split(MARKERS[0], 1)
        text = before + section + rest.split(MARKERS[1], 1)[1]
    elif NOTES_END in text:
        # Inside the notes, so that `benchmarks.run` keeps it when it rewrites the file.
        before, after = text.split(NOTES_END, 1)
        text = before + section + "\n" + NOTES_END + after
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
