"""Timeline: from the Reykjavik meeting to the summit, planned and occurred told apart."""

import pandas as pd
import streamlit as st

import app_state
from positions.charts import timeline
from positions.frames import relax_suggestions

frames, view = app_state.view()
events = view.events
as_of = pd.Timestamp(frames.info["as_of"])

st.title("Timeline")
st.caption(
    "Filled circles occurred; hollow diamonds were still planned as of the article "
    f"(dashed rule, {as_of:%d %B %Y}). Click an event for its details and quote."
)
if events.empty:
    app_state.empty_state("events", relax_suggestions(frames, view.filters, "events"))
else:
    kinds = list(dict.fromkeys(frames.events.sort_values("date")["kind"]))
    event = st.altair_chart(
        timeline(events, as_of, kinds),
        width="stretch",
        key="timeline",
        on_select="rerun",
        selection_mode="event",
        alt=f"Timeline of {len(events)} events by kind, with the article's date marked",
    )
    picked = event.selection.get("event") if event else None
    chosen = events[events["id"] == picked[0].get("id")] if picked else events.iloc[0:0]
    st.subheader("Event details")
    if chosen.empty:
        st.info("Click an event on the timeline to see its details.", icon=":material/touch_app:")
    else:
        app_state.show_event(chosen.iloc[0], frames)

    st.subheader("All events in this view")
    table = events.sort_values("date")[["date", "title", "kind", "status", "place"]]
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "date": st.column_config.DateColumn("Date", format="D MMM YYYY"),
            "title": st.column_config.TextColumn("Event", width="large"),
            "kind": "Kind",
            "status": "Status",
            "place": "Place",
        },
    )
