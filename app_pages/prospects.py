"""Prospects: the forward-looking claims in the sources beside what then happened."""

import pandas as pd
import streamlit as st

import app_state
from positions.analysis import PROSPECT_LABEL, prospects_in_view
from positions.charts import prospects_timeline

frames, view = app_state.view()
prospects = prospects_in_view(frames.prospects, view.filters)
as_of = pd.Timestamp(frames.info.as_of)
sources = frames.sources.set_index("id")

st.title("Prospects against outcomes")
st.caption(
    f"What was expected as of {as_of:%d %B %Y} (the dataset's date), and what happened. Each "
    "line runs from that date to the outcome; click an outcome for its sources. The outcomes "
    "are later by nature, so this page always looks past the sidebar's 'As of' date."
)
if not view.filters.is_default():
    st.caption(
        "Prospects are the author's claims, tied to no actor, topic or stance: the search "
        "narrows them, the actor, topic and stance filters do not."
    )
if prospects.empty:
    if len(frames.prospects):
        st.info("No prospect matches the search.", icon=":material/filter_alt_off:")
    else:
        st.info("This dataset records no prospects.", icon=":material/info:")
else:
    counts = prospects["status"].value_counts()
    columns = st.columns(len(PROSPECT_LABEL))
    for column, (status, label) in zip(columns, PROSPECT_LABEL.items(), strict=True):
        column.metric(label, int(counts.get(status, 0)))
    chart = prospects_timeline(prospects, as_of)
    picked = app_state.selectable_chart(
        chart,
        key="prospects",
        selection="prospect",
        alt=f"Timeline of {len(prospects)} prospects from the dataset's date to their outcomes",
        file_name="prospects",
        fill=True,
        file_width=720,
    )
    chosen = {p.get("id") for p in picked} if picked else set(prospects["id"])
    for _, prospect in prospects[prospects["id"].isin(chosen)].iterrows():
        with st.container(border=True):
            st.markdown(
                f"**{app_state.escape_markdown(prospect['claim'])}** "
                f":blue-badge[{PROSPECT_LABEL[prospect['status']]}]"
            )
            left, right = st.columns(2)
            left.markdown("**The claim**")
            left.markdown("> " + app_state.escape_markdown(prospect["quote"]))
            cited = (
                sources.loc[prospect["source"], "citation"]
                if prospect["source"] in sources.index
                else ""
            )
            left.caption(app_state.escape_markdown(cited))
            right.markdown(f"**What happened** ({app_state.format_date(prospect['outcome_date'])})")
            right.markdown(app_state.escape_markdown(prospect["outcome"]))
            outcome_source = prospect["outcome_source"]
            if outcome_source in sources.index:
                right.caption(app_state.escape_markdown(sources.loc[outcome_source, "citation"]))
            if isinstance(prospect.get("note"), str):
                st.caption(app_state.escape_markdown(prospect["note"]))
