"""The Stances page: the actor × topic matrix (a page of it at a time), what changed since a
date, a cell's evidence, and the same records as a table."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from positions.analysis import (
    MATRIX_PAGE_COLUMNS,
    MATRIX_PAGE_ROWS,
    ORDERINGS,
    as_of_choices,
    as_of_label,
    cells_for_view,
    changed_cells,
    order_actors,
    order_topics,
    page_of,
)
from positions.analysis.words import plural
from positions.frames import FilteredFrames, Frames, relax_suggestions
from positions.labels import CONFIDENCE_LABEL, CONTESTED, stance_label
from positions.texts import SourceText
from positions.views.evidence import Evidence, evidence_list

TABLE_LIMIT = 5000  # rows sent to the browser at once
# The table's columns, with their headings (and widths where a column wants one).
TABLE_COLUMNS: dict[str, str | tuple[str, dict[str, object]]] = {
    "actor_name": ("Actor", {"pinned": True}),
    "topic_name": "Topic",
    "stance_label": "Stance",
    "quote": ("Quote (verbatim)", {"width": "large"}),
    "source_title": "Source",
    "date_text": "Date",
    "event_title": "Event",
    "confidence": "Confidence",
    "note": ("Note", {"width": "medium"}),
}
SHOW_CHOICES = {"matrix": "Matrix", "table": "Table"}


@dataclass(frozen=True)
class StancesSettings:
    """The page's own choices (the sidebar's filters are in the view)."""

    order: str = "kind"
    show: str = "matrix"
    since: str = ""
    rows_page: int = 1
    columns_page: int = 1


@dataclass(frozen=True)
class Pager:
    """Which page of a matrix too big for one screen is shown."""

    row_pages: int
    column_pages: int
    note: str


@dataclass(frozen=True)
class CellEvidence:
    """A cell's evidence: the records that decide its look, and any earlier ones."""

    cell_id: str
    label: str
    note: str  # why a cell of several records looks as it does ('' for one record)
    records: tuple[Evidence, ...]
    earlier: tuple[Evidence, ...]


@dataclass(frozen=True)
class StancesView:
    since_choices: dict[str, str]  # the "mark changes since" dates, with their labels
    cell_ids: tuple[str, ...]  # every cell of the view, as "actor~topic"
    empty: bool
    relax: list[str]
    # The matrix
    cells: pd.DataFrame
    actor_ids: list[str]
    topic_ids: list[str]
    pager: Pager | None
    changed_note: str
    alt: str
    # The table
    table: pd.DataFrame
    table_note: str
    table_count: str
    texts: dict[str, SourceText] = field(repr=False, default_factory=dict)


def since_choices(frames: Frames) -> dict[str, str]:
    """The dates changes can be marked from ('' for none), with their labels."""
    as_of = frames.info.as_of
    dates = as_of_choices(frames.positions, as_of)
    return {value: as_of_label(value, as_of) for value in ["", *dates]}


def cell_id(actor: str, topic: str) -> str:
    return f"{actor}~{topic}"


