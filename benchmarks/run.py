"""Side-by-side performance benchmarks of the dashboard; rewrites BENCHMARKS.md.

    .venv/bin/python -m benchmarks.run                      # 1x, 10k, 100k, 300k (long)
    .venv/bin/python -m benchmarks.run --quick              # 1x and a tiny dataset, < ~60 s
    .venv/bin/python -m benchmarks.run --sizes 1x,10k --output /tmp/B.md

The machine is shared and noisy, so every figure is a ratio against a baseline measured in the
same run, interleaved with the subject (baseline, subject, subject, baseline, …), as the median
of the per-repeat ratios:

a. `positions.load_dataset` against PyYAML's C loader parsing the same text with no model;
b. the server-side time of one rerun of every page (AppTest on dashboard.py, warm cache)
   against `benchmarks/baseline_app.py` (the same data, cached, and one Altair chart);
c. in Chromium, opening /stances until its chart is drawn, against the baseline app, each
   served by its own `streamlit run`;
d. the server's resident memory with 1 and with 20 sessions open (and against the baseline);
e. how each figure grows from 10k to 300k positions, with profiles of what dominates.

Timings of (a) and (b) run in worker subprocesses (`--worker ...`), one per size, with hard
timeouts; results are kept in benchmarks/out/results.json and BENCHMARKS.md is rewritten after
every size, so a long run that is stopped still leaves what it measured.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import hashlib
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import page_registry

ROOT = Path(__file__).resolve().parent.parent


BENCH_DIR = ROOT / "benchmarks"
DEFAULT_OUT_DIR = BENCH_DIR / "out"
DEFAULT_OUTPUT = ROOT / "BENCHMARKS.md"
DASHBOARD = ROOT / "dashboard.py"
BASELINE = BENCH_DIR / "baseline_app.py"
BIG_BYTES = 2_000_000_000  # the benchmarks' own limit: far above any size they generate


def browser_helpers() -> Any:
    """The test suite's browser helpers, so that the benchmarks start servers and browsers as
    the tests do. Imported when needed: the workers run from a snapshot without the tests."""
    for folder in (ROOT / "tests", ROOT / "tests" / "browser"):
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
    import helpers

    return helpers


CHART = "[data-testid='stVegaLiteChart'] svg, [data-testid='stVegaLiteChart'] canvas"
NOTES_START = "<!-- notes: kept when the benchmark rewrites this file -->"
NOTES_END = "<!-- end of notes -->"

# Named sizes; anything else is read by benchmarks.generate.parse_size ("50k", "2000").
SIZES = {"1x": "1x", "tiny": 1_000, "10k": 10_000, "100k": 100_000, "300k": 300_000}
FULL_SIZES = ["1x", "10k", "100k", "300k"]
QUICK_SIZES = ["1x", "tiny"]

TARGETS = {"load": 2.0, "page": 1.5, "browser": 1.3, "sessions": 1.5}
MEMORY_LIMIT_MB = 1024


# --- Small helpers ---------------------------------------------------------------------------


def median(values: list[float]) -> float | None:
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


def machine() -> dict[str, Any]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        match = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        cpu = match.group(1).strip() if match else platform.processor() or "unknown"
    ram = "unknown"
    with contextlib.suppress(OSError, AttributeError):
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        ram = f"{kb / 1024 / 1024:.1f} GiB"
    versions = {}
    for package in ("streamlit", "altair", "pandas", "numpy", "pyarrow", "pydantic", "PyYAML"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    with contextlib.suppress(metadata.PackageNotFoundError):
        versions["playwright"] = metadata.version("playwright")
    chromium = "not found"
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        chromium = subprocess.run(
            ["/usr/bin/chromium", "--version"], capture_output=True, text=True, timeout=20
        ).stdout.strip()
    commit = ""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
        commit += " (with uncommitted changes)" if dirty else ""
    import yaml

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)),
        "ram": ram,
        "os": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
        "yaml_c_loader": hasattr(yaml, "CSafeLoader"),
        "chromium": chromium,
        "commit": commit,
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "load_average": list(os.getloadavg()),
    }


def page_names() -> list[str]:
    """The dashboard's pages in menu order, from the page registry."""
    return [entry.key for entry in page_registry.PAGES]


# --- Datasets --------------------------------------------------------------------------------


def dataset_for(label: str, out_dir: Path) -> tuple[Path, int | str]:
    """The dataset file of a size label, generated once and reused while the generator is the
    same (a .meta.json next to it records what made it)."""
    from benchmarks.generate import DEFAULT_SEED, GENERATOR_VERSION, parse_size, write_dataset

    size = SIZES.get(label) or parse_size(label)
    path = out_dir / f"positions-{label}.yaml"
    meta_path = path.with_suffix(".meta.json")
    meta = {"positions": size, "seed": DEFAULT_SEED, "version": GENERATOR_VERSION}
    if size == "1x":
        from benchmarks.generate import BUNDLED

        meta["bundled_mtime_ns"] = BUNDLED.stat().st_mtime_ns
    try:
        if path.exists() and json.loads(meta_path.read_text()) == meta:
            return path, size
    except (OSError, ValueError):
        pass
    write_dataset(size, path)
    meta_path.write_text(json.dumps(meta))
    return path, size


