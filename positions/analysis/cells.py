"""The matrix: one cell per actor and topic, how a view's cells are chosen, orderings and paging."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from positions.frames import CONTESTED, FilteredFrames
from positions.labels import CELL_LABEL


def stance_cells(positions: pd.DataFrame, as_of: object = None) -> pd.DataFrame:
    """One row per actor × topic with the stance the cell shows.

    A cell shows its latest records (undated records count as of `as_of`, the dataset's date).
    Records of one occasion (the same event, or none) that disagree make the cell `contested`:
    sources disagree about the same thing. Records of different occasions that differ only
    because one says the matter was not raised at an event show the stance that was taken.
    """
    columns = [
        "actor",
        "actor_name",
        "actor_kind",
        "topic",
        "topic_name",
        "topic_group",
        "stance",
        "cell_label",
        "score",
        "records",
        "record_ids",
        "quote_start",
        "sources",
        "date",
        "date_text",
        "confidence",
    ]
    if positions.empty:
        return pd.DataFrame(columns=columns)
    keys = ["actor", "topic"]
    # Vectorised: one pass of group-wise aggregates, no Python loop over cells (a dataset of
    # 100k positions has tens of thousands of cells).
    fallback = pd.Timestamp(as_of).as_unit("us") if as_of is not None else pd.Timestamp.min
    effective = held_until(positions).fillna(fallback)
    latest_date = effective.groupby([positions["actor"], positions["topic"]]).transform("max")
    latest = positions[effective == latest_date]
    groups = latest.groupby(keys, sort=False)
    distinct = groups["stance"].nunique()
    first_stance = groups["stance"].first()
    occasion = latest["event"].fillna("")
    same_occasion = (
        latest.groupby([latest["actor"], latest["topic"], occasion], sort=False)["stance"]
        .nunique()
        .groupby(level=[0, 1], sort=False)
        .max()
        .reindex(distinct.index)
    )
    taken = latest[latest["stance"] != "not_raised"].groupby(keys, sort=False)["stance"]
    taken_distinct = taken.nunique().reindex(distinct.index).fillna(0)
    taken_first = taken.first().reindex(distinct.index)
    stance = pd.Series(
        np.where(
            distinct == 1,
            first_stance,
            np.where(
                same_occasion > 1,
                CONTESTED,
                np.where(taken_distinct == 1, taken_first, CONTESTED),
            ),
        ),
        index=distinct.index,
    )
    # The record a cell shows: its first latest record with the cell's stance (else its first).
    cell_stance = stance.reindex(pd.MultiIndex.from_frame(latest[keys])).to_numpy()
    shown_columns = [*keys, "actor_name", "actor_kind", "topic_name", "topic_group"]
    shown_columns += ["score", "quote", "date", "date_text"]
    ranked = latest[shown_columns].assign(_miss=(latest["stance"].to_numpy() != cell_stance))
    shown = (ranked.sort_values("_miss", kind="stable").groupby(keys, sort=False).first()).reindex(
        distinct.index
    )
    record_ids, sources = _ids_and_sources(latest, keys, distinct.index)
    # A cell is inferred only when none of the records it shows is stated.
    stated = (latest["confidence"] != "inferred").groupby([latest["actor"], latest["topic"]]).any()
    confidence = pd.Series(
        np.where(stated.reindex(distinct.index).fillna(True), "stated", "inferred"),
        index=distinct.index,
    )
    cells = pd.DataFrame(
        {
            "actor_name": shown["actor_name"],
            "actor_kind": shown["actor_kind"],
            "topic_name": shown["topic_name"],
            "topic_group": shown["topic_group"],
            "stance": stance,
            "cell_label": stance.map(CELL_LABEL),
            "score": shown["score"].astype(float).where(stance != CONTESTED),
            "records": groups.size(),
            "record_ids": record_ids,
            "quote_start": shown["quote"].map(lambda q: _shorten(q, 90)),
            "sources": sources,
            "date": shown["date"],
            "date_text": shown["date_text"],
            "confidence": confidence,
        }
    ).reset_index()
    cells["score"] = cells["score"].astype(float)
    return cells[columns]


def held_until(positions: pd.DataFrame) -> pd.Series:
    """When each record's stance was last surely held: the end of its date's period (a record of
    "June 2021" may be from the 30th), for ordering a cell's records."""
    if "date_end" in positions:
        return positions["date_end"]
    return positions["date"]


def cells_for_view(view: FilteredFrames, as_of: object) -> pd.DataFrame:
    """The matrix cells of a view. The stance filter and the search choose which cells are
    shown; how a cell looks comes from all its records in the view's actors, topics and date,
    so a contested cell stays contested whatever the filter."""
    if view.cell_positions is None:
        return stance_cells(view.positions, as_of=as_of)
    cells = stance_cells(view.cell_positions, as_of=as_of)
    if len(view.positions) == len(view.cell_positions):
        return cells
    shown = pd.MultiIndex.from_frame(view.positions[["actor", "topic"]].drop_duplicates())
    keep = pd.MultiIndex.from_frame(cells[["actor", "topic"]]).isin(shown)
    return cells[keep].reset_index(drop=True)


def counted_cells(view: FilteredFrames, as_of: object) -> pd.DataFrame:
    """The cells that agreement, splits and for/against counts use: like `cells_for_view`, from
    the view's counted records (stated only, unless the view counts inferred ones too)."""
    cells = stance_cells(view.counted(), as_of=as_of)
    shown = pd.MultiIndex.from_frame(view.positions[["actor", "topic"]].drop_duplicates())
    keep = pd.MultiIndex.from_frame(cells[["actor", "topic"]]).isin(shown)
    return cells[keep].reset_index(drop=True)


def _ids_and_sources(
    records: pd.DataFrame, keys: list[str], cells: pd.MultiIndex
) -> tuple[pd.Series, pd.Series]:
    """Each cell's record ids (a list) and its sources' titles ("; "-joined, each once).

    Most cells show one record: those are read off directly, and only the cells with several
    records are grouped in Python (a Python function per cell took seconds at 100k records).
    """
    size = records.groupby(keys, sort=False)["id"].transform("size")
    single = records[size.to_numpy() == 1].set_index(keys)
    several = records[size.to_numpy() > 1].groupby(keys, sort=False)
    ids = pd.concat(
        [single["id"].map(lambda record_id: [record_id]), several["id"].agg(list)]
    ).reindex(cells)
    titles = pd.concat(
        [
            single["source_title"],
            several["source_title"].agg(lambda s: "; ".join(dict.fromkeys(s))),
        ]
    ).reindex(cells)
    return ids, titles


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "\u2026"


ORDERINGS = {"name": "By name", "kind": "By kind / group", "similarity": "By similarity"}


def order_actors(actors: pd.DataFrame, cells: pd.DataFrame, how: str) -> list[str]:
    """Actor ids in display order, for those actors that have a cell. By kind: each top-level
    actor (a state, a company, a bloc) followed by those under it, in file order."""
    root_order = dict(zip(actors["id"], actors["order"], strict=True))
    return _display_order(
        actors,
        cells,
        how,
        ("actor", "topic"),
        lambda present: [present["root"].map(root_order), present["ancestors"].map(len)],
    )


def order_topics(topics: pd.DataFrame, cells: pd.DataFrame, how: str) -> list[str]:
    """Topic ids in display order, for those topics that have a cell. By kind: by group, in
    the order the groups first appear, then in file order."""
    group_rank = {g: i for i, g in enumerate(dict.fromkeys(topics["group"]))}
    return _display_order(
        topics, cells, how, ("topic", "actor"), lambda present: [present["group"].map(group_rank)]
    )


def _display_order(
    items: pd.DataFrame,
    cells: pd.DataFrame,
    how: str,
    axes: tuple[str, str],
    kind_ranks: Callable[[pd.DataFrame], list[pd.Series]],
) -> list[str]:
    """The ids of `items` that have a cell, ordered by name, by similarity of their stances
    over the other axis, or by kind (`kind_ranks`, then file order)."""
    rows, columns = axes
    # Unique values first: isin on text converts every value it is given, one by one.
    present = items[items["id"].isin(cells[rows].unique())]
    if how == "similarity":
        return _seriate(cells, rows, columns)
    keys = [present["name"].str.casefold()] if how == "name" else kind_ranks(present)
    ranked = present.assign(**{f"_key{i}": key for i, key in enumerate(keys)})
    by = [*(f"_key{i}" for i in range(len(keys))), "order"]
    return list(ranked.sort_values(by, kind="stable")["id"])


def _seriate(cells: pd.DataFrame, rows: str, columns: str) -> list[str]:
    """Order `rows` so that similar profiles sit together: greedy nearest-neighbour chain.

    A profile is the row's scores over `columns`; not_raised counts as its own value, apart
    from the scale, and a missing cell contributes nothing to the distance.
    """
    ids = list(dict.fromkeys(cells[rows]))
    if len(ids) <= 2:
        return ids
    profiles: dict[str, dict[str, object]] = {i: {} for i in ids}
    for row, column, stance, score in zip(
        cells[rows], cells[columns], cells["stance"], cells["score"], strict=True
    ):
        profiles[row][column] = (
            "nr" if stance == "not_raised" else (None if pd.isna(score) else score)
        )

    def distance(a: str, b: str) -> float:
        shared = [
            c for c, x in profiles[a].items() if x is not None and profiles[b].get(c) is not None
        ]
        if not shared:
            return 10.0
        total = 0.0
        for c in shared:
            x, y = profiles[a][c], profiles[b][c]
            if "nr" in (x, y):
                total += 0.0 if x == y else 2.0
            else:
                total += abs(float(x) - float(y))
        return total / len(shared) + 1.0 / (1 + len(shared))

    counts = cells.groupby(rows).size()
    start = max(ids, key=lambda i: (counts.get(i, 0), -ids.index(i)))
    order, left = [start], [i for i in ids if i != start]
    while left:
        nearest = min(left, key=lambda i: (distance(order[-1], i), ids.index(i)))
        order.append(nearest)
        left.remove(nearest)
    return order


# A screen shows a few thousand cells at most; beyond that the matrix is drawn a page at a time.
MATRIX_PAGE_ROWS = 60


MATRIX_PAGE_COLUMNS = 80


def page_of(items: list[str], page: int, size: int) -> tuple[list[str], int]:
    """The `page`-th (1-based) slice of `items` and the number of pages; out-of-range pages
    clamp to the nearest one."""
    pages = max(1, -(-len(items) // size))
    page = min(max(page, 1), pages)
    return items[(page - 1) * size : page * size], pages
