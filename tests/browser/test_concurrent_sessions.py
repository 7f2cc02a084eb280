"""A small load: several sessions at once through filtered pages, with no error.

The full load (20 sessions, every page) is `python -m benchmarks.load`; its timings go into
BENCHMARKS.md. Here only correctness under concurrency is asserted, never a time.
"""

from __future__ import annotations

import asyncio

from helpers import StreamlitServer

from benchmarks.load import measure

VISITS = [
    "/stances?actor=united-states&topic=ns2-ag-sanctions-waiver",
    "/timeline?topic=nord-stream-2",
    "/sanctions?topic=nord-stream-2",
]


def test_concurrent_sessions_draw_every_page_without_error(
    streamlit_server: StreamlitServer,
) -> None:
    alone, together = asyncio.run(measure(streamlit_server.url, sessions=4, visits=VISITS))
    assert alone.errors == []
    assert [s.errors for s in together] == [[], [], [], []]
    assert [s.off_loopback for s in together] == [[], [], [], []]
    assert all(len(s.seconds) == len(VISITS) for s in together)
