"""What the pages compute from the filtered frames: matrix cells, orderings, headline findings."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from positions.frames import CONTESTED, NO_RECORD, Frames
from positions.model import STANCE_LABEL

CELL_LABEL = {**STANCE_LABEL, CONTESTED: "Contested"}


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
    ]
    if positions.empty:
        return pd.DataFrame(columns=columns)
    keys = ["actor", "topic"]
    # Vectorised: one pass of group-wise aggregates, no Python loop over cells (a dataset of
    # 100k positions has tens of thousands of cells).
    fallback = pd.Timestamp(as_of).as_unit("us") if as_of is not None else pd.Timestamp.min
    effective = positions["date"].fillna(fallback)
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
    shown_columns += ["score", "quote", "date"]
    ranked = latest[shown_columns].assign(_miss=(latest["stance"].to_numpy() != cell_stance))
    shown = (ranked.sort_values("_miss", kind="stable").groupby(keys, sort=False).first()).reindex(
        distinct.index
    )
    record_ids, sources = _ids_and_sources(latest, keys, distinct.index)
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
        }
    ).reset_index()
    cells["score"] = cells["score"].astype(float)
    return cells[columns]


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
    """Actor names in display order, for those actors that have a cell."""
    # Unique values first: isin on text converts every value it is given, one by one.
    present = actors[actors["id"].isin(cells["actor"].unique())]
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
    present = topics[topics["id"].isin(cells["topic"].unique())]
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
        meeting = events.loc[meeting_id]
        issues = "1 issue" if len(topics) == 1 else f"{len(topics)} issues"
        findings.append(
            Finding(
                f"Not raised: at \u201c{meeting['title']}\u201d ({event_when(meeting)}), "
                f"{issues} went unraised: {_join(topics)}.",
                "stances",
                {"stance": ["not_raised"]},
            )
        )
    split = most_divided_topic(positions)
    if split is not None:
        topic_id, name, backers, critics = split
        findings.append(
            Finding(
                f"Most divided: {name}, with {backers} {_plural('actor', backers)} for and "
                f"{critics} against "
                "(each actor's latest stance).",
                "stances",
                {"topic": [topic_id]},
            )
        )
    targets = decision_targets(frames.sanctions)
    if targets.get("imposed") or targets.get("waived"):
        decision = waiver_decision(frames.sanctions)
        when = decision["date"].dropna().min()
        parts = []
        for status, verb in (("imposed", "sanctioned"), ("waived", "spared by the waiver")):
            kinds = targets.get(status, {})
            if kinds:
                detail = ", ".join(f"{n} {_plural(kind, n)}" for kind, n in kinds.items())
                parts.append(f"{sum(kinds.values())} {verb} ({detail})")
        date_text = (
            f"On {when:%d %B %Y}".replace(" 0", " ") if pd.notna(when) else "In one decision"
        )
        findings.append(Finding(f"Sanctions: {date_text}, {' and '.join(parts)}.", "sanctions", {}))
    if len(frames.prospects):
        counts = frames.prospects["status"].value_counts()
        labels = {
            "borne_out": "borne out",
            "partly": "partly",
            "not_borne_out": "not borne out",
            "open": "still open",
        }
        tally = ", ".join(f"{counts[k]} {v}" for k, v in labels.items() if k in counts)
        findings.append(
            Finding(
                f"Prospects: of the {len(frames.prospects)} forward-looking claims recorded, "
                f"{tally}.",
                "prospects",
                {},
            )
        )
    return findings


def _plural(kind: str, n: int) -> str:
    if n == 1:
        return kind
    return kind[:-1] + "ies" if kind.endswith("y") else kind + ("es" if kind.endswith("s") else "s")


def event_when(event: pd.Series) -> str:
    """An event's date as precise as the data knows it: '19 May 2021' or 'June 2021'."""
    if event.get("date_precision") == "month":
        return f"{event['date']:%B %Y}"
    return f"{event['date']:%d %B %Y}".lstrip("0")


def most_divided_topic(positions: pd.DataFrame) -> tuple[str, str, int, int] | None:
    """The topic with the most actors on both sides: (id, name, for, against).

    Each actor counts once per topic, with its latest scored stance. Ties go to the topic
    that comes first in the data.
    """
    # Only the columns needed: taking rows of the whole, wide frame was most of the time.
    columns = ["topic", "actor", "date", "score", "topic_name"]
    scored = positions.loc[positions["score"].notna(), columns]
    if scored.empty:
        return None
    latest = (
        scored.sort_values("date", na_position="first", kind="stable")
        .groupby(["topic", "actor"], sort=False)
        .tail(1)
    )
    sides = pd.DataFrame(
        {
            "topic": latest["topic"],
            "backers": (latest["score"] > 0).astype(int),
            "critics": (latest["score"] < 0).astype(int),
        }
    )
    order = pd.unique(scored["topic"])
    counts = sides.groupby("topic", sort=False)[["backers", "critics"]].sum().reindex(order)
    counts = counts[(counts["backers"] > 0) & (counts["critics"] > 0)]
    if counts.empty:
        return None
    rank = pd.DataFrame(
        {
            "least": counts[["backers", "critics"]].min(axis=1),
            "total": counts["backers"] + counts["critics"],
        }
    )
    # The first topic in data order among those with the best (least side, total).
    best = rank.sort_values(["least", "total"], ascending=False, kind="stable").index[0]
    name = scored.loc[scored["topic"] == best, "topic_name"].iloc[0]
    return best, name, int(counts.at[best, "backers"]), int(counts.at[best, "critics"])


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


