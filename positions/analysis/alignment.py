"""Who agrees with whom: agreement over shared topics, two actors side by side, inside one."""

from __future__ import annotations

import numpy as np
import pandas as pd

MIN_SHARED_TOPICS = 3


def alignment(cells: pd.DataFrame, min_shared: int = MIN_SHARED_TOPICS) -> pd.DataFrame:
    """Agreement between every pair of actors over the topics both took a stance on.

    agreement = 1 − mean(|score_a − score_b|) / 4 over the topics where both have a scored
    stance (the scale runs from −2 to +2, so 4 is the widest gap), given only when they share
    at least `min_shared` such topics (NaN otherwise: one or two topics are no basis for a
    figure). `not_raised` is off the scale: such topics are left out of the score and counted
    apart (`both_not_raised`, `one_not_raised`); contested cells are left out too. Returns one
    row per ordered pair.
    """
    columns = ["actor_a", "actor_b", "agreement", "shared", "both_not_raised", "one_not_raised"]
    if cells.empty:
        return pd.DataFrame(columns=columns)
    actors = list(dict.fromkeys(cells["actor"]))
    topics = list(dict.fromkeys(cells["topic"]))
    scores = cells.pivot_table(index="actor", columns="topic", values="score", aggfunc="first")
    scores = scores.reindex(index=actors, columns=topics).astype(float).to_numpy()
    unraised = (
        cells.assign(flag=(cells["stance"] == "not_raised").astype(float))
        .pivot_table(index="actor", columns="topic", values="flag", aggfunc="max")
        .reindex(index=actors, columns=topics)
        .fillna(0)
        .to_numpy()
        .astype(bool)
    )
    scored = ~np.isnan(scores)
    both = scored[:, None, :] & scored[None, :, :]
    gaps = np.abs(np.nan_to_num(scores)[:, None, :] - np.nan_to_num(scores)[None, :, :])
    shared = both.sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        agreement = 1 - (gaps * both).sum(axis=2) / shared / 4
    both_unraised = (unraised[:, None, :] & unraised[None, :, :]).sum(axis=2)
    one_unraised = (
        (unraised[:, None, :] & scored[None, :, :]) | (scored[:, None, :] & unraised[None, :, :])
    ).sum(axis=2)
    n = len(actors)
    return pd.DataFrame(
        {
            "actor_a": np.repeat(actors, n),
            "actor_b": np.tile(actors, n),
            "agreement": np.where(shared >= max(min_shared, 1), agreement, np.nan).ravel(),
            "shared": shared.ravel(),
            "both_not_raised": both_unraised.ravel(),
            "one_not_raised": one_unraised.ravel(),
        },
        columns=columns,
    )


def scored_pair_count(table: pd.DataFrame) -> tuple[int, int]:
    """(pairs of two different actors with an agreement score, pairs sharing any scored topic),
    each pair counted once."""
    pairs = table[table["actor_a"] < table["actor_b"]]
    return int(pairs["agreement"].notna().sum()), int((pairs["shared"] > 0).sum())


def compare_actors(cells: pd.DataFrame, positions: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    """Topics on which both actors have a cell: each side's stance and quote, and whether they
    agree (scores within one step), diverge (two or more apart), neither raised it (not raised is
    no point of agreement) or cannot be compared."""
    left = cells[cells["actor"] == a].set_index("topic")
    right = cells[cells["actor"] == b].set_index("topic")
    rows = []
    for topic in [t for t in left.index if t in right.index]:
        x, y = left.loc[topic], right.loc[topic]
        if pd.notna(x["score"]) and pd.notna(y["score"]):
            gap = abs(float(x["score"]) - float(y["score"]))
            verdict = "agree" if gap <= 1 else "diverge"
        elif x["stance"] == y["stance"] == "not_raised":
            gap, verdict = float("nan"), "neither raised it"
        else:
            gap, verdict = float("nan"), "not comparable"
        rows.append(
            {
                "topic": topic,
                "topic_name": x["topic_name"],
                "verdict": verdict,
                "gap": gap,
                "stance_a": x["stance"],
                "stance_b": y["stance"],
                "quote_a": _cell_quote(positions, x)[0],
                "quote_b": _cell_quote(positions, y)[0],
                "source_a": _cell_quote(positions, x)[1],
                "source_b": _cell_quote(positions, y)[1],
                "date_a": x.get("date_text", ""),
                "date_b": y.get("date_text", ""),
            }
        )
    order = {"diverge": 0, "not comparable": 1, "neither raised it": 2, "agree": 3}
    frame = pd.DataFrame(
        rows,
        columns=[
            "topic",
            "topic_name",
            "verdict",
            "gap",
            "stance_a",
            "stance_b",
            "quote_a",
            "quote_b",
            "source_a",
            "source_b",
            "date_a",
            "date_b",
        ],
    )
    return frame.sort_values("verdict", key=lambda s: s.map(order), kind="stable").reset_index(
        drop=True
    )


def quote_text(quote: str, translation: object) -> str:
    """A quote as a reader sees it: with its English translation beside a non-English one."""
    if isinstance(translation, str) and translation:
        return f"{quote} (in English: {translation})"
    return quote


def quotes_with_translations(records: pd.DataFrame) -> pd.Series:
    """`quote_text` for every record."""
    if "translation" not in records:
        return records["quote"]
    return pd.Series(
        [quote_text(q, t) for q, t in zip(records["quote"], records["translation"], strict=True)],
        index=records.index,
        dtype=object,
    )


def _cell_quote(positions: pd.DataFrame, cell: pd.Series) -> tuple[str, str]:
    """A cell's quotes (" / "-joined) and their sources' titles ("; "-joined): of the records
    the cell shows with its stance (all of them for a contested cell), so each quote's source
    is named."""
    ids = cell["record_ids"] if isinstance(cell.get("record_ids"), list) else []
    records = positions[positions["id"].isin(ids)] if ids else positions.iloc[0:0]
    if records.empty:  # cells made without their records' ids
        records = positions[
            (positions["actor"] == cell["actor"])
            & (positions["topic"] == cell.get("topic", cell.name))
        ]
    matching = records[records["stance"] == cell["stance"]]
    chosen = matching if len(matching) else records
    quotes = " / ".join(dict.fromkeys(quotes_with_translations(chosen)))
    return quotes, "; ".join(dict.fromkeys(chosen["source_title"].astype(str)))


def member_splits(cells: pd.DataFrame, actors: pd.DataFrame, parent: str) -> pd.DataFrame:
    """Topics on which an actor and those under it take opposite sides (some for, some
    against), with each member's stance: the split inside one actor."""
    members = {parent} | {
        a
        for a, ancestors in zip(actors["id"], actors["ancestors"], strict=True)
        if parent in ancestors
    }
    inside = cells[cells["actor"].isin(members)]
    split_topics = [
        topic
        for topic, group in inside.groupby("topic", sort=False)
        if (group["score"].astype(float) > 0).any() and (group["score"].astype(float) < 0).any()
    ]
    return (
        inside[inside["topic"].isin(split_topics)]
        .sort_values(["topic", "score"], ascending=[True, False])
        .reset_index(drop=True)
    )
