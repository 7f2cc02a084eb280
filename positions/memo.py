"""What a rerun would compute again from the same inputs, kept with what it was computed from.

A Streamlit page runs from the top on every click; most reruns ask for the same filtered view,
the same page view and the same chart as the run before. `remember(owner, key, make)` keeps
`make()`'s result with `owner` (the loaded frames, a view model, a chart): it lives as long as
the owner does, so an edited file or a dropped upload takes its results with it, and nothing
computed from one dataset is ever served for another. Each owner keeps a bounded number of
results and a bounded number of bytes, the least recently used going first. The bytes are what
keeping the results costs beyond the owner: a table's buffers that the owner holds anyway (an
unfiltered view of the frames) cost nothing, and a buffer several results share (a filtered view
and the page views made from it) is counted once. The budget grows with the dataset (half the
owner's own size); page views hold no copy of the records they were made from (the page passes
the filtered view to what needs them), so they stay small enough to keep even at 300,000
positions, where a filtered view itself is too big to keep and is made again on each rerun.

Sessions that ask for the same result at once share one computation: the first computes, the
others wait for it. Twenty readers opening a page of a large dataset together would otherwise
each build the same views side by side, holding twenty times the memory while they do.

Results must be treated as read-only, as the frames already are: every function that narrows
or annotates a frame returns a new one.
"""

from __future__ import annotations

import dataclasses
import sys
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import numpy as np
import pandas as pd

T = TypeVar("T")

MAX_ENTRIES = 48  # results kept per owner
MAX_BYTES = 48_000_000  # and their size, all together, per owner, or
OWNER_SHARE = 0.5  # this share of what the owner holds itself, when that is more


