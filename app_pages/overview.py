"""Overview: what this is, the headline figures and the findings the data shows most strongly."""

import streamlit as st

import app_state
from positions.analysis import headline_figures, key_findings
from positions.dates import date_text

frames, view = app_state.view()
info = frames.info
esc = app_state.escape_markdown
article = (
    frames.sources.set_index("id").loc[info.article_source]
    if info.article_source in set(frames.sources["id"])
    else None
)

st.title(esc(str(info.title)))
if info.subtitle:
    st.markdown(f"##### {esc(str(info.subtitle))}")
app_state.era_caption(frames, view)
if not view.filters.is_default():
    st.caption(
        "The figures and findings below are for the current view: the sidebar's filters and "
        "search narrow them (the sanctions finding counts the decision's measures, which the "
        "actor filter does not narrow)."
    )

# The findings first: on a phone they are what the first screen should show.
st.subheader("What the data shows")
findings = key_findings(frames, view)
if not findings:
    st.info("Nothing to report for this view; clear a filter to see more.", icon=":material/info:")
settings = app_state.current_query(app_state.SETTING_KEYS)
for finding in findings:
    with st.container(border=True):
        st.markdown(esc(finding.text))
        st.page_link(
            f"app_pages/{finding.page}.py",
            label=f"See it on the {finding.page.capitalize()} page",
            icon=":material/arrow_forward:",
            # The linked page opens with this view's date and counting rule.
            query_params={**settings, **finding.query} or None,
        )

figures = headline_figures(frames, view)
columns = st.columns(4)
columns[0].metric("Actors", figures["actors"], help="Actors with at least one coded position")
columns[1].metric("Topics", figures["topics"], help="Topics with at least one coded position")
columns[2].metric("Positions", figures["positions"], help="Coded stances, each with its quote")
columns[3].metric(
    "Issues not raised",
    figures["not_raised"],
    help="Topics the sources say were not raised at the dataset's central meeting (a topic "
    "on which the sources disagree is not counted: see 'Contested')",
)

st.subheader("About this dataset")
if article is not None:
    st.markdown(
        f"Curated from **{esc(str(article['title']))}** by "
        f"{esc(str(article.get('author') or 'an unnamed author'))} "
        f"({esc(str(article.get('publisher') or ''))}), as of **{date_text(info.as_of)}**. "
        "Every cell, sanction and event is backed by a verbatim quote from a named source."
    )
st.markdown(esc(str(info.description)))
