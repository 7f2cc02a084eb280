"""Overview: what this is, the headline figures and the findings the data shows most strongly."""

import streamlit as st

import app_state
from page_registry import page_entry
from positions.views.overview import build_overview

frames, view = app_state.view()
page = app_state.built(build_overview, frames, view)
esc = app_state.escape_markdown

st.title(esc(page.title))
if page.subtitle:
    st.markdown(f"##### {esc(page.subtitle)}")
app_state.era_caption(frames, view)
if page.narrowed_note:
    st.caption(page.narrowed_note)

# The findings first: on a phone they are what the first screen should show.
st.subheader("What the data shows")
if not page.findings:
    st.info("Nothing to report for this view; clear a filter to see more.", icon=":material/info:")
settings = app_state.current_query(app_state.SETTING_KEYS)
for finding in page.findings:
    linked = page_entry(finding.page)
    with st.container(border=True):
        st.markdown(esc(finding.text))
        st.page_link(
            linked.script,
            label=f"See it on the {linked.title} page",
            icon=":material/arrow_forward:",
            # The linked page opens with this view's date and counting rule.
            query_params={**settings, **finding.query} or None,
        )

for column, figure in zip(st.columns(len(page.figures)), page.figures, strict=True):
    column.metric(figure.label, figure.value, help=figure.help)

st.subheader("About this dataset")
if page.article is not None:
    title, author, publisher = (esc(part) for part in page.article)
    st.markdown(
        f"Curated from **{title}** by {author} ({publisher}), as of **{page.as_of_text}**. "
        "Every cell, sanction and event is backed by a verbatim quote from a named source."
    )
st.markdown(esc(page.description))
