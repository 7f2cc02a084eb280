"""Handing the memory a large load freed back to the system."""

from __future__ import annotations

import contextlib
import ctypes
import gc


def release_freed_memory() -> None:
    """Hand the memory the loader freed back to the system.

    Parsing a large file leaves hundreds of MB of freed Python objects that glibc keeps for
    reuse; the server would report (and Community Cloud count) them for as long as it runs.
    """
    gc.collect()
    # Not glibc (macOS, Windows, musl): nothing to hand back this way.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
