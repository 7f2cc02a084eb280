"""The Prospects page: the sources' forward-looking claims, each beside what then happened."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from positions.analysis import prospects_in_view
from positions.dates import date_text
from positions.frames import FilteredFrames, Frames
from positions.labels import PROSPECT_LABEL
from positions.views.evidence import Quoted, quoted


@dataclass(frozen=True)
class ProspectCard:
    id: str
    claim: str
    status_label: str
    quoted: Quoted
    outcome_date: str
    outcome: str
    outcome_citation: str
    note: str


@dataclass(frozen=True)
class ProspectsView:
    as_of_text: str
    narrowed_note: str  # what the filters do here ('' for the default view)
    empty_note: str  # why nothing shows ('' when something does)
    counts: dict[str, int]  # by status label, every status in order
    prospects: pd.DataFrame  # for the chart
    as_of: pd.Timestamp
    cards: tuple[ProspectCard, ...]
    alt: str


def build_prospects(frames: Frames, view: FilteredFrames) -> ProspectsView:
    prospects = prospects_in_view(frames.prospects, view.filters)
    citations = dict(zip(frames.sources["id"], frames.sources["citation"], strict=True))
    counts = prospects["status"].value_counts()
    empty_note = ""
    if prospects.empty:
        empty_note = (
            "No prospect matches the search."
            if len(frames.prospects)
            else "This dataset records no prospects."
        )
    cards = tuple(
        ProspectCard(
            id=p["id"],
            claim=p["claim"],
            status_label=PROSPECT_LABEL[p["status"]],
            quoted=quoted(frames.texts, p["source"], p["quote"], citations.get(p["source"], "")),
            outcome_date=date_text(p["outcome_date"], missing="undated"),
            outcome=p["outcome"],
            outcome_citation=citations.get(p["outcome_source"], ""),
            note=p["note"] if isinstance(p.get("note"), str) else "",
        )
        for p in prospects.to_dict("records")
    )
    return ProspectsView(
        as_of_text=date_text(frames.info.as_of),
        narrowed_note=""
        if view.filters.is_default()
        else "Prospects are the author's claims, tied to no actor, topic or stance: the search "
        "narrows them, the actor, topic and stance filters do not.",
        empty_note=empty_note,
        counts={label: int(counts.get(status, 0)) for status, label in PROSPECT_LABEL.items()},
        prospects=prospects,
        as_of=pd.Timestamp(frames.info.as_of),
        cards=cards,
        alt=f"Timeline of {len(prospects)} prospects from the dataset's date to their outcomes",
    )