def waiver_date(sanctions: pd.DataFrame) -> str | None:
    """The date (YYYY-MM-DD) of the first decision that waived a top-level target."""
    known = set(sanctions["id"])
    top = sanctions[~sanctions["parent"].isin(known)]
    waived = top.loc[top["status"] == "waived", "date"].dropna()
    return f"{waived.min():%Y-%m-%d}" if len(waived) else None


def decision_dates(sanctions: pd.DataFrame) -> list[str]:
    """The dates of the decisions in the data (top-level records), oldest first."""
    known = set(sanctions["id"])
    top = sanctions[~sanctions["parent"].isin(known)]
    return sorted({f"{d:%Y-%m-%d}" for d in top["date"].dropna()})


def decision_records(sanctions: pd.DataFrame, date: str | None) -> pd.DataFrame:
    """The records of one decision: its top-level records with their members. Undated records
    (only considered) go with the waiver's decision. `None` means every decision."""
    if sanctions.empty or date is None:
        return sanctions
    known = set(sanctions["id"])
    top = sanctions[~sanctions["parent"].isin(known)]
    on_date = top["date"] == pd.Timestamp(date)
    if date == waiver_date(sanctions):
        on_date |= top["date"].isna()
    chosen = set(top.loc[on_date, "id"])
    tree = sanction_tree(sanctions)
    keep, current = [], False
    for record_id, depth in zip(tree["id"], tree["depth"], strict=True):
        current = record_id in chosen if depth == 0 else current
        keep.append(current)
    return sanctions[sanctions["id"].isin(set(tree.loc[keep, "id"]))]


def waiver_decision(sanctions: pd.DataFrame) -> pd.DataFrame:
    """The records of the decision that carried the waiver (all records if none waived)."""
    if sanctions.empty:
        return sanctions
    return decision_records(sanctions, waiver_date(sanctions))


def waiver_summary(sanctions: pd.DataFrame, actor_names: dict[str, str]) -> str | None:
    """What the waiver means, in a sentence or two, from the waiver's decision records."""
    decision = waiver_decision(sanctions)
    if decision.empty:
        return None
    known = set(decision["id"])
    top = decision[~decision["parent"].isin(known)]
    proper = {name.split(" ", 1)[0] for name in actor_names.values()}
    by_status = {s: _common_nouns(top[top["status"] == s], proper) for s in top["status"].unique()}
    if not by_status.get("imposed") and not by_status.get("waived"):
        return None
    dates = top["date"].dropna()
    parts = []
    if by_status.get("imposed"):
        parts.append(f"sanctions were imposed on {_join(by_status['imposed'])}")
    if by_status.get("waived"):
        waived_ids = set(top.loc[top["status"] == "waived", "id"])
        members = decision[decision["parent"].isin(waived_ids) & (decision["status"] == "waived")]
        spared = _join(by_status["waived"])
        if len(members):
            spared += ", together with " + _join(_counted(members, proper))
        parts.append(f"waived for {spared}")
    sentence = ("On " + f"{dates.min():%d %B %Y}".lstrip("0") + ", ") if len(dates) else ""
    sentence += " but ".join(parts)
    if by_status.get("considered"):
        sentence += f"; sanctions on {_join(by_status['considered'])} were only considered"
    imposers = [actor_names.get(a, a) for a in dict.fromkeys(top["imposed_by"].dropna())]
    by = f" Decided by: {_join(imposers)}." if imposers else ""
    return sentence[:1].upper() + sentence[1:] + "." + by


def _counted(records: pd.DataFrame, proper: set[str]) -> list[str]:
    names = _common_nouns(records, proper)
    counts = records["count"]
    return [
        f"{name} ({int(n)})" if pd.notna(n) and n > 1 else name
        for name, n in zip(names, counts, strict=True)
    ]


