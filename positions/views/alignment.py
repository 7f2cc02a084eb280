"""The Alignment page: who agrees with whom, two actors side by side, and the splits inside one
actor, all counted from the view's counted records."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from positions.analysis import (
    MATRIX_PAGE_ROWS,
    MIN_SHARED_TOPICS,
    alignment,
    compare_actors,
    counted_cells,
    member_splits,
    order_actors,
    quotes_with_translations,
    scored_pair_count,
)
from positions.analysis.words import plural
from positions.frames import FilteredFrames, Frames, relax_suggestions
from positions.labels import stance_label
from positions.texts import SourceText
from positions.views.evidence import QuoteContext, Quoted, quote_context
from positions.views.lists import LIST_LIMIT, more_note


@dataclass(frozen=True)
class Side:
    """One actor's side of a topic: its stance, when, and its words."""

    actor_name: str
    stance_label: str
    date_text: str
    quoted: Quoted


@dataclass(frozen=True)
class ComparedTopic:
    topic_name: str
    verdict: str
    sides: tuple[Side, Side]


@dataclass(frozen=True)
class Comparison:
    """Two actors side by side: a one-line summary, then each shared topic."""

    names: tuple[str, str]
    summary: str  # '' when they share no topic
    topics: tuple[ComparedTopic, ...]
    more: str  # how many topics are not listed, and how to see them ('' when all are)


@dataclass(frozen=True)
class SplitLine:
    actor_name: str
    stance_label: str
    date_text: str
    quote: str


@dataclass(frozen=True)
class SplitTopic:
    topic_name: str
    members: tuple[SplitLine, ...]


@dataclass(frozen=True)
class AlignmentView:
    counting_note: str
    actor_names: dict[str, str]
    choices: list[str]  # actors with a counted stance, in file order
    empty: bool
    relax: list[str]
    pairs: pd.DataFrame  # one row per ordered pair of the matrix
    order: list[str]  # the matrix's actors (ids), in display order
    busiest_note: str
    scored_note: str
    alt: str
    roots: list[str]  # actors with others under them, for "inside one actor"
    cells: pd.DataFrame = field(repr=False)


def build_alignment(frames: Frames, view: FilteredFrames) -> AlignmentView:
    cells = counted_cells(view, frames.info.as_of)
    names = dict(zip(frames.actors["id"], frames.actors["name"], strict=True))
    table = alignment(cells)
    with_stances = set(cells["actor"])
    empty = table.empty or not bool((table["shared"] > 0).any())
    order = [] if empty else order_actors(frames.actors, cells, "kind")
    busiest_note = ""
    if len(order) > MATRIX_PAGE_ROWS:
        # A readable matrix: the actors with the most records; filters bring in the others.
        busiest = set(cells["actor"].value_counts().head(MATRIX_PAGE_ROWS).index)
        order = [a for a in order if a in busiest]
        table = table[table["actor_a"].isin(busiest) & table["actor_b"].isin(busiest)]
        busiest_note = (
            f"Showing the {MATRIX_PAGE_ROWS} actors with the most stances of "
            f"{cells['actor'].nunique()}; choose actors in the sidebar to compare others."
        )
    scored, sharing = scored_pair_count(table)
    parents = set(frames.actors["parent"].dropna())
    return AlignmentView(
        counting_note=(
            "Stated and inferred stances count."
            if view.filters.count_inferred
            else "Only stated stances count; include inferred ones in the sidebar."
        ),
        actor_names=names,
        choices=[a for a in frames.actors["id"] if a in with_stances],
        empty=empty,
        relax=relax_suggestions(frames, view.filters) if empty else [],
        pairs=table.reset_index(drop=True),
        order=order,
        busiest_note=busiest_note,
        scored_note=f"**{scored} of {sharing} pairs** of actors that share a scored topic share "
        f"{MIN_SHARED_TOPICS} or more, enough for an agreement score; the others are grey.",
        alt=f"Agreement matrix of {len(order)} {plural('actor', len(order))}",
        roots=[a for a in frames.actors["id"] if a in parents],
        cells=cells,
    )