def build_stances(frames: Frames, view: FilteredFrames, settings: StancesSettings) -> StancesView:
    as_of = frames.info.as_of
    choices = since_choices(frames)
    cells = cells_for_view(view, as_of)
    since = settings.since if settings.since in choices else ""
    changed_note = ""
    if since:
        until = view.filters.as_of or "2262-01-01"
        changes = changed_cells(view.scope_positions, since, until, as_of)
        before = {
            (a, t): stance_label(b) if b != "no_record" else "no record"
            for a, t, b in zip(changes["actor"], changes["topic"], changes["before"], strict=True)
        }
        pairs = zip(cells["actor"], cells["topic"], strict=True)
        cells = cells.assign(changed_from=[before.get(pair, "") for pair in pairs])
    ids = tuple(cell_id(a, t) for a, t in zip(cells["actor"], cells["topic"], strict=True))
    ordering = settings.order if settings.order in ORDERINGS else "kind"
    actors = order_actors(frames.actors, cells, ordering)
    topics = order_topics(frames.topics, cells, ordering)
    pager = None
    if len(actors) > MATRIX_PAGE_ROWS or len(topics) > MATRIX_PAGE_COLUMNS:
        # Too many to read on one screen (and to ship as marks): one page at a time.
        all_actors, all_topics = len(actors), len(topics)
        actors, row_pages = page_of(actors, settings.rows_page, MATRIX_PAGE_ROWS)
        topics, column_pages = page_of(topics, settings.columns_page, MATRIX_PAGE_COLUMNS)
        pager = Pager(
            row_pages,
            column_pages,
            f"Showing {len(actors)} of {all_actors} actors and {len(topics)} of {all_topics} "
            "topics; narrow the view with the sidebar filters.",
        )
        cells = cells[cells["actor"].isin(actors) & cells["topic"].isin(topics)]
    if since:
        count = int((cells["changed_from"] != "").sum())
        changed_note = f"Outlined: {count} {plural('cell', count)} changed since {choices[since]}."
    positions = view.positions
    table = positions.head(TABLE_LIMIT)[list(TABLE_COLUMNS)]
    table = table.assign(confidence=table["confidence"].map(CONFIDENCE_LABEL))
    table_note = (
        f"Showing the first {TABLE_LIMIT:,} of {len(positions):,} records; narrow the view or "
        "download them all as CSV on the Sources & method page."
        if len(positions) > TABLE_LIMIT
        else ""
    )
    return StancesView(
        since_choices=choices,
        cell_ids=ids,
        empty=positions.empty,
        relax=relax_suggestions(frames, view.filters) if positions.empty else [],
        cells=cells.reset_index(drop=True),
        actor_ids=actors,
        topic_ids=topics,
        pager=pager,
        changed_note=changed_note,
        alt=f"Stance matrix of {len(actors)} {plural('actor', len(actors))} by "
        f"{len(topics)} {plural('topic', len(topics))}",
        table=table.reset_index(drop=True),
        table_note=table_note,
        table_count=f"{len(positions)} {plural('record', len(positions))}.",
        texts=frames.texts,
    )


def cell_evidence(stances: StancesView, view: FilteredFrames, chosen: str) -> CellEvidence | None:
    """The evidence of one cell of the view ('actor~topic'), or None if it has no cell.

    The records are those the cell shows (the same ones its tooltip counts); earlier records
    of the cell in the view follow apart, so a change of stance can be read. They are looked up
    in `view` (the one `stances` was built from), which the page has at hand: the page view
    does not keep a copy of the records, so that it stays small enough to keep between reruns.
    """
    if chosen not in stances.cell_ids:
        return None
    actor, _, topic = chosen.partition("~")
    cells = stances.cells
    match = cells[(cells["actor"] == actor) & (cells["topic"] == topic)]
    source = view.cell_positions if view.cell_positions is not None else view.positions
    records = source[(source["actor"] == actor) & (source["topic"] == topic)]
    records = records.sort_values("date", na_position="last", kind="stable")
    if match.empty:  # a cell of another page of the matrix: its records, as they are
        shown_ids = set(records["id"])
        label = ""
    else:
        shown_ids = set(match.iloc[0]["record_ids"])
        label = stance_label(match.iloc[0]["stance"])
    shown = records[records["id"].isin(shown_ids)]
    earlier = records[~records["id"].isin(shown_ids)]
    note = ""
    if len(shown) > 1:
        why = " because its sources disagree" if label == stance_label(CONTESTED) else ""
        note = f"{len(shown)} records for this cell; the matrix shows **{label}**{why}."
    texts = stances.texts
    return CellEvidence(
        chosen, label, note, evidence_list(shown, texts), evidence_list(earlier, texts)
    )
