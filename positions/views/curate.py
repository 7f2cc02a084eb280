"""The Curate page: a source's text as numbered sentences (each with how many records code it),
the records coded from it, the choices the form offers and the changes made so far."""

from __future__ import annotations

from dataclasses import dataclass

from positions.curate.working import NOUN, Change, WorkingCopy, summary
from positions.dates import date_text
from positions.frames import citation
from positions.labels import kind_label, stance_label
from positions.model import Position
from positions.skeleton import KIND_EXAMPLES
from positions.texts import QUOTED_FIELDS, SourceText
from positions.views.lists import LIST_LIMIT

# The codebook's actor kinds (the skeleton's examples) are offered first; a dataset's own kinds
# follow.
ACTOR_KINDS = KIND_EXAMPLES[("actors", "kind")]


@dataclass(frozen=True)
class SentenceRow:
    """One sentence of the text, numbered in reading order."""

    number: int
    start: int
    end: int
    text: str  # on one line
    records: int  # how many records' quotes (or explanations) lie in it


@dataclass(frozen=True)
class Paragraph:
    heading: str  # the heading's text, or "" for a paragraph of sentences
    sentences: tuple[SentenceRow, ...]


@dataclass(frozen=True)
class Around:
    """A picked sentence within its paragraph."""

    before: str
    sentence: str
    after: str


@dataclass(frozen=True)
class TextView:
    source: str
    title: str
    citation: str
    paragraphs: tuple[Paragraph, ...]
    coded: int  # sentences some record codes
    total: int
    coverage: str

    def sentence(self, number: int) -> SentenceRow | None:
        for paragraph in self.paragraphs:
            for row in paragraph.sentences:
                if row.number == number:
                    return row
        return None

    @property
    def numbers(self) -> list[int]:
        return [row.number for p in self.paragraphs for row in p.sentences]


@dataclass(frozen=True)
class RecordRow:
    """A position as the list of records shows it, by its slot in the working copy."""

    slot: int
    id: str  # "" when the record has none
    actor: str
    actor_name: str
    topic: str
    topic_name: str
    stance: str
    stance_label: str
    source: str
    source_title: str
    quote: str
    date_text: str
    sentences: tuple[int, ...]  # the sentences of the shown text it codes
    change: str  # "added", "edited" or ""

    @property
    def title(self) -> str:
        return f"{self.actor_name} on {self.topic_name}: {self.stance_label}"


@dataclass(frozen=True)
class ChangeRow:
    section: str
    slot: int
    kind: str  # "added", "edited", "removed"
    what: str  # "Added position p10: North on The pipeline (Oppose)"


@dataclass(frozen=True)
class CurateView:
    choices: dict[str, str]  # the sources whose text is at hand, by id, with their titles
    text: TextView | None  # the chosen source's text
    records: tuple[RecordRow, ...]  # the records listed (cut at LIST_LIMIT)
    records_note: str  # how many there are and which
    total_records: int  # before the list is cut
    coded_in: dict[int, tuple[RecordRow, ...]]  # the positions coded in each sentence, by number
    summary: str  # "3 added, 1 edited, 1 removed"
    changes: tuple[ChangeRow, ...]  # latest first
    actors: dict[str, str]  # id: "Name · kind", in the dataset's order
    topics: dict[str, str]  # id: "Name · group"
    events: dict[str, str]  # id: "Title, 19 May 2021"
    sources: dict[str, str]  # id: title, every source
    kinds: tuple[str, ...]  # actor kinds to offer
    groups: tuple[str, ...]  # topic groups in use


def source_choices(
    working: WorkingCopy, texts: dict[str, SourceText]
) -> tuple[dict[str, str], str]:
    """The sources whose text is at hand, and the one to open with (the dataset's article)."""
    dataset = working.dataset
    choices = {s.id: s.title for s in dataset.sources if s.id in texts}
    article = dataset.dataset.article_source
    return choices, article if article in choices else next(iter(choices), "")


def build_curate(
    working: WorkingCopy,
    texts: dict[str, SourceText],
    source: str,
    *,
    all_positions: bool = False,
    limit: int = LIST_LIMIT,
) -> CurateView:
    """What the Curate page shows for one source (`source` may be one without a text, or '')."""
    dataset = working.dataset
    choices, _ = source_choices(working, texts)
    actor_names = {a.id: a.name for a in dataset.actors}
    topic_names = {t.id: t.name for t in dataset.topics}
    titles = {s.id: s.title for s in dataset.sources}
    text = texts.get(source)
    text_view = _text_view(working, text, titles.get(source, source)) if text else None
    spans = _sentence_index(text_view)

    rows = []
    for slot, record in working.records("positions"):
        if not all_positions and record.source != source:
            continue
        found = text.find(record.quote) if text is not None and record.source == source else None
        rows.append(
            _record_row(working, slot, record, found, spans, actor_names, topic_names, titles)
        )
    coded_in: dict[int, list[RecordRow]] = {}
    for row in rows:
        for number in row.sentences:
            coded_in.setdefault(number, []).append(row)
    whose = "in the dataset" if all_positions else f"cite {titles.get(source, source)}"
    total = len(rows)
    note = f"{total} position{'s' if total != 1 else ''} {whose}."
    if total > limit:
        note += f" Showing the {limit} latest in the file; the rest are in the download."
        rows = rows[-limit:]
    return CurateView(
        choices=choices,
        text=text_view,
        records=tuple(reversed(rows)),  # the latest (and the newly added) first
        coded_in={n: tuple(reversed(found)) for n, found in coded_in.items()},
        records_note=note,
        total_records=total,
        summary=summary(working),
        changes=change_rows(working),
        actors={a.id: f"{a.name} · {kind_label(a.kind).lower()}" for a in dataset.actors},
        topics={t.id: f"{t.name} · {t.group or 'Other'}" for t in dataset.topics},
        events={e.id: f"{e.title}, {date_text(e.date)}" for e in dataset.events},
        sources=titles,
        kinds=tuple(dict.fromkeys([*ACTOR_KINDS, *(a.kind for a in dataset.actors)])),
        groups=tuple(dict.fromkeys(t.group for t in dataset.topics if t.group)),
    )


