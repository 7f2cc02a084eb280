"""Sources' own texts: reading them safely, finding a quote in one verbatim (typography aside),
the sentence and paragraph around it, and how much of a text the records code.

A source may name a UTF-8 text file (`text_file`, relative to the dataset file). Its text is
shown as written, less link markup (`[words](#)` reads as "words") and bold marks; matching a
quote ignores what a copy of the same words can differ in: curly or straight quotes, the kind
of dash, spacing and line breaks.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TEXT_MAX_BYTES = 4 * 1024 * 1024  # a source's text: an article or a transcript, not a library

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_SAME = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)
# A sentence ends at . ! or ? (and a closing quote or bracket) before a capital or a quote; not
# after an initial or an abbreviation such as "U.S." or "Mr.".
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])")
_ABBREVIATION = re.compile(r"(?:\b(?:[A-Z]\.)+|\b(?:Mr|Mrs|Ms|Dr|St|Sen|Rep|Gen|No|vs|etc)\.)$")


def clean_text(raw: str) -> str:
    """The text as a reader sees it: link markup and bold marks gone, line endings plain."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
    return _LINK.sub(r"\1", text).replace("**", "")


def _normalised(text: str) -> tuple[str, list[int]]:
    """`text` with typography made uniform and white space runs as one space, and for each
    character of the result the index of the character of `text` it comes from."""
    chars: list[str] = []
    where: list[int] = []
    space = True  # leading space is dropped
    for index, char in enumerate(text.translate(_SAME)):
        if char.isspace():
            if not space:
                chars.append(" ")
                where.append(index)
            space = True
            continue
        chars.append(char)
        where.append(index)
        space = False
    if chars and chars[-1] == " ":
        chars.pop()
        where.pop()
    return "".join(chars), where


def normalise(text: str) -> str:
    """What matching compares: link markup, bold, quote marks, dashes and spacing made uniform."""
    return _normalised(clean_text(text))[0]


@dataclass(frozen=True)
class Block:
    """A paragraph or a heading of a text, as a span of it."""

    start: int
    end: int
    heading: bool


@dataclass(frozen=True)
class SourceText:
    """A source's text, ready to find quotes in and to show around them."""

    source: str
    file: str  # as the dataset names it
    text: str  # the clean text (see `clean_text`); every span indexes it
    blocks: tuple[Block, ...]
    sentences: tuple[tuple[int, int], ...]  # spans of the text's sentences, in order
    _normal: str
    _where: tuple[int, ...]

    def find(self, quote: str) -> tuple[int, int] | None:
        """Where `quote` stands in the text (a span), or None when it is not there verbatim."""
        wanted = normalise(quote)
        if not wanted:
            return None
        at = self._normal.find(wanted)
        if at < 0:
            return None
        return self._where[at], self._where[at + len(wanted) - 1] + 1

    def closest(self, quote: str) -> str:
        """The passage of the text most like `quote`, word for word (for a hint)."""
        words = normalise(quote).split(" ")
        text_words = self._normal.split(" ")
        size = len(words)
        if not text_words or not words:
            return ""
        best, best_ratio = 0, -1.0
        # Words compared without the quote marks and punctuation around them: a quote that
        # leaves out the text's quote marks is still most like the passage it comes from.
        keys, text_keys = [word_key(w) for w in words], [word_key(w) for w in text_words]
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(keys)
        for start in range(max(1, len(text_words) - size + 1)):
            window = text_keys[start : start + size]
            matcher.set_seq1(window)
            # Of passages as alike, the one that starts and ends as the quote does.
            edges = (window[0] == keys[0]) + (window[-1] == keys[-1])
            ratio = matcher.ratio() + 0.01 * edges
            if ratio > best_ratio:
                best, best_ratio = start, ratio
        return " ".join(text_words[best : best + size])

    def sentence_span(self, span: tuple[int, int]) -> tuple[int, int]:
        """The whole sentences a span stands in (from the first one's start to the last's end)."""
        start, end = span
        first = next((s for s in self.sentences if s[1] > start), (start, end))
        last = next((s for s in reversed(self.sentences) if s[0] < end), first)
        return min(first[0], start), max(last[1], end)

    def block_of(self, position: int) -> Block | None:
        return next((b for b in self.blocks if b.start <= position < b.end), None)


def _blocks(text: str) -> list[Block]:
    """Paragraphs (runs of lines between blank lines) and headings (lines starting with #).

    A paragraph that ends mid-sentence (no closing punctuation, and the next one starts in
    lower case) runs on into the next: a copy of a web page breaks paragraphs where the page
    had a link.
    """
    blocks: list[Block] = []
    for match in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text):
        start, end = match.span()
        body = match.group(0)
        if body.lstrip().startswith("#"):
            offset = len(body) - len(body.lstrip().lstrip("#").lstrip())
            blocks.append(Block(start + offset, end, True))
            continue
        if not body.strip():
            continue
        previous = blocks[-1] if blocks else None
        if (
            previous is not None
            and not previous.heading
            and not re.search(r"[.!?:;\"'\u201d\u2019)]\s*$", text[previous.start : previous.end])
            and body.lstrip()[:1].islower()
        ):
            blocks[-1] = Block(previous.start, end, False)
        else:
            blocks.append(Block(start, end, False))
    return blocks


