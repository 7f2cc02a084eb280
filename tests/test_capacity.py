"""The capacity benchmark: its protocol client on canned messages, the nginx configuration it
writes, the report section it keeps in BENCHMARKS.md, and the command end to end at a tiny scale
(2 sessions, 1 and 2 replicas behind nginx, a few seconds). No timing is asserted."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

import page_registry
from benchmarks import capacity
from benchmarks.proxy import ROUTE_COOKIE, nginx_config, nginx_executable, start_proxy
from benchmarks.report import NOTES_END, NOTES_START
from benchmarks.serving import browser_helpers

ROOT = Path(__file__).resolve().parent.parent
LAST_LINE = re.compile(
    r"^sessions (\d+) replicas (\d+): p50 \d+ ms, p95 \d+ ms, \d+\.\d+ reruns/s, errors (\d+)$"
)


class FakeSocket:
    """Just enough of a websockets connection: records what is sent, replays `replies`."""

    def __init__(self, replies: list[ForwardMsg]) -> None:
        self.sent: list[bytes] = []
        self.replies = [m.SerializeToString() for m in replies]

    async def send(self, data: bytes) -> None:
        self.sent.append(data)

    async def recv(self) -> bytes:
        return self.replies.pop(0)


def run_coroutine(coroutine: Any) -> Any:
    """Run a coroutine to its end in a thread of its own: a browser test's sync Playwright
    leaves an event loop running in the main thread, where `asyncio.run` refuses to start."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def finished(status: int) -> ForwardMsg:
    message = ForwardMsg()
    message.script_finished = status  # type: ignore[assignment]
    return message


def exception_delta(text: str) -> ForwardMsg:
    message = ForwardMsg()
    message.delta.new_element.exception.message = text
    return message


def run_rerun(replies: list[ForwardMsg]) -> tuple[float, FakeSocket, set[str]]:
    socket, cached = FakeSocket(replies), set()
    visit = capacity.Visit("stances", "actor=blinken")
    state = capacity.client_state(visit, cached)
    latency = run_coroutine(capacity.rerun(socket, state, cached))  # type: ignore[arg-type]
    return latency, socket, cached


def test_every_page_of_the_registry_is_visited_once_by_its_address():
    assert [v.page for v in capacity.visits()] == [p.url_path for p in page_registry.pages()]
    stances = next(v for v in capacity.visits() if v.page == "stances")
    assert stances.query == "actor=blinken"


def test_a_rerun_sends_rerun_script_and_waits_past_an_early_finish_for_the_real_one():
    cacheable = ForwardMsg(hash="abc")
    cacheable.metadata.cacheable = True
    replies = [
        ForwardMsg(hash="n"),
        cacheable,
        finished(ForwardMsg.FINISHED_EARLY_FOR_RERUN),
        finished(ForwardMsg.FINISHED_SUCCESSFULLY),
    ]
    latency, socket, cached = run_rerun(replies)
    assert latency >= 0
    assert cached == {"abc"}
    from streamlit.proto.BackMsg_pb2 import BackMsg

    sent = BackMsg.FromString(socket.sent[0])
    assert sent.WhichOneof("type") == "rerun_script"
    assert sent.rerun_script.page_name == "stances"
    assert sent.rerun_script.query_string == "actor=blinken"


def test_an_exception_in_the_deltas_or_a_compile_error_is_an_error():
    with pytest.raises(capacity.RerunError, match="exception: boom"):
        run_rerun([exception_delta("boom"), finished(ForwardMsg.FINISHED_SUCCESSFULLY)])
    with pytest.raises(capacity.RerunError, match="FINISHED_WITH_COMPILE_ERROR"):
        run_rerun([finished(ForwardMsg.FINISHED_WITH_COMPILE_ERROR)])
    missing = ForwardMsg()
    missing.page_not_found.page_name = "nope"
    with pytest.raises(capacity.RerunError, match="page not found: nope"):
        run_rerun([missing, finished(ForwardMsg.FINISHED_SUCCESSFULLY)])


def test_the_summary_line_has_the_issues_format():
    results = [capacity.SessionResult(latencies=[0.1, 0.2, 0.3], replica="a")]
    results.append(capacity.SessionResult(latencies=[0.4], errors=["x"], replica="b"))
    figures = capacity.summary(results, wall=2.0)
    line = capacity.result_line(figures, replicas=2)
    assert line == "sessions 2 replicas 2: p50 200 ms, p95 400 ms, 2.00 reruns/s, errors 1"
    assert LAST_LINE.match(line)
    assert figures["spread"] == {"a": 1, "b": 1}
    assert capacity.percentile([0.3, 0.1, 0.2, 0.4], 0.5) == 0.2


def test_the_report_shows_the_command_without_where_it_was_written():
    argv = ["--sessions", "1,10", "--write", "--output", "/tmp/B.md", "--output=/tmp/C.md"]
    assert capacity.shown_arguments(argv) == "--sessions 1,10 --write"


def test_the_nginx_configuration_is_sticky_by_cookie_and_passes_the_upgrade(tmp_path):
    text = nginx_config(8080, [9001, 9002], tmp_path)
    assert "hash $route_key consistent;" in text
    assert f"$cookie_{ROUTE_COOKIE}" in text and "ip_hash" not in text
    assert "server 127.0.0.1:9001;" in text and "server 127.0.0.1:9002;" in text
    assert "listen 127.0.0.1:8080;" in text
    assert "proxy_http_version 1.1;" in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert "proxy_set_header Connection $connection_upgrade;" in text
    nginx = nginx_executable()
    if nginx is None:
        pytest.skip("nginx is not installed (scripts/ensure-nginx.sh could not install it)")
    conf = tmp_path / "nginx.conf"
    conf.write_text(text)
    checked = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert checked.returncode == 0, checked.stderr


