"""A validated `Dataset` as tidy pandas tables, and the global filters that narrow them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, replace
from enum import Enum
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from positions.dates import date_text, iso_text, period_end, period_start
from positions.model import STANCE_LABEL, STANCE_SCORE, Dataset, DatasetInfo
from positions.texts import SourceText

CONTESTED = "contested"
# Who said what on which topic: the columns every list of positions starts with.
STANCE_COLUMNS = ["actor", "actor_name", "topic", "topic_name", "stance", "quote"]
NO_RECORD = "no_record"


@dataclass(frozen=True)
class Frames:
    """Every section of a dataset as a DataFrame, names and citations already joined in."""

    info: DatasetInfo
    sources: pd.DataFrame
    actors: pd.DataFrame
    topics: pd.DataFrame
    positions: pd.DataFrame
    sanctions: pd.DataFrame
    events: pd.DataFrame
    prospects: pd.DataFrame
    # The sources' own texts, by source id, for those that name a readable text file.
    texts: dict[str, SourceText] = field(default_factory=dict)


def citation(source: dict[str, object]) -> str:
    """A reference-list citation: Author, "Title", Series, Publisher, date. URL."""
    parts = []
    if source.get("author"):
        parts.append(str(source["author"]))
    parts.append(f"\u201c{source['title']}\u201d")
    for key in ("series", "publisher"):
        if source.get(key):
            parts.append(str(source[key]))
    if source.get("site") and not source.get("url"):
        parts.append(str(source["site"]))
    when = source.get("date")
    parts.append(when.isoformat() if isinstance(when, dt.date) else "n.d.")
    text = ", ".join(parts)
    text += "" if text.endswith(".") else "."
    return f"{text} {source['url']}" if source.get("url") else text


def to_frames(dataset: Dataset, texts: dict[str, SourceText] | None = None) -> Frames:
    """Flatten the dataset into tables; the only place that knows the model's shape. `texts`
    are the sources' texts (see `positions.texts.read_texts`)."""
    sources = pd.DataFrame([s.model_dump() for s in dataset.sources])
    sources["citation"] = [citation(s.model_dump()) for s in dataset.sources]
    actors = _actors_frame(dataset)
    topics = pd.DataFrame([t.model_dump() for t in dataset.topics])
    topics["group"] = topics["group"].fillna("Other")
    topics["order"] = range(len(topics))
    events = _events_frame(dataset)
    positions = _positions_frame(dataset, actors, topics, sources, events)
    positions["known_from"] = _known_from(positions, sources, dataset)
    sanctions = _sanctions_frame(dataset, sources)
    prospects = pd.DataFrame(
        [p.model_dump(mode="json") for p in dataset.prospects],
        columns=list(_columns(dataset, "prospects")),
    )
    return Frames(
        dataset.dataset,
        sources,
        actors,
        topics,
        positions,
        sanctions,
        events,
        prospects,
        texts or {},
    )


def _columns(dataset: Dataset, section: str) -> list[str]:
    model = type(dataset).model_fields[section].annotation.__args__[0]  # type: ignore[union-attr]
    return list(model.model_fields)


def _actors_frame(dataset: Dataset) -> pd.DataFrame:
    actors = pd.DataFrame([a.model_dump() for a in dataset.actors])
    names = dict(zip(actors["id"], actors["name"], strict=True))
    parents = dict(zip(actors["id"], actors["parent"], strict=True))

    def lineage(actor_id: str) -> list[str]:
        chain, node = [], parents.get(actor_id)
        while isinstance(node, str) and node not in chain:  # a missing parent reads as NaN
            chain.append(node)
            node = parents.get(node)
        return chain

    actors["parent_name"] = actors["parent"].map(names)
    actors["ancestors"] = actors["id"].map(lineage)
    actors["root"] = [
        (chain[-1] if chain else a)
        for a, chain in zip(actors["id"], actors["ancestors"], strict=True)
    ]
    actors["root_name"] = actors["root"].map(names)
    actors["order"] = range(len(actors))
    return actors


