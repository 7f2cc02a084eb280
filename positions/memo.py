"""What a rerun would compute again from the same inputs, kept with what it was computed from.

A Streamlit page runs from the top on every click; most reruns ask for the same filtered view,
the same page view and the same chart as the run before. `remember(owner, key, make)` keeps
`make()`'s result with `owner` (the loaded frames, a view model, a chart): it lives as long as
the owner does, so an edited file or a dropped upload takes its results with it, and nothing
computed from one dataset is ever served for another. Each owner keeps a bounded number of
results and a bounded number of bytes, the least recently used going first: at 300,000
positions a filtered view is a copy of most of the positions table, and a reader's memory
matters more than a rerun's milliseconds.

Results must be treated as read-only, as the frames already are: every function that narrows
or annotates a frame returns a new one.
"""

from __future__ import annotations

import dataclasses
import sys
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import pandas as pd

T = TypeVar("T")

MAX_ENTRIES = 48  # results kept per owner
MAX_BYTES = 48_000_000  # and their size, all together, per owner


class Memo:
    """Results kept per owner, for as long as the owner lives."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        # id(owner) -> key -> (result, its size); an owner's entry goes when the owner does.
        self._kept: dict[int, OrderedDict[Hashable, tuple[Any, int]]] = {}

    def remember(self, owner: object, key: Hashable, make: Callable[[], T]) -> T:
        """`make()`, or the result it gave last time for this owner and key."""
        ident = id(owner)
        with self._lock:
            entries = self._kept.get(ident)
            if entries is not None and key in entries:
                entries.move_to_end(key)
                return entries[key][0]
        # Computed outside the lock: two sessions asking at once both compute, neither waits.
        result = make()
        size = approx_bytes(result)
        if size > self.max_bytes:
            return result  # too big to keep: the next rerun computes it again
        with self._lock:
            entries = self._kept.get(ident)
            if entries is None:
                try:
                    weakref.finalize(owner, self._forget, ident)
                except TypeError:  # an owner that cannot say when it is gone keeps nothing
                    return result
                entries = self._kept[ident] = OrderedDict()
            entries[key] = (result, size)
            total = sum(kept_size for _, kept_size in entries.values())
            while len(entries) > self.max_entries or total > self.max_bytes:
                _, (_, dropped) = entries.popitem(last=False)
                total -= dropped
        return result

    def kept(self, owner: object) -> int:
        """How many results are kept for `owner` (for tests)."""
        with self._lock:
            return len(self._kept.get(id(owner), ()))

    def _forget(self, ident: int) -> None:
        # No lock: this runs when the garbage collector frees an owner, which can happen in
        # any thread at any allocation, including inside `remember` while it holds the lock.
        # A single dict.pop is atomic under the GIL.
        self._kept.pop(ident, None)


def approx_bytes(value: object, depth: int = 4) -> int:
    """About how much memory `value` holds: its tables' own buffers, its texts and containers,
    a few levels deep (the tables dominate, and their buffers are counted exactly)."""
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(index=True, deep=False).sum())
    if isinstance(value, pd.Series):
        return int(value.memory_usage(index=True, deep=False))
    if isinstance(value, str | bytes):
        return sys.getsizeof(value)
    if depth == 0:
        return sys.getsizeof(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        parts: Any = (getattr(value, f.name) for f in dataclasses.fields(value))
    elif isinstance(value, dict):
        parts = (part for pair in value.items() for part in pair)
    elif isinstance(value, list | tuple | set | frozenset):
        items = list(value) if isinstance(value, set | frozenset) else value
        if len(items) > _SAMPLE:  # a long list of like items: weigh a sample, scale it up
            sample = sum(approx_bytes(item, depth - 1) for item in items[:_SAMPLE])
            return sys.getsizeof(value) + sample * len(items) // _SAMPLE
        parts = iter(items)
    else:
        return sys.getsizeof(value)
    return sys.getsizeof(value) + sum(approx_bytes(part, depth - 1) for part in parts)


_SAMPLE = 200


_MEMO = Memo()


def remember(owner: object, key: Hashable, make: Callable[[], T]) -> T:
    """`make()`, kept with `owner` for the next call with the same key (see the module)."""
    return _MEMO.remember(owner, key, make)