class Upstream(BaseHTTPRequestHandler):
    """Answers every GET with the port it listens on: which replica nginx chose."""

    def do_GET(self) -> None:
        body = str(self.server.server_address[1]).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_nginx_gives_a_route_cookie_once_and_keeps_each_reader_on_one_replica(tmp_path):
    nginx = nginx_executable()
    if nginx is None:
        pytest.skip("nginx is not installed (scripts/ensure-nginx.sh could not install it)")
    helpers = browser_helpers()
    upstreams = [ThreadingHTTPServer(("127.0.0.1", 0), Upstream) for _ in range(2)]
    for server in upstreams:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    ports = [server.server_address[1] for server in upstreams]
    proxy = start_proxy(nginx, helpers.free_loopback_port(), ports, tmp_path)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def get(cookie: str | None) -> tuple[str, list[str]]:
        request = urllib.request.Request(f"{proxy.url}/")
        if cookie:
            request.add_header("Cookie", f"{ROUTE_COOKIE}={cookie}")
        with opener.open(request, timeout=5) as response:
            return response.read().decode(), response.headers.get_all("Set-Cookie") or []

    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                _, set_cookie = get(None)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        assert len(set_cookie) == 1 and set_cookie[0].startswith(f"{ROUTE_COOKIE}=")
        assert "HttpOnly" in set_cookie[0]
        chosen = {reader: {get(f"reader-{reader}")[0] for _ in range(3)} for reader in range(20)}
        assert all(len(replicas) == 1 for replicas in chosen.values()), chosen
        assert {r for replicas in chosen.values() for r in replicas} == {str(p) for p in ports}
        assert get("reader-0")[1] == []  # a reader who has the cookie is not given another
    finally:
        proxy.stop()
        for server in upstreams:
            server.shutdown()


def test_the_section_goes_inside_the_kept_notes_and_is_replaced_in_place(tmp_path):
    path = tmp_path / "BENCHMARKS.md"
    path.write_text(f"# B\n\n## Notes\n\n{NOTES_START}\nmine\n{NOTES_END}\n")
    first = f"{capacity.MARKERS[0]}\nold\n{capacity.MARKERS[1]}"
    capacity.write_section(first, path)
    capacity.write_section(first.replace("old", "new"), path)
    text = path.read_text()
    assert "old" not in text and text.count(capacity.MARKERS[0]) == 1
    notes = text[text.index(NOTES_START) : text.index(NOTES_END)]
    assert "mine" in notes and "new" in notes


def test_the_capacity_command_runs_one_and_two_replicas_behind_nginx():
    if nginx_executable() is None:
        pytest.skip(
            "nginx is not installed and scripts/ensure-nginx.sh could not install it "
            "(not root, or no apt-get): the capacity benchmark needs it"
        )
    command = ["benchmarks.capacity", "--sessions", "2", "--replicas", "1,2", "--seconds", "3"]
    done = subprocess.run(
        [sys.executable, "-m", *command],
        cwd=ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    lines = done.stdout.strip().splitlines()
    found = [LAST_LINE.match(line) for line in lines[-2:]]
    assert all(found), lines[-2:]
    assert [(m.group(1), m.group(2), m.group(3)) for m in found if m] == [
        ("2", "1", "0"),
        ("2", "2", "0"),
    ]
    assert any(line.startswith("sessions 2: replicas 2 / replicas 1 = ") for line in lines)


def figures(sessions: int, rate: float, errors: int = 0) -> dict:
    return {
        "sessions": sessions,
        "p50_ms": 100.0,
        "p95_ms": 200.0,
        "reruns_per_s": rate,
        "errors": errors,
        "spread": {"a": sessions},
        "client_cpu_share": 0.1,
    }


def test_the_target_counts_from_ten_sessions_and_needs_zero_errors():
    runs = [(1, figures(1, 2.0)), (2, figures(1, 1.0)), (1, figures(10, 2.0))]
    assert capacity.target_verdict([*runs, (2, figures(10, 2.8))]).startswith("meets: 1.40×")
    assert "**misses**" in capacity.target_verdict([*runs, (2, figures(10, 2.4))])
    assert "**misses**" in capacity.target_verdict([*runs, (2, figures(10, 3.0, errors=1))])
    assert capacity.target_verdict(runs).startswith("not measured")


def test_the_report_has_a_row_per_run_and_the_load_of_the_machine():
    runs = [(1, figures(10, 2.0)), (2, figures(10, 3.0))]
    text = capacity.report(runs, "python -m benchmarks.capacity --x", 20, ((1, 2, 3), (4, 5, 6)))
    assert text.startswith(capacity.MARKERS[0]) and text.endswith(capacity.MARKERS[1])
    assert "`.venv/bin/python -m benchmarks.capacity --x`" in text
    assert "| 10 | 2 | 100 ms | 200 ms | 3.00 | 1.50× | 0 | 10 | 10% |" in text
    assert "1.0, 2.0, 3.0 at the start, 4.0, 5.0, 6.0 at the end" in text
