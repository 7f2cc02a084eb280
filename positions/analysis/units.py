"""Counting each side once: the units actors are counted in, their sides, the most divided topic."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from positions.model import STANCE_LABEL

COUNTED_BRANCHES = ("executive", "legislature")


def counting_units(actors: pd.DataFrame) -> pd.Series:
    """The unit each actor is counted in, so that a count counts each side once: a government,
    a legislature or an organisation, with its officials and members rolled up.

    A state with an executive or a legislature among its actors counts them apart (the Biden
    administration and the U.S. Congress are two units); its other members, and the state
    itself, count with its executive. A bloc's members count each as themselves. Everything else
    counts with the actor at its root.
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
        if kinds.get(root) == "bloc":
            # A bloc is a loose grouping ("U.S. allies in NATO and the EU"): a part of it ("some
            # allies") does not speak for the whole, so each counts as itself.
            unit = actor_id
        elif kinds.get(root) == "state":
            branch = lineage[-2] if len(lineage) >= 2 else None
            if branch is not None and kinds.get(branch) in COUNTED_BRANCHES:
                unit = branch
            else:
                unit = executives.get(root, root)
        units[actor_id] = unit
    return pd.Series(units, name="unit")


SIDE_OF = {1: "for", -1: "against", 0: "mixed"}


def _sides(cells: pd.DataFrame, actors: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The scored cells with their unit and side, in actor order, and one row per topic and
    unit with the unit's side: vectorised, as a large dataset has tens of thousands of cells."""
    scored = cells[cells["score"].notna()]
    order = {a: i for i, a in enumerate(actors["id"])}
    scored = scored.assign(
        unit=scored["actor"].map(counting_units(actors)),
        member_side=np.sign(scored["score"].astype(float)).astype(int).map(SIDE_OF),
        _order=scored["actor"].map(order),
    ).sort_values("_order", kind="stable")
    keys = [scored["topic"], scored["unit"]]
    backs = (scored["member_side"] == "for").groupby(keys, sort=False).any()
    rejects = (scored["member_side"] == "against").groupby(keys, sort=False).any()
    side = np.where(
        backs & rejects, "split", np.where(backs, "for", np.where(rejects, "against", "mixed"))
    )
    units = pd.DataFrame({"side": side}, index=backs.index).reset_index()
    names = dict(zip(actors["id"], actors["name"], strict=True))
    units["unit_name"] = units["unit"].map(lambda u: names.get(u, u))
    return scored, units


def unit_sides(cells: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """Per topic and counting unit: the unit's side (for, against, mixed or split) and its
    members' stances with their dates. Cells without a point on the scale (not raised,
    contested) take no side."""
    columns = ["topic", "topic_name", "unit", "unit_name", "side", "members"]
    scored, units = _sides(cells, actors)
    if scored.empty:
        return pd.DataFrame(columns=columns)
    dates = scored["date_text"].where(scored["date_text"].map(lambda v: isinstance(v, str)), "")
    records = scored.assign(date_text=dates, side=scored["member_side"])
    fields = ["actor", "actor_name", "stance", "date_text", "side"]
    members = {
        key: group[fields].to_dict("records")
        for key, group in records.groupby(["topic", "unit"], sort=False)
    }
    topic_names = scored.drop_duplicates("topic").set_index("topic")["topic_name"]
    units["topic_name"] = units["topic"].map(topic_names)
    units["members"] = [members[key] for key in zip(units["topic"], units["unit"], strict=True)]
    return units[columns]


@dataclass(frozen=True)
class Division:
    """The topic with the most units on both sides, and who they are (unit names)."""

    topic: str
    topic_name: str
    backers: list[str]
    critics: list[str]
    split: list[str]


def most_divided_topic(cells: pd.DataFrame, actors: pd.DataFrame) -> Division | None:
    """The topic with the most counting units on both sides.

    Each government, legislature and organisation counts once per topic (see
    `counting_units`), from its members' cells; a unit whose members take opposite sides is a
    split, counted on neither side. Ties go to the topic that comes first in the data.
    """
    _, units = _sides(cells, actors)
    if units.empty:
        return None
    topics = units["topic"]
    backers = (units["side"] == "for").groupby(topics, sort=False).sum()
    critics = (units["side"] == "against").groupby(topics, sort=False).sum()
    both = (backers > 0) & (critics > 0)
    if not both.any():
        return None
    rank = pd.DataFrame({"least": np.minimum(backers, critics), "total": backers + critics})[both]
    # The first topic in data order among those with the best (least side, total).
    best = rank.sort_values(["least", "total"], ascending=False, kind="stable").index[0]
    chosen = units[topics == best]
    name = cells.loc[cells["topic"] == best, "topic_name"].iloc[0]

    def named(side: str) -> list[str]:
        return list(chosen.loc[chosen["side"] == side, "unit_name"])

    return Division(best, name, named("for"), named("against"), named("split"))


SIDE_ORDER = ("for", "against", "split", "mixed")


def member_text(members: list[dict[str, str]]) -> str:
    """'Antony Blinken: Support, 19 May 2021; Heiko Maas: …' for a unit's members."""
    parts = []
    for member in members:
        dated = f", {member['date_text']}" if member.get("date_text") else ""
        parts.append(f"{member['actor_name']}: {STANCE_LABEL[member['stance']]}{dated}")
    return "; ".join(parts)
