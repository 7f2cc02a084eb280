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
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.browser import browser_figures, chromium, chromium_path
from benchmarks.datasets import count_positions, dataset_for, size_of
from benchmarks.measure import BENCH_DIR, ROOT, log, save_json
from benchmarks.profiles import worker_profile
from benchmarks.provenance import machine, snapshot
from benchmarks.report import write_report

# Re-exported: the registry's contract test reads the benchmarks' page list from here.
from benchmarks.workers import page_names as page_names
from benchmarks.workers import run_worker, worker_bench, worker_floor_peak, worker_memory

DEFAULT_OUT_DIR = BENCH_DIR / "out"
DEFAULT_OUTPUT = ROOT / "BENCHMARKS.md"
FULL_SIZES = ["1x", "10k", "100k", "300k"]
QUICK_SIZES = ["1x", "tiny"]

# What `--worker NAME` runs in a worker subprocess (see benchmarks.workers.run_worker).
WORKERS = {
    "bench": worker_bench,
    "memory": worker_memory,
    "floor-peak": worker_floor_peak,
    "profile": worker_profile,
}

# The on/off switches, listed in --help after --out-dir in this order.
SWITCHES = (
    ("--skip-browser", "only (a) and (b)"),
    ("--no-profile", "skip the profiles (e)"),
    ("--render-only", "rewrite the report from JSON"),
    ("--in-place", "run the working tree's code, not a snapshot taken at the start"),
)


def settings(args: argparse.Namespace, label: str) -> dict[str, Any]:
    """Repeats and bounds for one size: fewer repeats and longer timeouts for big data."""
    size = size_of(label)
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


def build_parser() -> argparse.ArgumentParser:
    """The command line; the --worker options are for the run's own subprocesses only."""
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
    for flag, text in SWITCHES:
        parser.add_argument(flag, action="store_true", help=text)
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("--dataset", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--worker-options", default="{}", help=argparse.SUPPRESS)
    parser.add_argument("--worker-result", type=Path, help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)

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
        log(f"profile at {largest} done")
    results["machine"]["load_average_end"] = list(os.getloadavg())
    results["elapsed"] = time.perf_counter() - started
    save_json(results, results_path)
    write_report(results, args.output)
    log(f"wrote {args.output} and {results_path} in {results['elapsed']:.0f} s")
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
            "positions": count_positions(path) if size == "1x" else size,
            "bytes": path.stat().st_size,
            "settings": opts,
        }
        results["sizes"][label] = entry
        log(f"{label}: {entry['positions']:,} positions, {entry['bytes'] / 1e6:.1f} MB")
        # Bounds: the figure's budget plus room for the loads each worker does (cold starts).
        bound = 4 * args.budget if not args.quick else 120
        entry["bench"] = run_worker("bench", path, opts, bound, log_dir, code_root)
        log(f"{label}: (a) and (b) done in {entry['bench'].get('wall', 0):.0f} s")
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
        log(f"{label}: (c) and (d) done; size took {time.perf_counter() - t_size:.0f} s")
        results["elapsed"] = time.perf_counter() - started
        save_json(results, results_path)
        write_report(results, args.output)


if __name__ == "__main__":
    sys.exit(main())
