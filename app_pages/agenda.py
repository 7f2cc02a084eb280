"""Agenda: what was raised at an event and what was left out, with the source's explanation."""

import streamlit as st

import app_state
from positions.analysis import agenda, agenda_lines, event_when


def agenda_item(line: dict) -> str:
    """One topic of the agenda as a list item: who, then its quote, or each quote and whose."""
    esc = app_state.escape_markdown
    item = f"- **{esc(line['topic_name'])}** ({esc(line['who'])}):"
    quotes = [f"“{esc(q)}”" for q in line["quotes"]]
    if len(quotes) == 1:
        return f"{item} {quotes[0]}"
    return item + "".join(
        f"\n    - {q} ({esc(by)})" for q, by in zip(quotes, line["quoted_by"], strict=True)
    )


frames, view = app_state.view()
events = frames.events
linked = set(frames.positions["event"].dropna())
choices = [e for e in events.sort_values("date")["id"] if e in linked]
titles = dict(zip(events["id"], events["title"], strict=True))

st.title("Agenda")
app_state.era_caption(frames, view)
st.caption(
    "What was raised and what was left out at an event, from the positions linked to it. "
    "'Left out' is a finding of the source, not a gap in the data; 'contested' means the "
    "sources disagree about whether it was raised."
)
default = frames.info.meeting_event
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
    left_out, raised, contested = result["left_out"], result["raised"], result["contested"]
    columns = st.columns(3 if len(contested) else 2)
    columns[0].metric("Raised", raised["topic"].nunique(), help="Topics with a stance at the event")
    columns[1].metric(
        "Left out", left_out["topic"].nunique(), help="Topics the source says were not raised"
    )
    if len(contested):
        columns[2].metric(
            "Contested",
            contested["topic"].nunique(),
            help="Topics one source says were not raised and another says were",
        )
    if isinstance(event.get("explanation"), str):
        st.markdown("**Why, according to the source:**")
        st.markdown("> " + app_state.escape_markdown(event["explanation"]))
    st.subheader("Left out")
    if left_out.empty:
        st.info("Nothing in this view was recorded as left out.", icon=":material/info:")
    for line in agenda_lines(left_out, stances=False).to_dict("records"):
        st.markdown(agenda_item(line))
    if len(contested):
        st.subheader("Contested: raised or not, the sources disagree")
        for line in agenda_lines(contested).to_dict("records"):
            st.markdown(agenda_item(line))
    st.subheader("Raised")
    if raised.empty:
        st.info("Nothing in this view was recorded as raised.", icon=":material/info:")
    for line in agenda_lines(raised).to_dict("records"):
        st.markdown(agenda_item(line))
    unrecorded = result["unrecorded"]["topic"].map(
        dict(zip(frames.topics["id"], frames.topics["name"], strict=True))
    )
    if len(unrecorded):
        st.subheader("On the agenda, with no stance recorded")
        st.caption(
            "Topics the source names for this event (its purpose or agenda) without saying who "
            "took which side on them."
        )
        st.markdown("\n".join(f"- {app_state.escape_markdown(str(n))}" for n in unrecorded))

app_state.bind_page_params([chosen_event])
