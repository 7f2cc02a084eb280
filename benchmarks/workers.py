"""The in-process figures, each measured in a worker subprocess of its own: (a) loading a
dataset against PyYAML's C loader, (b) one rerun of every page against the baseline app, and
the peak and retained memory of loading a dataset as the server does and of the C loader alone.

The parent calls `run_worker`, which runs `python -m benchmarks.run --worker NAME` (these
workers, or the profile worker of benchmarks.profiles) with a hard timeout. A worker writes its
result to a JSON file as it goes, so one that is stopped still leaves what it measured. Workers
run from a snapshot of the code, which has no tests/ folder.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import page_registry
from benchmarks.measure import (
    BASELINE,
    BIG_BYTES,
    DASHBOARD,
    ROOT,
    dataset_variables,
    paired,
    read_json,
    rss_mb,
    save_json,
)


def page_names() -> list[str]:
    """The public dashboard's pages in menu order, from the page registry."""
    return [entry.key for entry in page_registry.pages()]


def run_worker(
    name: str,
    dataset: Path,
    options: dict[str, Any],
    timeout: float,
    log_dir: Path,
    code_root: Path = ROOT,
) -> dict[str, Any]:
    """Run `--worker name` in a subprocess and return its JSON result (or the error)."""
    result_file = log_dir / f"worker-{name}-{dataset.stem}.json"
    log_file = log_dir / f"worker-{name}-{dataset.stem}.log"
    result_file.unlink(missing_ok=True)
    env = {**os.environ, **dataset_variables(dataset), "PYTHONUNBUFFERED": "1"}
    command = [
        sys.executable,
        "-m",
        "benchmarks.run",
        "--worker",
        name,
        "--dataset",
        str(dataset),
        "--worker-options",
        json.dumps(options),
        "--worker-result",
        str(result_file),
    ]
    started = time.perf_counter()
    with log_file.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=code_root, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            partial = read_json(result_file) or {}
            partial["error"] = f"stopped after the {timeout:.0f} s bound"
            return partial
    result = read_json(result_file)
    if result is None:
        tail = log_file.read_text(errors="replace").splitlines()[-5:]
        return {"error": f"worker exited with {process.returncode}: {' / '.join(tail)}"}
    result["wall"] = time.perf_counter() - started
    return result


def worker_bench(dataset: Path, options: dict[str, Any], result_path: Path) -> None:
    """(a) load + validate against the C loader, then (b) every page against the baseline."""
    import yaml

    from positions import load_dataset

    result: dict[str, Any] = {}
    min_time = options["min_time"]

    def floor() -> object:
        return yaml.load(dataset.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)

    def subject() -> object:
        return load_dataset(dataset, max_bytes=BIG_BYTES)

    result["load"] = paired(
        floor,
        subject,
        repeats=options["repeats"],
        budget=options["budget"],
        min_time=min_time,
    )
    save_json(result, result_path)
    if options.get("skip_pages"):
        return

    from streamlit.testing.v1 import AppTest

    page_timeout = options["page_timeout"]
    app = AppTest.from_file(str(DASHBOARD), default_timeout=page_timeout)
    base = AppTest.from_file(str(BASELINE), default_timeout=page_timeout)
    pages: dict[str, Any] = {}
    result["pages"] = pages
    t0 = time.perf_counter()
    base.run()
    result["base_cold"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    app.run()
    result["app_cold"] = time.perf_counter() - t0
    problems = [str(e.value) for e in app.exception] + [str(e.value) for e in base.exception]
    if problems:
        result["error"] = "; ".join(problems)[:500]
        save_json(result, result_path)
        return
    names = options.get("pages") or page_names()
    per_page = options["budget"] / max(1, len(names))
    for name in names:
        entry: dict[str, Any] = {}
        pages[name] = entry
        try:
            app.switch_page(f"app_pages/{name}.py")
            t0 = time.perf_counter()
            app.run()  # warm: the page's first run in this session
            entry["first"] = time.perf_counter() - t0
            if app.exception:
                entry["error"] = "; ".join(str(e.value) for e in app.exception)[:300]
                continue
            entry.update(
                paired(
                    base.run,
                    app.run,
                    repeats=options["repeats"],
                    budget=per_page,
                    min_time=min_time,
                )
            )
            entry["elements"] = sum(1 for _ in _walk(app))
            if app.exception:
                entry["error"] = "; ".join(str(e.value) for e in app.exception)[:300]
        except RuntimeError as exc:  # AppTest's timeout
            entry["error"] = str(exc)[:300]
        save_json(result, result_path)
    save_json(result, result_path)


def _walk(at: Any) -> Iterator[Any]:
    stack = [at._tree]
    while stack:
        node = stack.pop()
        yield node
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            stack.extend(children.values())


def worker_memory(dataset: Path, options: dict[str, Any], result_path: Path) -> None:
    """Peak and retained memory of loading the dataset into frames, as the server does it,
    and what of the retained memory is the frames, freed pages, and scalar nodes the loader's
    module-level PyYAML constructor keeps (it caches every node it constructs)."""
    import ctypes

    import pandas as pd

    from positions import load as loader
    from positions import load_dataset
    from positions.frames import to_frames

    def trim() -> None:
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6").malloc_trim(0)

    before = rss_mb()
    t0 = time.perf_counter()
    frames = to_frames(load_dataset(dataset, max_bytes=BIG_BYTES))
    seconds = time.perf_counter() - t0
    gc.collect()
    after = rss_mb()
    tables = {
        name: float(getattr(frames, name).memory_usage(deep=True).sum()) / 2**20
        for name in ("positions", "sources", "actors", "topics", "sanctions", "events")
        if isinstance(getattr(frames, name), pd.DataFrame)
    }
    trim()
    trimmed = rss_mb()
    held = getattr(getattr(loader, "_constructor", None), "constructed_objects", None)
    held_nodes = len(held) if isinstance(held, dict) else None
    cleared: dict[str, float] = {}
    if held_nodes:
        held.clear()
        gc.collect()
        trim()
        cleared = rss_mb()
    save_json(
        {
            "rss_before": before.get("VmRSS"),
            "rss_after": after.get("VmRSS"),
            "peak": after.get("VmHWM"),
            "rss_after_trim": trimmed.get("VmRSS"),
            "held_nodes": held_nodes,
            "rss_after_clear": cleared.get("VmRSS"),
            "frames_mb": tables,
            "seconds": seconds,
        },
        result_path,
    )


def worker_floor_peak(dataset: Path, options: dict[str, Any], result_path: Path) -> None:
    """Peak memory of the floor: PyYAML's C loader on the same text."""
    import yaml

    before = rss_mb()
    document = yaml.load(dataset.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    gc.collect()
    after = rss_mb()
    del document
    save_json(
        {
            "rss_before": before.get("VmRSS"),
            "rss_after": after.get("VmRSS"),
            "peak": after.get("VmHWM"),
        },
        result_path,
    )
