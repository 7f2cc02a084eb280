"""A second page, so that the app has real st.navigation routing with a url_path.

?rows=N makes it taller than the viewport and ?wide=1 adds a block wider than a phone, so the
screenshot and overflow helpers can be tested against content they must not miss.
"""

import streamlit as st

st.markdown("Mini app: **text page**")
if st.query_params.get("wide"):
    st.html('<div class="wide-block" style="width: 1200px; height: 20px"></div>')
for n in range(int(st.query_params.get("rows", "0"))):
    st.markdown(f"Row {n}")
