"""The Sanctions page: what one decision imposed, waived and only considered, on whom, with
the evidence; where word and deed conflict; and who was for and against each measure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from positions.analysis import (
    SIDE_ORDER,
    UNIT_NOTE,
    counted_cells,
    decision_dates,
    decision_records,
    measure_sides,
    member_text,
    sanction_targets,
    sanction_tree,
    say_and_do,
    view_basis,
    waiver_date,
    waiver_summary,
)
from positions.dates import date_text
from positions.frames import FilteredFrames, Frames, relax_suggestions
from positions.labels import SANCTION_STATUS_LABEL, SIDE_LABEL, kind_label, stance_label
from positions.texts import SourceText
from positions.views.evidence import Quoted, quoted
from positions.views.lists import LIST_LIMIT, more_note

STATUSES = ("imposed", "waived", "considered", "lifted")


@dataclass(frozen=True)
class TreeRecord:
    """One measure or target, indented under the measure it belongs to."""

    depth: int
    target: str
    count: int | None  # a group's stated size, when more than one
    status: str
    facts: tuple[tuple[str, str], ...]  # (label, value) in reading order
    quoted: Quoted
    note: str


@dataclass(frozen=True)
class Conflict:
    """An actor's stated stance beside what it decided."""

    actor_name: str
    topic_name: str
    stance_label: str
    said_date: str
    said: Quoted
    status: str
    target: str
    date: str
    did: Quoted


@dataclass(frozen=True)
class Side:
    label: str
    units: tuple[tuple[str, str], ...]  # (unit, its members' stances in words)


@dataclass(frozen=True)
class MeasureSides:
    target: str
    status: str
    topics: tuple[tuple[str, tuple[Side, ...]], ...]  # (topic name, its sides)


@dataclass(frozen=True)
class SanctionsView:
    actor_note: str
    summary_lead: str
    summary: str
    decisions: dict[str, str]  # decision dates (ISO) and "all", with their labels
    default_decision: str
    empty: bool
    relax: list[str]
    totals: dict[str, int]  # targets by status label
    sanctions: pd.DataFrame  # for the chart
    tree: tuple[TreeRecord, ...]
    tree_more: str
    conflicts: tuple[Conflict, ...]
    conflicts_more: str
    sides_note: str
    measures: tuple[MeasureSides, ...]
    measures_more: str


def decision_choices(frames: Frames) -> tuple[dict[str, str], str]:
    """The decisions to choose from (their dates, then "all"), and the one to open with."""
    dates = decision_dates(frames.sanctions)
    choices = {d: date_text(pd.Timestamp(d)) for d in dates} | {"all": "All decisions"}
    return choices, waiver_date(frames.sanctions) or "all"


def _tree(
    sanctions: pd.DataFrame, names: dict[str, str], texts: Mapping[str, SourceText]
) -> tuple[TreeRecord, ...]:
    records = []
    for record in sanctions.to_dict("records"):
        facts = [("Kind", kind_label(record["target_kind"]))]
        facts.append(("Status", SANCTION_STATUS_LABEL.get(record["status"], record["status"])))
        if isinstance(record["instrument"], str):
            facts.append(("Instrument", record["instrument"]))
        facts.append(("Date", date_text(record["date"], missing="undated")))
        if isinstance(record["imposed_by"], str):
            facts.append(("Decided by", names.get(record["imposed_by"], record["imposed_by"])))
        facts.append(("Source", str(record["source_title"])))
        count = record["count"]
        records.append(
            TreeRecord(
                depth=int(record["depth"]),
                target=str(record["target"]),
                count=int(count) if pd.notna(count) and count > 1 else None,
                status=SANCTION_STATUS_LABEL.get(record["status"], record["status"]),
                facts=tuple(facts),
                # Its source is among the facts.
                quoted=quoted(texts, record["source"], record["quote"], ""),
                note=record["note"] if isinstance(record["note"], str) else "",
            )
        )
    return tuple(records)


