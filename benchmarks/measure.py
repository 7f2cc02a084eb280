"""What every part of the benchmark shares: the paths and limits of a run, the paired timing that
makes each figure a ratio against its baseline, a process's memory, and the JSON files results
are kept in.

Imports nothing of the app or the tests, so that a worker in a snapshot of the code can use it.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import platform
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "benchmarks"
DASHBOARD = ROOT / "dashboard.py"
BASELINE = BENCH_DIR / "baseline_app.py"
BIG_BYTES = 2_000_000_000  # the benchmarks' own limit: far above any size they generate


def median(values: list[float]) -> float | None:
    """The median, or None for no values (a figure that was not measured)."""
    return statistics.median(values) if values else None


def rss_mb(pid: int | str = "self") -> dict[str, float]:
    """VmRSS and VmHWM (peak) of a process in MB, from /proc (psutil is not installed)."""
    found: dict[str, float] = {}
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return found
    for key in ("VmRSS", "VmHWM"):
        match = re.search(rf"^{key}:\s+(\d+) kB", text, re.M)
        if match:
            found[key] = int(match.group(1)) / 1024
    return found


def paired(
    baseline: Callable[[], object],
    subject: Callable[[], object],
    *,
    repeats: int,
    budget: float,
    min_time: float = 2.0,
    max_repeats: int = 25,
) -> dict[str, Any]:
    """Time `baseline` and `subject` back to back, alternating which goes first.

    At least `repeats` pairs (one if the budget runs out first); fast pairs are repeated until
    `min_time` has passed, up to `max_repeats`, so that tiny timings are not one sample.
    """
    base_times: list[float] = []
    subject_times: list[float] = []
    started = time.perf_counter()
    for i in range(max_repeats):
        order = [(baseline, base_times), (subject, subject_times)]
        for fn, bucket in order if i % 2 == 0 else reversed(order):
            gc.collect()
            t0 = time.perf_counter()
            fn()
            bucket.append(time.perf_counter() - t0)
        elapsed = time.perf_counter() - started
        if elapsed >= budget or (i + 1 >= repeats and elapsed >= min_time):
            break
    ratios = [s / b for s, b in zip(subject_times, base_times, strict=True) if b > 0]
    return {
        "base": base_times,
        "subject": subject_times,
        "ratio": median(ratios),
        "budget_hit": time.perf_counter() - started >= budget and len(base_times) < repeats,
    }


def dataset_variables(dataset: Path, cache_dir: Path | None = None) -> dict[str, str]:
    """The environment that points a worker or a server at `dataset`, past the app's size limit.

    With no `cache_dir` the parsed cache (positions.cache) is off, so that a figure of a first
    load is one whatever earlier runs left on disk; given one, the app keeps its cache there."""
    return {
        "POSITIONS_DATA": str(dataset),
        "POSITIONS_MAX_BYTES": str(BIG_BYTES),
        "POSITIONS_CACHE_DIR": str(cache_dir) if cache_dir is not None else "off",
    }


def read_json(path: Path) -> dict[str, Any] | None:
    """The JSON object in `path`, or None when it is missing or unreadable (a worker died)."""
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def save_json(result: dict[str, Any], path: Path) -> None:
    """Write `result` to `path` in one step, so that a reader never sees half a file."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(result, default=str))
    tmp.replace(path)


def log(message: str) -> None:
    """A progress line with the time, flushed at once: a long run is watched as it goes."""
    print(f"[{dt.datetime.now():%H:%M:%S}] {message}", flush=True)


def cpu_name() -> str:
    """The machine's CPU model and how many of it, for a report's header."""
    try:
        info = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return platform.processor() or "unknown CPU"
    models = [line.split(":", 1)[1].strip() for line in info.splitlines() if "model name" in line]
    return f"{models[0]} × {len(models)}" if models else "unknown CPU"
