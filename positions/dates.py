"""Dates only as precise as their source: a day, a month or a year, and how each is shown.

A record dated `2021-06` happened some time in June 2021. Views that ask what was known on a
day treat it conservatively, as known only once the whole month is over (`period_end`); lists
sort it by its first day (`period_start`) and show it as "June 2021" (`date_text`).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd


def precision_of(value: object) -> str:
    """`day`, `month` or `year` for a date as the model holds it; `` for a missing one."""
    if value is pd.NaT:
        return ""
    if isinstance(value, dt.date):
        return "day"
    if isinstance(value, str) and value:
        return {4: "year", 7: "month"}.get(len(value), "day")
    return ""


def period_start(value: object) -> pd.Timestamp:
    """The first day the date could mean (NaT when there is none)."""
    if isinstance(value, dt.date):
        return pd.Timestamp(value)
    if isinstance(value, str):
        return pd.Timestamp(value + {4: "-01-01", 7: "-01"}.get(len(value), ""))
    return pd.NaT


def period_end(value: object) -> pd.Timestamp:
    """The last day the date could mean (NaT when there is none)."""
    start = period_start(value)
    if pd.isna(start):
        return pd.NaT
    kind = precision_of(value)
    if kind == "month":
        return start + pd.offsets.MonthEnd(0)
    if kind == "year":
        return start + pd.offsets.YearEnd(0)
    return start


def date_text(value: object, precision: str | None = None, missing: str = "") -> str:
    """A date for readers, as precise as it is: '19 May 2021', 'June 2021', '2021'.

    The one date format of the project. `value` is a date as the model holds it (a day, or
    `2021-06` / `2021` text) or a timestamp, whose `precision` (`day`, `month`, `year`) the
    caller gives; a missing date reads as `missing`.
    """
    kind = precision or precision_of(value)
    if not kind:
        return missing
    try:
        start = period_start(value) if isinstance(value, str) else pd.Timestamp(value)
    except (TypeError, ValueError):
        return missing
    if pd.isna(start):
        return missing
    if kind == "month":
        return f"{start:%B %Y}"
    if kind == "year":
        return f"{start:%Y}"
    return f"{start.day} {start:%B %Y}"


def period_text(start: object, end: object) -> str:
    """A span of days for readers: '19 May – 30 June 2021' (the year once when it is one)."""
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    if first.year == last.year:
        return f"{first.day} {first:%B} \u2013 {date_text(last)}"
    return f"{date_text(first)} \u2013 {date_text(last)}"


def iso_text(value: object) -> str:
    """The date as the dataset writes it: `2021-05-19`, `2021-06` or `2021`; '' if none."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value if isinstance(value, str) else ""
