"""Events: their dates in words, the timeline's window, what was raised and left out at one."""

from __future__ import annotations

import pandas as pd

from positions.dates import date_text
from positions.labels import EVENT_STATUS_LABEL, kind_label
from positions.model import STANCE_LABEL


def event_when(event: pd.Series) -> str:
    """An event's date as precise as the data knows it: '19 May 2021' or 'June 2021'."""
    return date_text(event["date"], event.get("date_precision") or "day")


def article_window(events: pd.DataFrame, as_of: object) -> tuple[pd.Timestamp, pd.Timestamp]:
    """From the first event to the end of the period the article looked ahead to: the end of
    the latest planned event's month (or day), so that what happened instead is in view."""
    as_of_stamp = pd.Timestamp(as_of)
    if events.empty:
        return as_of_stamp, as_of_stamp
    start = min(events["date"].min(), as_of_stamp)
    planned = events[events["status"] == "planned"]
    ends = [
        date + pd.offsets.MonthEnd(0) if precision == "month" else date
        for date, precision in zip(planned["date"], planned["date_precision"], strict=True)
    ]
    end = max([as_of_stamp, *ends])
    return start, end


def agenda(positions: pd.DataFrame, events: pd.DataFrame, event_id: str) -> dict[str, pd.DataFrame]:
    """What was raised and what was left out at an event, from the positions linked to it.

    `contested` holds the records of an actor and topic that one source says were not raised
    and another records as raised: they count as neither. `unrecorded` lists the event's own
    topics (its agenda, as the source gives it) that no record of the event is about.
    """
    at_event = positions[positions["event"] == event_id]
    unraised = at_event["stance"] == "not_raised"
    pairs = pd.Series(list(zip(at_event["actor"], at_event["topic"], strict=True)), dtype=object)
    pairs.index = at_event.index
    both = set(pairs[unraised]) & set(pairs[~unraised])
    disputed = pairs.isin(both) if len(pairs) else pd.Series(False, index=at_event.index)
    agenda_topics = events.loc[events["id"] == event_id, "topics"]
    listed = list(agenda_topics.iloc[0]) if len(agenda_topics) else []
    recorded = set(at_event["topic"])
    return {
        "raised": at_event[~unraised & ~disputed].reset_index(drop=True),
        "left_out": at_event[unraised & ~disputed].reset_index(drop=True),
        "contested": at_event[disputed].reset_index(drop=True),
        "unrecorded": pd.DataFrame({"topic": [t for t in listed if t not in recorded]}),
    }


def agenda_lines(records: pd.DataFrame, *, stances: bool = True) -> pd.DataFrame:
    """One line per topic of an agenda, in the order recorded: each actor once, each quote once.

    `who` names the topic's actors, each once; with `stances`, each with its stances, each stance
    once ("Antony Blinken: Support / Oppose; Sergey Lavrov: Support"). `quotes` holds the
    distinct quotes, `quoted_by` whose stance each was coded for (the words may be the source's
    report of it) and `sources` the titles of the sources each is from.
    """
    rows = []
    for topic, group in records.groupby("topic", sort=False):
        names = dict(zip(group["actor"], group["actor_name"], strict=True))
        said: dict[str, list[str]] = {}
        for actor, stance in zip(group["actor"], group["stance"], strict=True):
            held = said.setdefault(actor, [])
            if stance not in held:
                held.append(stance)
        if stances:
            who = "; ".join(
                f"{names[a]}: {' / '.join(STANCE_LABEL[s] for s in kept)}"
                for a, kept in said.items()
            )
        else:
            who = ", ".join(names[a] for a in said)
        quotes = list(dict.fromkeys(group["quote"]))
        quoted_by = [
            ", ".join(names[a] for a in dict.fromkeys(group.loc[group["quote"] == q, "actor"]))
            for q in quotes
        ]
        titles = group["source_title"].astype(str) if "source_title" in group else None
        sources = [
            "; ".join(dict.fromkeys(titles[group["quote"] == q])) if titles is not None else ""
            for q in quotes
        ]
        rows.append(
            {
                "topic": topic,
                "topic_name": group["topic_name"].iloc[0],
                "who": who,
                "quotes": quotes,
                "quoted_by": quoted_by,
                "sources": sources,
            }
        )
    columns = ["topic", "topic_name", "who", "quotes", "quoted_by", "sources"]
    return pd.DataFrame(rows, columns=columns)


def event_kind_label(kind: str) -> str:
    """An event's kind in words: 'sanctions-action' is 'Sanctions action'."""
    return kind_label(kind)


def event_status_label(status: str) -> str:
    """An event's status in words: 'Occurred' or 'Planned'."""
    return EVENT_STATUS_LABEL.get(status) or event_kind_label(status)


def event_dates_text(events: pd.DataFrame) -> pd.Series:
    """Each event's date as precise as the data knows it: '19 May 2021', 'June 2021', '2021'."""
    return pd.Series(
        [
            date_text(date, precision or "day")
            for date, precision in zip(events["date"], events["date_precision"], strict=True)
        ],
        index=events.index,
        dtype=object,
    )


def events_table(events: pd.DataFrame) -> pd.DataFrame:
    """Events as a reader's table, in date order: each date as precise as it is known, kind
    and status in words, a missing place blank."""
    ordered = events.sort_values("date", kind="stable")
    return pd.DataFrame(
        {
            "date": event_dates_text(ordered),
            "title": ordered["title"],
            "kind": ordered["kind"].map(event_kind_label),
            "status": ordered["status"].map(event_status_label),
            "place": [p if isinstance(p, str) else "" for p in ordered["place"]],
        }
    ).reset_index(drop=True)
