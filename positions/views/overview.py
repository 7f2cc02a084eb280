"""The Overview page: what the dataset is, its findings for the view, and the headline figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from positions.analysis import Finding, headline_figures, key_findings
from positions.dates import date_text
from positions.frames import FilteredFrames, Frames

FIGURE_HELP = {
    "actors": (
        "Actors",
        "Actors with at least one coded position in this view (its filters "
        "and its date: see 'As of')",
    ),
    "topics": ("Topics", "Topics with at least one coded position in this view"),
    "positions": ("Positions", "Coded stances in this view, each with its quote"),
    "not_raised": (
        "Issues not raised",
        "Topics the sources say were not raised at the dataset's central meeting (a topic on "
        "which the sources disagree is not counted: see 'Contested')",
    ),
}


class Figure(NamedTuple):
    """A headline figure: its label, its value and what it counts."""

    label: str
    value: int
    help: str


@dataclass(frozen=True)
class OverviewView:
    title: str
    subtitle: str
    narrowed_note: str  # what the filters do to the figures ('' for the default view)
    findings: tuple[Finding, ...]
    figures: tuple[Figure, ...]
    # The article the dataset curates: title, author, publisher ('' fields when unknown)
    article: tuple[str, str, str] | None
    as_of_text: str
    description: str


def build_overview(frames: Frames, view: FilteredFrames) -> OverviewView:
    info = frames.info
    sources = frames.sources.set_index("id")
    article = None
    if info.article_source in sources.index:
        row = sources.loc[info.article_source]
        article = (
            str(row["title"]),
            str(row.get("author") or "an unnamed author"),
            str(row.get("publisher") or ""),
        )
    counts = headline_figures(frames, view)
    return OverviewView(
        title=info.title,
        subtitle=info.subtitle or "",
        narrowed_note=""
        if view.filters.is_default()
        else "The figures and findings below are for the current view: the sidebar's filters "
        "and search narrow them (the sanctions finding counts the decision's measures, which "
        "the actor filter does not narrow).",
        findings=tuple(key_findings(frames, view)),
        figures=tuple(
            Figure(label, int(counts[key]), text) for key, (label, text) in FIGURE_HELP.items()
        ),
        article=article,
        as_of_text=date_text(info.as_of),
        description=info.description,
    )
