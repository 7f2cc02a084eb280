"""Prospects: the forward-looking claims in the sources beside what then happened."""

import streamlit as st

import app_state
from positions.charts import prospects_timeline
from positions.views.prospects import build_prospects

frames, view = app_state.view()
page = app_state.built(build_prospects, frames, view)
esc = app_state.escape_markdown

st.title("Prospects against outcomes")
st.caption(
    f"What was expected as of {page.as_of_text} (the dataset's date), and what happened. Each "
    "line runs from that date to the outcome; click an outcome for its sources. The outcomes "
    "are later by nature, so this page always looks past the sidebar's 'As of' date."
)
if page.narrowed_note:
    st.caption(page.narrowed_note)
if page.empty_note:
    st.info(page.empty_note, icon=":material/info:")
else:
    for column, (label, count) in zip(
        st.columns(len(page.counts)), page.counts.items(), strict=True
    ):
        column.metric(label, count)
    picked = app_state.selectable_chart(
        app_state.once(page, "chart", lambda: prospects_timeline(page.prospects, page.as_of)),
        key="prospects",
        selection="prospect",
        alt=page.alt,
        file_name="prospects",
        fill=True,
    )
    chosen = {p.get("id") for p in picked}
    for card in page.cards:
        if chosen and card.id not in chosen:
            continue
        with st.container(border=True):
            st.markdown(f"**{esc(card.claim)}** :blue-badge[{card.status_label}]")
            left, right = st.columns(2)
            left.markdown("**The claim**")
            app_state.show_quote(card.quoted, left)
            right.markdown(f"**What happened** ({card.outcome_date})")
            right.markdown(esc(card.outcome))
            if card.outcome_citation:
                right.caption(esc(card.outcome_citation))
            if card.note:
                st.caption(esc(card.note))
