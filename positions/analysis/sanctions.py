"""The measures: their tree, decisions and targets, say and do, who was for and against each."""

from __future__ import annotations

import numpy as np
import pandas as pd

from positions.analysis.alignment import quotes_with_translations
from positions.analysis.units import SIDE_ORDER, unit_sides
from positions.analysis.words import join_words
from positions.dates import date_text
from positions.frames import STANCE_COLUMNS, Frames


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
    # A single target's name is a proper name too ("Nord Stream 2 AG"), whatever the actors.
    kinds = sanctions["target_kind"]
    single = sanctions.loc[~kinds.str.endswith("-group") & (kinds != "sector"), "target"]
    proper |= {str(name).split(" ", 1)[0] for name in single}
    by_status = {s: _common_nouns(top[top["status"] == s], proper) for s in top["status"].unique()}
    if not by_status.get("imposed") and not by_status.get("waived"):
        return None
    dates = top["date"].dropna()
    parts = []
    if by_status.get("imposed"):
        parts.append(f"sanctions were imposed on {join_words(by_status['imposed'])}")
    if by_status.get("waived"):
        waived_ids = set(top.loc[top["status"] == "waived", "id"])
        members = decision[decision["parent"].isin(waived_ids) & (decision["status"] == "waived")]
        spared = join_words(by_status["waived"])
        if len(members):
            spared += ", together with " + join_words(_counted(members, proper))
        parts.append(f"waived for {spared}")
    sentence = (f"On {date_text(dates.min())}, ") if len(dates) else ""
    sentence += " but ".join(parts)
    if by_status.get("considered"):
        sentence += f"; sanctions on {join_words(by_status['considered'])} were only considered"
    imposers = [actor_names.get(a, a) for a in dict.fromkeys(top["imposed_by"].dropna())]
    by = f" Decided by: {join_words(imposers)}." if imposers else ""
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


def say_and_do(frames: Frames, positions: pd.DataFrame) -> pd.DataFrame:
    """Where an actor's stated stance conflicts with what it did: it opposes a topic yet waived
    or lifted a measure that works against that topic (the sanction's `against`), or it
    supports such a topic yet imposed the measure. The actor who decided and everyone under
    it count as the sayers; each pair is listed with both sides' quotes."""
    columns = [
        *STANCE_COLUMNS,
        "source_title",
        "sanction",
        "target",
        "status",
        "sanction_quote",
        "sanction_source",
        "date",
        "said_date",
        "said_source",
        "said_words",
        "sanction_source_id",
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
        said_source=positions["source"],
        said_words=positions["quote"],
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
        sanction_source_id=conflicting["sanction"].map(detail["source"]),
        date=conflicting["sanction"].map(detail["date"]),
    )
    return result[columns].reset_index(drop=True)


def measure_sides(sanction: pd.Series, cells: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """Who supported and who opposed a measure: per topic it is linked to, each counting unit
    once (see `unit_sides`), for first, then against, split and mixed."""
    # Only the measure's own topics: opposing what it works against (the pipeline) is no
    # opposition to the measure.
    against = set(sanction["against"]) if isinstance(sanction.get("against"), list) else set()
    own = [topic for topic in sanction["topics"] if topic not in against]
    linked = cells[cells["topic"].isin(own)]
    sides = unit_sides(linked, actors)
    if sides.empty:
        return sides
    topic_order = {t: i for i, t in enumerate(own)}
    return (
        sides.assign(
            _topic=sides["topic"].map(topic_order), _side=sides["side"].map(SIDE_ORDER.index)
        )
        .sort_values(["_topic", "_side"], kind="stable")
        .drop(columns=["_topic", "_side"])
        .reset_index(drop=True)
    )


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