def _events_frame(dataset: Dataset) -> pd.DataFrame:
    rows = [e.model_dump() for e in dataset.events]
    events = pd.DataFrame(rows, columns=list(_columns(dataset, "events")))
    events["date"] = pd.to_datetime(events["date"])
    return _own_columns(events)


def _positions_frame(
    dataset: Dataset,
    actors: pd.DataFrame,
    topics: pd.DataFrame,
    sources: pd.DataFrame,
    events: pd.DataFrame,
) -> pd.DataFrame:
    # Column by column from the models' attributes: a dict per record (model_dump) would hold
    # a second copy of a large dataset while the frame is built.
    records = dataset.positions
    columns: dict[str, list[Any]] = {}
    for name in _columns(dataset, "positions"):
        values = [getattr(p, name) for p in records]
        columns[name] = [v.value if isinstance(v, Enum) else v for v in values]
    columns["id"] = [p.id or f"{p.actor}--{p.topic}--{i}" for i, p in enumerate(records)]
    frame = pd.DataFrame(columns, columns=[*_columns(dataset, "positions")])
    del columns
    actor = actors.set_index("id")
    topic = topics.set_index("id")
    source = sources.set_index("id")
    event = events.set_index("id") if len(events) else pd.DataFrame(columns=["title", "date"])
    frame["actor_name"] = frame["actor"].map(actor["name"])
    frame["actor_kind"] = frame["actor"].map(actor["kind"])
    frame["actor_root"] = frame["actor"].map(actor["root"])
    frame["actor_root_name"] = frame["actor"].map(actor["root_name"])
    frame["actor_parent"] = frame["actor"].map(actor["parent"])
    frame["topic_name"] = frame["topic"].map(topic["name"])
    frame["topic_group"] = frame["topic"].map(topic["group"])
    frame["stance_label"] = frame["stance"].map(STANCE_LABEL)
    frame["score"] = frame["stance"].map(STANCE_SCORE).astype("Float64")
    frame["source_title"] = frame["source"].map(source["title"])
    frame["source_citation"] = frame["source"].map(source["citation"])
    # Who wrote a source (else who published it), and how an undated one is dated (its note),
    # for citing its words.
    frame["source_author"] = frame["source"].map(source["author"])
    frame["source_publisher"] = frame["source"].map(_publisher_text(source))
    frame["source_url"] = frame["source"].map(source["url"])
    years = pd.to_datetime(source["date"]).dt.year
    frame["source_year"] = frame["source"].map(
        years.astype("Int64").astype(str).replace("<NA>", "")
    )
    undated = source["date"].isna() if "date" in source else pd.Series(True, index=source.index)
    dating = source["date_note"].where(undated) if "date_note" in source else None
    frame["source_dating"] = frame["source"].map(dating) if dating is not None else None
    frame["event_title"] = frame["event"].map(event["title"])
    _add_dates(frame)
    return _own_columns(frame)


def _own_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with each column of Python objects in an array of its own.

    pandas builds the columns of Python objects (dates, lists, an all-empty column) as one 2-D
    block. When a column of it is then replaced (dates by datetimes), the columns left are views
    of the whole block, and keep the replaced values alive: one Python date per record, about
    350 MB held at 300,000 positions after the dataset itself is gone. A copy of their own lets
    the block go.
    """
    for name, dtype in frame.dtypes.items():
        if isinstance(dtype, np.dtype) and dtype.kind == "O":  # not the Arrow-backed texts
            frame[name] = frame[name].to_numpy(copy=True)
    return frame


def _publisher_text(sources: pd.DataFrame) -> pd.Series:
    """Each source's series and publisher, as a citation names them ('' when neither)."""
    parts = sources[["series", "publisher"]].fillna("").astype(str)
    return parts.apply(lambda row: ", ".join(p for p in row if p), axis=1)


