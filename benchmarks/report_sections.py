"""The report's sections, one a figure (a to e) and the profiles: how each was measured, then
its table for every size of the run."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from benchmarks.measure import median
from benchmarks.report_cells import (
    TARGETS,
    fmt_ratio,
    fmt_s,
    page_ratios,
    session_ratio,
    verdict,
)


def section_load(add: Callable[[str], None], sizes: dict[str, Any]) -> None:
    """a. load_dataset against the C loader, and the memory of loading, by size."""
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
            f"| {label} | {fmt_s(median(load.get('subject', [])))} | "
            f"{fmt_s(median(load.get('base', [])))} | {fmt_ratio(load.get('ratio'))} | "
            f"{verdict(load.get('ratio'), TARGETS['load'])}{' ' + error if error else ''} | "
            f"{len(load.get('subject', []))} | {peak} | {retained} | {frames} |"
        )
    add("")


def section_pages(add: Callable[[str], None], sizes: dict[str, Any]) -> None:
    """b. every page's rerun against the baseline's, by page and size."""
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
                    f"{fmt_s(median(page['subject']))} / {fmt_s(median(page['base']))} = "
                    f"{fmt_ratio(page['ratio'])} {verdict(page['ratio'], TARGETS['page'])}"
                    + (" (bounded)" if page.get("budget_hit") else "")
                )
        add(f"| {name} | " + " | ".join(cells) + " |")
    cold = []
    for label, entry in sizes.items():
        bench = entry.get("bench", {})
        if bench.get("app_cold") is not None:
            cold.append(
                f"{label}: {fmt_s(bench['app_cold'])} (baseline {fmt_s(bench['base_cold'])})"
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


def section_browser(add: Callable[[str], None], sizes: dict[str, Any]) -> None:
    """c. opening /stances in Chromium against the baseline app, by size."""
    add("## c. Opening /stances in Chromium")
    add("")
    add(
        "A fresh browser context opens `/stances` on the dashboard's own `streamlit run`, and "
        "the time runs until an svg or canvas is visible inside `[data-testid=stVegaLiteChart]`; "
        "the same for the baseline app on its own server. Both servers are warm (the data is "
        "loaded). Target ≤ 1.3×."
    )
    add("")
    add(
        "The last column is the first open on a fresh server: the dashboard with no parsed cache "
        "(it parses the file and writes the cache), the baseline, and the dashboard again on a "
        "new server that reads the unchanged file's parsed cache."
    )
    add("")
    add(
        "| size | dashboard /stances | baseline | ratio | target | repeats "
        "| first open (cold): app / baseline / app from parsed cache |"
    )
    add("|---|---:|---:|---:|---|---:|---|")
    for label, entry in sizes.items():
        browser = entry.get("browser", {})
        timing = browser.get("browser") or {}
        memory = browser.get("memory") or {}
        cold = " / ".join(
            fmt_s((memory.get(who) or {}).get("cold_open")) for who in ("app", "base")
        )
        cold += f" / {fmt_s((browser.get('cached_open') or {}).get('seconds'))}"
        if not timing:
            add(f"| {label} | {browser.get('error', '–')} | | | | | |")
            continue
        add(
            f"| {label} | {fmt_s(median(timing['subject']))} | "
            f"{fmt_s(median(timing['base']))} | {fmt_ratio(timing['ratio'])} | "
            f"{verdict(timing['ratio'], TARGETS['browser'])} | {len(timing['subject'])} | "
            f"{cold} |"
        )
    add("")


def section_memory(add: Callable[[str], None], sizes: dict[str, Any]) -> None:
    """d. the servers' memory idle, with one session and with N, by size."""
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

        ratio = session_ratio(entry)
        base_ratio = session_ratio(entry, "base")
        versus = (
            fmt_ratio(app["many"] / base["many"]) if app.get("many") and base.get("many") else "–"
        )
        add(
            f"| {label} | {triple(app)} | {fmt_ratio(ratio)} | "
            f"{verdict(ratio, TARGETS['sessions'])} | "
            f"{app.get('peak', 0):.0f} MB | {triple(base)} | {fmt_ratio(base_ratio)} | "
            f"{versus} |"
        )
    restarted = []
    for label, entry in sizes.items():
        cached = (entry.get("browser", {}) or {}).get("cached_open") or {}
        if cached.get("many") is not None:
            values = [cached.get("idle"), cached.get("one"), cached.get("many")]
            restarted.append(
                f"{label}: "
                + " / ".join("–" if v is None else f"{v:.0f}" for v in values)
                + f" MB (N = {cached.get('sessions', '?')}; peak {cached.get('peak', 0):.0f} MB)"
            )
    if restarted:
        add("")
        add(
            "The same on a fresh server that read the unchanged file's parsed cache instead of "
            "parsing it, as after a restart (idle / 1 / N sessions): " + "; ".join(restarted) + "."
        )
    extra = []
    for label, entry in sizes.items():
        sources = (entry.get("browser", {}) or {}).get("sources") or {}
        if sources.get("after") and sources.get("before"):
            extra.append(
                f"{label}: {sources['after'] - sources['before']:+.0f} MB "
                f"(opened in {fmt_s(sources.get('seconds'))})"
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


# One figure of one size's results, for one side: "subject" (the dashboard) or "base".
Figure = Callable[[dict[str, Any], str], float | None]


def _paired_median(section: str, figure: str, page: str | None = None) -> Figure:
    """Reads the median time of one side of a paired figure, e.g. ("bench", "pages", "stances")."""

    def read(entry: dict[str, Any], side: str) -> float | None:
        found = entry.get(section, {}).get(figure) or {}
        if page is not None:
            found = found.get(page) or {}
        return median(found.get(side, []))

    return read


def _rss_with_sessions(entry: dict[str, Any], side: str) -> float | None:
    who = "app" if side == "subject" else "base"
    return ((entry.get("browser", {}).get("memory") or {}).get(who) or {}).get("many")


def _megabytes(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f} MB"


def _growth(small: float | None, large: float | None) -> str:
    return f"{large / small:.1f}×" if small and large else "–"


def section_growth(add: Callable[[str], None], sizes: dict[str, Any]) -> None:
    """e. each figure at 300k divided by the same at 10k (needs both sizes in the run)."""
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

    def growth_row(name: str, figure: Figure, fmt: Callable[[float | None], str] = fmt_s) -> None:
        a, b = figure(small, "subject"), figure(large, "subject")
        c, d = figure(small, "base"), figure(large, "base")
        add(
            f"| {name} | {fmt(a)} → {fmt(b)} | {_growth(a, b)} | "
            f"{fmt(c)} → {fmt(d)} | {_growth(c, d)} |"
        )

    growth_row("a. load (load_dataset vs C loader)", _paired_median("bench", "load"))
    for name in small.get("bench", {}).get("pages") or {}:
        growth_row(f"b. {name} rerun", _paired_median("bench", "pages", name))
    growth_row("c. /stances in Chromium", _paired_median("browser", "browser"))
    growth_row("d. RSS with N sessions", _rss_with_sessions, _megabytes)
    add("")


def section_profile(
    add: Callable[[str], None], profile: dict[str, Any] | None, sizes: dict[str, Any]
) -> None:
    """What dominates: the load's phases and the profiles of the load and the pages."""
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
        add(f"**Load at {label}, phase by phase** (no profiler; load_dataset ≈ {fmt_s(total)}):")
        add("")
        add("| phase | time | share of load_dataset |")
        add("|---|---:|---:|")
        for phase, seconds in phases.items():
            share = f"{seconds / total:.0%}" if total and not phase.startswith(skip) else ""
            add(f"| {phase} | {fmt_s(seconds)} | {share} |")
        add("")
    elif phases:
        add(f"Load phases unavailable: {phases['error']}")
        add("")
    load_profile = profile.get("load_profile")
    if load_profile:
        add(f"**Load + to_frames at {label}, most own time** (of {fmt_s(load_profile['total'])}):")
        add("")
        _profile_table(add, load_profile["own"][:8], load_profile["total"])
    ratios = page_ratios(sizes.get(label, {})) if label in sizes else {}
    for name, page in (profile.get("pages") or {}).items():
        if page.get("error"):
            add(f"**{name}**: {page['error']}")
            add("")
            continue
        ratio = ratios.get(name)
        judged = "" if ratio is None else f" (ratio {fmt_ratio(ratio)}, "
        judged += "" if ratio is None else f"{verdict(ratio, TARGETS['page'])})"
        add(
            f"**{name}** at {label}{judged}: rerun {fmt_s(page.get('wall'))} under the "
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
        add(f"| `{name}` | {fmt_s(seconds)} | {share} | {calls:,} |")
    add("")
