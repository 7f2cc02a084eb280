"""Results kept with what they were computed from: reused for the same key, bounded, gone with
their owner, and never a deadlock when the garbage collector frees an owner mid-call."""

from __future__ import annotations

import dataclasses
import gc
import sys
import threading

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from positions.memo import Memo, approx_bytes, buffer_addresses
from tests.conftest import ROOT


class Owner:
    """Something results are computed from (the frames, a view model)."""


def still_clock() -> float:
    """A clock that never moves: every result took no time, so eviction is by recency alone."""
    return 0.0


class Clock:
    """A clock that moves only when told: a result takes as long as its `make` says."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def taking(self, seconds: float, result: object) -> object:
        self.now += seconds
        return result


def test_the_same_key_gives_the_same_result_without_computing_again() -> None:
    memo, owner, calls = Memo(), Owner(), []

    def make() -> list[int]:
        calls.append(1)
        return [len(calls)]

    first = memo.remember(owner, ("view", "a"), make)
    assert memo.remember(owner, ("view", "a"), make) is first
    assert memo.remember(owner, ("view", "b"), make) == [2]
    assert memo.remember(Owner(), ("view", "a"), make) == [3]  # another owner: its own results
    assert len(calls) == 3


class Asked:
    """Two threads asking for one key: the first's make() holds until the second waits on it."""

    def __init__(self, memo: Memo, owner: Owner, *, fails: bool = False) -> None:
        self.memo, self.owner, self.fails = memo, owner, fails
        self.calls: list[str] = []
        self.results: dict[str, object] = {}
        self.started, self.go, self.waiting = (
            threading.Event(),
            threading.Event(),
            threading.Event(),
        )

    def make(self) -> list[str]:
        name = threading.current_thread().name
        self.calls.append(name)
        if name == "first":
            self.started.set()
            assert self.go.wait(30)
            if self.fails:
                raise RuntimeError("failed while the other waited")
        return [name]

    def ask(self) -> None:
        try:
            self.results[threading.current_thread().name] = self.memo.remember(
                self.owner, "page", self.make
            )
        except RuntimeError as exc:
            self.results[threading.current_thread().name] = exc

    def run(self) -> None:
        first = threading.Thread(target=self.ask, name="first")
        first.start()
        assert self.started.wait(30)
        (flight,) = self.memo._running.values()
        waiting = self.waiting

        class Watched(threading.Event):
            def wait(self, timeout: float | None = None) -> bool:
                waiting.set()
                return super().wait(timeout)

        flight.done = Watched()
        second = threading.Thread(target=self.ask, name="second")
        second.start()
        assert self.waiting.wait(30)  # the second is waiting for the first's result
        self.go.set()
        first.join(30)
        second.join(30)


def test_sessions_asking_at_once_share_one_computation() -> None:
    asked = Asked(Memo(), Owner())
    asked.run()
    assert asked.calls == ["first"]
    assert asked.results["second"] is asked.results["first"]
    assert asked.results["first"] == ["first"]
    assert asked.memo._running == {}
    assert asked.memo.kept(asked.owner) == 1


def test_a_computation_that_fails_leaves_the_waiting_session_to_compute_its_own() -> None:
    asked = Asked(Memo(), Owner(), fails=True)
    asked.run()
    assert asked.calls == ["first", "second"]
    assert isinstance(asked.results["first"], RuntimeError)
    assert asked.results["second"] == ["second"]
    assert asked.memo._running == {}


def test_a_key_asked_again_inside_its_own_computation_is_computed_not_waited_for() -> None:
    memo, owner = Memo(), Owner()

    def outer() -> str:
        return "outer of " + memo.remember(owner, "k", lambda: "inner")

    assert memo.remember(owner, "k", outer) == "outer of inner"
    assert memo._running == {}


def test_results_go_with_their_owner() -> None:
    memo, owner = Memo(), Owner()
    memo.remember(owner, "k", lambda: "result")
    assert memo.kept(owner) == 1
    del owner
    gc.collect()
    assert memo._kept == {}


def test_the_least_recently_used_go_first_past_the_count() -> None:
    memo, owner = Memo(max_entries=2), Owner()
    memo.remember(owner, "a", lambda: "A")
    memo.remember(owner, "b", lambda: "B")
    memo.remember(owner, "a", lambda: "not computed again")  # a is now the most recent
    memo.remember(owner, "c", lambda: "C")
    assert list(memo._kept[id(owner)].results) == ["a", "c"]


def test_results_are_bounded_in_bytes_and_one_too_big_is_not_kept() -> None:
    table = pd.DataFrame({"x": range(1000)})  # 8,000 bytes of values
    size = approx_bytes(table)
    assert size == 8000 + 1000  # its values, and the table's own objects
    memo, owner = Memo(max_bytes=size * 2, clock=still_clock), Owner()
    memo.remember(owner, "a", lambda: table)
    memo.remember(owner, "b", lambda: table.copy())
    memo.remember(owner, "c", lambda: table.copy())
    assert list(memo._kept[id(owner)].results) == ["b", "c"]
    big = pd.DataFrame({"x": range(3000)})
    assert memo.remember(owner, "big", lambda: big) is big
    assert "big" not in memo._kept[id(owner)].results


