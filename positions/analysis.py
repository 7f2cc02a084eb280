"""What the pages compute from the filtered frames: matrix cells, orderings, headline findings."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from positions.frames import CONTESTED, Frames
from positions.model import STANCE_LABEL

CELL_LABEL = {**STANCE_LABEL, CONTESTED: "Contested"}


def stance_cells(positions: pd.DataFrame, as_of: object = None) -> pd.DataFrame:
    """One row per actor × topic with the stance the cell shows.

    A cell shows its latest record (undated records count as of `as_of`, the dataset's date).
    When the latest records disagree, the cell is `contested` and keeps every record.
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
    ]
    if positions.empty:
        return pd.DataFrame(columns=columns)
    frame = positions.copy()
    as_of_stamp = pd.Timestamp(as_of).as_unit("us") if as_of is not None else None
    frame["effective_date"] = (
        frame["date"].fillna(as_of_stamp) if as_of is not None else frame["date"]
    )
    rows = []
    for (actor, topic), group in frame.groupby(["actor", "topic"], sort=False):
        dates = group["effective_date"]
        latest = group[dates == dates.max()] if dates.notna().any() else group
        stances = list(dict.fromkeys(latest["stance"]))
        stance = stances[0] if len(stances) == 1 else CONTESTED
        first = latest.iloc[0]
        score = first["score"] if stance != CONTESTED else pd.NA
        rows.append(
            {
                "actor": actor,
                "actor_name": first["actor_name"],
                "actor_kind": first["actor_kind"],
                "topic": topic,
                "topic_name": first["topic_name"],
                "topic_group": first["topic_group"],
                "stance": stance,
                "cell_label": CELL_LABEL[stance],
                "score": score,
                "records": len(latest),
                "record_ids": list(latest["id"]),
                "quote_start": _shorten(first["quote"], 90),
                "sources": "; ".join(dict.fromkeys(latest["source_title"])),
                "date": first["date"],
            }
        )
    return pd.DataFrame(rows, columns=columns)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "\u2026"


ORDERINGS = {"name": "By name", "kind": "By kind / group", "similarity": "By similarity"}


def order_actors(actors: pd.DataFrame, cells: pd.DataFrame, how: str) -> list[str]:
    """Actor names in display order, for those actors that have a cell."""
    present = actors[actors["id"].isin(cells["actor"])]
    if how == "name":
        return sorted(present["name"], key=str.casefold)
    if how == "similarity":
        ids = _seriate(cells, "actor", "topic")
        names = dict(zip(present["id"], present["name"], strict=True))
        return [names[i] for i in ids]
    # Each top-level actor (a state, a company, a bloc) followed by those under it, in file order.
    root_order = dict(zip(actors["id"], actors["order"], strict=True))
    ranked = present.assign(
        root_rank=present["root"].map(root_order), depth=present["ancestors"].map(len)
    )
    return list(ranked.sort_values(["root_rank", "depth", "order"])["name"])


def order_topics(topics: pd.DataFrame, cells: pd.DataFrame, how: str) -> list[str]:
    """Topic names in display order, for those topics that have a cell."""
    present = topics[topics["id"].isin(cells["topic"])]
    if how == "name":
        return sorted(present["name"], key=str.casefold)
    if how == "similarity":
        ids = _seriate(cells, "topic", "actor")
        names = dict(zip(present["id"], present["name"], strict=True))
        return [names[i] for i in ids]
    group_rank = {g: i for i, g in enumerate(dict.fromkeys(topics["group"]))}
    ranked = present.assign(group_rank=present["group"].map(group_rank))
    return list(ranked.sort_values(["group_rank", "order"])["name"])


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


@dataclass(frozen=True)
class Finding:
    """One headline of the overview: its text and the page (with filters) that shows it."""

    text: str
    page: str
    query: dict[str, list[str]]


def headline_figures(frames: Frames) -> dict[str, int]:
    """Counts for the overview, all from the data."""
    positions = frames.positions
    meeting = frames.info.get("meeting_event")
    unraised = positions[(positions["stance"] == "not_raised") & (positions["event"] == meeting)]
    return {
        "actors": int(positions["actor"].nunique()),
        "topics": int(positions["topic"].nunique()),
        "positions": len(positions),
        "sources": len(frames.sources),
        "not_raised": int(unraised["topic"].nunique()),
        "sanction_targets": len(frames.sanctions),
        "events": len(frames.events),
    }


