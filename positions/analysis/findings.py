"""The overview: headline figures and the findings the data shows most strongly, for a view."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from positions.analysis.cells import counted_cells
from positions.analysis.events import event_when
from positions.analysis.sanctions import decision_targets, waiver_decision
from positions.analysis.units import most_divided_topic
from positions.analysis.words import join_words, plural
from positions.dates import date_text
from positions.frames import CONTESTED, FilteredFrames, Frames


@dataclass(frozen=True)
class Finding:
    """One headline of the overview: its text and the page (with filters) that shows it."""

    text: str
    page: str
    query: dict[str, list[str]]


def meeting_agenda_status(positions: pd.DataFrame, meeting_id: object) -> pd.DataFrame:
    """Per actor and topic at the central meeting: `not_raised` when every record there says so,
    `contested` when one source says it was not raised and another records a stance there."""
    at_meeting = positions[positions["event"] == meeting_id]
    if at_meeting.empty:
        return pd.DataFrame(columns=["actor", "topic", "topic_name", "status", "sources"])
    rows = []
    for (actor, topic), group in at_meeting.groupby(["actor", "topic"], sort=False):
        unraised = group["stance"] == "not_raised"
        if not unraised.any():
            continue
        rows.append(
            {
                "actor": actor,
                "topic": topic,
                "topic_name": group["topic_name"].iloc[0],
                "status": "not_raised" if unraised.all() else CONTESTED,
                "sources": list(dict.fromkeys(group["source_title"])),
            }
        )
    return pd.DataFrame(rows, columns=["actor", "topic", "topic_name", "status", "sources"])


def _shown(status: pd.DataFrame, shown: set[tuple[str, str]]) -> pd.DataFrame:
    """The rows of a per-cell table whose (actor, topic) the view shows."""
    pairs = zip(status["actor"], status["topic"], strict=True)
    return status[pd.Series([pair in shown for pair in pairs], index=status.index, dtype=bool)]


def headline_figures(frames: Frames, view: FilteredFrames | None = None) -> dict[str, int]:
    """Counts for the overview, all from the data of the view (the whole dataset by default)."""
    positions = frames.positions if view is None else view.positions
    sanctions = frames.sanctions if view is None else view.sanctions
    events = frames.events if view is None else view.events
    # Whether something was raised is a fact of the record, stated or inferred stance alike.
    agenda_status = meeting_agenda_status(
        positions if view is None else view.cell_positions, frames.info.meeting_event
    )
    if view is not None:  # what the view shows, as the findings do
        shown = set(zip(view.positions["actor"], view.positions["topic"], strict=True))
        agenda_status = _shown(agenda_status, shown)
    unraised = agenda_status[agenda_status["status"] == "not_raised"]
    return {
        "actors": int(positions["actor"].nunique()),
        "topics": int(positions["topic"].nunique()),
        "positions": len(positions),
        "sources": int(positions["source"].nunique()),
        "not_raised": int(unraised["topic"].nunique()),
        "sanction_targets": len(sanctions),
        "events": len(events),
    }


def view_basis(filters: object, as_of: object) -> str:
    """What a count rests on, in words: which records, from which date."""
    count_inferred = bool(getattr(filters, "count_inferred", False))
    when = getattr(filters, "as_of", None)
    records = "stated and inferred stances" if count_inferred else "stated stances only"
    if when is None:
        return f"{records}, latest known"
    day = pd.Timestamp(when)
    suffix = " (the dataset's date)" if day == pd.Timestamp(as_of) else ""
    return f"{records}, as of {day.day} {day:%B %Y}{suffix}"


UNIT_NOTE = (
    "Each government, legislature and organisation counts once, with its officials and members "
    "rolled up; one whose members take opposite sides counts as split, not as two votes."
)


def key_findings(frames: Frames, view: FilteredFrames | None = None) -> list[Finding]:
    """The three or four things the data shows most strongly, each linked to its page. With a
    view, they are the view's: its actors, topics, date, search and counting rule."""
    findings: list[Finding] = []
    if view is None:
        from positions.frames import Filters, apply_filters

        view = apply_filters(frames, Filters(as_of=str(frames.info.as_of)))
    meeting_id = frames.info.meeting_event
    events = frames.events.set_index("id") if len(frames.events) else None
    agenda_status = meeting_agenda_status(view.cell_positions, meeting_id)
    shown = set(zip(view.positions["actor"], view.positions["topic"], strict=True))
    agenda_status = _shown(agenda_status, shown)
    if len(agenda_status) and events is not None and meeting_id in events.index:
        meeting = events.loc[meeting_id]
        plain = agenda_status[agenda_status["status"] == "not_raised"]
        contested = agenda_status[agenda_status["status"] == CONTESTED]
        topics = list(dict.fromkeys(plain["topic_name"]))
        if topics:
            issues = "1 issue" if len(topics) == 1 else f"{len(topics)} issues"
            findings.append(
                Finding(
                    f"Not raised: at \u201c{meeting['title']}\u201d ({event_when(meeting)}), "
                    f"{issues} went unraised according to the sources: {join_words(topics)}.",
                    "stances",
                    {"stance": ["not_raised"]},
                )
            )
        for _, row in contested.iterrows():
            findings.append(
                Finding(
                    f"Contested: whether {row['topic_name']} was raised at \u201c"
                    f"{meeting['title']}\u201d. The sources disagree: "
                    f"{join_words(row['sources'])} (both records are kept).",
                    "stances",
                    {"cell": [f"{row['actor']}~{row['topic']}"]},
                )
            )
    # The cells the view shows (its stance filter and search too), from its counted records.
    division = most_divided_topic(counted_cells(view, frames.info.as_of), frames.actors)
    if division is not None:
        backers, critics = division.backers, division.critics
        split = f"; split inside: {join_words(division.split)}" if division.split else ""
        findings.append(
            Finding(
                f"Most divided: {division.topic_name}, with {len(backers)} for "
                f"({join_words(backers)}) and {len(critics)} against "
                f"({join_words(critics)}){split}. {UNIT_NOTE} Counted from "
                f"{view_basis(view.filters, frames.info.as_of)}.",
                "stances",
                {"topic": [division.topic]},
            )
        )
    targets = decision_targets(view.sanctions)
    if targets.get("imposed") or targets.get("waived"):
        decision = waiver_decision(view.sanctions)
        when = decision["date"].dropna().min()
        parts = []
        for status, verb in (("imposed", "sanctioned"), ("waived", "spared by the waiver")):
            kinds = targets.get(status, {})
            if kinds:
                detail = ", ".join(f"{n} {plural(kind, n)}" for kind, n in kinds.items())
                parts.append(f"{sum(kinds.values())} {verb} ({detail})")
        decided = f"On {date_text(when)}" if pd.notna(when) else "In one decision"
        findings.append(Finding(f"Sanctions: {decided}, {' and '.join(parts)}.", "sanctions", {}))
    prospects = prospects_in_view(frames.prospects, view.filters)
    if len(prospects):
        counts = prospects["status"].value_counts()
        labels = {
            "borne_out": "borne out",
            "partly": "partly",
            "not_borne_out": "not borne out",
            "condition_unmet": "conditional on something that never arose",
            "open": "still open",
        }
        tally = ", ".join(f"{counts[k]} {v}" for k, v in labels.items() if k in counts)
        findings.append(
            Finding(
                f"Prospects: of the {len(prospects)} forward-looking claims recorded, {tally}.",
                "prospects",
                {},
            )
        )
    return findings


PROSPECT_TEXT = ["claim", "quote", "outcome", "note"]


def prospects_in_view(prospects: pd.DataFrame, filters: object) -> pd.DataFrame:
    """The prospects a view shows. They are the author's claims, tied to no actor or topic, so
    only the search narrows them."""
    from positions.frames import text_matches

    query = str(getattr(filters, "search", "") or "")
    if not query.strip() or prospects.empty:
        return prospects
    return prospects[text_matches(prospects, PROSPECT_TEXT, query)].reset_index(drop=True)