def test_a_buffer_is_counted_once_and_not_at_all_when_the_owner_holds_it() -> None:
    table = pd.DataFrame({"x": range(1000), "y": ["some text"] * 1000})
    alone = approx_bytes(table)
    # Two tables over the same buffers (a column selection, a reset index) cost one.
    both = (table, table[["x", "y"]], table.reset_index(drop=True))
    assert approx_bytes(both) < alone + 2 * 1000 + 100  # two more tables' own objects
    # A view keeps its whole base alive: it costs the base.
    base = np.arange(1000, dtype="int64")
    assert approx_bytes(pd.Series(base[:10], copy=False)) >= 8000
    # What the owner holds anyway costs nothing more.
    assert approx_bytes(table, buffer_addresses(table)) == 1000  # the table's own objects


def test_results_sharing_buffers_cost_them_once_and_the_budget_grows_with_the_owner() -> None:
    view = pd.DataFrame({"x": range(1000)})  # 9,000 bytes with its own objects
    page = {"cells": view[["x"]], "title": "t"}  # made from the view: the same buffer
    memo, owner = Memo(max_bytes=12_000, clock=still_clock), Owner()
    memo.remember(owner, "view", lambda: view)
    memo.remember(owner, "page", lambda: page)
    assert list(memo._kept[id(owner)].results) == ["view", "page"]  # 2 x 9,000 would not fit

    @dataclasses.dataclass
    class Frames:  # an owner holding about 40,000 bytes of its own: the budget is half that
        table: pd.DataFrame

    frames = Frames(pd.DataFrame({"x": range(5000)}))
    memo = Memo(max_bytes=1_000, clock=still_clock)
    memo.remember(frames, "a", lambda: pd.DataFrame({"x": range(1500)}))  # 13,000 bytes
    memo.remember(frames, "b", lambda: pd.DataFrame({"x": range(600)}))  # 5,800 bytes
    assert list(memo._kept[id(frames)].results) == ["a", "b"]
    memo.remember(frames, "c", lambda: pd.DataFrame({"x": range(1500)}))
    assert list(memo._kept[id(frames)].results) == ["b", "c"]


def test_what_saves_the_least_computing_per_byte_goes_first() -> None:
    clock = Clock()
    view = pd.DataFrame({"x": range(1000)})  # 9,000 bytes, made in 10 ms
    page = pd.DataFrame({"y": range(1000)})  # 9,000 bytes of its own, made in 1 s
    memo, owner = Memo(max_bytes=12_000, clock=clock), Owner()
    memo.remember(owner, "page", lambda: clock.taking(1.0, page))
    memo.remember(owner, "view", lambda: clock.taking(0.01, view))
    # Both do not fit: the view, newer but cheap to make again, is not kept; the page stays.
    assert list(memo._kept[id(owner)].results) == ["page"]
    assert memo.remember(owner, "page", lambda: "not computed again") is page


def test_an_owner_that_cannot_be_watched_keeps_nothing() -> None:
    memo, owner = Memo(), {"a dict": "cannot be weakly referenced"}
    assert memo.remember(owner, "k", lambda: 1) == 1
    assert memo.kept(owner) == 0


def test_an_owner_freed_while_the_memo_is_busy_does_not_deadlock() -> None:
    # The collector frees owners at any allocation, in whatever thread is running: also inside
    # `remember` while it holds its lock. Freeing one must not wait for that lock.
    memo, owner = Memo(), Owner()
    memo.remember(owner, "k", lambda: 1)

    def free_while_locked() -> None:
        nonlocal owner
        with memo._lock:
            owner = None
            gc.collect()

    thread = threading.Thread(target=free_while_locked, daemon=True)
    thread.start()
    thread.join(timeout=10)
    assert not thread.is_alive(), "freeing an owner waited for the memo's own lock"
    assert memo._kept == {}


def test_a_long_list_is_weighed_by_a_sample() -> None:
    items = [f"{i:0100d}" for i in range(10_000)]  # distinct texts of 100 characters
    assert approx_bytes(items) == pytest.approx(
        len(items) * sys.getsizeof(items[0]) + sys.getsizeof(items), rel=0.1
    )
    assert approx_bytes([items[0]] * 10_000) < approx_bytes(items) / 10  # one text, many times


def test_a_rerun_with_the_same_filters_does_not_build_the_page_again(monkeypatch) -> None:
    import positions.views.stances as stances_view

    calls = []
    original = stances_view.build_stances

    def counted(*args):
        calls.append(args[2])
        return original(*args)

    monkeypatch.setattr(stances_view, "build_stances", counted)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page("app_pages/stances.py")
    at.run()
    at.run()
    assert len(calls) == 1
    at.multiselect(key="actor").select("russia").run()
    assert len(calls) == 2
    assert not at.exception
