"""Stances: the actor × topic matrix, its evidence on click, and the same records as a table."""

import streamlit as st

import app_state
from positions.analysis import CELL_LABEL, ORDERINGS, order_actors, order_topics, stance_cells
from positions.charts import stance_legend, stance_matrix
from positions.frames import relax_suggestions

frames, view = app_state.view()
as_of = frames.info["as_of"]

st.title("Stances")
st.caption(
    "Who stands where on what. Each cell is an actor's stance on a topic, from a verbatim "
    "quote; click a cell for its evidence. An empty cell means the sources say nothing."
)

order = app_state.url_param("order", list(ORDERINGS), "kind", ORDERINGS.__getitem__)
shown = app_state.url_param(
    "show", ["matrix", "table"], "matrix", {"matrix": "Matrix", "table": "Table"}.__getitem__
)
controls = st.columns([3, 2])
controls[0].segmented_control(
    "Order rows and columns",
    order.options,
    format_func=order.label,
    key="order",
    help="By kind groups actors by country and kind, and topics by group. By similarity puts "
    "actors (and topics) with similar stances next to each other.",
)
controls[1].segmented_control("Show", shown.options, format_func=shown.label, key="show")
app_state.bind_page_params([order, shown])
ordering, showing = app_state.page_value(order), app_state.page_value(shown)

positions = view.positions
if positions.empty:
    app_state.empty_state("positions", relax_suggestions(frames, view.filters))
elif showing == "table":
    st.dataframe(
        positions[
            [
                "actor_name",
                "topic_name",
                "stance_label",
                "quote",
                "source_title",
                "date",
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
            "date": st.column_config.DateColumn("Date", format="D MMM YYYY"),
            "event_title": st.column_config.TextColumn("Event"),
            "confidence": st.column_config.TextColumn("Confidence"),
            "note": st.column_config.TextColumn("Note", width="medium"),
        },
    )
    st.caption(f"{len(positions)} records.")
else:
    cells = stance_cells(positions, as_of=as_of)
    actors = order_actors(frames.actors, cells, ordering)
    topics = order_topics(frames.topics, cells, ordering)
    st.markdown(
        " · ".join(f"**{glyph}** {label}" for label, glyph, _ in stance_legend())
        + " · empty: no record"
    )
    event = st.altair_chart(
        stance_matrix(cells, actors, topics),
        width="content",
        key="matrix",
        on_select="rerun",
        selection_mode="cell",
        alt=f"Stance matrix of {len(actors)} actors by {len(topics)} topics",
    )
    picked = event.selection.get("cell") if event else None
    st.subheader("Evidence")
    if not picked:
        st.info(
            "Click a cell of the matrix to see its quote and source.", icon=":material/touch_app:"
        )
    else:
        actor, topic = picked[0].get("actor"), picked[0].get("topic")
        cell = cells[(cells["actor"] == actor) & (cells["topic"] == topic)]
        records = positions[(positions["actor"] == actor) & (positions["topic"] == topic)]
        if cell.empty:
            st.info("That cell is not in the current view.", icon=":material/info:")
        else:
            label = CELL_LABEL[cell.iloc[0]["stance"]]
            if len(records) > 1:
                st.caption(
                    f"{len(records)} records for this cell; the matrix shows **{label}**"
                    + (
                        " because the latest records disagree."
                        if label == "Contested"
                        else " (the latest)."
                    )
                )
            for _, record in records.sort_values("date", na_position="last").iterrows():
                with st.container(border=True):
                    app_state.show_record_evidence(record, frames)
