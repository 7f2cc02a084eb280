"""A two-page st.navigation app to test the browser-test infrastructure, not the dashboard."""

import streamlit as st

# The page scripts live in mini_pages/, not pages/: a pages/ folder next to the entrypoint would
# switch on Streamlit's file-based navigation as well.
PAGES = [
    st.Page("mini_pages/chart.py", title="Chart", default=True),
    st.Page("mini_pages/text.py", title="Text", url_path="text"),
]
st.navigation(PAGES).run()
