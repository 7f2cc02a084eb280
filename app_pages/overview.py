"""Overview: what this is, the headline figures and the findings the data shows most strongly."""

import streamlit as st

import app_state
from positions.analysis import headline_figures, key_findings

frames, view = app_state.view()
info = frames.info
esc = app_state.escape_markdown
article = (
    frames.sources.set_index("id").loc[info["article_source"]]
    if info.get("article_source") in set(frames.sources["id"])
    else None
)

st.title(esc(str(info["title"])))
if info.get("subtitle"):
    st.markdown(f"##### {esc(str(info['subtitle']))}")
if article is not None:
    st.markdown(
        f"Curated from **{esc(str(article['title']))}** by "
        f"{esc(str(article.get('author') or 'an unnamed author'))} "
        f"({esc(str(article.get('publisher') or ''))}), as of **{info['as_of']:%d %B %Y}**. "
        "Every cell, sanction and event is backed by a verbatim quote from a named source."
    )

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
for finding in key_findings(frames):
    with st.container(border=True):
        st.markdown(esc(finding.text))
        st.page_link(
            f"app_pages/{finding.page}.py",
            label=f"See it on the {finding.page.capitalize()} page",
            icon=":material/arrow_forward:",
            query_params=finding.query or None,
        )
if not view.filters.is_default():
    st.caption("These count the whole dataset; the sidebar filters narrow the other pages.")

st.subheader("About this dataset")
st.markdown(esc(str(info["description"])))
