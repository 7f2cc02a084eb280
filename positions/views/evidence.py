"""A position's evidence as a page shows it: who, on what, which stance, the verbatim quote
(with its translation), the citation, the date, the event and the curator's note."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from positions.labels import stance_label
from positions.texts import SourceText


@dataclass(frozen=True)
class QuoteContext:
    """A quote within its sentence, and the rest of its paragraph, from the source's text."""

    before: str  # the sentence up to the quote
    quoted: str  # the quoted words as the text writes them
    after: str  # the sentence after the quote
    paragraph_before: str  # the paragraph before the sentence ('' when it starts it)
    paragraph_after: str
    source: str  # whose text: the reader page shows all of it


@dataclass(frozen=True)
class Quoted:
    """Words quoted as evidence: the words, the source they are from (as a reader names it)
    and, where the source's text is at hand, their context."""

    words: str
    source: str
    context: QuoteContext | None = None


def quoted(texts: Mapping[str, SourceText], source_id: object, words: str, source: str) -> Quoted:
    """`words` of the source `source_id` (shown as `source`), in context where possible."""
    return Quoted(words, source, quote_context(texts, source_id, words))


def quote_context(
    texts: Mapping[str, SourceText], source: object, quote: str
) -> QuoteContext | None:
    """Where `quote` stands in its source's text, or None when the source has no text (or the
    quote is not in it: the loader reports that)."""
    text = texts.get(str(source))
    span = text.find(quote) if text is not None else None
    if text is None or span is None:
        return None
    start, end = span
    first, last = text.sentence_span(span)
    block = text.block_of(start)
    block_start, block_end = (block.start, block.end) if block else (first, last)
    body = text.text
    return QuoteContext(
        before=body[first:start],
        quoted=body[start:end],
        after=body[end:last],
        paragraph_before=body[block_start:first].strip(),
        paragraph_after=body[last:block_end].strip(),
        source=text.source,
    )


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
    source: str = ""
    context: QuoteContext | None = None
    dating: str = ""  # how an undated source is dated
    source_author: str = ""  # the source's author ('' when it names none)
    source_title: str = ""
    source_publisher: str = ""  # its series and publisher
    source_url: str = ""
    source_year: str = ""


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def evidence_of(
    record: Mapping[str, Any], texts: Mapping[str, SourceText] | None = None
) -> Evidence:
    """The evidence of one row of the positions frame, its quote in context where the
    source's text is at hand."""
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
        source=str(record.get("source") or ""),
        dating=_text(record.get("source_dating")) or "",
        source_author=_text(record.get("source_author")) or "",
        source_title=_text(record.get("source_title")) or "",
        source_publisher=_text(record.get("source_publisher")) or "",
        source_url=_text(record.get("source_url")) or "",
        source_year=_text(record.get("source_year")) or "",
        context=quote_context(texts or {}, record.get("source"), str(record["quote"])),
    )


def evidence_list(
    records: pd.DataFrame, texts: Mapping[str, SourceText] | None = None
) -> tuple[Evidence, ...]:
    """The evidence of every row, in the frame's order."""
    return tuple(evidence_of(row, texts) for row in records.to_dict("records"))
