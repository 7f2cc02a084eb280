"""Stances: the actor × topic matrix, its evidence on click, and the same records as a table."""

import pandas as pd
import streamlit as st

import app_state
from positions.analysis import (
    CELL_LABEL,
    MATRIX_PAGE_COLUMNS,
    MATRIX_PAGE_ROWS,
    ORDERINGS,
    as_of_choices,
    as_of_label,
    cells_for_view,
    changed_cells,
    order_actors,
    order_topics,
    page_of,
)
from positions.charts import stance_matrix
from positions.frames import relax_suggestions

TABLE_LIMIT = 5000  # rows sent to the browser at once

frames, view = app_state.view()
as_of = frames.info.as_of
dates = as_of_choices(frames.positions, as_of)


def date_label(value: str) -> str:
    return as_of_label(value, as_of)


since = app_state.url_param("since", ["", *dates], "", date_label)
since_value = app_state.page_value(since)
positions = view.positions
cells = cells_for_view(view, as_of)
if since_value:
    until = view.filters.as_of or "2262-01-01"
    changes = changed_cells(view.scope_positions, since_value, until, as_of)
    before = {
        (a, t): CELL_LABEL.get(b, "no record")
        for a, t, b in zip(changes["actor"], changes["topic"], changes["before"], strict=True)
    }
    pairs = zip(cells["actor"], cells["topic"], strict=True)
    cells["changed_from"] = [before.get(pair, "") for pair in pairs]
cell_ids = [f"{a}~{t}" for a, t in zip(cells["actor"], cells["topic"], strict=True)]

st.title("Stances")
app_state.era_caption(frames, view)
st.caption(
    "Each cell is an actor's stance on a topic, backed by a verbatim quote. Click a cell for "
    "its evidence. An empty cell means the sources say nothing; a pale cell with a dashed "
    "outline is inferred (it follows from the source, but the actor did not say it)."
)

order = app_state.url_param("order", list(ORDERINGS), "kind", ORDERINGS.__getitem__)
shown = app_state.url_param(
    "show", ["matrix", "table"], "matrix", {"matrix": "Matrix", "table": "Table"}.__getitem__
)
picked_cell = app_state.url_param("cell", ["", *cell_ids], "", str)
controls = st.columns([3, 2])
controls[0].segmented_control(
    "Order rows and columns",
    order.options,
    format_func=order.label,
    key="order",
    help="By kind: each country or organisation followed by those under it, and topics by "
    "group. By similarity: actors (and topics) with similar stances next to each other.",
)
controls[1].segmented_control("Show", shown.options, format_func=shown.label, key="show")
st.selectbox(
    "Mark changes since",
    since.options,
    format_func=since.label,
    key="since",
    help="Outline the cells whose stance changed (or first appeared) after this date, up to "
    "the view's 'As of' date (in the sidebar).",
)
ordering, showing = app_state.page_value(order), app_state.page_value(shown)


def cell_records(cell_id: str) -> tuple[pd.DataFrame, str]:
    # The cell's records are those that decide its look, whatever the stance filter.
    actor, _, topic = cell_id.partition("~")
    source = view.cell_positions
    records = source[(source["actor"] == actor) & (source["topic"] == topic)]
    match = cells[(cells["actor"] == actor) & (cells["topic"] == topic)]
    label = CELL_LABEL[match.iloc[0]["stance"]] if len(match) else ""
    return records.sort_values("date", na_position="last"), label


def show_cell(cell_id: str) -> None:
    records, label = cell_records(cell_id)
    if len(records) > 1:
        why = " because its sources disagree" if label == "Contested" else ""
        st.caption(f"{len(records)} records for this cell; the matrix shows **{label}**{why}.")
    for _, record in records.iterrows():
        with st.container(border=True):
            app_state.show_record_evidence(record, frames)


@st.dialog("Evidence", width="large")
def evidence_dialog(cell_id: str) -> None:
    show_cell(cell_id)


if positions.empty:
    app_state.empty_state("positions", relax_suggestions(frames, view.filters))
