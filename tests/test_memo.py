"""Results kept with what they were computed from: reused for the same key, bounded, gone with
their owner, and never a deadlock when the garbage collector frees an owner mid-call."""

from __future__ import annotations

import gc
import threading

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from positions.memo import Memo, approx_bytes
from tests.conftest import ROOT


class Owner:
    """Something results are computed from (the frames, a view model)."""


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
    assert list(memo._kept[id(owner)]) == ["a", "c"]


def test_results_are_bounded_in_bytes_and_one_too_big_is_not_kept() -> None:
    table = pd.DataFrame({"x": range(1000)})  # 8,000 bytes of values, 132 with the index
    size = approx_bytes(table)
    assert size == int(table.memory_usage(index=True, deep=False).sum())
    memo, owner = Memo(max_bytes=size * 2), Owner()
    memo.remember(owner, "a", lambda: table)
    memo.remember(owner, "b", lambda: table.copy())
    memo.remember(owner, "c", lambda: table.copy())
    assert list(memo._kept[id(owner)]) == ["b", "c"]
    big = pd.DataFrame({"x": range(3000)})
    assert memo.remember(owner, "big", lambda: big) is big
    assert "big" not in memo._kept[id(owner)]


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
    items = ["x" * 100] * 10_000
    assert approx_bytes(items) == pytest.approx(
        len(items) * approx_bytes("x" * 100) + approx_bytes([]), rel=0.1
    )


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
