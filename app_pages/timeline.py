"""Timeline: from the Reykjavik meeting to the summit, planned and occurred told apart."""

import pandas as pd
import streamlit as st

import app_state
from positions.analysis import article_window, event_kind_label, events_table
from positions.charts import timeline
from positions.frames import relax_suggestions

frames, view = app_state.view()
as_of = pd.Timestamp(frames.info.as_of)
start, end = article_window(frames.events, as_of)
period = app_state.url_param(
    "period",
    ["article", "all"],
    "article",
    {
        "article": f"{start:%d %b} – {end:%d %b %Y}: the dataset's horizon",
        "all": "Everything in the data",
    }.__getitem__,
)

st.title("Timeline")
st.caption(
    "Filled circles occurred; hollow diamonds were still planned as of the dataset's date "
    f"(dashed rule, {as_of:%d %B %Y}). Events close in time are stacked in their row. "
    "Click an event for its details and quote. The sidebar's 'As of' date does not cut the "
    "timeline: the events right of the rule are what followed."
)
st.segmented_control(
    "Period",
    period.options,
    format_func=period.label,
    key="period",
    help="The horizon runs from the first event to the end of the period in which the sources "
    "it expected the summit; everything in the data includes what followed.",
)
events = view.events
if app_state.page_value(period) == "article":
    events = events[(events["date"] >= start) & (events["date"] <= end)]

if events.empty:
    app_state.empty_state("events", relax_suggestions(frames, view.filters, "events"))
else:
    kinds = list(dict.fromkeys(frames.events.sort_values("date")["kind"]))
    chart = timeline(
        events,
        as_of,
        kinds,
        (start, end) if app_state.page_value(period) == "article" else None,
        actor_names=dict(zip(frames.actors["id"], frames.actors["name"], strict=True)),
        topic_names=dict(zip(frames.topics["id"], frames.topics["name"], strict=True)),
    )
    picked = app_state.selectable_chart(
        chart,
        key="timeline",
        selection="event",
        alt=f"Timeline of {len(events)} events by kind, with the dataset's date marked",
        file_name="timeline",
        fill=True,
        file_width=720,
    )
    chosen = events[events["id"] == picked[0].get("id")] if picked else events.iloc[0:0]
    st.subheader("Event details")
    if chosen.empty:
        st.info("Click an event on the timeline to see its details.", icon=":material/touch_app:")
    else:
        shown = chosen.iloc[0].copy()
        shown["kind"] = event_kind_label(shown["kind"])
        app_state.show_event(shown, frames)

    st.subheader("All events in this view")
    st.dataframe(
        events_table(events),
        hide_index=True,
        width="stretch",
        column_config={
            "date": st.column_config.TextColumn("Date"),
            "title": st.column_config.TextColumn("Event", width="large"),
            "kind": "Kind",
            "status": "Status",
            "place": "Place",
        },
    )

app_state.bind_page_params([period])
