"""Citations of a view: the dataset's version (a content hash), plain text and BibTeX."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from positions.dates import date_text
from positions.model import DatasetInfo


def dataset_version(data: bytes) -> str:
    """A short, stable name for a dataset's content: the first 12 hex digits of its SHA-256."""
    return hashlib.sha256(data).hexdigest()[:12]


def plain_citation(
    info: DatasetInfo, version: str, url: str, accessed: dt.date, view_as_of: str | None = None
) -> str:
    """Title (dataset version, as of, and the view's own date where it differs), curator, URL,
    date accessed. `view_as_of` is the date the view speaks from (ISO), or "latest"."""
    as_of_text = f", as of {date_text(info.as_of)}" if info.as_of else ""
    curator = f" {info.curated_by}." if info.curated_by else ""
    return (
        f"{info.title} (dataset version {version}{as_of_text}{_view_date(info, view_as_of)})."
        f"{curator} {url} (accessed {date_text(accessed)})"
    )


def _view_date(info: DatasetInfo, view_as_of: str | None) -> str:
    """'; this view: …' when the view speaks from another date than the dataset's."""
    if view_as_of is None or view_as_of == info.as_of.isoformat():
        return ""
    if view_as_of == "latest":
        return "; this view: every record known, later ones included"
    return f"; this view as of {date_text(dt.date.fromisoformat(view_as_of))}"


def bibtex(
    info: DatasetInfo, version: str, url: str, accessed: dt.date, view_as_of: str | None = None
) -> str:
    """A BibTeX @misc entry for the view; braces and backslashes in text are neutralised."""
    key = re.sub(r"[^a-z0-9]+", "", (info.id or "dataset").lower())[:30] + version[:6]
    fields = {
        "title": info.title,
        "author": info.curated_by or "Stakeholder positions dashboard",
        "howpublished": f"\\url{{{_url(url)}}}",
        "version": version,
        "year": str(accessed.year),
        "note": f"Accessed {accessed.isoformat()}{_view_date(info, view_as_of)}",
    }
    body = ",\n".join(
        f"  {name} = {{{value if name == 'howpublished' else _tex(value)}}}"
        for name, value in fields.items()
    )
    return f"@misc{{{key},\n{body}\n}}"


def _tex(text: str) -> str:
    return re.sub(r"([{}\\%&#_$])", r"\\\1", text)


def quote_citation(quote: QuotedWords, url: str, accessed: dt.date) -> str:
    """The quote itself, cited: the words, whose stance they were coded as (the words may be
    the source's report of it, so the actor is not named as their author), the source with its
    date or, when it has none, how it is dated, where the dashboard shows it, and when."""
    dating = f" Dating: {quote.dating}" if quote.dating else ""
    return (
        f"\u201c{quote.words}\u201d, coded as {quote.coded_as}. In: {quote.citation}{dating} "
        f"Coded in {quote.dataset} (dataset version {quote.version}): {url} (accessed "
        f"{date_text(accessed)})"
    )


def quote_bibtex(quote: QuotedWords, url: str, accessed: dt.date) -> str:
    """A BibTeX @misc entry for the source the quote is from, the quote and the dashboard's
    link in its note: what a paper cites is the source, not the dashboard. An author is given
    only when the source names one, in double braces so that BibTeX does not split it at
    "and"; the year only when the source is dated."""
    key = re.sub(r"[^a-z0-9]+", "", f"{quote.author or quote.record}{quote.year}".lower())[:30]
    fields: dict[str, str] = {}
    if quote.author:
        fields["author"] = "{" + _tex(quote.author) + "}"
    fields["title"] = _tex(quote.title)
    if quote.publisher:
        fields["howpublished"] = _tex(quote.publisher)
    if quote.year:
        fields["year"] = quote.year
    if quote.source_url:
        fields["url"] = _url(quote.source_url)
    dating = f" Dating: {quote.dating}" if quote.dating else ""
    fields["note"] = _tex(
        f"Quoted: \u201c{quote.words}\u201d, coded as {quote.coded_as}.{dating} Coded in "
        f"{quote.dataset} (dataset version {quote.version}), "
    ) + (f"\\url{{{_url(url)}}}, accessed {accessed.isoformat()}")
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items())
    return f"@misc{{{key}{quote.version[:6]},\n{body}\n}}"


def _url(url: str) -> str:
    """A web address inside BibTeX: only what would end a field or a comment is escaped (the
    url package prints `&` and `_` as they are, but a `\\&` as a backslash and an ampersand)."""
    return re.sub(r"([{}%#\\])", r"\\\1", url)


@dataclass(frozen=True)
class QuotedWords:
    """What a quote's citation is made of."""

    words: str
    coded_as: str  # "the stance of Heiko Maas on the waiver: Support"
    author: str  # the source's author ('' when it names none)
    title: str  # the source's title
    publisher: str  # its series and publisher, as a reader names them ('' when unknown)
    year: str  # its year ('' when undated)
    source_url: str
    citation: str  # the source's reference-list citation
    dating: str  # how an undated source is dated ('' when it has a date)
    dataset: str
    version: str
    record: str  # the record's id, to name the BibTeX entry
