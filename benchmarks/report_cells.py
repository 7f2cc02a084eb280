"""The cells of the report: each figure read out of one size's results (results.json) and
written as a time, a ratio and whether it meets its target. Shared by the summary and the
sections."""

from __future__ import annotations

from typing import Any

TARGETS = {"load": 2.0, "page": 1.5, "browser": 1.3, "sessions": 1.5}


def fmt_s(seconds: float | None) -> str:
    """A time as ms under a second, else seconds; – for none."""
    if seconds is None:
        return "–"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.1f} s" if seconds < 100 else f"{seconds:.0f} s"


def fmt_ratio(ratio: float | None) -> str:
    """A ratio such as 1.23×; – for none."""
    return "–" if ratio is None else f"{ratio:.2f}×"


def verdict(ratio: float | None, target: float) -> str:
    """Whether `ratio` meets `target` (at most it), in the report's words."""
    if ratio is None:
        return "n/a"
    return "meets" if ratio <= target else "**misses**"


def load_ratio(entry: dict[str, Any]) -> float | None:
    """(a) load_dataset / C loader."""
    return (entry.get("bench", {}).get("load") or {}).get("ratio")


def page_ratios(entry: dict[str, Any]) -> dict[str, float | None]:
    """(b) each page's rerun / baseline, by page."""
    pages = entry.get("bench", {}).get("pages") or {}
    return {name: page.get("ratio") for name, page in pages.items()}


def worst_page(entry: dict[str, Any]) -> float | None:
    """(b) the slowest page's ratio: the summary's figure."""
    ratios = [r for r in page_ratios(entry).values() if r is not None]
    return max(ratios) if ratios else None


def browser_ratio(entry: dict[str, Any]) -> float | None:
    """(c) /stances in Chromium / baseline."""
    return (entry.get("browser", {}).get("browser") or {}).get("ratio")


def session_ratio(entry: dict[str, Any], who: str = "app") -> float | None:
    """(d) server RSS with N sessions / with one, of the dashboard or ("base") the baseline."""
    memory = (entry.get("browser", {}).get("memory") or {}).get(who) or {}
    if memory.get("one") and memory.get("many"):
        return memory["many"] / memory["one"]
    return None


def session_count(entry: dict[str, Any]) -> str:
    """(d) how many sessions were open at once (N)."""
    memory = (entry.get("browser", {}).get("memory") or {}).get("app") or {}
    return str(memory.get("sessions", "–"))