elif showing == "table":
    table_rows = positions.head(TABLE_LIMIT)
    if len(positions) > TABLE_LIMIT:
        st.caption(
            f"Showing the first {TABLE_LIMIT:,} of {len(positions):,} records; narrow the view "
            "or download them all as CSV on the Sources & method page."
        )
    st.dataframe(
        table_rows[
            [
                "actor_name",
                "topic_name",
                "stance_label",
                "quote",
                "source_title",
                "date_text",
                "event_title",
                "confidence",
                "note",
            ]
        ],
        hide_index=True,
        width="stretch",
        column_config={
            "actor_name": st.column_config.TextColumn("Actor", pinned=True),
            "topic_name": st.column_config.TextColumn("Topic"),
            "stance_label": st.column_config.TextColumn("Stance"),
            "quote": st.column_config.TextColumn("Quote (verbatim)", width="large"),
            "source_title": st.column_config.TextColumn("Source"),
            "date_text": st.column_config.TextColumn("Date"),
            "event_title": st.column_config.TextColumn("Event"),
            "confidence": st.column_config.TextColumn("Confidence"),
            "note": st.column_config.TextColumn("Note", width="medium"),
        },
    )
    st.caption(f"{len(positions)} records.")
else:
    actors = order_actors(frames.actors, cells, ordering)
    topics = order_topics(frames.topics, cells, ordering)
    if len(actors) > MATRIX_PAGE_ROWS or len(topics) > MATRIX_PAGE_COLUMNS:
        # Too many to read on one screen (and to ship as marks): one page at a time.
        pager = st.columns(2)
        row_pages = -(-len(actors) // MATRIX_PAGE_ROWS)
        column_pages = -(-len(topics) // MATRIX_PAGE_COLUMNS)
        row_page = pager[0].number_input(
            f"Actors page (of {row_pages})", 1, row_pages, 1, key="rows_page"
        )
        column_page = pager[1].number_input(
            f"Topics page (of {column_pages})", 1, column_pages, 1, key="columns_page"
        )
        actors, _ = page_of(actors, int(row_page), MATRIX_PAGE_ROWS)
        topics, _ = page_of(topics, int(column_page), MATRIX_PAGE_COLUMNS)
        st.caption(
            f"Showing {len(actors)} of {cells['actor'].nunique()} actors and {len(topics)} of "
            f"{cells['topic'].nunique()} topics; narrow the view with the sidebar filters."
        )
        shown_names = (set(actors), set(topics))
        cells = cells[
            cells["actor_name"].isin(shown_names[0]) & cells["topic_name"].isin(shown_names[1])
        ]
    app_state.wide_matrix_hint(len(topics), "topics")
    matrix = stance_matrix(cells, actors, topics)
    picked = app_state.selectable_chart(
        matrix,
        key="matrix",
        selection="cell",
        alt=f"Stance matrix of {len(actors)} actor{'s' * (len(actors) != 1)} by "
        f"{len(topics)} topic{'s' * (len(topics) != 1)}",
        file_name="stance-matrix",
    )
    if since_value:
        count = int((cells["changed_from"] != "").sum())
        st.caption(f"Outlined: {count} cells changed since {date_label(since_value)}.")
    clicked = f"{picked[0].get('actor')}~{picked[0].get('topic')}" if picked else None
    if clicked and clicked != st.session_state.get("_clicked"):
        st.session_state["_clicked"] = clicked
        st.session_state["cell"] = clicked if clicked in cell_ids else ""
    chosen = app_state.page_value(picked_cell)
    st.subheader("Evidence")
    if not chosen:
        st.info(
            "Click a cell of the matrix to see its quote and source.", icon=":material/touch_app:"
        )
    else:
        show_cell(chosen)
        # Open the evidence over the matrix once per new cell (a click, or a shared link);
        # it stays below the matrix after the dialog is closed.
        if st.session_state.get("_dialog_for") != chosen:
            st.session_state["_dialog_for"] = chosen
            evidence_dialog(chosen)

app_state.bind_page_params([order, shown, picked_cell, since])
