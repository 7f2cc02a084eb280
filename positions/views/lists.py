"""Long lists: how many records a page writes out one by one, and what it says of the rest."""

from __future__ import annotations

LIST_LIMIT = 30  # records written out one by one on a page; the rest are counted


def more_note(total: int, what: str, limit: int = LIST_LIMIT) -> str:
    """What a page says under a list cut at `limit` ('' when nothing is cut).

    A list of every record of a large dataset would take seconds to send and nobody reads it;
    the filters narrow it, and the downloads hold everything.
    """
    if total <= limit:
        return ""
    return (
        f"Showing the first {limit} of {total:,} {what}. Narrow the view with the filters or the "
        "search in the sidebar; the downloads on Sources & method hold them all."
    )
