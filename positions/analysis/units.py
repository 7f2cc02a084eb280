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


SIDE_ORDER = ("for", "against", "split", "mixed")


def member_text(members: list[dict[str, str]]) -> str:
    """'Antony Blinken: Support, 19 May 2021; Heiko Maas: …' for a unit's members."""
    parts = []
    for member in members:
        dated = f", {member['date_text']}" if member.get("date_text") else ""
        parts.append(f"{member['actor_name']}: {STANCE_LABEL[member['stance']]}{dated}")
    return "; ".join(parts)
