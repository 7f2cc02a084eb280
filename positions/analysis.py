"""What the pages compute from the filtered frames: matrix cells, orderings, headline findings."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from positions.frames import CONTESTED, NO_RECORD, FilteredFrames, Frames
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


def meeting_agenda_status(positions: pd.DataFrame, meeting_id: object) -> pd.DataFrame:
    """Per actor and topic at the central meeting: `not_raised` when every record there says so,
    `contested` when one source says it was not raised and another records a stance there."""
    at_meeting = positions[positions["event"] == meeting_id]
    if at_meeting.empty:
        return pd.DataFrame(columns=["actor", "topic", "topic_name", "status", "sources"])
    rows = []
    for (actor, topic), group in at_meeting.groupby(["actor", "topic"], sort=False):
        unraised = group["stance"] == "not_raised"
        if not unraised.any():
            continue
        rows.append(
            {
                "actor": actor,
                "topic": topic,
                "topic_name": group["topic_name"].iloc[0],
                "status": "not_raised" if unraised.all() else CONTESTED,
                "sources": list(dict.fromkeys(group["source_title"])),
            }
        )
    return pd.DataFrame(rows, columns=["actor", "topic", "topic_name", "status", "sources"])


def headline_figures(frames: Frames, view: FilteredFrames | None = None) -> dict[str, int]:
    """Counts for the overview, all from the data of the view (the whole dataset by default)."""
    positions = frames.positions if view is None else view.positions
    sanctions = frames.sanctions if view is None else view.sanctions
    events = frames.events if view is None else view.events
    # Whether something was raised is a fact of the record, stated or inferred stance alike.
    agenda_status = meeting_agenda_status(
        positions if view is None else view.cell_positions, frames.info.get("meeting_event")
    )
    unraised = agenda_status[agenda_status["status"] == "not_raised"]
    return {
        "actors": int(positions["actor"].nunique()),
        "topics": int(positions["topic"].nunique()),
        "positions": len(positions),
        "sources": int(positions["source"].nunique()),
        "not_raised": int(unraised["topic"].nunique()),
        "sanction_targets": len(sanctions),
        "events": len(events),
    }


def view_basis(filters: object, as_of: object) -> str:
    """What a count rests on, in words: which records, from which date."""
    count_inferred = bool(getattr(filters, "count_inferred", False))
    when = getattr(filters, "as_of", None)
    records = "stated and inferred stances" if count_inferred else "stated stances only"
    if when is None:
        return f"{records}, latest known"
    day = pd.Timestamp(when)
    suffix = " (the dataset's date)" if day == pd.Timestamp(as_of) else ""
    return f"{records}, as of {day.day} {day:%B %Y}{suffix}"


UNIT_NOTE = (
    "Each government, legislature and organisation counts once, with its officials and members "
    "rolled up; one whose members take opposite sides counts as split, not as two votes."
)


def key_findings(frames: Frames, view: FilteredFrames | None = None) -> list[Finding]:
    """The three or four things the data shows most strongly, each linked to its page. With a
    view, they are the view's: its actors, topics, date, search and counting rule."""
    findings: list[Finding] = []
    if view is None:
        from positions.frames import Filters, apply_filters

        view = apply_filters(frames, Filters(as_of=str(frames.info["as_of"])))
    counted = view.counted()
    meeting_id = frames.info.get("meeting_event")
    events = frames.events.set_index("id") if len(frames.events) else None
    agenda_status = meeting_agenda_status(view.cell_positions, meeting_id)
    shown = set(zip(view.positions["actor"], view.positions["topic"], strict=True))
    agenda_status = agenda_status[
        [pair in shown for pair in zip(agenda_status["actor"], agenda_status["topic"], strict=True)]
    ]
    if len(agenda_status) and events is not None and meeting_id in events.index:
        meeting = events.loc[meeting_id]
        plain = agenda_status[agenda_status["status"] == "not_raised"]
        contested = agenda_status[agenda_status["status"] == CONTESTED]
        topics = list(dict.fromkeys(plain["topic_name"]))
        if topics:
            issues = "1 issue" if len(topics) == 1 else f"{len(topics)} issues"
            findings.append(
                Finding(
                    f"Not raised: at \u201c{meeting['title']}\u201d ({event_when(meeting)}), "
                    f"{issues} went unraised according to the sources: {_join(topics)}.",
                    "stances",
                    {"stance": ["not_raised"]},
                )
            )
        for _, row in contested.iterrows():
            findings.append(
                Finding(
                    f"Contested: whether {row['topic_name']} was raised at \u201c"
                    f"{meeting['title']}\u201d. The sources disagree: "
                    f"{_join(row['sources'])} (both records are kept).",
                    "stances",
                    {"cell": [f"{row['actor']}~{row['topic']}"]},
                )
            )
    division = most_divided_topic(stance_cells(counted, frames.info["as_of"]), frames.actors)
    if division is not None:
        backers, critics = division.backers, division.critics
        split = f"; split inside: {_join(division.split)}" if division.split else ""
        findings.append(
            Finding(
                f"Most divided: {division.topic_name}, with {len(backers)} for "
                f"({_join(backers)}) and {len(critics)} against ({_join(critics)}){split}. "
                f"{UNIT_NOTE} Counted from {view_basis(view.filters, frames.info['as_of'])}.",
                "sanctions" if division.measure else "stances",
                {"topic": [division.topic]},
            )
        )
    targets = decision_targets(view.sanctions)
    if targets.get("imposed") or targets.get("waived"):
        decision = waiver_decision(view.sanctions)
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
    prospects = prospects_in_view(frames.prospects, view.filters)
    if len(prospects):
        counts = prospects["status"].value_counts()
        labels = {
            "borne_out": "borne out",
            "partly": "partly",
            "not_borne_out": "not borne out",
            "condition_unmet": "conditional on something that never arose",
            "open": "still open",
        }
        tally = ", ".join(f"{counts[k]} {v}" for k, v in labels.items() if k in counts)
        findings.append(
            Finding(
                f"Prospects: of the {len(prospects)} forward-looking claims recorded, {tally}.",
                "prospects",
                {},
            )
        )
    return findings