def decision_targets(sanctions: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Targets of the waiver's decision by status and kind: {'imposed': {'vessel': 13}, …}."""
    targets = sanction_targets(waiver_decision(sanctions))
    result: dict[str, dict[str, int]] = {}
    for (status, kind), n in targets.groupby(["status", "kind_label"])["targets"].sum().items():
        result.setdefault(str(status), {})[str(kind)] = int(n)
    return result


def _common_nouns(records: pd.DataFrame, proper: set[str] = frozenset()) -> list[str]:
    # Groups and sectors read as common nouns mid-sentence ("maritime units …"), unless they
    # start with a name ("Nord Stream 2 AG's corporate officers").
    def mid_sentence(target: str, kind: str) -> str:
        first_word = target.split(" ", 1)[0].removesuffix("'s")
        if (kind.endswith("-group") or kind == "sector") and first_word not in proper:
            return target[:1].lower() + target[1:]
        return target

    return [
        mid_sentence(t, k) for t, k in zip(records["target"], records["target_kind"], strict=True)
    ]


def sanction_targets(sanctions: pd.DataFrame) -> pd.DataFrame:
    """One row per counted record: groups whose members are listed are counted by the members."""
    if sanctions.empty:
        return pd.DataFrame(columns=["kind_label", "status", "targets"])
    has_children = sanctions["id"].isin(sanctions["parent"].dropna())
    is_group = sanctions["target_kind"].str.endswith("-group")
    counted = sanctions[~(has_children & is_group)]
    return pd.DataFrame(
        {
            "kind_label": counted["target_kind"].str.removesuffix("-group").str.replace("-", " "),
            "status": counted["status"],
            "targets": counted["count"].fillna(1).astype(int),
        }
    )


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


def positions_as_of(positions: pd.DataFrame, when: object, undated_as_of: object) -> pd.DataFrame:
    """The records known on `when`: dated on or before it; undated ones count as of the
    dataset's date (`undated_as_of`)."""
    cutoff = pd.Timestamp(when)
    effective = positions["date"].fillna(pd.Timestamp(undated_as_of).as_unit("us"))
    return positions[effective <= cutoff]


def changed_cells(
    positions: pd.DataFrame, since: object, until: object, undated_as_of: object
) -> pd.DataFrame:
    """Cells whose stance on `until` differs from their stance on `since` (or that are new).

    Returns actor, topic, before (the stance then, or no_record) and after.
    """
    before = stance_cells(positions_as_of(positions, since, undated_as_of), undated_as_of)
    after = stance_cells(positions_as_of(positions, until, undated_as_of), undated_as_of)
    merged = after[["actor", "topic", "stance"]].merge(
        before[["actor", "topic", "stance"]],
        on=["actor", "topic"],
        how="left",
        suffixes=("", "_before"),
    )
    merged["stance_before"] = merged["stance_before"].fillna(NO_RECORD)
    changed = merged[merged["stance"] != merged["stance_before"]]
    return changed.rename(columns={"stance": "after", "stance_before": "before"})[
        ["actor", "topic", "before", "after"]
    ].reset_index(drop=True)


# --- Beyond the matrix ---------------------------------------------------------------------


def alignment(cells: pd.DataFrame) -> pd.DataFrame:
    """Agreement between every pair of actors over the topics both took a stance on.

    agreement = 1 − mean(|score_a − score_b|) / 4 over the topics where both have a scored
    stance (the scale runs from −2 to +2, so 4 is the widest gap). `not_raised` is off the
    scale: such topics are left out of the score and counted apart (`both_not_raised`,
    `one_not_raised`); contested cells are left out too. Returns one row per ordered pair.
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
            "agreement": np.where(shared > 0, agreement, np.nan).ravel(),
            "shared": shared.ravel(),
            "both_not_raised": both_unraised.ravel(),
            "one_not_raised": one_unraised.ravel(),
        },
        columns=columns,
    )


def compare_actors(cells: pd.DataFrame, positions: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    """Topics on which both actors have a cell: each side's stance and quote, and whether they
    agree (scores within one step), diverge (two or more apart) or cannot be compared."""
    left = cells[cells["actor"] == a].set_index("topic")
    right = cells[cells["actor"] == b].set_index("topic")
    rows = []
    for topic in [t for t in left.index if t in right.index]:
        x, y = left.loc[topic], right.loc[topic]
        if pd.notna(x["score"]) and pd.notna(y["score"]):
            gap = abs(float(x["score"]) - float(y["score"]))
            verdict = "agree" if gap <= 1 else "diverge"
        elif x["stance"] == y["stance"] == "not_raised":
            gap, verdict = float("nan"), "agree"
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
                "quote_a": _cell_quote(positions, a, topic, x["stance"]),
                "quote_b": _cell_quote(positions, b, topic, y["stance"]),
                "source_a": x["sources"],
                "source_b": y["sources"],
            }
        )
    order = {"diverge": 0, "not comparable": 1, "agree": 2}
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
        ],
    )
    return frame.sort_values("verdict", key=lambda s: s.map(order), kind="stable").reset_index(
        drop=True
    )


def _cell_quote(positions: pd.DataFrame, actor: str, topic: str, stance: str) -> str:
    records = positions[(positions["actor"] == actor) & (positions["topic"] == topic)]
    matching = records[records["stance"] == stance]
    chosen = matching if len(matching) else records
    return " / ".join(dict.fromkeys(chosen["quote"]))


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


def say_and_do(frames: Frames, positions: pd.DataFrame) -> pd.DataFrame:
    """Where an actor's stated stance conflicts with what it did: it opposes a topic yet waived
    or lifted a measure that works against that topic (the sanction's `against`), or it
    supports such a topic yet imposed the measure. The actor who decided and everyone under
    it count as the sayers; each pair is listed with both sides' quotes."""
    columns = [
        "actor",
        "actor_name",
        "topic",
        "topic_name",
        "stance",
        "quote",
        "source_title",
        "sanction",
        "target",
        "status",
        "sanction_quote",
        "sanction_source",
        "date",
    ]
    sanctions = frames.sanctions
    top = sanctions[~sanctions["parent"].isin(set(sanctions["id"]))]
    measures = top[top["imposed_by"].notna() & top["status"].isin(["waived", "lifted", "imposed"])]
    if measures.empty or positions.empty:
        return pd.DataFrame(columns=columns)
    measures = measures.assign(_order=range(len(measures)))
    # Who counts as having decided: the decider and everyone under it.
    actors = frames.actors
    lineage = pd.DataFrame(
        {
            "id": actors["id"],
            "over": [
                [a, *chain] for a, chain in zip(actors["id"], actors["ancestors"], strict=True)
            ],
        }
    )
    under = lineage[["id", "over"]].explode("over").rename(columns={"id": "actor"})
    deciders = measures[["id", "imposed_by", "_order"]].merge(
        under, left_on="imposed_by", right_on="over"
    )
    against = measures[["id", "against"]].explode("against").dropna()
    pairs = deciders.merge(against, on="id").rename(columns={"id": "sanction", "against": "topic"})
    said = positions[["actor", "topic", "actor_name", "topic_name", "stance", "quote"]].assign(
        source_title=positions["source_title"],
        score=positions["score"].astype(float),
        _row=range(len(positions)),
    )
    found = (
        pairs[["sanction", "actor", "topic", "_order"]]
        .drop_duplicates()
        .merge(said, on=["actor", "topic"])
    )
    detail = measures.set_index("id")
    status = found["sanction"].map(detail["status"])
    conflicting = found[
        (status.isin(["waived", "lifted"]) & (found["score"] < 0))
        | ((status == "imposed") & (found["score"] > 0))
    ].sort_values(["_order", "_row"], kind="stable")
    result = conflicting.assign(
        target=conflicting["sanction"].map(detail["target"]),
        status=conflicting["sanction"].map(detail["status"]),
        sanction_quote=conflicting["sanction"].map(detail["quote"]),
        sanction_source=conflicting["sanction"].map(detail["source_title"]),
        date=conflicting["sanction"].map(detail["date"]),
    )
    return result[columns].reset_index(drop=True)


def measure_positions(sanction: pd.Series, positions: pd.DataFrame) -> pd.DataFrame:
    """Who supported and who opposed a measure: positions on the topics it is linked to."""
    linked = positions[positions["topic"].isin(sanction["topics"]) & positions["score"].notna()]
    return linked.assign(
        side=np.where(
            linked["score"].astype(float) > 0,
            "for",
            np.where(linked["score"].astype(float) < 0, "against", "mixed"),
        )
    )


def agenda(positions: pd.DataFrame, events: pd.DataFrame, event_id: str) -> dict[str, pd.DataFrame]:
    """What was raised and what was left out at an event, from the positions linked to it."""
    at_event = positions[positions["event"] == event_id]
    left_out = at_event[at_event["stance"] == "not_raised"]
    raised = at_event[at_event["stance"] != "not_raised"]
    return {"raised": raised.reset_index(drop=True), "left_out": left_out.reset_index(drop=True)}


PROSPECT_LABEL = {
    "borne_out": "Borne out",
    "partly": "Partly",
    "not_borne_out": "Not borne out",
    "open": "Open",
}


# A screen shows a few thousand cells at most; beyond that the matrix is drawn a page at a time.
MATRIX_PAGE_ROWS = 60
MATRIX_PAGE_COLUMNS = 80


def page_of(items: list[str], page: int, size: int) -> tuple[list[str], int]:
    """The `page`-th (1-based) slice of `items` and the number of pages; out-of-range pages
    clamp to the nearest one."""
    pages = max(1, -(-len(items) // size))
    page = min(max(page, 1), pages)
    return items[(page - 1) * size : page * size], pages
