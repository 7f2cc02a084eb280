"""What dominates, for the report's profiles: the load phase by phase (plain timings), and
cProfile listings of the load and of one warm rerun of every page, run as the `profile` worker."""

from __future__ import annotations

import gc
import time
from pathlib import Path
from typing import Any

from benchmarks.measure import BIG_BYTES, DASHBOARD, ROOT, save_json
from benchmarks.workers import page_names


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
    save_json(result, result_path)
    from positions import load_dataset

    profiler = cProfile.Profile()
    profiler.enable()
    to_frames(load_dataset(dataset, max_bytes=BIG_BYTES))
    profiler.disable()
    result["load_profile"] = _top(profiler, text_dir / f"profile-load-{dataset.stem}.txt")
    save_json(result, result_path)
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
        save_json(result, result_path)


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
