"""What the pages draw alike: the view's date, empty states, long lists, evidence, charts."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from positions.analysis import era_note
from positions.charts import matrix_width
from positions.export import chart_file
from positions.frames import (
    FilteredFrames,
    Frames,
)
from positions.views.evidence import Evidence
from positions.views.lists import LIST_LIMIT, more_note
from ui.text import escape_markdown, highlight
from ui.url import filters_from_state


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


def show_record_evidence(record: Evidence) -> None:
    """One position's evidence: stance, verbatim quote, citation, date, event, confidence, note."""
    st.markdown(
        f"**{escape_markdown(record.actor_name)}** on "
        f"**{escape_markdown(record.topic_name)}**: :blue-badge[{record.stance_label}] "
        + (
            ":orange-badge[inferred: follows from the source, not said]"
            if record.inferred
            else ":green-badge[stated]"
        )
    )
    query = filters_from_state().search
    if record.translation:
        original, english = st.columns(2)
        original.markdown("> " + highlight(record.quote, query).replace("\n", "\n> "))
        english.markdown(
            "*English translation:*  \n> "
            + highlight(record.translation, query).replace("\n", "\n> ")
        )
    else:
        st.markdown("> " + highlight(record.quote, query).replace("\n", "\n> "))
    details = [f"**Source:** {escape_markdown(record.citation)}"]
    details.append(f"**Date:** {record.date_text or 'undated'}")
    if record.event_title:
        details.append(f"**Event:** {escape_markdown(record.event_title)}")
    if record.note:
        details.append(f"**Note:** {highlight(record.note, query)}")
    st.markdown("  \n".join(details))


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
    event = st.altair_chart(
        chart,
        width="stretch" if fill else "content",
        key=key,
        on_select="rerun",
        selection_mode=selection,
        alt=alt,
    )
    chart_downloads(chart, file_name, width=FILL_FILE_WIDTH if fill else None)
    picked = event.selection.get(selection) if event else None
    return list(picked or [])
