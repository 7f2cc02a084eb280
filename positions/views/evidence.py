"""A position's evidence as a page shows it: who, on what, which stance, the verbatim quote
(with its translation), the citation, the date, the event and the curator's note."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from positions.labels import stance_label


@dataclass(frozen=True)
class Evidence:
    """One record's evidence, every value in words (ids only to name it)."""

    id: str
    actor: str
    topic: str
    actor_name: str
    topic_name: str
    stance: str
    stance_label: str
    inferred: bool
    quote: str
    translation: str | None
    citation: str
    date_text: str  # '' when undated
    event_title: str | None
    note: str | None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def evidence_of(record: Mapping[str, Any]) -> Evidence:
    """The evidence of one row of the positions frame."""
    return Evidence(
        id=str(record["id"]),
        actor=str(record["actor"]),
        topic=str(record["topic"]),
        actor_name=str(record["actor_name"]),
        topic_name=str(record["topic_name"]),
        stance=str(record["stance"]),
        stance_label=stance_label(str(record["stance"])),
        inferred=record.get("confidence") == "inferred",
        quote=str(record["quote"]),
        translation=_text(record.get("translation")),
        citation=str(record.get("source_citation") or record.get("source_title") or ""),
        date_text=_text(record.get("date_text")) or "",
        event_title=_text(record.get("event_title")),
        note=_text(record.get("note")),
    )


def evidence_list(records: pd.DataFrame) -> tuple[Evidence, ...]:
    """The evidence of every row, in the frame's order."""
    return tuple(evidence_of(row) for row in records.to_dict("records"))