def _record_row(
    working: WorkingCopy,
    slot: int,
    record: Position,
    found: tuple[int, int] | None,
    spans: list[SentenceRow],
    actor_names: dict[str, str],
    topic_names: dict[str, str],
    titles: dict[str, str],
) -> RecordRow:
    change = working.change_of("positions", slot)
    return RecordRow(
        slot=slot,
        id=record.id or "",
        actor=record.actor,
        actor_name=actor_names.get(record.actor, record.actor),
        topic=record.topic,
        topic_name=topic_names.get(record.topic, record.topic),
        stance=record.stance.value,
        stance_label=stance_label(record.stance.value),
        source=record.source,
        source_title=titles.get(record.source, record.source),
        quote=record.quote,
        date_text=date_text(record.date) if record.date else "undated",
        sentences=_covered(spans, found),
        change=change.kind if change else "",
    )


def around(text: SourceText, row: SentenceRow) -> Around:
    """A sentence with the rest of its paragraph on either side (each on one line)."""
    block = text.block_of(row.start)
    start, end = (block.start, block.end) if block else (row.start, row.end)
    return Around(
        " ".join(text.text[start : row.start].split()),
        row.text,
        " ".join(text.text[row.end : end].split()),
    )


def sentence_of(view: TextView, span: tuple[int, int] | None) -> int | None:
    """The number of the sentence a span starts in (None when there is no span)."""
    if span is None:
        return None
    for paragraph in view.paragraphs:
        for row in paragraph.sentences:
            if row.start <= span[0] < row.end:
                return row.number
    return None


def _text_view(working: WorkingCopy, text: SourceText, title: str) -> TextView:
    spans = [
        found
        for section, names in QUOTED_FIELDS.items()
        for record in getattr(working.dataset, section)
        if record.source == text.source
        for name in names
        if isinstance(getattr(record, name, None), str)
        and (found := text.find(getattr(record, name))) is not None
    ]
    paragraphs = []
    number = 0
    coded = 0
    for block in text.blocks:
        if block.heading:
            heading = " ".join(text.text[block.start : block.end].split())
            paragraphs.append(Paragraph(heading, ()))
            continue
        rows = []
        for start, end in (s for s in text.sentences if block.start <= s[0] < block.end):
            number += 1
            count = sum(1 for s, e in spans if s < end and e > start)
            coded += count > 0
            rows.append(
                SentenceRow(number, start, end, " ".join(text.text[start:end].split()), count)
            )
        paragraphs.append(Paragraph("", tuple(rows)))
    source = next(s for s in working.dataset.sources if s.id == text.source)
    share = f"{coded / number:.0%}" if number else "0%"
    return TextView(
        source=text.source,
        title=title,
        citation=citation(source.model_dump()),
        paragraphs=tuple(paragraphs),
        coded=coded,
        total=number,
        coverage=f"{coded} of {number} sentences ({share}) carry a record; {number - coded} "
        "carry none yet.",
    )


def _sentence_index(view: TextView | None) -> list[SentenceRow]:
    return [row for p in view.paragraphs for row in p.sentences] if view else []


def _covered(rows: list[SentenceRow], span: tuple[int, int] | None) -> tuple[int, ...]:
    if span is None:
        return ()
    return tuple(r.number for r in rows if r.start < span[1] and r.end > span[0])


def change_rows(working: WorkingCopy) -> tuple[ChangeRow, ...]:
    """Every change against the file, the latest first, in words."""
    dataset = working.dataset
    # A removed record's actor or topic is still named: look in the file as loaded too.
    actors = {a.id: a.name for a in [*working.base.actors, *dataset.actors]}
    topics = {t.id: t.name for t in [*working.base.topics, *dataset.topics]}
    return tuple(_change_row(change, actors, topics) for change in working.changes)


def _change_row(change: Change, actors: dict[str, str], topics: dict[str, str]) -> ChangeRow:
    record = change.after if change.after is not None else change.before
    noun = NOUN[change.section]
    verb = change.kind.capitalize()
    if change.section == "positions":
        name = f" {record.id}" if record.id else ""
        what = (
            f"{verb} position{name}: {actors.get(record.actor, record.actor)} on "
            f"{topics.get(record.topic, record.topic)} ({stance_label(record.stance.value)})"
        )
    else:
        what = f"{verb} {noun} {record.id}: {record.name}"
    return ChangeRow(change.section, change.slot, change.kind, what)
