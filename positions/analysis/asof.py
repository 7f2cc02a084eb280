"""The date a view speaks from: the choices, what a date leaves out or mixes in, what changed."""

from __future__ import annotations

import pandas as pd

from positions.analysis.cells import stance_cells
from positions.dates import date_text
from positions.frames import NO_RECORD, Frames

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
    return f"{date_text(day)}{suffix}"


def era_note(frames: Frames, filters: object) -> str:
    """What a view's date leaves out or mixes in, for a caption under a page's title."""
    as_of = pd.Timestamp(frames.info.as_of)
    when = getattr(filters, "as_of", None)
    known = frames.positions.get("known_from")
    if known is None:
        return ""
    dataset_day = date_text(as_of)
    if when is None:
        later = known > as_of
        if not later.any():
            return ""
        last = known[later].max()
        return (
            f"Latest known: this view mixes the dataset's view (as of {dataset_day}) with "
            f"{int(later.sum())} later records, up to {date_text(last)}. Choose a date "
            "under \u201cAs of\u201d in the sidebar to see what was known then."
        )
    cutoff = pd.Timestamp(when)
    hidden = int((known > cutoff).sum())
    day = date_text(cutoff)
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
