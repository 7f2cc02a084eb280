"""Overview: what this is, the headline figures and the findings the data shows most strongly."""

import streamlit as st

import app_state
from positions.analysis import headline_figures, key_findings

frames, view = app_state.view()
info = frames.info
article = (
    frames.sources.set_index("id").loc[info["article_source"]]
    if info.get("article_source") in set(frames.sources["id"])
    else None
)

st.title(info["title"])
if info.get("subtitle"):
    st.markdown(f"##### {app_state.escape_markdown(str(info['subtitle']))}")
if article is not None:
    st.markdown(
        f"Curated from **{app_state.escape_markdown(str(article['title']))}** by "
        f"{app_state.escape_markdown(str(article.get('author') or 'an unnamed author'))} "
        f"({app_state.escape_markdown(str(article.get('publisher') or ''))}), "
        f"as of **{info['as_of']:%d %B %Y}**. Every cell, sanction and event below is backed "
        "by a verbatim quote from a named source."
    )
st.markdown(app_state.escape_markdown(str(info["description"])))

figures = headline_figures(frames)
columns = st.columns(4)
columns[0].metric("Actors", figures["actors"], help="Actors with at least one coded position")
columns[1].metric("Topics", figures["topics"], help="Topics with at least one coded position")
columns[2].metric("Positions", figures["positions"], help="Coded stances, each with its quote")
columns[3].metric(
    "Issues not raised",
    figures["not_raised"],
    help="Topics the sources say were not raised at the dataset's central meeting",
)

st.subheader("What the data shows")
pages = {
    "stances": "app_pages/stances.py",
    "sanctions": "app_pages/sanctions.py",
    "timeline": "app_pages/timeline.py",
}
for finding in key_findings(frames):
    with st.container(border=True):
        st.markdown(app_state.escape_markdown(finding.text))
        st.page_link(
            pages[finding.page],
            label=f"See it on the {finding.page.capitalize()} page",
            icon=":material/arrow_forward:",
            query_params=finding.query or None,
        )

if not view.filters.is_default():
    st.caption(
        "The figures above count the whole dataset; the sidebar filters narrow the other pages."
    )