def _add_dates(frame: pd.DataFrame) -> None:
    """Replace the given dates by their period: `date` its first day, `date_end` its last (what
    as-of views use: a month counts once it is over), `date_text` for readers and `date_given`
    as the dataset wrote it."""
    given = frame["date"]
    partial = given.map(lambda v: isinstance(v, str)).to_numpy()
    frame["date_given"] = given.map(iso_text)
    if not partial.any():  # the common case, vectorised: every date is a day (or missing)
        frame["date"] = pd.to_datetime(given)
        frame["date_end"] = frame["date"]
        frame["date_text"] = [date_text(v) if v is not None else "" for v in given]
        return
    frame["date_text"] = given.map(date_text)
    frame["date_end"] = pd.to_datetime(given.map(period_end))
    frame["date"] = pd.to_datetime(given.map(period_start))


def _known_from(positions: pd.DataFrame, sources: pd.DataFrame, dataset: Dataset) -> pd.Series:
    """The first day a record was surely known: the end of its date's period (a month counts
    once it is over), or its source's date when that is earlier; undated records and records of
    an undated analysis count as of the dataset's date."""
    as_of = pd.Timestamp(dataset.dataset.as_of).as_unit("us")
    published = pd.to_datetime(sources.set_index("id")["date"]).astype("datetime64[us]")
    if dataset.dataset.article_source in published.index:
        article = dataset.dataset.article_source
        published[article] = (
            min(published[article], as_of) if pd.notna(published[article]) else as_of
        )
    by_source = positions["source"].map(published).astype("datetime64[us]")
    end = positions["date_end"].astype("datetime64[us]")
    known = end.where(by_source.isna() | (end <= by_source), by_source)
    return known.fillna(as_of)


def _sanctions_frame(dataset: Dataset, sources: pd.DataFrame) -> pd.DataFrame:
    rows = [s.model_dump(mode="json") for s in dataset.sanctions]
    frame = pd.DataFrame(rows, columns=list(_columns(dataset, "sanctions")))
    frame["source_title"] = frame["source"].map(sources.set_index("id")["title"])
    frame["date"] = pd.to_datetime(frame["date"])
    return _own_columns(frame)


@dataclass(frozen=True)
class Filters:
    """The global view: which actors, topics and stances to show (empty means all)."""

    actors: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    stances: tuple[str, ...] = ()
    search: str = ""
    # Settings of the view rather than filters: the date it speaks from (None: everything known,
    # "latest") and whether agreement, splits and counts use inferred records too.
    as_of: str | None = None
    count_inferred: bool = False

    def is_default(self) -> bool:
        return not any(getattr(self, name) for name in FILTER_NAMES)


@dataclass(frozen=True)
class FilteredFrames:
    """What the pages draw: the frames narrowed to a view, with the view that made them."""

    filters: Filters
    positions: pd.DataFrame
    events: pd.DataFrame
    sanctions: pd.DataFrame
    actor_ids: list[str] = field(default_factory=list)
    # The records that decide how a cell looks: the actors, topics and date of the view, but not
    # its stance filter or search, which only choose which cells are shown.
    cell_positions: pd.DataFrame | None = None
    # The actors and topics of the view at every date (for "changed since").
    scope_positions: pd.DataFrame | None = None

    def counted(self) -> pd.DataFrame:
        """The records that agreement, splits and for/against counts use: the cells' records,
        less the inferred ones unless the view counts them."""
        records = self.positions if self.cell_positions is None else self.cell_positions
        if self.filters.count_inferred:
            return records
        return records[records["confidence"] != "inferred"]


def expand_actors(actors: pd.DataFrame, selected: tuple[str, ...]) -> list[str]:
    """The selected actors and everyone below them: choosing a government includes its officials."""
    if not selected:
        return list(actors["id"])
    chosen = set(selected)
    return [
        actor_id
        for actor_id, ancestors in zip(actors["id"], actors["ancestors"], strict=True)
        if actor_id in chosen or chosen.intersection(ancestors)
    ]


