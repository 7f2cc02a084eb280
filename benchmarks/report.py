"""BENCHMARKS.md, written from a run's results: the commands, the machine, the sizes, the
summary of every figure against its target, the sections, and the hand-written notes, which
are kept when the file is rewritten."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.report_cells import (
    browser_ratio,
    fmt_ratio,
    load_ratio,
    session_count,
    session_ratio,
    verdict,
    worst_page,
)
from benchmarks.report_sections import (
    section_browser,
    section_growth,
    section_load,
    section_memory,
    section_pages,
    section_profile,
)

NOTES_START = "<!-- notes: kept when the benchmark rewrites this file -->"
NOTES_END = "<!-- end of notes -->"
MEMORY_LIMIT_MB = 1024


def write_report(results: dict[str, Any], output: Path) -> None:
    """Rewrite `output` from `results`, keeping its hand-written notes."""
    notes = ""
    with contextlib.suppress(OSError):
        old = output.read_text()
        if NOTES_START in old and NOTES_END in old:
            notes = old[old.index(NOTES_START) + len(NOTES_START) : old.index(NOTES_END)]
    output.write_text(render(results, notes.strip("\n")))


def render(results: dict[str, Any], notes: str = "") -> str:
    """The whole report as Markdown, with `notes` in its Notes section."""
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
    add(_summary_row("a. load + validate / C loader", "≤ 2×", sizes, load_ratio, 2.0))
    add(_summary_row("b. slowest page rerun / baseline", "≤ 1.5×", sizes, worst_page, 1.5))
    add(_summary_row("c. /stances in Chromium / baseline", "≤ 1.3×", sizes, browser_ratio, 1.3))
    add(_summary_row("d. server RSS, N / 1 sessions", "≤ 1.5×", sizes, session_ratio, 1.5))
    add(_memory_row(sizes))
    add(_memory_row(sizes, cached=True))
    add(
        "| d. N (concurrent sessions) | 20 | "
        + " | ".join(session_count(e) for e in sizes.values())
        + " |"
    )
    add("")
    add(
        "Each cell is the ratio and whether it meets its target. Details, absolute times and "
        "the reasons for each miss follow."
    )
    add("")
    section_load(add, sizes)
    section_pages(add, sizes)
    section_browser(add, sizes)
    section_memory(add, sizes)
    section_growth(add, sizes)
    section_profile(add, results.get("profile"), sizes)
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
            "–" if value is None else f"{fmt_ratio(value)} {verdict(value, limit)}".strip()
        )
    return f"| {name} | {target} | " + " | ".join(cells) + " |"


def _memory_row(sizes: dict[str, Any], *, cached: bool = False) -> str:
    """The server's RSS with N sessions: after parsing the file, or (`cached`) on a fresh server
    that read the unchanged file's parsed cache, as after a restart."""
    cells = []
    for entry in sizes.values():
        browser = entry.get("browser", {}) or {}
        if cached:
            memory = browser.get("cached_open") or {}
        else:
            memory = (browser.get("memory") or {}).get("app") or {}
        many = memory.get("many")
        if many is None:
            cells.append("–")
        else:
            judged = "meets" if many < MEMORY_LIMIT_MB else "**misses**"
            cells.append(f"{many:.0f} MB {judged}")
    name = "d. … started from the parsed cache" if cached else "d. server RSS with N sessions"
    return f"| {name} | < 1 GB (at 300k) | " + " | ".join(cells) + " |"
