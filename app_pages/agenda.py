"""Agenda: what was raised at an event and what was left out, with the source's explanation."""

import streamlit as st

import app_state
from positions.views.agenda import AgendaLine, build_agenda, event_choices

COUNT_HELP = {
    "Raised": "Topics with a stance at the event",
    "Left out": "Topics the source says were not raised",
    "Contested": "Topics one source says were not raised and another says were",
}
esc = app_state.escape_markdown


def agenda_item(line: AgendaLine) -> str:
    """One topic of the agenda as a list item: who, then its quote, or each quote and whose."""
    item = f"- **{esc(line.topic_name)}** ({esc(line.who)}):"
    if len(line.quotes) == 1:
        quote, _, source = line.quotes[0]
        return f"{item} “{esc(quote)}” ({esc(source)})"
    # The words may be the source's report of an actor's stance: "coded for", not "said by".
    return item + "".join(
        f"\n    - “{esc(quote)}” (coded for {esc(by)}; {esc(source)})"
        for quote, by, source in line.quotes
    )


def agenda_list(lines: tuple[AgendaLine, ...], empty: str) -> None:
    if not lines:
        st.info(empty, icon=":material/info:")
    for line in lines:
        st.markdown(agenda_item(line))


frames, view = app_state.view()
choices, default = event_choices(frames)

app_state.page_header(
    "Agenda",
    frames,
    view,
    "What was raised and what was left out at an event, from the positions linked to it. "
    "'Left out' is a finding of the source, not a gap in the data; 'contested' means the "
    "sources disagree about whether it was raised.",
)
chosen_event = app_state.url_param("event", list(choices), default, lambda e: choices.get(e, e))
if not choices:
    st.info("No positions in this dataset are linked to an event.", icon=":material/info:")
else:
    st.selectbox("Event", chosen_event.options, format_func=chosen_event.label, key="event")
    page = app_state.built(build_agenda, frames, view, app_state.page_value(chosen_event))
    st.markdown(
        f"**{esc(page.title)}**, {page.when}" + (f", {esc(page.place)}" if page.place else "")
    )
    for column, (label, count) in zip(
        st.columns(len(page.counts)), page.counts.items(), strict=True
    ):
        column.metric(label, count, help=COUNT_HELP[label])
    if page.explanation is not None:
        st.markdown("**Why, according to the source:**")
        app_state.show_quote(page.explanation)
    st.subheader("Left out")
    agenda_list(page.left_out, "Nothing in this view was recorded as left out.")
    if page.contested:
        st.subheader("Contested: raised or not, the sources disagree")
        agenda_list(page.contested, "")
    st.subheader("Raised")
    agenda_list(page.raised, "Nothing in this view was recorded as raised.")
    if page.unrecorded:
        st.subheader("On the agenda, with no stance recorded")
        st.caption(
            "Topics the source names for this event (its purpose or agenda) without saying who "
            "took which side on them."
        )
        st.markdown("\n".join(f"- {esc(name)}" for name in page.unrecorded))

app_state.bind_page_params([chosen_event])
