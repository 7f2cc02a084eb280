"""What the pages draw alike: the view's date, empty states, long lists, evidence, charts."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from positions.analysis import era_note
from positions.charts import chart_spec, matrix_width
from positions.export import chart_file
from positions.frames import (
    FilteredFrames,
    Frames,
)
from positions.memo import remember
from positions.views.evidence import Evidence, Quoted
from positions.views.lists import LIST_LIMIT, more_note
from ui.citing import QuoteCitation
from ui.text import escape_markdown, highlight
from ui.url import current_query, filters_from_state

View = TypeVar("View")


def built(
    builder: Callable[..., View], frames: Frames, view: FilteredFrames, *settings: Hashable
) -> View:
    """`builder(frames, view, *settings)`, built once for these frames, filters and settings:
    a rerun that changes none of them (a click on a chart, a download) draws it again without
    computing it again. `view` is the one `app_state.view()` returns, made from its filters."""
    key = ("built", builder.__module__, builder.__qualname__, view.filters, settings)
    return remember(frames, key, lambda: builder(frames, view, *settings))


def once(owner: object, key: Hashable, make: Callable[[], View]) -> View:
    """`make()`, computed once for `owner` (a page's view model) and kept while it lives: a
    chart built from a view model is the same chart until the view model changes."""
    return remember(owner, key, make)


def page_header(title: str, frames: Frames, view: FilteredFrames, what: str) -> None:
    """A page's title, the date its view speaks from, and a line on what the page shows."""
    st.title(title)
    era_caption(frames, view)
    st.caption(what)


def era_caption(frames: Frames, view: FilteredFrames) -> None:
    """Under a page's title: the date the view speaks from, and what that leaves out or mixes."""
    note = era_note(frames, view.filters)
    if note:
        st.caption(escape_markdown(note))


def empty_state(what: str, suggestions: list[str]) -> None:
    """A friendly message instead of an empty chart, naming the filter to relax."""
    if suggestions:
        hint = " or ".join(suggestions)
        st.info(f"No {what} match this view. Try {hint}.", icon=":material/filter_alt_off:")
    else:
        st.info(f"The dataset has no {what} to show here.", icon=":material/info:")


PHONE_CONTENT_WIDTH = 358  # a 390 px phone less the page's margins


def wide_matrix_hint(columns: int, what: str) -> None:
    """Say that a matrix too wide for a phone scrolls sideways, before it is drawn.

    The matrix scrolls inside its own frame with no visible scroll bar on a touch screen, so
    the columns past the edge (on a phone, most of them) would otherwise go unnoticed.
    """
    if matrix_width(columns) > PHONE_CONTENT_WIDTH:
        st.caption(
            f"{columns} {what} across: where the matrix is wider than your screen, scroll it "
            f"sideways to see them all, or choose fewer {what} in the sidebar."
        )


def first_of(frame: pd.DataFrame, what: str, limit: int = LIST_LIMIT) -> pd.DataFrame:
    """The first `limit` rows, with a line saying how many more there are and how to see them."""
    note = more_note(len(frame), what, limit)
    if note:
        st.caption(note)
    return frame.head(limit)


def more_caption(note: str) -> None:
    """The line under a list the view cut short, if it did."""
    if note:
        st.caption(note)


def show_quote(quoted: Quoted, where: Any = st, *, in_expander: bool = False) -> None:
    """A quote as evidence: within its sentence, the quoted words in bold, with the paragraph
    one click away and a link to the whole text, where the source's text is at hand; else the
    quote alone; then its source. Inside an expander (which cannot hold another) the paragraph
    is a popover."""
    _show_words(quoted, where, in_expander)
    if quoted.source:
        where.caption(escape_markdown(quoted.source))


def _show_words(quoted: Quoted, where: Any, in_expander: bool) -> None:
    query = filters_from_state().search
    context = quoted.context
    if context is None:
        where.markdown("> " + highlight(quoted.words, query).replace("\n", "\n> "))
        return
    words = highlight(context.quoted, query)
    # The quoted words stand out from their sentence; a search's matches in them show instead.
    marked = f"**{words}**" if ":orange-background[" in words else f":blue-background[**{words}**]"
    sentence = (
        highlight(context.before.lstrip(), query)
        + marked
        + highlight(context.after.rstrip(), query)
    )
    where.markdown("> " + _one_paragraph(sentence))
    opener = where.popover if in_expander else where.expander
    with opener("The paragraph", icon=":material/subject:"):
        parts = [context.paragraph_before, "", context.paragraph_after]
        shown = [highlight(p, query) if p else "" for p in parts]
        shown[1] = sentence
        st.markdown(_one_paragraph(" ".join(p for p in shown if p)))
        reader_link(context.source, "Read the whole text, every coded passage marked")


def _one_paragraph(markdown: str) -> str:
    # A line break in the source's text would end the quote block or start a list.
    return " ".join(markdown.split())


READER_PAGE = "app_pages/reader.py"


def reader_link(source: str, label: str) -> None:
    """A link to a source's text on the Reader page, keeping the view's filters."""
    st.page_link(
        READER_PAGE,
        label=label,
        icon=":material/chrome_reader_mode:",
        query_params={**current_query(), "source": source},
    )


def show_record_evidence(record: Evidence, cite: QuoteCitation | None = None) -> None:
    """One position's evidence, in reading order: who said what, the quote in its context,
    then source, date, event, confidence and note; and a citation of the quote."""
    st.markdown(
        f"**{escape_markdown(record.actor_name)}** on "
        f"**{escape_markdown(record.topic_name)}**: :blue-badge[{record.stance_label}]"
    )
    query = filters_from_state().search
    if record.translation:
        original, english = st.columns(2)
        show_quote(Quoted(record.quote, "", record.context), original)
        english.markdown(
            "*English translation:*  \n> "
            + highlight(record.translation, query).replace("\n", "\n> ")
        )
    else:
        show_quote(Quoted(record.quote, "", record.context))
    details = [f"**Source:** {escape_markdown(record.citation)}"]
    if record.dating:
        details.append(f"**Dating:** {escape_markdown(record.dating)}")
    details.append(f"**Date:** {record.date_text or 'undated'}")
    if record.event_title:
        details.append(f"**Event:** {escape_markdown(record.event_title)}")
    details.append(
        "**Confidence:** inferred (the stance follows from the source, which does not state it "
        "as such; the note says why)"
        if record.inferred
        else "**Confidence:** stated"
    )
    if record.note:
        details.append(f"**Note:** {highlight(record.note, query)}")
    st.markdown("  \n".join(details))
    if cite is not None:
        with st.expander("Cite this quote", icon=":material/format_quote:"):
            st.caption("Plain text")
            st.code(cite.plain, language=None, wrap_lines=True)
            st.caption("BibTeX")
            st.code(cite.bibtex, language="bibtex", wrap_lines=True)


Column = str | tuple[str, dict[str, Any]]  # a heading, or a heading and TextColumn options


def table(frame: pd.DataFrame, columns: dict[str, Column]) -> None:
    """A reader's table of `frame`: the columns named, each with its heading (and options such
    as width, pinned or help); numbers are right-aligned as numbers."""
    config = {}
    for name, column in columns.items():
        heading, options = (column, {}) if isinstance(column, str) else column
        numeric = pd.api.types.is_numeric_dtype(frame[name]) if name in frame else False
        kind = st.column_config.NumberColumn if numeric else st.column_config.TextColumn
        config[name] = kind(heading, **options)
    st.dataframe(frame, hide_index=True, width="stretch", column_config=config)


CHART_FILES = (
    ("svg", "SVG", "image/svg+xml", "The chart as a vector file, for reports"),
    ("png", "PNG", "image/png", "The chart as an image at twice screen resolution"),
)


def chart(chart: Any, alt: str) -> None:
    """A chart that fills the page's width, read only (its spec checked in the tests, not on
    every rerun: see `positions.charts.chart_spec`)."""
    st.vega_lite_chart(spec=_spec(chart), width="stretch", alt=alt)


def _spec(chart: Any) -> dict[str, Any]:
    # A chart kept by `once` keeps its spec too: the Arrow tables are not encoded again.
    return remember(chart, "spec", lambda: chart_spec(chart))


def chart_downloads(chart: Any, name: str, width: int | None = None) -> None:
    """SVG and PNG files of a chart, made on the server only when a button is pressed.

    `width` (pixels) replaces a chart's "fill the page" width, which a file does not have.
    """

    def file_of(kind: str) -> bytes:
        return chart_file(chart.properties(width=width) if width else chart, kind)

    columns = st.columns([1, 1, 4])
    for column, (kind, label, mime, help_text) in zip(columns, CHART_FILES, strict=False):
        column.download_button(
            label,
            lambda kind=kind: file_of(kind),
            file_name=f"{name}.{kind}",
            mime=mime,
            icon=":material/download:",
            key=f"{kind}-{name}",
            on_click="ignore",
            help=help_text,
        )


FILL_FILE_WIDTH = 720  # pixels: a chart that fills the page, as a file


def selectable_chart(
    chart: Any,
    *,
    key: str,
    selection: str,
    alt: str,
    file_name: str,
    fill: bool = False,
) -> list[dict[str, Any]]:
    """Draw a chart whose marks a reader clicks, with its SVG and PNG files below; returns the
    selected marks' fields (empty when nothing is selected).

    `fill` stretches the chart to the page's width (a timeline), and its files are drawn
    FILL_FILE_WIDTH wide, as a file has no page to fill; otherwise it keeps its own width (a
    matrix, whose cells have a fixed size).
    """
    event = st.vega_lite_chart(
        spec=_spec(chart),
        width="stretch" if fill else "content",
        key=key,
        on_select="rerun",
        selection_mode=selection,
        alt=alt,
    )
    chart_downloads(chart, file_name, width=FILL_FILE_WIDTH if fill else None)
    picked = event.selection.get(selection) if event else None
    return list(picked or [])
