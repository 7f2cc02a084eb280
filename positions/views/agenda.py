"""The Agenda page: what was raised at an event and what was left out, with the source's
explanation, and what the sources disagree about."""

from __future__ import annotations

from dataclasses import dataclass

from positions.analysis import agenda, agenda_lines, event_when
from positions.frames import FilteredFrames, Frames
from positions.views.evidence import Quoted, quoted


@dataclass(frozen=True)
class AgendaLine:
    """One topic of the agenda: who, and each distinct quote with whom it was coded for and the
    source it is from."""

    topic_name: str
    who: str
    quotes: tuple[tuple[str, str, str], ...]  # (quote, coded for, source)


@dataclass(frozen=True)
class AgendaView:
    title: str
    when: str
    place: str
    explanation: Quoted | None
    raised: tuple[AgendaLine, ...]
    left_out: tuple[AgendaLine, ...]
    contested: tuple[AgendaLine, ...]
    counts: dict[str, int]  # topics raised, left out and (if any) contested
    unrecorded: tuple[str, ...]  # the event's own topics no record is about, by name


def event_choices(frames: Frames) -> tuple[dict[str, str], str]:
    """The events positions are linked to, in date order, with their titles; and the one to
    open with (the dataset's meeting, else the first)."""
    events = frames.events.sort_values("date", kind="stable")
    linked = set(frames.positions["event"].dropna())
    choices = {e: t for e, t in zip(events["id"], events["title"], strict=True) if e in linked}
    meeting = frames.info.meeting_event
    default = meeting if meeting in choices else next(iter(choices), "")
    return choices, default


def _lines(records: object, *, stances: bool = True) -> tuple[AgendaLine, ...]:
    return tuple(
        AgendaLine(
            line["topic_name"],
            line["who"],
            tuple(zip(line["quotes"], line["quoted_by"], line["sources"], strict=True)),
        )
        for line in agenda_lines(records, stances=stances).to_dict("records")
    )


def build_agenda(frames: Frames, view: FilteredFrames, event_id: str) -> AgendaView:
    event = frames.events.set_index("id").loc[event_id]
    result = agenda(view.positions, frames.events, event_id)
    topic_names = dict(zip(frames.topics["id"], frames.topics["name"], strict=True))
    counts = {
        "Raised": result["raised"]["topic"].nunique(),
        "Left out": result["left_out"]["topic"].nunique(),
    }
    if len(result["contested"]):
        counts["Contested"] = result["contested"]["topic"].nunique()
    return AgendaView(
        title=str(event["title"]),
        when=event_when(event),
        place=event["place"] if isinstance(event["place"], str) else "",
        explanation=quoted(frames.texts, event["source"], event["explanation"], "")
        if isinstance(event.get("explanation"), str)
        else None,
        raised=_lines(result["raised"]),
        left_out=_lines(result["left_out"], stances=False),
        contested=_lines(result["contested"]),
        counts={label: int(n) for label, n in counts.items()},
        unrecorded=tuple(str(topic_names.get(t, t)) for t in result["unrecorded"]["topic"]),
    )