def _conflicts(conflicts: pd.DataFrame, texts: Mapping[str, SourceText]) -> tuple[Conflict, ...]:
    return tuple(
        Conflict(
            actor_name=row["actor_name"],
            topic_name=row["topic_name"],
            stance_label=stance_label(row["stance"]),
            said_date=row["said_date"] or "",
            said=quoted(texts, row["said_source"], row["said_words"], str(row["source_title"])),
            status=SANCTION_STATUS_LABEL.get(row["status"], row["status"]).lower(),
            target=row["target"],
            date=date_text(row["date"], missing="undated"),
            did=quoted(
                texts, row["sanction_source_id"], row["sanction_quote"], str(row["sanction_source"])
            ),
        )
        for row in conflicts.to_dict("records")
    )


def _measures(
    top_level: pd.DataFrame, cells: pd.DataFrame, frames: Frames
) -> tuple[MeasureSides, ...]:
    measures = []
    for _, measure in top_level.iterrows():
        sides = measure_sides(measure, cells, frames.actors)
        if sides.empty:
            continue
        topics = []
        for _, group in sides.groupby("topic", sort=False):
            listed = []
            for side in SIDE_ORDER:
                units = group[group["side"] == side]
                if len(units):
                    pairs = zip(units["unit_name"], units["members"], strict=True)
                    listed.append(
                        Side(
                            f"{SIDE_LABEL[side]} ({len(units)})",
                            tuple((name, member_text(members)) for name, members in pairs),
                        )
                    )
            topics.append((str(group["topic_name"].iloc[0]), tuple(listed)))
        status = SANCTION_STATUS_LABEL.get(measure["status"], measure["status"]).lower()
        measures.append(MeasureSides(str(measure["target"]), status, tuple(topics)))
    return tuple(measures)


def build_sanctions(frames: Frames, view: FilteredFrames, decision: str) -> SanctionsView:
    names = dict(zip(frames.actors["id"], frames.actors["name"], strict=True))
    choices, default = decision_choices(frames)
    summary = waiver_summary(frames.sanctions, names)
    sanctions = decision_records(view.sanctions, None if decision == "all" else decision)
    totals = sanction_targets(sanctions).groupby("status")["targets"].sum()
    tree = sanction_tree(sanctions)
    # What an actor said is what the view counts (stated only, unless inferred ones count too),
    # of the records the view shows.
    counted = view.counted()
    conflicts = say_and_do(frames, counted[counted["id"].isin(view.positions["id"])])
    top_level = sanctions[~sanctions["parent"].isin(set(sanctions["id"]))]
    cells = counted_cells(view, frames.info.as_of)
    return SanctionsView(
        actor_note="The measures follow the topic filter, the search and the date, not the actor "
        "filter: it narrows who supported and opposed them, at the foot of the page."
        if view.filters.actors
        else "",
        summary_lead="What the waiver means." if waiver_date(frames.sanctions) else "In short.",
        summary=summary or "",
        decisions=choices,
        default_decision=default,
        empty=sanctions.empty,
        relax=relax_suggestions(frames, view.filters, "sanctions") if sanctions.empty else [],
        totals={SANCTION_STATUS_LABEL[s]: int(totals.get(s, 0)) for s in STATUSES},
        sanctions=sanctions,
        tree=_tree(tree.head(4 * LIST_LIMIT), names, frames.texts),
        tree_more=more_note(len(tree), "records", 4 * LIST_LIMIT),
        conflicts=_conflicts(conflicts.head(LIST_LIMIT), frames.texts),
        conflicts_more=more_note(len(conflicts), "conflicts"),
        sides_note="From the positions on each top-level measure's own topic (opposing what a "
        "measure works against, such as the pipeline, is not opposing the measure). "
        f"{UNIT_NOTE} Counted from {view_basis(view.filters, frames.info.as_of)}.",
        measures=_measures(top_level.head(LIST_LIMIT), cells, frames),
        measures_more=more_note(len(top_level), "measures"),
    )