def _sentences(text: str, blocks: Iterable[Block]) -> list[tuple[int, int]]:
    spans = []
    for block in blocks:
        if block.heading:
            continue
        start = block.start
        for match in _SENTENCE_END.finditer(text, block.start, block.end):
            before = text[start : match.start() + 1]
            if _ABBREVIATION.search(before):
                continue
            spans.append((start, match.start() + len(match.group(0).rstrip())))
            start = match.end()
        if start < block.end:
            spans.append((start, block.end))
    return spans


def source_text(source: str, file: str, raw: str) -> SourceText:
    """A source's text from the file's contents."""
    text = clean_text(raw)
    blocks = _blocks(text)
    normal, where = _normalised(text)
    return SourceText(
        source=source,
        file=file,
        text=text,
        blocks=tuple(blocks),
        sentences=tuple(_sentences(text, blocks)),
        _normal=normal,
        _where=tuple(where),
    )


Finding = tuple[tuple[str | int, ...], str, str | None]


def read_texts(
    sources: Iterable[Any], folder: Path | None
) -> tuple[dict[str, SourceText], list[Finding]]:
    """The texts of the sources that name a `text_file`, and a finding for each that cannot be
    used: outside the dataset's folder, missing, too large, not UTF-8. With no folder (an
    uploaded dataset) no text can be read, and none is reported."""
    texts: dict[str, SourceText] = {}
    findings: list[Finding] = []
    if folder is None:
        return texts, findings
    base = folder.resolve()
    for index, source in enumerate(sources):
        name = getattr(source, "text_file", None)
        if not name:
            continue
        where: tuple[str | int, ...] = ("sources", index, "text_file")
        path = (base / name).resolve()
        if not path.is_relative_to(base) or "://" in name:
            findings.append(
                (
                    where,
                    f"text_file {name!r} is outside the dataset's folder",
                    "give a path relative to the dataset file, inside its folder",
                )
            )
            continue
        try:
            if path.stat().st_size > TEXT_MAX_BYTES:
                findings.append((where, f"text_file {name!r} is over 4 MB", None))
                continue
            raw = path.read_bytes().decode("utf-8")
        except FileNotFoundError:
            findings.append(
                (
                    where,
                    f"text_file {name!r} does not exist",
                    f"the path is read from the dataset's folder: {path.parent}",
                )
            )
            continue
        except UnicodeDecodeError as exc:
            findings.append(
                (where, f"text_file {name!r} is not UTF-8 text (byte {exc.start})", None)
            )
            continue
        except OSError as exc:
            findings.append((where, f"text_file {name!r} cannot be read: {exc.strerror}", None))
            continue
        texts[source.id] = source_text(source.id, name, raw)
    return texts, findings


# Which fields quote a record's source, section by section (and whose source they quote).
QUOTED_FIELDS: dict[str, tuple[str, ...]] = {
    "positions": ("quote",),
    "sanctions": ("quote",),
    "events": ("quote", "explanation"),
    "prospects": ("quote",),
}


def quoted(dataset: Any) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    """(path, source id, quoted words) for every quote in the dataset."""
    for section, names in QUOTED_FIELDS.items():
        for index, record in enumerate(getattr(dataset, section, ())):
            for name in names:
                words = getattr(record, name, None)
                if isinstance(words, str) and words:
                    yield (section, index, name), record.source, words


def quote_findings(dataset: Any, texts: dict[str, SourceText]) -> list[Finding]:
    """A finding for every quote that is not verbatim in the text of the source it cites,
    with the closest passage (and the first word that differs) as the hint."""
    findings: list[Finding] = []
    for where, source, words in quoted(dataset):
        text = texts.get(source)
        problem = None if text is None else quote_problem(text, words)
        if problem is not None:
            findings.append((where, *problem))
    return findings


def quote_problem(text: SourceText, words: str) -> tuple[str, str] | None:
    """(message, hint) when `words` are not verbatim in `text`, else None: the hint gives the
    closest passage and the first words that differ. One wording for the loader and the
    curate page's live check."""
    if text.find(words) is not None:
        return None
    closest = text.closest(words)
    return (
        f"the quote is not verbatim in the text of source '{text.source}' ({text.file})",
        f"closest passage: \u201c{closest}\u201d{_first_difference(words, closest)}",
    )


def _first_difference(quote: str, passage: str) -> str:
    """'; the quote has "X" where the text has "Y"', for the first words that differ: a word
    first (`each` for `every`), and only where the words all agree, the marks around them (a
    quote that leaves out the text's quote marks)."""
    said, written = normalise(quote).split(" "), passage.split(" ")
    for compare in (word_key, str):
        opcodes = difflib.SequenceMatcher(
            None, [compare(w) for w in said], [compare(w) for w in written], autojunk=False
        ).get_opcodes()
        for tag, a1, a2, b1, b2 in opcodes:
            if tag == "equal":
                continue
            ours = " ".join(said[a1:a2]) or "nothing"
            theirs = " ".join(written[b1:b2]) or "nothing"
            return f"; the quote has \u201c{ours}\u201d where the text has \u201c{theirs}\u201d"
    return ""


_MARKS = "\"'\u201c\u201d\u2018\u2019.,;:!?()[]\u2026-"


def word_key(word: str) -> str:
    """A word as compared when looking for the closest passage: without the quote marks and
    punctuation around it."""
    return word.strip(_MARKS) or word


def coded_share(text: SourceText, spans: Iterable[tuple[int, int]]) -> tuple[int, int]:
    """(sentences that some coded span overlaps, sentences in all)."""
    spans = list(spans)
    coded = sum(
        any(start < end_s and end > start_s for start, end in spans)
        for start_s, end_s in text.sentences
    )
    return coded, len(text.sentences)