PROSPECT_TEXT = ["claim", "quote", "outcome", "note"]


def prospects_in_view(prospects: pd.DataFrame, filters: object) -> pd.DataFrame:
    """The prospects a view shows. They are the author's claims, tied to no actor or topic, so
    only the search narrows them."""
    from positions.frames import text_matches

    query = str(getattr(filters, "search", "") or "")
    if not query.strip() or prospects.empty:
        return prospects
    return prospects[text_matches(prospects, PROSPECT_TEXT, query)].reset_index(drop=True)


def _plural(kind: str, n: int) -> str:
    if n == 1:
        return kind
    return kind[:-1] + "ies" if kind.endswith("y") else kind + ("es" if kind.endswith("s") else "s")


def event_when(event: pd.Series) -> str:
    """An event's date as precise as the data knows it: '19 May 2021' or 'June 2021'."""
    if event.get("date_precision") == "month":
        return f"{event['date']:%B %Y}"
    return f"{event['date']:%d %B %Y}".lstrip("0")


COUNTED_BRANCHES = ("executive", "legislature")


def counting_units(actors: pd.DataFrame) -> pd.Series:
    """The unit each actor is counted in, so that a count counts each side once: a government,
    a legislature or an organisation, with its officials and members rolled up.

    A state with an executive or a legislature among its actors counts them apart (the Biden
    administration and the U.S. Congress are two units); its other members, and the state
    itself, count with its executive. Everything else counts with the actor at its root.
    """
    kinds = dict(zip(actors["id"], actors["kind"], strict=True))
    parents = dict(zip(actors["id"], actors["parent"], strict=True))
    executives: dict[str, str] = {}
    for actor_id, kind in kinds.items():
        parent = parents.get(actor_id)
        if kind == "executive" and isinstance(parent, str) and kinds.get(parent) == "state":
            executives.setdefault(parent, actor_id)
    units = {}
    for actor_id, chain in zip(actors["id"], actors["ancestors"], strict=True):
        lineage = [actor_id, *chain]
        root = lineage[-1]
        unit = root
        if kinds.get(root) == "state":
            branch = lineage[-2] if len(lineage) >= 2 else None
            if branch is not None and kinds.get(branch) in COUNTED_BRANCHES:
                unit = branch
            else:
                unit = executives.get(root, root)
        units[actor_id] = unit
    return pd.Series(units, name="unit")


SIDE_OF = {1: "for", -1: "against", 0: "mixed"}


