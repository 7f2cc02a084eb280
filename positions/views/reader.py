"""The Reader page: a source's whole text with every coded passage marked, what was coded there,
and the sentences no record codes, so that a curator sees what is left."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from positions.frames import FilteredFrames, Frames
from positions.labels import SANCTION_STATUS_LABEL, stance_label
from positions.texts import QUOTED_FIELDS, SourceText, coded_share

# Which page shows a record of each section, and how its link names it.
RECORD_PAGES = {"sanctions": "sanctions", "events": "timeline", "prospects": "prospects"}


@dataclass(frozen=True)
class Passage:
    """A coded passage: its number in the text, what was coded there, and where it is shown."""

    number: int
    what: str  # "Heiko Maas on the waiver: Support", "Sanction: Nord Stream 2 AG (waived)"
    page: str  # the page key that shows the record
    query: dict[str, str]  # that page's address parameters for the record
    in_view: bool  # the record is in the sidebar's view (others fade)


@dataclass(frozen=True)
class Piece:
    """A run of a paragraph's text: coded (by the passages numbered), or a sentence no record
    codes, or the plain rest of a coded sentence."""

    text: str
    kind: str  # "coded", "plain" or "uncoded"
    passages: tuple[int, ...] = ()  # the passages over this run
    in_view: bool = True
    ends: tuple[int, ...] = ()  # the passages that end with this run (their numbers go here)


@dataclass(frozen=True)
class ReaderBlock:
    heading: bool
    pieces: tuple[Piece, ...]
    passages: tuple[Passage, ...]  # the passages that end in this block (where their numbers are)


@dataclass(frozen=True)
class ReaderView:
    choices: dict[str, str]  # sources with a text, by id, with their titles
    source: str
    title: str
    citation: str
    coded: int  # sentences some passage codes
    sentences: int
    coverage: str
    blocks: tuple[ReaderBlock, ...]
    passages: tuple[Passage, ...]


def reader_choices(frames: Frames) -> tuple[dict[str, str], str]:
    """The sources whose text is at hand, and the one to open with (the dataset's article)."""
    titles = dict(zip(frames.sources["id"], frames.sources["title"], strict=True))
    choices = {s: titles[s] for s in titles if s in frames.texts}
    article = frames.info.article_source
    return choices, article if article in choices else next(iter(choices), "")


def _passage(section: str, record: dict, number: int, view: FilteredFrames) -> Passage:
    if section == "positions":
        what = f"{record['actor_name']} on {record['topic_name']}: {stance_label(record['stance'])}"
        return Passage(
            number,
            what,
            "stances",
            {"cell": f"{record['actor']}~{record['topic']}"},
            record["id"] in set(view.positions["id"]),
        )
    what, shown = {
        "sanctions": (
            f"Sanction: {record.get('target')} "
            f"({SANCTION_STATUS_LABEL.get(record.get('status'), '').lower()})",
            view.sanctions,
        ),
        "events": (f"Event: {record.get('title')}", view.events),
        "prospects": (f"Prospect: {record.get('claim')}", None),
    }[section]
    # Prospects are the author's claims, tied to no actor or topic: always in the view.
    in_view = shown is None or record["id"] in set(shown["id"])
    return Passage(number, what, RECORD_PAGES[section], {}, in_view)


def build_reader(frames: Frames, view: FilteredFrames, source: str) -> ReaderView | None:
    """The reader of one source's text, or None when the source has no text."""
    choices, _ = reader_choices(frames)
    text = frames.texts.get(source)
    if text is None:
        return None
    found = []
    for section, names in QUOTED_FIELDS.items():
        for record in getattr(frames, section).to_dict("records"):
            if record.get("source") != source:
                continue
            for name in names:
                words = record.get(name)
                span = text.find(words) if isinstance(words, str) and words else None
                if span is not None:
                    found.append((span, section, record))
    # Numbered in reading order of their ends, where their numbers are shown.
    found.sort(key=lambda item: (item[0][1], item[0][0]))
    numbered = [
        (start, end, _passage(section, record, number, view))
        for number, ((start, end), section, record) in enumerate(found, start=1)
    ]
    passages = [passage for _, _, passage in numbered]
    coded, total = coded_share(text, [(s, e) for s, e, _ in numbered])
    share = f"{coded / total:.0%}" if total else "0%"
    citation = frames.sources.set_index("id").loc[source, "citation"]
    return ReaderView(
        choices=choices,
        source=source,
        title=choices[source],
        citation=str(citation),
        coded=coded,
        sentences=total,
        coverage=f"{coded} of {total} sentences ({share}) carry a record; the {total - coded} "
        "in grey carry none.",
        blocks=tuple(_blocks(text, numbered)),
        passages=tuple(passages),
    )


def _blocks(text: SourceText, spans: list[tuple[int, int, Passage]]) -> list[ReaderBlock]:
    blocks = []
    for block in text.blocks:
        if block.heading:
            piece = Piece(text.text[block.start : block.end].strip(), "plain")
            blocks.append(ReaderBlock(True, (piece,), ()))
            continue
        pieces: list[Piece] = []
        for start, end in (s for s in text.sentences if block.start <= s[0] < block.end):
            if pieces:
                pieces.append(Piece(" ", "plain"))
            pieces += _sentence_pieces(text.text, start, end, spans)
        starting = tuple(p for _, e, p in spans if block.start < e <= block.end)
        blocks.append(ReaderBlock(False, tuple(pieces), starting))
    return blocks


def _sentence_pieces(
    body: str, start: int, end: int, spans: list[tuple[int, int, Passage]]
) -> list[Piece]:
    """A sentence cut at every coded span's edges, each run tagged with the passages over it."""
    over = [(max(s, start), min(e, end), p) for s, e, p in spans if s < end and e > start]
    if not over:
        return [Piece(body[start:end], "uncoded")]
    edges = sorted({start, end, *(s for s, _, _ in over), *(e for _, e, _ in over)})
    pieces = []
    for left, right in itertools.pairwise(edges):
        covering = [p for s, e, p in over if s <= left and e >= right]
        if covering:
            pieces.append(
                Piece(
                    body[left:right],
                    "coded",
                    tuple(p.number for p in covering),
                    any(p.in_view for p in covering),
                    tuple(p.number for s, e, p in over if e == right),
                )
            )
        else:
            pieces.append(Piece(body[left:right], "plain"))
    return pieces