def pair_summary(pairs: pd.DataFrame, first: str, second: str) -> str:
    """'75% agreement over 4 shared topics', or why there is no figure."""
    pair = pairs[(pairs["actor_a"] == first) & (pairs["actor_b"] == second)]
    score = pair["agreement"].iloc[0] if len(pair) else float("nan")
    shared = int(pair["shared"].iloc[0]) if len(pair) else 0
    if pd.notna(score):
        return f"{score:.0%} agreement over {shared} shared {plural('topic', shared)}"
    return (
        f"no agreement score: {shared} shared scored {plural('topic', shared)}, fewer than the "
        f"{MIN_SHARED_TOPICS} a score needs"
    )


def _context(
    counted: pd.DataFrame,
    texts: Mapping[str, SourceText],
    actor: str,
    topic: str,
    stance: str,
) -> QuoteContext | None:
    """A side's quote in its context, when the side rests on one record."""
    records = counted[
        (counted["actor"] == actor) & (counted["topic"] == topic) & (counted["stance"] == stance)
    ]
    if len(records) != 1 or isinstance(records["translation"].iloc[0], str):
        return None
    return quote_context(texts, records["source"].iloc[0], records["quote"].iloc[0])


def comparison(
    alignment_view: AlignmentView,
    view: FilteredFrames,
    first: str,
    second: str,
    texts: Mapping[str, SourceText] | None = None,
) -> Comparison | None:
    """Two actors side by side, or None unless both are actors of the view; a side resting on
    one record has its quote in context where its source's text is in `texts`. The records come
    from `view` (the one `alignment_view` was built from): the page view keeps none of its own,
    so that it stays small enough to keep between reruns."""
    texts = texts or {}
    names = alignment_view.actor_names
    if first not in alignment_view.choices or second not in alignment_view.choices:
        return None
    counted = view.counted()
    rows = compare_actors(alignment_view.cells, counted, first, second)
    pair = (names[first], names[second])
    if rows.empty:
        return Comparison(pair, "", (), "")
    topics = tuple(
        ComparedTopic(
            row["topic_name"],
            row["verdict"],
            tuple(  # type: ignore[arg-type]
                Side(
                    names[who],
                    stance_label(row[f"stance_{side}"]),
                    row[f"date_{side}"] if isinstance(row[f"date_{side}"], str) else "",
                    Quoted(
                        row[f"quote_{side}"],
                        str(row[f"source_{side}"]),
                        _context(counted, texts, who, row["topic"], row[f"stance_{side}"]),
                    ),
                )
                for side, who in (("a", first), ("b", second))
            ),
        )
        for row in rows.head(LIST_LIMIT).to_dict("records")
    )
    summary = pair_summary(alignment_view.pairs, first, second)
    return Comparison(pair, summary, topics, more_note(len(rows), "topics"))


def splits_inside(
    alignment_view: AlignmentView, view: FilteredFrames, frames: Frames, parent: str
) -> tuple[tuple[SplitTopic, ...], str]:
    """The topics on which `parent` and those under it take opposite sides, each member's
    stance with its latest quote (from `view`, the one `alignment_view` was built from); and
    how many topics are not listed."""
    splits = member_splits(alignment_view.cells, frames.actors, parent)
    if splits.empty:
        return (), ""
    topics = list(pd.unique(splits["topic"]))
    shown = set(topics[:LIST_LIMIT])
    splits = splits[splits["topic"].isin(shown)]
    counted = view.counted()
    records = counted[counted["topic"].isin(shown)]
    # Each member's latest record on the topic, looked up once rather than per line.
    quotes = (
        records.assign(quote=quotes_with_translations(records))
        .groupby(["actor", "topic"], sort=False)["quote"]
        .last()
    )
    listed = tuple(
        SplitTopic(
            str(group["topic_name"].iloc[0]),
            tuple(
                SplitLine(
                    member["actor_name"],
                    stance_label(member["stance"]),
                    member["date_text"] if isinstance(member["date_text"], str) else "",
                    quotes[(member["actor"], topic)],
                )
                for member in group.to_dict("records")
            ),
        )
        for topic, group in splits.groupby("topic", sort=False)
    )
    return listed, more_note(len(topics), "topics with a split")