def unit_sides(cells: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """Per topic and counting unit: the unit's side (for, against, mixed or split) and its
    members' stances with their dates. Cells without a point on the scale (not raised,
    contested) take no side."""
    columns = ["topic", "topic_name", "unit", "unit_name", "side", "members"]
    scored = cells[cells["score"].notna()]
    if scored.empty:
        return pd.DataFrame(columns=columns)
    units = counting_units(actors)
    names = dict(zip(actors["id"], actors["name"], strict=True))
    order = {a: i for i, a in enumerate(actors["id"])}
    scored = scored.assign(
        unit=scored["actor"].map(units),
        member_side=np.sign(scored["score"].astype(float)).astype(int).map(SIDE_OF),
        _order=scored["actor"].map(order),
    ).sort_values("_order", kind="stable")
    rows = []
    for (topic, unit), group in scored.groupby(["topic", "unit"], sort=False):
        sides = set(group["member_side"]) - {"mixed"}
        side = "split" if len(sides) > 1 else (sides.pop() if sides else "mixed")
        members = [
            {
                "actor": m["actor"],
                "actor_name": m["actor_name"],
                "stance": m["stance"],
                "date_text": m["date_text"] if isinstance(m.get("date_text"), str) else "",
                "side": m["member_side"],
            }
            for _, m in group.iterrows()
        ]
        rows.append(
            {
                "topic": topic,
                "topic_name": group["topic_name"].iloc[0],
                "unit": unit,
                "unit_name": names.get(unit, unit),
                "side": side,
                "members": members,
            }
        )
    return pd.DataFrame(rows, columns=columns)


@dataclass(frozen=True)
class Division:
    """The topic with the most units on both sides, and who they are (unit names)."""

    topic: str
    topic_name: str
    backers: list[str]
    critics: list[str]
    split: list[str]
    measure: bool = False


def most_divided_topic(cells: pd.DataFrame, actors: pd.DataFrame) -> Division | None:
    """The topic with the most counting units on both sides.

    Each government, legislature and organisation counts once per topic (see
    `counting_units`), from its members' cells; a unit whose members take opposite sides is a
    split, counted on neither side. Ties go to the topic that comes first in the data.
    """
    sides = unit_sides(cells, actors)
    if sides.empty:
        return None
    best = None
    for topic, group in sides.groupby("topic", sort=False):
        backers = list(group.loc[group["side"] == "for", "unit_name"])
        critics = list(group.loc[group["side"] == "against", "unit_name"])
        if not backers or not critics:
            continue
        rank = (min(len(backers), len(critics)), len(backers) + len(critics))
        if best is None or rank > best[0]:
            split = list(group.loc[group["side"] == "split", "unit_name"])
            best = (rank, Division(topic, group["topic_name"].iloc[0], backers, critics, split))
    return None if best is None else best[1]


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


LATEST = "latest"


def as_of_choices(positions: pd.DataFrame, as_of: object) -> list[str]:
    """The dates a view can speak from (ISO), oldest first: the dataset's date and every day on
    which a record became known."""
    column = positions["known_from"] if "known_from" in positions else positions["date"]
    known = pd.Series(column.dropna().unique())  # unique first: 100k dates
    return sorted(set(known.dt.strftime("%Y-%m-%d")) | {f"{pd.Timestamp(as_of):%Y-%m-%d}"})


def as_of_label(value: str, as_of: object) -> str:
    """How a choice of date reads: 'Latest known', '20 May 2021 (the dataset's date)'."""
    if value == LATEST:
        return "Latest known (mixes in later records)"
    if not value:
        return "No comparison"
    day = pd.Timestamp(value)
    suffix = " (the dataset's date)" if day == pd.Timestamp(as_of) else ""
    return f"{day.day} {day:%b %Y}{suffix}"


def era_note(frames: Frames, filters: object) -> str:
    """What a view's date leaves out or mixes in, for a caption under a page's title."""
    as_of = pd.Timestamp(frames.info["as_of"])
    when = getattr(filters, "as_of", None)
    known = frames.positions.get("known_from")
    if known is None:
        return ""
    dataset_day = f"{as_of.day} {as_of:%B %Y}"
    if when is None:
        later = known > as_of
        if not later.any():
            return ""
        last = known[later].max()
        return (
            f"Latest known: this view mixes the dataset's view (as of {dataset_day}) with "
            f"{int(later.sum())} later records, up to {last.day} {last:%B %Y}. Choose a date "
            "under \u201cAs of\u201d in the sidebar to see what was known then."
        )
    cutoff = pd.Timestamp(when)
    hidden = int((known > cutoff).sum())
    day = f"{cutoff.day} {cutoff:%B %Y}"
    which = " (the dataset's date)" if cutoff == as_of else ""
    if not hidden:
        return f"As of {day}{which}."
    return (
        f"As of {day}{which}: {hidden} records known only later are left out; choose "
        "\u201cLatest known\u201d under \u201cAs of\u201d in the sidebar to include them."
    )


def positions_as_of(positions: pd.DataFrame, when: object, undated_as_of: object) -> pd.DataFrame:
    """The records known on `when`: dated on or before it; undated ones count as of the
    dataset's date (`undated_as_of`)."""
    cutoff = pd.Timestamp(when)
    if "known_from" in positions:
        return positions[positions["known_from"] <= cutoff]
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
                "date_a": x.get("date_text", ""),
                "date_b": y.get("date_text", ""),
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


def _cell_quote(positions: pd.DataFrame, actor: str, topic: str, stance: str) -> str:
    records = positions[(positions["actor"] == actor) & (positions["topic"] == topic)]
    matching = records[records["stance"] == stance]
    chosen = matching if len(matching) else records
    return " / ".join(dict.fromkeys(quotes_with_translations(chosen)))


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
        "said_date",
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
    said = positions[["actor", "topic", "actor_name", "topic_name", "stance"]].assign(
        quote=quotes_with_translations(positions),
        said_date=positions.get("date_text", ""),
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


SIDE_ORDER = ("for", "against", "split", "mixed")


def measure_sides(sanction: pd.Series, cells: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """Who supported and who opposed a measure: per topic it is linked to, each counting unit
    once (see `unit_sides`), for first, then against, split and mixed."""
    linked = cells[cells["topic"].isin(list(sanction["topics"]))]
    sides = unit_sides(linked, actors)
    if sides.empty:
        return sides
    topic_order = {t: i for i, t in enumerate(sanction["topics"])}
    return (
        sides.assign(
            _topic=sides["topic"].map(topic_order), _side=sides["side"].map(SIDE_ORDER.index)
        )
        .sort_values(["_topic", "_side"], kind="stable")
        .drop(columns=["_topic", "_side"])
        .reset_index(drop=True)
    )


def member_text(members: list[dict[str, str]]) -> str:
    """'Antony Blinken: Support, 19 May 2021; Heiko Maas: …' for a unit's members."""
    parts = []
    for member in members:
        dated = f", {member['date_text']}" if member.get("date_text") else ""
        parts.append(f"{member['actor_name']}: {STANCE_LABEL[member['stance']]}{dated}")
    return "; ".join(parts)


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


def agenda_lines(records: pd.DataFrame, *, stances: bool = True) -> pd.DataFrame:
    """One line per topic of an agenda, in the order recorded: each actor once, each quote once.

    `who` names the topic's actors, each once; with `stances`, each with its stances, each stance
    once ("Antony Blinken: Support / Oppose; Sergey Lavrov: Support"). `quotes` holds the
    distinct quotes and `quoted_by` who each one is from.
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
        rows.append(
            {
                "topic": topic,
                "topic_name": group["topic_name"].iloc[0],
                "who": who,
                "quotes": quotes,
                "quoted_by": quoted_by,
            }
        )
    return pd.DataFrame(rows, columns=["topic", "topic_name", "who", "quotes", "quoted_by"])


EVENT_STATUS_LABEL = {"occurred": "Occurred", "planned": "Planned"}


def event_kind_label(kind: str) -> str:
    """An event's kind in words: 'sanctions-action' is 'Sanctions action'."""
    words = str(kind).replace("-", " ").replace("_", " ")
    return words[:1].upper() + words[1:]


def event_status_label(status: str) -> str:
    """An event's status in words: 'Occurred' or 'Planned'."""
    return EVENT_STATUS_LABEL.get(status) or event_kind_label(status)


def event_dates_text(events: pd.DataFrame) -> pd.Series:
    """Each event's date as precise as the data knows it: '19 May 2021', 'June 2021', '2021'."""
    dates, precision = events["date"], events["date_precision"]
    day = dates.dt.day.astype(str) + dates.dt.strftime(" %B %Y")
    when = day.where(precision != "month", dates.dt.strftime("%B %Y"))
    return when.where(precision != "year", dates.dt.strftime("%Y"))


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


PROSPECT_LABEL = {
    "borne_out": "Borne out",
    "partly": "Partly",
    "not_borne_out": "Not borne out",
    "condition_unmet": "Condition never arose",
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
