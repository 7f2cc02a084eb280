"""Agenda: what was raised at an event and what was left out, with the source's explanation."""

import streamlit as st

import app_state
from positions.analysis import agenda, event_when
from positions.model import STANCE_LABEL

frames, view = app_state.view()
events = frames.events
linked = set(frames.positions["event"].dropna())
choices = [e for e in events.sort_values("date")["id"] if e in linked]
titles = dict(zip(events["id"], events["title"], strict=True))

st.title("Agenda")
st.caption(
    "What was raised and what was deliberately left out at an event, from the positions "
    "linked to it. 'Left out' is a finding of the source, not a gap in the data."
)
default = frames.info.get("meeting_event")
chosen_event = app_state.url_param(
    "event",
    choices,
    default if default in choices else (choices[0] if choices else ""),
    lambda e: titles.get(e, e),
)
if not choices:
    st.info("No positions in this dataset are linked to an event.", icon=":material/info:")
else:
    st.selectbox("Event", chosen_event.options, format_func=chosen_event.label, key="event")
    event_id = app_state.page_value(chosen_event)
    event = events.set_index("id").loc[event_id]
    st.markdown(
        f"**{app_state.escape_markdown(event['title'])}**, {event_when(event)}"
        + (
            f", {app_state.escape_markdown(event['place'])}"
            if isinstance(event["place"], str)
            else ""
        )
    )
    result = agenda(view.positions, events, event_id)
    left_out, raised = result["left_out"], result["raised"]
    columns = st.columns(2)
    columns[0].metric("Raised", raised["topic"].nunique(), help="Topics with a stance at the event")
    columns[1].metric(
        "Left out", left_out["topic"].nunique(), help="Topics the source says were not raised"
    )
    if isinstance(event.get("explanation"), str):
        st.markdown("**Why, according to the source:**")
        st.markdown("> " + app_state.escape_markdown(event["explanation"]))
    st.subheader("Left out")
    if left_out.empty:
        st.info("Nothing in this view was recorded as left out.", icon=":material/info:")
    for _, record in left_out.iterrows():
        st.markdown(
            f"- **{app_state.escape_markdown(record['topic_name'])}** "
            f"({app_state.escape_markdown(record['actor_name'])}): "
            f"“{app_state.escape_markdown(record['quote'])}”"
        )
    st.subheader("Raised")
    if raised.empty:
        st.info("Nothing in this view was recorded as raised.", icon=":material/info:")
    for topic, group in raised.groupby("topic_name", sort=False):
        stances = "; ".join(
            f"{app_state.escape_markdown(r['actor_name'])}: {STANCE_LABEL[r['stance']]}"
            for _, r in group.iterrows()
        )
        st.markdown(
            f"- **{app_state.escape_markdown(topic)}** ({stances}): "
            f"“{app_state.escape_markdown(group['quote'].iloc[0])}”"
        )

app_state.bind_page_params([chosen_event])
