"""Stances: the actor × topic matrix, its evidence on click, and the same records as a table."""

import streamlit as st

import app_state
from positions.analysis import ORDERINGS
from positions.charts import stance_matrix
from positions.views.stances import (
    SHOW_CHOICES,
    TABLE_COLUMNS,
    CellEvidence,
    StancesSettings,
    build_stances,
    cell_evidence,
    since_choices,
)

frames, view = app_state.view()
since_options = since_choices(frames)
since = app_state.url_param("since", list(since_options), "", since_options.__getitem__)
order = app_state.url_param("order", list(ORDERINGS), "kind", ORDERINGS.__getitem__)
shown = app_state.url_param("show", list(SHOW_CHOICES), "matrix", SHOW_CHOICES.__getitem__)
settings = StancesSettings(
    order=app_state.page_value(order),
    show=app_state.page_value(shown),
    since=app_state.page_value(since),
    rows_page=int(st.session_state.get("rows_page") or 1),
    columns_page=int(st.session_state.get("columns_page") or 1),
)
stances = app_state.built(build_stances, frames, view, settings)
picked_cell = app_state.url_param("cell", ["", *stances.cell_ids], "", str)

app_state.page_header(
    "Stances",
    frames,
    view,
    "Each cell is an actor's stance on a topic, backed by a verbatim quote. Click a cell for "
    "its evidence. An empty cell means the sources say nothing; a pale cell with a dashed "
    "outline is inferred (it follows from the source, but the actor did not say it).",
)
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


version = app_state.current_version()


def show_cell(evidence: CellEvidence) -> None:
    if evidence.note:
        st.caption(evidence.note)
    for record in evidence.records:
        with st.container(border=True):
            cite = app_state.quote_citation_of(record, frames.info, version)
            app_state.show_record_evidence(record, cite)
    if evidence.earlier:
        st.caption(
            f"Earlier records of this cell in the view ({len(evidence.earlier)}); the matrix "
            "shows the latest, above:"
        )
        for record in evidence.earlier:
            with st.container(border=True):
                cite = app_state.quote_citation_of(record, frames.info, version)
                app_state.show_record_evidence(record, cite)


@st.dialog("Evidence", width="large")
def evidence_dialog(evidence: CellEvidence) -> None:
    show_cell(evidence)


if stances.empty:
    app_state.empty_state("positions", stances.relax)
elif settings.show == "table":
    if stances.table_note:
        st.caption(stances.table_note)
    app_state.table(stances.table, TABLE_COLUMNS)
    st.caption(stances.table_count)
else:
    if stances.pager is not None:
        pager = st.columns(2)
        pages = stances.pager
        pager[0].number_input(
            f"Actors page (of {pages.row_pages})", 1, pages.row_pages, 1, key="rows_page"
        )
        pager[1].number_input(
            f"Topics page (of {pages.column_pages})", 1, pages.column_pages, 1, key="columns_page"
        )
        st.caption(pages.note)
    app_state.wide_matrix_hint(len(stances.topic_ids), "topics")
    picked = app_state.selectable_chart(
        app_state.once(
            stances,
            "matrix",
            lambda: stance_matrix(stances.cells, stances.actor_ids, stances.topic_ids),
        ),
        key="matrix",
        selection="cell",
        alt=stances.alt,
        file_name="stance-matrix",
    )
    if stances.changed_note:
        st.caption(stances.changed_note)
    clicked = f"{picked[0].get('actor')}~{picked[0].get('topic')}" if picked else None
    if clicked and clicked != st.session_state.get("_clicked"):
        st.session_state["_clicked"] = clicked
        st.session_state["cell"] = clicked if clicked in stances.cell_ids else ""
    chosen = cell_evidence(stances, view, app_state.page_value(picked_cell))
    st.subheader("Evidence")
    if chosen is None:
        st.info(
            "Click a cell of the matrix to see its quote and source.", icon=":material/touch_app:"
        )
    else:
        show_cell(chosen)
        # Open the evidence over the matrix once per new cell (a click, or a shared link);
        # it stays below the matrix after the dialog is closed.
        if st.session_state.get("_dialog_for") != chosen.cell_id:
            st.session_state["_dialog_for"] = chosen.cell_id
            evidence_dialog(chosen)

app_state.bind_page_params([order, shown, picked_cell, since])
