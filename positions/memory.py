"""Handing the memory a large load freed back to the system."""

from __future__ import annotations

import contextlib
import ctypes
import gc

import pyarrow


def release_freed_memory() -> None:
    """Hand the memory the loader freed back to the system.

    Parsing a large file leaves hundreds of MB of freed Python objects that glibc keeps for
    reuse; the server would report (and Community Cloud count) them for as long as it runs.
    """
    gc.collect()
    # pandas keeps strings in Arrow buffers, whose allocator (mimalloc or jemalloc) holds on to
    # freed pages of its own until asked.
    pyarrow.default_memory_pool().release_unused()
    # Not glibc (macOS, Windows, musl): nothing to hand back this way.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