def apply_filters(frames: Frames, filters: Filters) -> FilteredFrames:
    """Narrow positions, events and sanctions to the view."""
    actor_ids = expand_actors(frames.actors, filters.actors)
    positions = frames.positions
    if filters.actors:
        positions = positions[positions["actor"].isin(actor_ids)]
    if filters.topics:
        positions = positions[positions["topic"].isin(filters.topics)]
    scope = positions
    if filters.as_of is not None:
        positions = positions[positions["known_from"] <= pd.Timestamp(filters.as_of)]
    cell_positions = positions
    if filters.stances:
        positions = positions[positions["stance"].isin(filters.stances)]
    events = frames.events
    if filters.actors:
        events = events[events["actors"].map(lambda ids: bool(set(ids) & set(actor_ids)))]
    if filters.topics:
        events = events[events["topics"].map(lambda ids: bool(set(ids) & set(filters.topics)))]
    sanctions = frames.sanctions
    if filters.as_of is not None:
        decided = sanctions["date"].fillna(pd.Timestamp(frames.info.as_of))
        sanctions = sanctions[decided <= pd.Timestamp(filters.as_of)]
    if filters.topics:
        wanted = set(filters.topics)
        sanctions = sanctions[sanctions["topics"].map(lambda ids: bool(set(ids) & wanted))]
    if filters.search.strip():
        positions = positions[text_matches(positions, POSITION_TEXT, filters.search)]
        events = events[text_matches(events, EVENT_TEXT, filters.search)]
        sanctions = sanctions[text_matches(sanctions, SANCTION_TEXT, filters.search)]
    return FilteredFrames(
        filters=filters,
        positions=positions.reset_index(drop=True),
        events=events.reset_index(drop=True),
        sanctions=sanctions.reset_index(drop=True),
        actor_ids=actor_ids,
        cell_positions=cell_positions.reset_index(drop=True),
        scope_positions=scope.reset_index(drop=True),
    )


FILTER_NAMES = {
    "actors": "the Actors filter",
    "topics": "the Topics filter",
    "stances": "the Stances filter",
    "search": "the search",
}

# The text that search looks in, per table: quotes, notes, names and titles.
POSITION_TEXT = [
    "quote",
    "translation",
    "note",
    "actor_name",
    "topic_name",
    "source_title",
    "event_title",
]
EVENT_TEXT = ["title", "quote", "description", "place"]
SANCTION_TEXT = ["target", "quote", "note", "instrument", "source_title"]


def search_terms(query: str) -> list[str]:
    """The words of a search, lower-cased; every one must match (in any of the columns)."""
    return [word for word in query.casefold().split() if word][:20]


def text_matches(frame: pd.DataFrame, columns: list[str], query: str) -> pd.Series:
    """Which rows hold every word of `query` somewhere in `columns` (case-insensitive)."""
    if frame.empty:
        return pd.Series(dtype=bool, index=frame.index)
    text = frame[columns].fillna("").astype(str).agg(" ".join, axis=1).str.casefold()
    keep = pd.Series(True, index=frame.index)
    for word in search_terms(query):
        keep &= text.str.contains(word, regex=False)
    return keep


def relax_suggestions(frames: Frames, filters: Filters, what: str = "positions") -> list[str]:
    """Which single filter to clear so that `what` (positions, events, sanctions) is not empty."""
    suggestions = []
    for dimension, name in FILTER_NAMES.items():
        if not getattr(filters, dimension):
            continue
        cleared = "" if dimension == "search" else ()
        relaxed = Filters(
            **{**{f.name: getattr(filters, f.name) for f in fields(filters)}, dimension: cleared}
        )
        if len(getattr(apply_filters(frames, relaxed), what)):
            suggestions.append(f"clearing {name}")
    later = replace(filters, as_of=None)
    if filters.as_of is not None and len(getattr(apply_filters(frames, later), what)):
        suggestions.append(
            "choosing \u201cLatest known\u201d under \u201cAs of\u201d (what matches is dated "
            "later)"
        )
    return suggestions


def load_frames(path: str | Path) -> Frames:
    """A dataset file as frames, with its sources' texts (every quote checked against them)."""
    from positions.load import load_dataset
    from positions.texts import read_texts

    dataset = load_dataset(path)
    texts, _ = read_texts(dataset.sources, Path(path).parent)
    return to_frames(dataset, texts)