def key_findings(frames: Frames) -> list[Finding]:
    """The three or four things the data shows most strongly, each linked to its page."""
    findings: list[Finding] = []
    positions = frames.positions
    meeting_id = frames.info.get("meeting_event")
    events = frames.events.set_index("id") if len(frames.events) else None
    unraised = positions[(positions["stance"] == "not_raised") & (positions["event"] == meeting_id)]
    if len(unraised) and events is not None and meeting_id in events.index:
        topics = list(dict.fromkeys(unraised["topic_name"]))
        issues = "1 issue" if len(topics) == 1 else f"{len(topics)} issues"
        findings.append(
            Finding(
                f"{issues} went unraised at {events.loc[meeting_id, 'title']}: "
                + _join(topics)
                + ".",
                "stances",
                {"stance": ["not_raised"]},
            )
        )
    split = most_divided_topic(positions)
    if split is not None:
        topic_id, name, backers, critics = split
        findings.append(
            Finding(
                f"{name} divides the actors most: {backers} for, {critics} against.",
                "stances",
                {"topic": [topic_id]},
            )
        )
    sanctions = frames.sanctions
    if len(sanctions):
        top = sanctions[sanctions["parent"].isna()]
        counts = top["status"].value_counts()
        parts = [f"{counts[s]} {s}" for s in ("imposed", "waived", "considered") if s in counts]
        waived = list(top.loc[top["status"] == "waived", "target"])
        text = f"Sanctions scope: {', '.join(parts)} (top-level targets)"
        text += f"; waived: {_join(waived)}." if waived else "."
        findings.append(Finding(text, "sanctions", {}))
    if len(frames.events):
        events_sorted = frames.events.sort_values("date")
        first, last = events_sorted.iloc[0], events_sorted.iloc[-1]
        days = (last["date"] - first["date"]).days
        planned = int((frames.events["status"] == "planned").sum())
        findings.append(
            Finding(
                f"{len(frames.events)} events over {days} days, from {first['title']} "
                f"({event_when(first)}) to {last['title']} ({event_when(last)}); "
                f"{planned} still planned as of the article.",
                "timeline",
                {},
            )
        )
    return findings


def event_when(event: pd.Series) -> str:
    """An event's date as precise as the data knows it: '19 May 2021' or 'June 2021'."""
    if event.get("date_precision") == "month":
        return f"{event['date']:%B %Y}"
    return f"{event['date']:%d %B %Y}".lstrip("0")


def most_divided_topic(positions: pd.DataFrame) -> tuple[str, str, int, int] | None:
    """The topic with the most actors on both sides: (id, name, for, against)."""
    scored = positions[positions["score"].notna()]
    if scored.empty:
        return None
    best = None
    for topic, group in scored.groupby("topic", sort=False):
        latest = group.sort_values("date", na_position="first").groupby("actor").tail(1)
        backers = int((latest["score"] > 0).sum())
        critics = int((latest["score"] < 0).sum())
        key = (min(backers, critics), backers + critics)
        if backers and critics and (best is None or key > best[0]):
            best = (key, topic, group["topic_name"].iloc[0], backers, critics)
    if best is None:
        return None
    return best[1], best[2], best[3], best[4]


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def sanction_tree(sanctions: pd.DataFrame) -> pd.DataFrame:
    """Sanction records in parent–child order, each with its depth in the tree."""
    if sanctions.empty:
        return sanctions.assign(depth=pd.Series(dtype=int))
    known = set(sanctions["id"])
    children: dict[str | None, list[int]] = {}
    for i, parent in enumerate(sanctions["parent"]):
        key = parent if isinstance(parent, str) and parent in known else None
        children.setdefault(key, []).append(i)
    order: list[tuple[int, int]] = []
    stack = [(i, 0) for i in reversed(children.get(None, []))]
    while stack:
        i, depth = stack.pop()
        order.append((i, depth))
        kids = children.get(sanctions.iloc[i]["id"], [])
        stack.extend((k, depth + 1) for k in reversed(kids))
    rows = sanctions.iloc[[i for i, _ in order]].copy()
    rows["depth"] = [d for _, d in order]
    return rows.reset_index(drop=True)


def waiver_summary(sanctions: pd.DataFrame, actor_names: dict[str, str]) -> str | None:
    """One sentence on what was imposed, waived and only considered, from the top-level records."""
    if sanctions.empty:
        return None
    known = set(sanctions["id"])
    top = sanctions[~sanctions["parent"].isin(known)]
    by_status = {s: _common_nouns(top[top["status"] == s]) for s in top["status"].unique()}
    imposers = [actor_names.get(a, a) for a in dict.fromkeys(top["imposed_by"].dropna())]
    dates = top["date"].dropna()
    who = _join(imposers) if imposers else "the sanctioning authority"
    when = f"On {dates.min():%d %B %Y}, " if len(dates) else ""
    parts = []
    if by_status.get("imposed"):
        parts.append(f"imposed sanctions on {_join(by_status['imposed'])}")
    if by_status.get("waived"):
        parts.append(f"waived them for {_join(by_status['waived'])}")
    if not parts:
        return None
    sentence = f"{when}{who} {' but '.join(parts)}"
    if by_status.get("considered"):
        sentence += f"; sanctions on {_join(by_status['considered'])} are only considered"
    if by_status.get("lifted"):
        sentence += f"; sanctions on {_join(by_status['lifted'])} were lifted"
    return sentence[:1].upper() + sentence[1:] + "."


def _common_nouns(records: pd.DataFrame) -> list[str]:
    # Groups and sectors are common nouns mid-sentence ("maritime units"); names keep capitals.
    return [
        target[:1].lower() + target[1:] if kind.endswith("-group") or kind == "sector" else target
        for target, kind in zip(records["target"], records["target_kind"], strict=True)
    ]