# --- Workers: (a) and (b) in a clean process per size -----------------------------------------


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
    env = dict(os.environ)
    env.update(
        POSITIONS_DATA=str(dataset),
        POSITIONS_MAX_BYTES=str(BIG_BYTES),
        PYTHONUNBUFFERED="1",
    )
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
            partial = _read_json(result_file) or {}
            partial["error"] = f"stopped after the {timeout:.0f} s bound"
            return partial
    result = _read_json(result_file)
    if result is None:
        tail = log_file.read_text(errors="replace").splitlines()[-5:]
        return {"error": f"worker exited with {process.returncode}: {' / '.join(tail)}"}
    result["wall"] = time.perf_counter() - started
    return result


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _save(result: dict[str, Any], path: Path) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(result, default=str))
    tmp.replace(path)


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
    _save(result, result_path)
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
        _save(result, result_path)
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
        _save(result, result_path)
    _save(result, result_path)


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
    _save(
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
    _save(
        {
            "rss_before": before.get("VmRSS"),
            "rss_after": after.get("VmRSS"),
            "peak": after.get("VmHWM"),
        },
        result_path,
    )


def worker_profile(dataset: Path, options: dict[str, Any], result_path: Path) -> None:
    """What dominates: the load's phases, a cProfile of the load and of every page's rerun."""
    import cProfile

    from positions.frames import to_frames

    result: dict[str, Any] = {"pages": {}}
    text_dir = Path(options["text_dir"])
    # The load, phase by phase (plain timings: no profiler overhead).
    try:
        result["load_phases"] = _load_phases(dataset)
    except Exception as exc:  # the loader's internals moved: the rest still runs
        result["load_phases"] = {"error": repr(exc)[:300]}
    _save(result, result_path)
    from positions import load_dataset

    profiler = cProfile.Profile()
    profiler.enable()
    to_frames(load_dataset(dataset, max_bytes=BIG_BYTES))
    profiler.disable()
    result["load_profile"] = _top(profiler, text_dir / f"profile-load-{dataset.stem}.txt")
    _save(result, result_path)
    if options.get("skip_pages"):
        return

    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.testing.v1 import AppTest

    original = script_runner.ScriptRunner._run_script
    active: dict[str, cProfile.Profile | None] = {"profiler": None}

    def profiled(self: Any, rerun_data: Any) -> None:
        # The page runs in the script thread: the profiler must be switched on there.
        prof = active["profiler"]
        if prof is None:
            return original(self, rerun_data)
        prof.enable()
        try:
            return original(self, rerun_data)
        finally:
            prof.disable()

    script_runner.ScriptRunner._run_script = profiled
    app = AppTest.from_file(str(DASHBOARD), default_timeout=options["page_timeout"])
    app.run()
    for name in options.get("pages") or page_names():
        try:
            app.switch_page(f"app_pages/{name}.py")
            app.run()  # warm
            active["profiler"] = cProfile.Profile()
            t0 = time.perf_counter()
            app.run()
            seconds = time.perf_counter() - t0
            prof = active["profiler"]
            active["profiler"] = None
            top = _top(prof, text_dir / f"profile-page-{name}-{dataset.stem}.txt")
            top["wall"] = seconds
            result["pages"][name] = top
        except RuntimeError as exc:
            active["profiler"] = None
            result["pages"][name] = {"error": str(exc)[:300]}
        _save(result, result_path)


def _load_phases(dataset: Path) -> dict[str, float]:
    """The load's steps, timed one by one (uses positions.load's internals).

    First the path a plain, valid file takes (what load_dataset does for every generated
    size), then, for comparison, the careful path that problem files take.
    """
    import yaml

    from positions import load as loader
    from positions.frames import to_frames
    from positions.model import Dataset
    from positions.validate import cross_check

    phases: dict[str, float] = {}
    t0 = time.perf_counter()
    data = dataset.read_bytes()
    loader._decode(data, str(dataset))
    phases["read and check UTF-8"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    document = loader._plain_document(data)
    phases["build from the parser's events (C parser)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    model = loader._valid_or_none(document)
    phases["cross_check and pydantic, in chunks"] = time.perf_counter() - t0
    del document
    gc.collect()
    t0 = time.perf_counter()
    to_frames(model)
    phases["to_frames (not part of load_dataset)"] = time.perf_counter() - t0
    del model
    gc.collect()
    text = data.decode("utf-8")
    t0 = time.perf_counter()
    parser = loader._Loader(text)
    root = parser.get_single_node()
    parser.dispose()
    phases["careful path: compose YAML nodes"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    document = loader._Builder(str(dataset)).build(root)
    phases["careful path: build Python values"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    Dataset.model_validate(document)
    cross_check(document)
    phases["careful path: pydantic and cross_check"] = time.perf_counter() - t0
    del root, document
    gc.collect()
    t0 = time.perf_counter()
    yaml.load(text, Loader=yaml.CSafeLoader)
    phases["floor: yaml.load CSafeLoader"] = time.perf_counter() - t0
    return phases


def _top(profiler: Any, text_path: Path, limit: int = 12) -> dict[str, Any]:
    """The functions with the most own time, and the project's functions by cumulative time."""
    import io
    import pstats

    text_path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer)
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(40)
    text_path.write_text(buffer.getvalue())
    raw = stats.stats  # {(file, line, name): (cc, nc, tt, ct, callers)}
    total = max((ct for (_, _, _, ct, _) in raw.values()), default=0.0)

    def project_path(file: str) -> str | None:
        try:
            relative = Path(file).resolve().relative_to(ROOT).as_posix()
        except (ValueError, OSError):
            return None
        return None if relative.startswith((".venv/", "benchmarks/")) else relative

    def label(key: tuple[str, int, str]) -> str:
        file, line, name = key
        relative = project_path(file)
        if relative:
            return f"{relative}:{line}({name})"
        if "site-packages" in file:
            return f"{file.split('site-packages/')[-1]}:{line}({name})"
        return f"{Path(file).name}:{line}({name})" if line else name

    own = sorted(raw.items(), key=lambda kv: kv[1][2], reverse=True)[:limit]
    project = [
        (key, value) for key, value in raw.items() if project_path(key[0]) and key[2] != "<module>"
    ]
    project.sort(key=lambda kv: kv[1][3], reverse=True)
    return {
        "total": total,
        "own": [(label(k), v[2], v[1]) for k, v in own],
        "project": [(label(k), v[3], v[1]) for k, v in project[:limit]],
        "file": str(text_path),
    }


WORKERS = {
    "bench": worker_bench,
    "memory": worker_memory,
    "floor-peak": worker_floor_peak,
    "profile": worker_profile,
}


# --- (c) and (d): real servers and Chromium ----------------------------------------------------


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def memory(self) -> dict[str, float]:
        return rss_mb(self.process.pid)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(port: int) -> bool:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def start_servers(
    dataset: Path, log_dir: Path, timeout: float, code_root: Path = ROOT
) -> dict[str, Server]:
    """The dashboard and the baseline, each in its own `streamlit run`, started together."""
    env = dict(os.environ)
    env.update(
        POSITIONS_DATA=str(dataset),
        POSITIONS_MAX_BYTES=str(BIG_BYTES),
        PYTHONUNBUFFERED="1",
    )
    servers: dict[str, Server] = {}
    scripts = (
        ("app", code_root / DASHBOARD.relative_to(ROOT)),
        ("base", code_root / BASELINE.relative_to(ROOT)),
    )
    for name, script in scripts:
        port = _free_port()
        log = log_dir / f"server-{name}-{dataset.stem}.log"
        command = browser_helpers().streamlit_command(script, port)
        with log.open("wb") as handle:
            process = subprocess.Popen(
                command,
                cwd=code_root,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=handle,
                stderr=subprocess.STDOUT,
            )
        servers[name] = Server(name, process, port, log)
    deadline = time.monotonic() + timeout
    for server in servers.values():
        while not _healthy(server.port):
            if server.process.poll() is not None or time.monotonic() > deadline:
                for s in servers.values():
                    s.stop()
                raise RuntimeError(f"{server.name} server did not start; see {server.log}")
            time.sleep(0.2)
    return servers


def open_session(browser: Any, url: str, timeout_s: float) -> tuple[Any, float]:
    """A new browser context on `url`; returns it and the seconds until the chart was drawn."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    t0 = time.perf_counter()
    try:
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        page.wait_for_selector(CHART, state="visible", timeout=timeout_s * 1000)
    except Exception:
        context.close()
        raise
    return context, time.perf_counter() - t0


def sessions_memory(
    browser: Any,
    server: Server,
    url: str,
    count: int,
    timeout_s: float,
    budget: float,
    settle: float,
) -> dict[str, Any]:
    """(d) The server's memory with 1 session open, then with `count` open at once."""
    result: dict[str, Any] = {"idle": server.memory().get("VmRSS")}
    contexts = []
    started = time.perf_counter()
    try:
        context, seconds = open_session(browser, url, timeout_s)
        contexts.append(context)
        result["cold_open"] = seconds
        time.sleep(settle)
        result["one"] = server.memory().get("VmRSS")
        batch = 4  # several sessions connect at once, as readers do
        while len(contexts) < count:
            if time.perf_counter() - started > budget:
                result["note"] = f"bounded: {len(contexts)} sessions in {budget:.0f} s"
                break
            pages = []
            for _ in range(min(batch, count - len(contexts))):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
                contexts.append(context)
                pages.append(page)
            for page in pages:
                page.wait_for_selector(CHART, state="visible", timeout=timeout_s * 1000)
        time.sleep(settle)
        memory = server.memory()
        result["many"] = memory.get("VmRSS")
        result["peak"] = memory.get("VmHWM")
        result["sessions"] = len(contexts)
    except Exception as exc:
        result["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
        result["sessions"] = len(contexts)
    finally:
        for context in contexts:
            with contextlib.suppress(Exception):
                context.close()
    return result


def browser_figures(
    dataset: Path, options: dict[str, Any], log_dir: Path, browser: Any, code_root: Path
) -> dict:
    """(c) and (d) for one dataset, on a fresh pair of servers."""
    result: dict[str, Any] = {}
    try:
        servers = start_servers(dataset, log_dir, options["server_timeout"], code_root)
    except RuntimeError as exc:
        return {"error": str(exc)}
    _log(f"  servers up for {dataset.name}")
    try:
        urls = {"app": servers["app"].url + "/stances", "base": servers["base"].url + "/"}
        memory = {}
        for name in ("app", "base"):
            memory[name] = sessions_memory(
                browser,
                servers[name],
                urls[name],
                options["sessions"],
                options["first_open_timeout"],
                options["budget"],
                options["settle"],
            )
            _log(f"  (d) {name}: {memory[name]}")
        result["memory"] = memory
        if options.get("sources_session"):
            result["sources"] = sources_memory(
                browser, servers["app"], servers["app"].url + "/sources", options
            )

        def visit(name: str) -> Callable[[], None]:
            def run() -> None:
                context, _ = open_session(browser, urls[name], options["open_timeout"])
                context.close()

            return run

        _log("  (c) timing")
        result["browser"] = paired(
            visit("base"),
            visit("app"),
            repeats=options["browser_repeats"],
            budget=options["budget"],
            min_time=options["min_time"],
            max_repeats=max(options["browser_repeats"], 9),
        )
    except Exception as exc:
        result["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}"
    finally:
        for server in servers.values():
            server.stop()
    return result


def sources_memory(
    browser: Any, server: Server, url: str, options: dict[str, Any]
) -> dict[str, Any]:
    """What one session on the Sources page adds to the server: its downloads are built on
    every run and held in memory for the session."""
    result: dict[str, Any] = {"before": server.memory().get("VmRSS")}
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=options["open_timeout"] * 1000)
        buttons = page.locator("[data-testid='stDownloadButton']")
        buttons.nth(3).wait_for(state="visible", timeout=options["first_open_timeout"] * 1000)
        result["seconds"] = time.perf_counter() - t0
        time.sleep(options["settle"])
        result["after"] = server.memory().get("VmRSS")
    except Exception as exc:
        result["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    finally:
        context.close()
    return result


@contextlib.contextmanager
def chromium(path: str | None) -> Iterator[Any]:
    """Headless Chromium for the whole run (None when there is none to use)."""
    if path is None:
        yield None
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            headless=True, executable_path=path, args=browser_helpers().CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


# --- The run -----------------------------------------------------------------------------------


SNAPSHOT_SKIP = {
    ".git",
    ".venv",
    "tests",
    "test-artifacts",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
}
CODE_FILES = ("dashboard.py", "app_state.py", "app_pages", "positions", "benchmarks", ".streamlit")


def snapshot(out_dir: Path) -> tuple[Path, dict[str, Any]]:
    """A copy of the code as it is now, which every worker and server of the run uses: the
    working tree may change while a long run goes on, and the figures must be of one version."""
    dest = out_dir / "snapshot"
    if dest.exists():
        shutil.rmtree(dest)
    skip_dirs = {out_dir.resolve(), (BENCH_DIR / "out").resolve()}

    def ignore(directory: str, names: list[str]) -> set[str]:
        here = Path(directory).resolve()
        return {n for n in names if n in SNAPSHOT_SKIP or (here / n).resolve() in skip_dirs}

    shutil.copytree(ROOT, dest, ignore=ignore)
    digest = hashlib.sha256()
    for name in CODE_FILES:
        path = dest / name
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            if file.is_file():
                digest.update(file.relative_to(dest).as_posix().encode())
                digest.update(file.read_bytes())
    changed = ""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--", *CODE_FILES[:4], ".streamlit"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    return dest, {"code_hash": digest.hexdigest()[:12], "uncommitted_app_changes": changed}


def settings(args: argparse.Namespace, label: str) -> dict[str, Any]:
    """Repeats and bounds for one size: fewer repeats and longer timeouts for big data."""
    from benchmarks.generate import parse_size

    size = SIZES.get(label) or parse_size(label)
    positions = 107 if size == "1x" else int(size)
    big = positions >= 100_000
    quick = args.quick
    return {
        "repeats": args.repeats or (1 if quick else (3 if big else 5)),
        "browser_repeats": args.repeats or (1 if quick else (3 if big else 5)),
        "min_time": 0.3 if quick else (0.0 if big else 3.0),
        "budget": args.budget,
        "sessions": args.sessions or (2 if quick else 20),
        "sources_session": not quick,
        "page_timeout": 60 if quick else args.budget,
        "server_timeout": 60,
        "first_open_timeout": 60 if quick else args.budget,
        "open_timeout": 60 if quick else min(args.budget, 600),
        "settle": 0.5 if quick else 2.0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1x and a tiny dataset, ~60 s")
    parser.add_argument("--sizes", help="comma-separated: 1x,tiny,10k,100k,300k or any N")
    parser.add_argument("--repeats", type=int, help="repeats per figure (default: by size)")
    parser.add_argument("--sessions", type=int, help="concurrent sessions for (d) (default 20)")
    parser.add_argument(
        "--budget",
        type=float,
        default=900.0,
        help="seconds any one figure may take at one size before it is bounded (default 900)",
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="the report file")
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR, help="datasets, logs")
    parser.add_argument("--skip-browser", action="store_true", help="only (a) and (b)")
    parser.add_argument("--no-profile", action="store_true", help="skip the profiles (e)")
    parser.add_argument("--render-only", action="store_true", help="rewrite the report from JSON")
    parser.add_argument(
        "--in-place",
        action="store_true",
        help="run the working tree's code, not a snapshot taken at the start",
    )
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("--dataset", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--worker-options", default="{}", help=argparse.SUPPRESS)
    parser.add_argument("--worker-result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        WORKERS[args.worker](args.dataset, json.loads(args.worker_options), args.worker_result)
        return 0

    out_dir: Path = args.out_dir.resolve()
    log_dir = out_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    results_path = out_dir / "results.json"
    if args.render_only:
        results = json.loads(results_path.read_text())
        write_report(results, args.output)
        print(f"wrote {args.output}")
        return 0

    labels = [s.strip() for s in (args.sizes or "").split(",") if s.strip()] or (
        QUICK_SIZES if args.quick else FULL_SIZES
    )
    results: dict[str, Any] = {
        "machine": machine(),
        "command": " ".join(["python -m benchmarks.run", *(argv or sys.argv[1:])]),
        "quick": args.quick,
        "sizes": {},
    }
    if args.in_place:
        code_root = ROOT
    else:
        code_root, code = snapshot(out_dir)
        results["machine"].update(code)
    started = time.perf_counter()
    with chromium(None if args.skip_browser else chromium_path()) as browser:
        measure_sizes(args, labels, results, browser, out_dir, results_path, code_root)
    if not args.no_profile and not args.quick:
        largest = labels[-1]
        path, _ = dataset_for(largest, out_dir)
        opts = {**settings(args, largest), "text_dir": str(out_dir / "profiles")}
        profile = run_worker("profile", path, opts, 4 * args.budget, out_dir / "logs", code_root)
        results["profile"] = {"size": largest, **profile}
        _log(f"profile at {largest} done")
    results["machine"]["load_average_end"] = list(os.getloadavg())
    results["elapsed"] = time.perf_counter() - started
    _save(results, results_path)
    write_report(results, args.output)
    _log(f"wrote {args.output} and {results_path} in {results['elapsed']:.0f} s")
    return 0


def measure_sizes(
    args: argparse.Namespace,
    labels: list[str],
    results: dict[str, Any],
    browser: Any,
    out_dir: Path,
    results_path: Path,
    code_root: Path,
) -> None:
    """Every figure for every size, the report rewritten after each size."""
    log_dir = out_dir / "logs"
    started = time.perf_counter()
    for label in labels:
        t_size = time.perf_counter()
        opts = settings(args, label)
        path, size = dataset_for(label, out_dir)
        entry: dict[str, Any] = {
            "positions": _count_positions(path) if size == "1x" else size,
            "bytes": path.stat().st_size,
            "settings": opts,
        }
        results["sizes"][label] = entry
        _log(f"{label}: {entry['positions']:,} positions, {entry['bytes'] / 1e6:.1f} MB")
        # Bounds: the figure's budget plus room for the loads each worker does (cold starts).
        bound = 4 * args.budget if not args.quick else 120
        entry["bench"] = run_worker("bench", path, opts, bound, log_dir, code_root)
        _log(f"{label}: (a) and (b) done in {entry['bench'].get('wall', 0):.0f} s")
        if not args.quick:
            entry["memory"] = run_worker("memory", path, {}, args.budget, log_dir, code_root)
            entry["floor_peak"] = run_worker(
                "floor-peak", path, {}, args.budget, log_dir, code_root
            )
        if args.skip_browser:
            entry["browser"] = {"error": "skipped (--skip-browser)"}
        elif browser is None:
            entry["browser"] = {"error": "skipped: no Chromium found"}
        else:
            entry["browser"] = browser_figures(path, opts, log_dir, browser, code_root)
        _log(f"{label}: (c) and (d) done; size took {time.perf_counter() - t_size:.0f} s")
        results["elapsed"] = time.perf_counter() - started
        _save(results, results_path)
        write_report(results, args.output)


def _count_positions(path: Path) -> int:
    import yaml

    document = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return len(document.get("positions") or [])


def _log(message: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {message}", flush=True)


# --- The report --------------------------------------------------------------------------------


def _fmt_s(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.1f} s" if seconds < 100 else f"{seconds:.0f} s"


def _fmt_ratio(ratio: float | None) -> str:
    return "–" if ratio is None else f"{ratio:.2f}×"


def _verdict(ratio: float | None, target: float) -> str:
    if ratio is None:
        return "n/a"
    return "meets" if ratio <= target else "**misses**"


def write_report(results: dict[str, Any], output: Path) -> None:
    notes = ""
    with contextlib.suppress(OSError):
        old = output.read_text()
        if NOTES_START in old and NOTES_END in old:
            notes = old[old.index(NOTES_START) + len(NOTES_START) : old.index(NOTES_END)]
    output.write_text(render(results, notes.strip("\n")))


def render(results: dict[str, Any], notes: str = "") -> str:
    m = results["machine"]
    sizes: dict[str, Any] = results["sizes"]
    labels = list(sizes)
    lines: list[str] = []
    add = lines.append
    add("# Benchmarks")
    add("")
    add("Rewritten by the benchmark command; only the Notes section at the end is kept:")
    add("")
    add("```sh")
    add(".venv/bin/python -m benchmarks.run            # 1x, 10k, 100k, 300k positions (long)")
    add(".venv/bin/python -m benchmarks.run --quick    # 1x and 1,000 positions, about a minute")
    add(".venv/bin/python -m benchmarks.run --sizes 1x,10k --output /tmp/BENCHMARKS.md")
    add("```")
    add("")
    add(
        "The machine is shared and noisy, so every figure is a **ratio** against a baseline "
        "measured in the same run, interleaved with the subject (baseline and subject back to "
        "back, alternating which goes first); a ratio is the median of the per-repeat ratios, "
        "and the times shown are medians. Datasets come from `benchmarks/generate.py` "
        "(deterministic; `1x` is the bundled data) and are kept in `benchmarks/out/` with the "
        "raw results (`results.json`), logs and full profiles."
    )
    add("")
    add(f"This run: `{results.get('command', '')}`" + (" (quick)" if results.get("quick") else ""))
    add("")
    add("| machine | |")
    add("|---|---|")
    add(f"| date | {m['date']} |")
    add(f"| CPU | {m['cpu']}, {m['cores']} cores ({m['usable_cores']} usable) |")
    add(f"| RAM | {m['ram']} |")
    add(f"| OS | {m['os']} |")
    add(f"| Python | {m['python']} |")
    add("| packages | " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()) + " |")
    add(f"| browser | {m['chromium']} (headless) |")
    code = f"commit {m['commit']}"
    if m.get("code_hash"):
        code += f"; every figure ran on one snapshot of it (code hash {m['code_hash']})"
    if m.get("uncommitted_app_changes"):
        code += "; app files with uncommitted changes: " + ", ".join(
            line[3:] for line in m["uncommitted_app_changes"].splitlines()
        )
    add(f"| code | {code} |")
    loads = ", ".join(f"{x:.2f}" for x in m.get("load_average", []))
    end = ", ".join(f"{x:.2f}" for x in m.get("load_average_end", []))
    add(f"| load average | {loads} at the start" + (f"; {end} at the end |" if end else " |"))
    if results.get("elapsed"):
        add(f"| run time | {results['elapsed'] / 60:.1f} min |")
    add("")
    add("| size | positions | file | actors × topics × snapshots |")
    add("|---|---:|---:|---|")
    for label, entry in sizes.items():
        add(
            f"| {label} | {entry['positions']:,} | {entry['bytes'] / 1e6:.1f} MB | "
            f"{_shape_text(label, entry)} |"
        )
    add("")

    # Summary
    add("## Summary")
    add("")
    add("| figure | target | " + " | ".join(labels) + " |")
    add("|---|---|" + "---|" * len(labels))
    add(_summary_row("a. load + validate / C loader", "≤ 2×", sizes, _load_ratio, 2.0))
    add(_summary_row("b. slowest page rerun / baseline", "≤ 1.5×", sizes, _worst_page, 1.5))
    add(_summary_row("c. /stances in Chromium / baseline", "≤ 1.3×", sizes, _browser_ratio, 1.3))
    add(_summary_row("d. server RSS, N / 1 sessions", "≤ 1.5×", sizes, _session_ratio, 1.5))
    add(_memory_row(sizes))
    add(
        "| d. N (concurrent sessions) | 20 | "
        + " | ".join(_sessions(e) for e in sizes.values())
        + " |"
    )
    add("")
    add(
        "Each cell is the ratio and whether it meets its target. Details, absolute times and "
        "the reasons for each miss follow."
    )
    add("")
    _section_load(add, sizes)
    _section_pages(add, sizes)
    _section_browser(add, sizes)
    _section_memory(add, sizes)
    _section_growth(add, sizes, results.get("profile"))
    _section_profile(add, results.get("profile"), sizes)
    add("## Notes")
    add("")
    add(NOTES_START)
    add(notes or "_(Hand-written analysis goes here; the benchmark keeps it when rewriting.)_")
    add(NOTES_END)
    add("")
    return "\n".join(lines)


def _shape_text(label: str, entry: dict[str, Any]) -> str:
    if label == "1x":
        return "the bundled dataset"
    from benchmarks.generate import shape_for

    s = shape_for(int(entry["positions"]))
    return (
        f"{s.actors} × {s.topics} × {s.snapshots}; {s.sources:,} sources, {s.events:,} events, "
        f"{s.sanctions:,} sanctions"
    )


def _load_ratio(entry: dict[str, Any]) -> float | None:
    return (entry.get("bench", {}).get("load") or {}).get("ratio")


def _page_ratios(entry: dict[str, Any]) -> dict[str, float | None]:
    pages = entry.get("bench", {}).get("pages") or {}
    return {name: page.get("ratio") for name, page in pages.items()}


def _worst_page(entry: dict[str, Any]) -> float | None:
    ratios = [r for r in _page_ratios(entry).values() if r is not None]
    return max(ratios) if ratios else None


def _browser_ratio(entry: dict[str, Any]) -> float | None:
    return (entry.get("browser", {}).get("browser") or {}).get("ratio")


def _session_ratio(entry: dict[str, Any], who: str = "app") -> float | None:
    memory = (entry.get("browser", {}).get("memory") or {}).get(who) or {}
    if memory.get("one") and memory.get("many"):
        return memory["many"] / memory["one"]
    return None


def _sessions(entry: dict[str, Any]) -> str:
    memory = (entry.get("browser", {}).get("memory") or {}).get("app") or {}
    return str(memory.get("sessions", "–"))


def _summary_row(
    name: str,
    target: str,
    sizes: dict[str, Any],
    ratio: Callable[[dict[str, Any]], float | None],
    limit: float,
) -> str:
    cells = []
    for entry in sizes.values():
        value = ratio(entry)
        cells.append(
            "–" if value is None else f"{_fmt_ratio(value)} {_verdict(value, limit)}".strip()
        )
    return f"| {name} | {target} | " + " | ".join(cells) + " |"


def _memory_row(sizes: dict[str, Any]) -> str:
    cells = []
    for entry in sizes.values():
        memory = (entry.get("browser", {}).get("memory") or {}).get("app") or {}
        many = memory.get("many")
        if many is None:
            cells.append("–")
        else:
            verdict = "meets" if many < MEMORY_LIMIT_MB else "**misses**"
            cells.append(f"{many:.0f} MB {verdict}")
    return "| d. server RSS with N sessions | < 1 GB (at 300k) | " + " | ".join(cells) + " |"


def _section_load(add: Callable[[str], None], sizes: dict[str, Any]) -> None:
    add("## a. Load and validate")
    add("")
    add(
        "`positions.load_dataset(path, max_bytes=…)` (parse, duplicate-key and alias checks, "
        "pydantic model, cross-section rules) against the floor: "
        "`yaml.load(text, Loader=yaml.CSafeLoader)` on the same file, with no model. Both read "
        "the file. Peak memory is the high-water RSS of a fresh process doing only that (for "
        "the app: load and `to_frames`, as the server does); retained is what that process "
        "holds after `gc.collect()`, and after `malloc_trim(0)` hands freed pages back."
    )
    add("")
    add(
        "| size | load_dataset | C loader | ratio | target ≤ 2× | repeats | peak RSS: app / "
        "C loader | retained RSS (after trim) | frames (deep) |"
    )
    add("|---|---:|---:|---:|---|---:|---|---|---:|")
    for label, entry in sizes.items():
        load = entry.get("bench", {}).get("load") or {}
        memory = entry.get("memory") or {}
        floor = entry.get("floor_peak") or {}
        peak = (
            f"{memory['peak']:.0f} / {floor['peak']:.0f} MB"
            if memory.get("peak") and floor.get("peak")
            else "–"
        )
        retained = (
            f"{memory['rss_after']:.0f} MB ({memory.get('rss_after_trim') or 0:.0f} MB)"
            if memory.get("rss_after")
            else "–"
        )
        frames = f"{sum(memory['frames_mb'].values()):.0f} MB" if memory.get("frames_mb") else "–"
        error = entry.get("bench", {}).get("error", "") if not load else ""
        add(
            f"| {label} | {_fmt_s(median(load.get('subject', [])))} | "
            f"{_fmt_s(median(load.get('base', [])))} | {_fmt_ratio(load.get('ratio'))} | "
            f"{_verdict(load.get('ratio'), TARGETS['load'])}{' ' + error if error else ''} | "
            f"{len(load.get('subject', []))} | {peak} | {retained} | {frames} |"
        )
    add("")


def _section_pages(add: Callable[[str], None], sizes: dict[str, Any]) -> None:
    add("## b. One rerun of each page, server side")
    add("")
    add(
        "AppTest from `dashboard.py` with `POSITIONS_DATA` set, cache warm (the page ran once), "
        "then `at.run()` timed, interleaved with the same for `benchmarks/baseline_app.py`: "
        "the same data from `st.cache_resource` and one Altair chart of the positions frame "
        "(each actor's latest stance per topic, the same 60 × 80 page the matrix shows). "
        "Cells: page time / baseline time = ratio; target ≤ 1.5×."
    )
    add("")
    names: list[str] = []
    for entry in sizes.values():
        for name in entry.get("bench", {}).get("pages") or {}:
            if name not in names:
                names.append(name)
    add("| page | " + " | ".join(sizes) + " |")
    add("|---|" + "---|" * len(sizes))
    for name in names:
        cells = []
        for entry in sizes.values():
            page = (entry.get("bench", {}).get("pages") or {}).get(name)
            if not page:
                cells.append("–")
            elif page.get("ratio") is None:
                cells.append(f"error: {page.get('error', '?')[:80]}")
            else:
                cells.append(
                    f"{_fmt_s(median(page['subject']))} / {_fmt_s(median(page['base']))} = "
                    f"{_fmt_ratio(page['ratio'])} {_verdict(page['ratio'], TARGETS['page'])}"
                    + (" (bounded)" if page.get("budget_hit") else "")
                )
        add(f"| {name} | " + " | ".join(cells) + " |")
    cold = []
    for label, entry in sizes.items():
        bench = entry.get("bench", {})
        if bench.get("app_cold") is not None:
            cold.append(
                f"{label}: {_fmt_s(bench['app_cold'])} (baseline {_fmt_s(bench['base_cold'])})"
            )
    if cold:
        add("")
        add("First run of a fresh process (loads the data into the cache): " + "; ".join(cold))
    errors = [
        f"{label}: {entry['bench']['error']}"
        for label, entry in sizes.items()
        if entry.get("bench", {}).get("error")
    ]
    if errors:
        add("")
        add("Bounded or failed: " + "; ".join(errors))
    add("")


def _section_browser(add: Callable[[str], None], sizes: dict[str, Any]) -> None:
    add("## c. Opening /stances in Chromium")
    add("")
    add(
        "A fresh browser context opens `/stances` on the dashboard's own `streamlit run`, and "
        "the time runs until an svg or canvas is visible inside `[data-testid=stVegaLiteChart]`; "
        "the same for the baseline app on its own server. Both servers are warm (the data is "
        "loaded). Target ≤ 1.3×."
    )
    add("")
    add("| size | dashboard /stances | baseline | ratio | target | repeats | first open (cold) |")
    add("|---|---:|---:|---:|---|---:|---|")
    for label, entry in sizes.items():
        browser = entry.get("browser", {})
        timing = browser.get("browser") or {}
        memory = browser.get("memory") or {}
        cold = " / ".join(
            _fmt_s((memory.get(who) or {}).get("cold_open")) for who in ("app", "base")
        )
        if not timing:
            add(f"| {label} | {browser.get('error', '–')} | | | | | |")
            continue
        add(
            f"| {label} | {_fmt_s(median(timing['subject']))} | "
            f"{_fmt_s(median(timing['base']))} | {_fmt_ratio(timing['ratio'])} | "
            f"{_verdict(timing['ratio'], TARGETS['browser'])} | {len(timing['subject'])} | "
            f"{cold} |"
        )
    add("")


def _section_memory(add: Callable[[str], None], sizes: dict[str, Any]) -> None:
    add("## d. Server memory with concurrent sessions")
    add("")
    add(
        "VmRSS of the `streamlit run` process (from /proc; psutil is not installed): idle "
        "before any session, with one session on /stances (the first loads the data), and with "
        "N sessions open at once (Playwright contexts on loopback, opened four at a time). The "
        "same for the baseline app. Targets: N / 1 ≤ 1.5×, and under 1 GB at 300k."
    )
    add("")
    add(
        "| size | dashboard idle / 1 / N sessions | N / 1 | target | peak (HWM) | baseline "
        "idle / 1 / N | baseline N / 1 | dashboard / baseline at N |"
    )
    add("|---|---|---:|---|---:|---|---:|---:|")
    for label, entry in sizes.items():
        memory = (entry.get("browser", {}) or {}).get("memory") or {}
        app, base = memory.get("app") or {}, memory.get("base") or {}
        if not app:
            add(f"| {label} | {entry.get('browser', {}).get('error', '–')} | | | | | | |")
            continue

        def triple(m: dict[str, Any]) -> str:
            values = [m.get("idle"), m.get("one"), m.get("many")]
            text = " / ".join("–" if v is None else f"{v:.0f}" for v in values)
            return f"{text} MB (N = {m.get('sessions', '?')})" + (
                f"; {m['error']}" if m.get("error") else ""
            )

        ratio = _session_ratio(entry)
        base_ratio = _session_ratio(entry, "base")
        versus = (
            _fmt_ratio(app["many"] / base["many"]) if app.get("many") and base.get("many") else "–"
        )
        add(
            f"| {label} | {triple(app)} | {_fmt_ratio(ratio)} | "
            f"{_verdict(ratio, TARGETS['sessions'])} | "
            f"{app.get('peak', 0):.0f} MB | {triple(base)} | {_fmt_ratio(base_ratio)} | "
            f"{versus} |"
        )
    extra = []
    for label, entry in sizes.items():
        sources = (entry.get("browser", {}) or {}).get("sources") or {}
        if sources.get("after") and sources.get("before"):
            extra.append(
                f"{label}: {sources['after'] - sources['before']:+.0f} MB "
                f"(opened in {_fmt_s(sources.get('seconds'))})"
            )
        elif sources.get("error"):
            extra.append(f"{label}: {sources['error']}")
    if extra:
        add("")
        add(
            "One more session on `/sources` (its CSV, JSON and YAML downloads are built on every "
            "run and kept for the session) adds: " + "; ".join(extra) + "."
        )
    add("")


def _section_growth(
    add: Callable[[str], None], sizes: dict[str, Any], profile: dict[str, Any] | None
) -> None:
    add("## e. Growth from 10k to 300k positions")
    add("")
    if "10k" not in sizes or "300k" not in sizes:
        add("Needs both the 10k and the 300k sizes in one run; this run has " + ", ".join(sizes))
        add("")
        return
    small, large = sizes["10k"], sizes["300k"]
    scale = large["positions"] / small["positions"]
    add(
        f"Each figure at 300k divided by the same figure at 10k ({scale:.0f}× the positions; "
        "linear growth would be that, a fixed cost 1×). Subject and baseline grow separately."
    )
    add("")
    add("| figure | subject 10k → 300k | growth | baseline 10k → 300k | growth |")
    add("|---|---|---:|---|---:|")

    def growth_row(
        name: str,
        a: float | None,
        b: float | None,
        c: float | None,
        d: float | None,
        fmt: Callable[[float | None], str] = _fmt_s,
    ) -> None:
        def g(x: float | None, y: float | None) -> str:
            return f"{y / x:.1f}×" if x and y else "–"

        add(f"| {name} | {fmt(a)} → {fmt(b)} | {g(a, b)} | {fmt(c)} → {fmt(d)} | {g(c, d)} |")

    def load(entry: dict[str, Any], key: str) -> float | None:
        return median(((entry.get("bench", {}).get("load")) or {}).get(key, []))

    growth_row(
        "a. load (load_dataset vs C loader)",
        load(small, "subject"),
        load(large, "subject"),
        load(small, "base"),
        load(large, "base"),
    )
    pages_small = small.get("bench", {}).get("pages") or {}
    pages_large = large.get("bench", {}).get("pages") or {}
    for name in pages_small:
        a, b = pages_small.get(name) or {}, pages_large.get(name) or {}
        growth_row(
            f"b. {name} rerun",
            median(a.get("subject", [])),
            median(b.get("subject", [])),
            median(a.get("base", [])),
            median(b.get("base", [])),
        )

    def browser(entry: dict[str, Any], key: str) -> float | None:
        return median(((entry.get("browser", {}).get("browser")) or {}).get(key, []))

    growth_row(
        "c. /stances in Chromium",
        browser(small, "subject"),
        browser(large, "subject"),
        browser(small, "base"),
        browser(large, "base"),
    )

    def rss(entry: dict[str, Any], who: str) -> float | None:
        return (((entry.get("browser", {}).get("memory")) or {}).get(who) or {}).get("many")

    def mb(value: float | None) -> str:
        return "–" if value is None else f"{value:.0f} MB"

    growth_row(
        "d. RSS with N sessions",
        rss(small, "app"),
        rss(large, "app"),
        rss(small, "base"),
        rss(large, "base"),
        mb,
    )
    add("")


def _section_profile(
    add: Callable[[str], None], profile: dict[str, Any] | None, sizes: dict[str, Any]
) -> None:
    add("## What dominates (profiles)")
    add("")
    if not profile:
        add("No profile in this run (`--quick` or `--no-profile`).")
        add("")
        return
    label = profile.get("size")
    add(
        f"cProfile at {label}, one warm rerun per page (the profiler is switched on in the "
        "script thread) and one load; full listings in `benchmarks/out/profiles/`. Times "
        "under cProfile are inflated, the shares are what matters."
    )
    add("")
    phases = profile.get("load_phases") or {}
    if phases and "error" not in phases:
        skip = ("floor", "to_frames", "careful path")  # not part of loading a plain file
        total = sum(v for k, v in phases.items() if not k.startswith(skip))
        add(f"**Load at {label}, phase by phase** (no profiler; load_dataset ≈ {_fmt_s(total)}):")
        add("")
        add("| phase | time | share of load_dataset |")
        add("|---|---:|---:|")
        for phase, seconds in phases.items():
            share = f"{seconds / total:.0%}" if total and not phase.startswith(skip) else ""
            add(f"| {phase} | {_fmt_s(seconds)} | {share} |")
        add("")
    elif phases:
        add(f"Load phases unavailable: {phases['error']}")
        add("")
    load_profile = profile.get("load_profile")
    if load_profile:
        add(f"**Load + to_frames at {label}, most own time** (of {_fmt_s(load_profile['total'])}):")
        add("")
        _profile_table(add, load_profile["own"][:8], load_profile["total"])
    ratios = _page_ratios(sizes.get(label, {})) if label in sizes else {}
    for name, page in (profile.get("pages") or {}).items():
        if page.get("error"):
            add(f"**{name}**: {page['error']}")
            add("")
            continue
        ratio = ratios.get(name)
        verdict = "" if ratio is None else f" (ratio {_fmt_ratio(ratio)}, "
        verdict += "" if ratio is None else f"{_verdict(ratio, TARGETS['page'])})"
        add(
            f"**{name}** at {label}{verdict}: rerun {_fmt_s(page.get('wall'))} under the "
            "profiler. Project functions by cumulative time, then the most own time:"
        )
        add("")
        _profile_table(add, page["project"][:6], page["total"], cumulative=True)
        _profile_table(add, page["own"][:5], page["total"])
    add("")


def _profile_table(
    add: Callable[[str], None], rows: list[Any], total: float, cumulative: bool = False
) -> None:
    if not rows:
        return
    add(f"| function | {'cumulative' if cumulative else 'own'} time | share | calls |")
    add("|---|---:|---:|---:|")
    for name, seconds, calls in rows:
        share = f"{seconds / total:.0%}" if total else ""
        add(f"| `{name}` | {_fmt_s(seconds)} | {share} | {calls:,} |")
    add("")


if __name__ == "__main__":
    sys.exit(main())