class Memo:
    """Results kept per owner, for as long as the owner lives."""

    def __init__(
        self,
        max_entries: int = MAX_ENTRIES,
        max_bytes: int = MAX_BYTES,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.clock = clock
        self._lock = threading.Lock()
        # id(owner) -> what is kept for it; an owner's entry goes when the owner does.
        self._kept: dict[int, _Kept] = {}
        # (id(owner), key) -> the computation under way, for the sessions that ask meanwhile.
        self._running: dict[tuple[int, Hashable], _Flight] = {}

    def remember(self, owner: object, key: Hashable, make: Callable[[], T]) -> T:
        """`make()`, or the result it gave last time for this owner and key, or the one
        another thread is computing for them now."""
        kept = self._kept_for(owner)
        if kept is None:  # an owner that cannot say when it is gone keeps nothing
            return make()
        slot, me = (id(owner), key), threading.get_ident()
        mine = None  # the computation this call makes for the others asking meanwhile
        with self._lock:
            if key in kept.results:
                kept.results.move_to_end(key)
                return kept.results[key][0]
            running = self._running.get(slot)
            if running is None:
                running = mine = self._running[slot] = _Flight(me)
        if running.thread != me:
            # The lock is not held while waiting: the thread computing it may need other results.
            running.done.wait()
            return running.result if running.finished else make()  # it failed there: try here
        # Computed here: for those waiting (mine), or asked again inside its own make() (not
        # waited on, which would wait for itself).
        try:
            result = self._compute(kept, key, make)
            if mine is not None:
                mine.result, mine.finished = result, True
            return result
        finally:
            if mine is not None:
                with self._lock:
                    self._running.pop(slot, None)
                mine.done.set()

    def _compute(self, kept: _Kept, key: Hashable, make: Callable[[], T]) -> T:
        started = self.clock()
        result = make()
        weight = _weigh(result, kept.owned, self.clock() - started)
        budget = max(self.max_bytes, int(OWNER_SHARE * kept.owner_bytes))
        if weight.bytes > budget:
            return result  # too big to keep: the next rerun computes it again
        with self._lock:
            kept.results[key] = (result, weight)
            while len(kept.results) > self.max_entries:
                kept.results.popitem(last=False)
            if kept.cost() > budget:
                kept.make_room(budget)
        return result

    def kept(self, owner: object) -> int:
        """How many results are kept for `owner` (for tests)."""
        with self._lock:
            kept = self._kept.get(id(owner))
            return len(kept.results) if kept else 0

    def _kept_for(self, owner: object) -> _Kept | None:
        ident = id(owner)
        kept = self._kept.get(ident)
        if kept is not None:
            return kept
        try:
            weakref.finalize(owner, self._forget, ident)
        except TypeError:
            return None
        # What the owner holds anyway (a dataset's frames): a result that shares it (a view
        # with no filter, the texts) costs nothing more for it.
        own = _weigh(owner, frozenset())
        kept = _Kept(OrderedDict(), frozenset(own.buffers), own.bytes)
        return self._kept.setdefault(ident, kept)

    def _forget(self, ident: int) -> None:
        # No lock: this runs when the garbage collector frees an owner, which can happen in
        # any thread at any allocation, including inside `remember` while it holds the lock.
        # A single dict.pop is atomic under the GIL.
        self._kept.pop(ident, None)


@dataclasses.dataclass
class _Flight:
    """A result being computed by one thread, which the others asking for it wait on."""

    thread: int  # the thread computing it
    done: threading.Event = dataclasses.field(default_factory=threading.Event)
    finished: bool = False  # it was computed (else make() raised, and a waiter tries itself)
    result: Any = None


@dataclasses.dataclass(frozen=True)
class _Weight:
    objects: int  # the bytes of its own Python objects
    buffers: dict[int, int]  # its tables' buffers not held by the owner: address -> size
    seconds: float = 0.0  # how long it took to compute

    @property
    def bytes(self) -> int:
        return self.objects + sum(self.buffers.values())

    @property
    def worth(self) -> float:
        """Seconds of computing saved per byte kept."""
        return self.seconds / max(self.bytes, 1)


@dataclasses.dataclass
class _Kept:
    results: OrderedDict[Hashable, tuple[Any, _Weight]]  # key -> (result, its weight)
    owned: frozenset[int]  # the addresses of the buffers the owner holds itself
    owner_bytes: int  # and their size

    def cost(self) -> int:
        """What the kept results hold beyond the owner, a buffer shared by several (a view and
        the page views made from it) counted once."""
        buffers: dict[int, int] = {}
        objects = 0
        for _, weight in self.results.values():
            buffers.update(weight.buffers)
            objects += weight.objects
        return objects + sum(buffers.values())

    def make_room(self, budget: int) -> None:
        """Drop results until the rest fit `budget`: those that save the least computing per
        byte first, the least recently used among equals. A large filtered view that takes
        milliseconds to make goes before a page view that took a second, so that the two do
        not push each other out on every rerun."""
        recency = {key: i for i, key in enumerate(self.results)}
        for key in sorted(self.results, key=lambda k: (self.results[k][1].worth, recency[k])):
            if self.cost() <= budget:
                break
            del self.results[key]


def approx_bytes(value: object, shared: frozenset[int] = frozenset()) -> int:
    """About how much memory keeping `value` holds on to: the buffers of its tables (each counted
    once, however many tables share it, and a view as the whole array it keeps alive), and its
    texts and containers a few levels deep. Buffers whose address is in `shared` are held by
    the owner anyway and are not counted (see `buffer_addresses`)."""
    return _weigh(value, shared).bytes


def _weigh(value: object, shared: frozenset[int], seconds: float = 0.0) -> _Weight:
    weigher = _Weigher()
    objects = weigher.walk(value, 4)
    buffers = {a: size for a, size in weigher.buffers.items() if a not in shared}
    return _Weight(objects, buffers, seconds)


def buffer_addresses(value: object) -> frozenset[int]:
    """The addresses of the buffers behind `value`'s tables (a dataset's frames, say)."""
    weigher = _Weigher()
    weigher.walk(value, 4)
    return frozenset(weigher.buffers)


class _Weigher:
    """Walks a value, collecting its tables' buffers (address: size) and sizing the rest."""

    def __init__(self) -> None:
        self.buffers: dict[int, int] = {}
        self.seen: set[int] = set()

    def walk(self, value: object, depth: int) -> int:
        if id(value) in self.seen:
            return 0
        self.seen.add(id(value))
        # Not sys.getsizeof for tables: pandas answers with every value's size, shared or not.
        if isinstance(value, pd.DataFrame):
            for _, column in value.items():
                self._array(column.array)
            return _TABLE_OVERHEAD
        if isinstance(value, pd.Series):
            self._array(value.array)
            return _TABLE_OVERHEAD
        if isinstance(value, str | bytes) or depth == 0:
            return sys.getsizeof(value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            parts: list[Any] = [getattr(value, f.name) for f in dataclasses.fields(value)]
        elif isinstance(value, dict):
            parts = [part for pair in value.items() for part in pair]
        elif isinstance(value, list | tuple | set | frozenset):
            parts = list(value)
        else:
            return sys.getsizeof(value)
        size = sys.getsizeof(value)
        if len(parts) > _SAMPLE:  # a long list of like items: weigh a sample, scale it up
            sample = sum(self.walk(part, depth - 1) for part in parts[:_SAMPLE])
            return size + sample * len(parts) // _SAMPLE
        return size + sum(self.walk(part, depth - 1) for part in parts)

    def _array(self, array: Any) -> None:
        if hasattr(array, "__arrow_array__"):  # Arrow-backed: its buffers, slices included
            chunked = array.__arrow_array__()
            for chunk in getattr(chunked, "chunks", [chunked]):
                for buffer in chunk.buffers():
                    if buffer is not None:
                        self.buffers[buffer.address] = buffer.size
            return
        try:
            values = np.asarray(array)
        except (TypeError, ValueError):  # pragma: no cover - every pandas array converts
            self.buffers[id(array)] = int(getattr(array, "nbytes", 0))
            return
        root = values
        while isinstance(root.base, np.ndarray):  # a view keeps its whole base alive
            root = root.base
        self.buffers[root.__array_interface__["data"][0]] = root.nbytes
        if values.dtype == object and len(values):  # and the Python objects it points to
            sample = values[:_SAMPLE]
            each = sum(sys.getsizeof(item) for item in sample) / len(sample)
            self.buffers[id(values) ^ 1] = int(each * len(values))


_SAMPLE = 200
_TABLE_OVERHEAD = 1_000  # a table's own objects (index, block manager), beside its buffers


_MEMO = Memo()


def remember(owner: object, key: Hashable, make: Callable[[], T]) -> T:
    """`make()`, kept with `owner` for the next call with the same key (see the module)."""
    return _MEMO.remember(owner, key, make)
