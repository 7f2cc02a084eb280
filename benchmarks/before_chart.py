"""What a page sends before its chart: the profile behind figure c (time to chart in Chromium).

    .venv/bin/python -m benchmarks.before_chart benchmarks/out/positions-10k.yaml
    .venv/bin/python -m benchmarks.before_chart data/positions.yaml --repeats 5

The dashboard's /stances and the baseline app each run on their own `streamlit run` (as for
figure c), and a client speaking Streamlit's protocol (as `benchmarks.capacity` does) opens each
page afresh `--repeats` times, alternating. For each it prints the elements drawn before the
first chart, the messages and bytes the browser must receive up to and including the chart,
and the server's time from the request to the chart's message (median): what the browser waits
for before it can start drawing. What it then spends drawing is the rest of figure c.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

from benchmarks.serving import start_servers, stop_servers

CHARTS = ("arrow_vega_lite_chart", "vega_lite_chart")
PAGES = {"app": "stances", "base": ""}  # the page each server opens, as in figure c


@dataclass(frozen=True)
class Opened:
    """One page opened: what came before its first chart, and in all."""

    elements: tuple[str, ...]  # the elements drawn before the chart, the chart last
    messages: int  # messages up to and including the chart's
    bytes: int  # their size
    seconds: float  # from the request to the chart's message
    total_bytes: int  # everything the run sent


async def open_page(ws_url: str, page: str) -> Opened:
    """Open `page` on a new session and read until the script finishes."""
    async with connect(ws_url, subprotocols=["streamlit"], max_size=None) as ws:  # type: ignore[list-item]
        message = BackMsg()
        message.rerun_script.CopyFrom(ClientState(query_string="", page_name=page))
        started = time.perf_counter()
        await ws.send(message.SerializeToString())
        elements: list[str] = []
        count = size = 0
        chart: Opened | None = None
        while True:
            raw = await ws.recv()
            forward = ForwardMsg()
            forward.ParseFromString(raw)
            count += 1
            size += len(raw)
            kind = forward.WhichOneof("type")
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                elements.append(str(forward.delta.new_element.WhichOneof("type")))
                if chart is None and elements[-1] in CHARTS:
                    seconds = time.perf_counter() - started
                    chart = Opened(tuple(elements), count, size, seconds, 0)
            if kind == "script_finished":
                if chart is None:
                    raise RuntimeError(f"/{page} drew no chart: {elements}")
                return Opened(chart.elements, chart.messages, chart.bytes, chart.seconds, size)


def measure(dataset: Path, repeats: int) -> dict[str, list[Opened]]:
    """Each server's page opened `repeats` times (after one warm-up), alternating."""
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        servers = start_servers(dataset, folder, 300.0, cache_dir=folder / "cache")
        try:
            urls = {
                name: s.url.replace("http", "ws", 1) + "/_stcore/stream"
                for name, s in servers.items()
            }
            opened: dict[str, list[Opened]] = {name: [] for name in servers}
            for round_ in range(repeats + 1):
                for name in servers:
                    result = asyncio.run(open_page(urls[name], PAGES[name]))
                    if round_:  # the first round loads the data
                        opened[name].append(result)
            return opened
        finally:
            stop_servers(servers)


def report(opened: dict[str, list[Opened]]) -> list[str]:
    """A line for each app, then the ratio of bytes before the chart."""
    lines = []
    names = {"app": "dashboard /stances", "base": "baseline"}
    for name, runs in opened.items():
        first = runs[0]
        seconds = statistics.median(run.seconds for run in runs)
        lines.append(
            f"{names[name]}: chart after {len(first.elements) - 1} other elements "
            f"({', '.join(first.elements[:-1]) or 'none'}); {first.messages} messages, "
            f"{first.bytes:,} bytes up to and including the chart (of {first.total_bytes:,}); "
            f"server time to the chart {seconds * 1000:.0f} ms (median of {len(runs)})"
        )
    app, base = opened["app"][0], opened["base"][0]
    lines.append(f"bytes before the chart, dashboard / baseline: {app.bytes / base.bytes:.2f}x")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.before_chart", description=__doc__)
    parser.add_argument("dataset", type=Path, help="the dataset file both servers read")
    parser.add_argument("--repeats", type=int, default=9, help="opens of each page (default 9)")
    args = parser.parse_args(argv)
    for line in report(measure(args.dataset, args.repeats)):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
