"""Timeline: from the Reykjavik meeting to the summit, planned and occurred told apart."""

import streamlit as st

import app_state
from positions.charts import timeline
from positions.views.timeline import build_timeline, event_detail, period_choices

frames, view = app_state.view()
periods = period_choices(frames)
period = app_state.url_param("period", list(periods), "article", periods.__getitem__)
page = app_state.built(build_timeline, frames, view, app_state.page_value(period))
esc = app_state.escape_markdown

st.title("Timeline")
st.caption(
    "Filled circles occurred; hollow diamonds were still planned as of the dataset's date "
    f"(dashed rule, {page.as_of_text}). Events close in time are stacked in their row. "
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

if page.empty:
    app_state.empty_state("events", page.relax)
else:
    chart = app_state.once(
        page,
        "chart",
        lambda: timeline(
            page.events,
            page.as_of,
            page.kinds,
            page.domain,
            actor_names=page.actor_names,
            topic_names=page.topic_names,
        ),
    )
    picked = app_state.selectable_chart(
        chart,
        key="timeline",
        selection="event",
        alt=page.alt,
        file_name="timeline",
        fill=True,
    )
    detail = event_detail(page, frames, picked[0].get("id")) if picked else None
    st.subheader("Event details")
    if detail is None:
        st.info("Click an event on the timeline to see its details.", icon=":material/touch_app:")
    else:
        badge = ":orange-badge[planned]" if detail.planned else ":blue-badge[occurred]"
        st.markdown(f"**{esc(detail.title)}** {badge}")
        facts = [f"**Date:** {detail.when}", f"**Kind:** {esc(detail.kind)}"]
        if detail.place:
            facts.append(f"**Place:** {esc(detail.place)}")
        facts.append(f"**Actors:** {esc(detail.actors)}")
        if detail.citation:
            facts.append(f"**Source:** {esc(detail.citation)}")
        st.markdown("  \n".join(facts))
        if detail.quoted is not None:
            app_state.show_quote(detail.quoted)
        if detail.description:
            st.caption(esc(detail.description))

    st.subheader("All events in this view")
    app_state.table(
        page.table,
        {
            "date": "Date",
            "title": ("Event", {"width": "large"}),
            "kind": "Kind",
            "status": "Status",
            "place": "Place",
        },
    )

app_state.bind_page_params([period])
