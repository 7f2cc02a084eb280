"""The Timeline page: events from the first to the end of the period the sources looked ahead
to (or everything), planned and occurred told apart, and one event's details."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from positions.analysis import article_window, event_when, events_table
from positions.dates import date_text, period_text
from positions.frames import FilteredFrames, Frames, relax_suggestions
from positions.labels import kind_label
from positions.views.evidence import Quoted, quoted


@dataclass(frozen=True)
class EventDetail:
    title: str
    planned: bool
    when: str
    kind: str
    place: str
    actors: str
    citation: str
    quoted: Quoted | None
    description: str


@dataclass(frozen=True)
class TimelineView:
    periods: dict[str, str]  # the period choices with their labels
    as_of_text: str
    empty: bool
    relax: list[str]
    events: pd.DataFrame  # in the period, for the chart
    as_of: pd.Timestamp
    kinds: list[str]  # rows of the timeline, in the order of their first event
    domain: tuple[pd.Timestamp, pd.Timestamp] | None
    actor_names: dict[str, str]
    topic_names: dict[str, str]
    table: pd.DataFrame  # every event of the view, for readers
    alt: str


def period_choices(frames: Frames) -> dict[str, str]:
    start, end = article_window(frames.events, frames.info.as_of)
    return {
        "article": f"{period_text(start, end)}: the dataset's horizon",
        "all": "Everything in the data",
    }


def build_timeline(frames: Frames, view: FilteredFrames, period: str) -> TimelineView:
    as_of = pd.Timestamp(frames.info.as_of)
    start, end = article_window(frames.events, as_of)
    events = view.events
    window = period != "all"
    if window:
        events = events[(events["date"] >= start) & (events["date"] <= end)]
    return TimelineView(
        periods=period_choices(frames),
        as_of_text=date_text(as_of),
        empty=events.empty,
        relax=relax_suggestions(frames, view.filters, "events") if events.empty else [],
        events=events.reset_index(drop=True),
        as_of=as_of,
        kinds=list(dict.fromkeys(frames.events.sort_values("date")["kind"])),
        domain=(start, end) if window else None,
        actor_names=dict(zip(frames.actors["id"], frames.actors["name"], strict=True)),
        topic_names=dict(zip(frames.topics["id"], frames.topics["name"], strict=True)),
        table=events_table(events),
        alt=f"Timeline of {len(events)} events by kind, with the dataset's date marked",
    )


def event_detail(timeline: TimelineView, frames: Frames, event_id: object) -> EventDetail | None:
    """One event of the timeline in words, or None if it is not on it."""
    events = timeline.events
    chosen = events[events["id"] == event_id]
    if chosen.empty:
        return None
    event = chosen.iloc[0]
    citations = dict(zip(frames.sources["id"], frames.sources["citation"], strict=True))
    names = timeline.actor_names
    return EventDetail(
        title=event["title"],
        planned=event["status"] == "planned",
        when=event_when(event),
        kind=kind_label(event["kind"]),
        place=event["place"] if isinstance(event.get("place"), str) else "",
        actors=", ".join(names.get(a, a) for a in event["actors"]),
        citation=citations.get(event["source"], ""),
        # Its source is among the facts.
        quoted=quoted(frames.texts, event["source"], event["quote"], "")
        if isinstance(event.get("quote"), str)
        else None,
        description=event["description"] if isinstance(event.get("description"), str) else "",
    )
